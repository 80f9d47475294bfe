"""`clinote init`, `verify`, `rekey` and `backup`: the vault's own commands."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap

from cli.support import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    CliError,
    existing_vault_path,
    open_vault,
    print_vault_warnings,
    read_new_passphrase,
    read_passphrase,
    resolve_vault_path,
    seen_vaults_folder,
)

RULES_WIDTH = 78  # an 80-column terminal wraps longer lines mid-word


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    init = subparsers.add_parser(
        "init",
        parents=[common],
        help="create a new encrypted vault",
        description="Create a new, empty encrypted vault. Asks for a passphrase twice "
        f"(or reads ${PASSPHRASE_ENV}). Refuses if the vault already exists.",
    )
    init.set_defaults(handler=run_init)

    verify = subparsers.add_parser(
        "verify",
        parents=[common],
        help="decrypt every frame and report whether the vault is sound",
        description="Decrypt every frame without changing anything; print the generation, "
        "frame and document counts. Exit 0 when the vault is sound. When a frame is "
        "damaged, it says which one; --recover then writes the whole frames before it to "
        "a NEW file <vault>.recovered (the vault itself is never changed).",
    )
    verify.add_argument(
        "--recover",
        action="store_true",
        help="if a frame is damaged, write the intact frames before it to <vault>.recovered",
    )
    verify.set_defaults(handler=run_verify)

    rekey = subparsers.add_parser(
        "rekey",
        parents=[common],
        help="change the vault passphrase",
        description=f"Change the passphrase: the old one from ${PASSPHRASE_ENV} or a prompt, "
        f"the new one from ${NEW_PASSPHRASE_ENV} or asked twice. Crash-safe: the vault "
        "always opens with the old or the new passphrase. Plain rekey keeps the data key: "
        "an older copy of the vault still opens with the old passphrase. --rotate-key "
        "re-encrypts everything under a new data key, so it cannot.",
    )
    rekey.add_argument(
        "--rotate-key",
        action="store_true",
        help="also re-encrypt everything under a new random data key (after a leak, "
        "or failed unlocks that were not you)",
    )
    rekey.set_defaults(handler=run_rekey)

    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="write a consistent encrypted copy of the vault",
        description="Write an encrypted copy that opens with the same passphrase. "
        "DEST is a new file, or a folder to put a dated copy in. Never overwrites.",
    )
    backup.add_argument("dest", metavar="DEST", help="new file, or an existing folder")
    backup.set_defaults(handler=run_backup)


def run_init(args: argparse.Namespace) -> int:
    from storage import RULES, Vault, VaultError, WeakPassphrase, check_new_passphrase

    path = resolve_vault_path(args.vault)
    if path.exists():
        raise CliError(f"a vault already exists at {path}; nothing was changed", exit_code=1)
    if sys.stdin.isatty() and PASSPHRASE_ENV not in os.environ:
        print(textwrap.fill(RULES, RULES_WIDTH), file=sys.stderr)
    try:
        passphrase = read_new_passphrase(PASSPHRASE_ENV)
        check_new_passphrase(passphrase)
        with Vault.create(path, passphrase, seen_folder=seen_vaults_folder()):
            pass
    except WeakPassphrase as error:
        raise CliError(f"{error}; no vault was created", exit_code=2) from None
    except VaultError as error:
        raise CliError(str(error), exit_code=1) from None
    print(
        f"created an empty vault at {path}; next, start clinote and enter your "
        "name and credentials in Settings (f2): signed notes need them"
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from storage import VaultError, WrongPassphrase, verify_vault
    from storage.vault.check import recover_vault

    path = existing_vault_path(args.vault)
    passphrase = read_passphrase()
    try:
        if args.recover:
            written, frames = recover_vault(path, passphrase)
            print(
                f"wrote the {frames} intact frames of {path} to the new file {written}; "
                "the vault was not changed. Check it with `clinote verify --vault "
                f"{written}`; to use it, move {path.name} aside and rename {written.name} "
                f"to {path.name}"
            )
            return 0
        report = verify_vault(path, passphrase, seen_folder=seen_vaults_folder())
    except WrongPassphrase as error:
        raise CliError(str(error), exit_code=2) from None
    except VaultError as error:
        raise CliError(str(error), exit_code=1) from None
    tables = ", ".join(f"{name} {count}" for name, count in sorted(report.tables.items()))
    print(
        f"{path}: sound. generation {report.generation}, {report.frames} frames, "
        f"{report.documents} documents ({tables}); key derivation {report.kdf}"
    )
    if report.unverified_signatures:
        print(
            f"note: {report.unverified_signatures} signature(s) imported, signature not verified "
            "(made by another vault, or forged); the app and Markdown exports mark them so"
        )
    if report.torn_bytes:
        print(
            f"note: {report.torn_bytes} bytes of an unfinished, never-confirmed save at the end "
            "will be dropped at the next open"
        )
    if report.rollback_warning:
        print(f"clinote: {report.rollback_warning}", file=sys.stderr)
    return 0


REKEY_DONE = (
    "changed the passphrase of {path}: this file and its .bak now open only with the new "
    "one. Not protected: copies made before (backups, synced or old versions) still open "
    "with the old passphrase, and the data key inside is unchanged, so whoever has such a "
    "copy and the old passphrase can read what is written from now on too. If the old "
    "passphrase may be known to someone, run `clinote rekey --rotate-key`"
)
ROTATE_DONE = (
    "changed the passphrase of {path} and re-encrypted everything under a new data key: "
    "copies made before (backups, the old header put back) still open with the old "
    "passphrase but show only what they held then; nothing written from now on can be read "
    "with the old passphrase or key. {backup} holds the previous state, under the new "
    "passphrase"
)


def run_rekey(args: argparse.Namespace) -> int:
    from storage import Vault, VaultError, WeakPassphrase, check_new_passphrase
    from storage.vault.file import backup_path_for

    path = existing_vault_path(args.vault)
    old_passphrase = read_passphrase(PASSPHRASE_ENV, "Current passphrase: ")
    try:
        new_passphrase = read_new_passphrase(NEW_PASSPHRASE_ENV)
        check_new_passphrase(new_passphrase)  # before opening, so a refusal writes nothing
    except WeakPassphrase as error:
        raise CliError(f"{error}; the passphrase was not changed", exit_code=2) from None
    try:
        with Vault.open(path, old_passphrase, seen_folder=seen_vaults_folder()) as vault:
            print_vault_warnings(vault)
            vault.rekey(new_passphrase, rotate_key=args.rotate_key)
            real_path = vault.path
    except VaultError as error:
        raise CliError(f"{error}; the passphrase was not changed", exit_code=2) from None
    if args.rotate_key:
        print(ROTATE_DONE.format(path=path, backup=backup_path_for(real_path)))
    else:
        print(REKEY_DONE.format(path=path))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from storage import VaultError, VaultExists

    with open_vault(args.vault) as vault:
        try:
            written = vault.backup(args.dest)
        except VaultExists:
            # The storage message suggests --vault, which names the vault being copied here.
            raise CliError(
                f"a file already exists at {args.dest}; choose another destination "
                "(a backup never overwrites); no backup was written",
                exit_code=1,
            ) from None
        except VaultError as error:
            raise CliError(f"{error}; no backup was written", exit_code=1) from None
        print(f"wrote an encrypted copy to {written} (it opens with the same passphrase)")
    return 0
