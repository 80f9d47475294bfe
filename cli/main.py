"""The `clinote` command: the TUI with no subcommand, else one subcommand."""

from __future__ import annotations

import argparse
import sys

from cli.support import CliError, escaped_output

# Each module adds its subcommands with register(subparsers, common) and sets
# `handler` (a function taking the parsed args and returning an exit code).
COMMAND_MODULES = (
    "cli.commands.vault",
    "cli.commands.draft",
    "cli.commands.eval",
    "cli.commands.check",
    "cli.commands.transfer",
    "cli.commands.summary",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault",
        metavar="PATH",
        # SUPPRESS: a subcommand must not reset `clinote --vault X cmd` to None.
        default=argparse.SUPPRESS,
        help="vault file (default: $CLINOTE_VAULT, else the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="clinote",
        parents=[common],
        description="Therapy progress notes: guided form, live preview, local drafting, "
        "encrypted vault. With no command, starts the terminal app.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway vault of fictional clients (deleted on exit)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # that area's commands have not landed yet
        module.register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    from tui.hardening import disable_core_dumps

    disable_core_dumps()  # first: the app and every command hold note text and passphrases
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "vault"):
        args.vault = None  # --vault given nowhere (SUPPRESS keeps one given before the command)
    if args.command is None:
        return _run(args)
    with escaped_output():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command is None:
            from cli.app_start import run_app

            return run_app(vault_arg=args.vault, demo=args.demo)
        return int(args.handler(args))
    except CliError as error:
        print(f"clinote: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("clinote: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:  # noqa: BLE001
        # No traceback: it could carry note text. The type is enough to report.
        print(
            f"clinote: unexpected {type(error).__name__}; nothing more was written. "
            "Please report this (no note text is included in this message).",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
