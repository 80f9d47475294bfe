"""`clinote import FILE.json` and `clinote export [--client CODE] [-o FILE | --markdown DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.support import CliError, open_vault

PHI_WARNING = (
    "clinote: warning: exports are plaintext PHI (client names, diagnoses, notes); "
    "keep them on encrypted storage and delete them when done"
)
PSYCHOTHERAPY_NOTES_WARNING = (
    "clinote: warning: this export includes psychotherapy notes (45 CFR 164.501), which are "
    "not part of the record and need the client's specific authorization to disclose"
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    export = subparsers.add_parser(
        "export",
        parents=[common],
        help="export clients, plans and notes as JSON (stdout or -o) or Markdown files",
        description="Export clients, treatment plans and notes. Exports are plaintext PHI: "
        "files are written readable by you only (0600).",
    )
    export.add_argument("--client", metavar="CODE", help="only the client with this code")
    target = export.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write the JSON export to FILE")
    target.add_argument(
        "--markdown", metavar="DIR", help="write one Markdown file per note into DIR"
    )
    export.add_argument(
        "--include-psychotherapy-notes",
        action="store_true",
        help="also export psychotherapy (process) notes, which are kept apart from the record",
    )
    export.set_defaults(handler=run_export)

    import_ = subparsers.add_parser(
        "import",
        parents=[common],
        help="import a clinote JSON export into the vault (safe to repeat)",
        description="Import a clinote export. Records are matched by id: importing the "
        "same file twice adds nothing, and signed notes in the vault are never replaced.",
    )
    import_.add_argument("file", metavar="FILE.json", help="a file written by clinote export")
    import_.set_defaults(handler=run_import)


def _cannot_write(path: Path, error: OSError) -> CliError:
    reason = error.strerror or type(error).__name__
    return CliError(f"cannot write {path}: {reason}; choose another location", exit_code=1)


def run_export(args: argparse.Namespace) -> int:
    from cli.support import resolve_vault_path
    from storage.records.errors import RecordNotFound
    from storage.records.repositories import Repositories
    from storage.records.transfer import (
        ExportTargetExists,
        export_json,
        export_markdown,
        export_target_problem,
    )
    from storage.vault.private_file import write_private_file

    include_process_notes = getattr(args, "include_psychotherapy_notes", False)
    if include_process_notes and args.markdown:
        raise CliError(
            "psychotherapy notes are exported only in the JSON export; "
            "leave out --markdown or --include-psychotherapy-notes"
        )
    output = Path(args.output).expanduser() if args.output else None
    if output is not None:
        # Refused before the passphrase is asked: nothing is read, nothing written.
        problem = export_target_problem(output, resolve_vault_path(args.vault))
        if problem:
            raise CliError(problem, exit_code=1)
    with open_vault(args.vault) as vault:
        # Said once there is something to export: a missing vault is one line.
        print(PHI_WARNING, file=sys.stderr)
        if include_process_notes:
            print(PSYCHOTHERAPY_NOTES_WARNING, file=sys.stderr)
        repos = Repositories.from_vault(vault)
        try:
            if args.markdown:
                directory = Path(args.markdown).expanduser()
                try:
                    written = export_markdown(repos, directory, args.client)
                except ExportTargetExists as error:
                    raise CliError(str(error), exit_code=1) from None
                except FileExistsError:
                    raise CliError(
                        f"a file of this export appeared in {directory} while writing; "
                        "nothing was replaced; choose an empty folder",
                        exit_code=1,
                    ) from None
                except OSError as error:
                    raise _cannot_write(directory, error) from None
                print(f"clinote: wrote {len(written)} note file(s) to {directory}", file=sys.stderr)
                return 0
            text = export_json(repos, args.client, include_process_notes)
        except RecordNotFound as error:
            raise CliError(str(error), exit_code=2) from None
    if output is not None:
        try:
            write_private_file(output, text)
        except FileExistsError:
            raise CliError(
                f"{output} already exists; exports never replace a file: choose a new name",
                exit_code=1,
            ) from None
        except OSError as error:
            raise _cannot_write(output, error) from None
        print(f"clinote: wrote the export to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def _read_export(path: Path) -> object:
    from core.notes.json_input import JsonInputError, loads_untrusted

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{path} does not exist; give the path of a clinote export") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not readable as UTF-8 text"
        raise CliError(f"cannot read {path}: {reason}") from None
    try:
        return loads_untrusted(raw)
    except JsonInputError as error:
        if error.position is not None:
            line, column = error.position
            raise CliError(
                f"{path} is not valid JSON (line {line} column {column}); "
                "is it a file written by clinote export?"
            ) from None
        raise CliError(f"{path}: {error}; is it a file written by clinote export?") from None


def run_import(args: argparse.Namespace) -> int:
    from storage import VaultError
    from storage.records.export_document import ExportDocumentError
    from storage.records.repositories import Repositories
    from storage.records.transfer import import_data

    path = Path(args.file).expanduser()
    data = _read_export(path)
    with open_vault(args.vault) as vault:
        try:
            report = import_data(Repositories.from_vault(vault), data)
        except VaultError as error:
            # One commit: a save that failed (a full disk, say) left the vault as it was.
            raise CliError(f"nothing was imported: {error}", exit_code=1) from None
        except ExportDocumentError as error:
            for problem in error.problems:
                print(f"clinote: {path}: {problem}", file=sys.stderr)
            print(
                f"clinote: nothing was imported; fix the {len(error.problems)} problem(s) above "
                "or export the file again",
                file=sys.stderr,
            )
            return 2
    print(report.summary_line())
    for line in report.kept_from_vault:
        print(f"clinote: not imported: {line}", file=sys.stderr)
    if report.kept_from_vault:
        print(
            "clinote: the vault's versions were kept for the records above; "
            "review them before importing again",
            file=sys.stderr,
        )
        return 1
    return 0
