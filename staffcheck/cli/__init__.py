"""The command line: parse, run the command, return an exit code. No logic lives only here.

One module per command (``screen``, ``ask``, ``team``, ``plan``, ``explain``, ``rules``), each adding its
parser and returning an exit status from ``run(args)``; the options they share are in `options`.
"""

# PYTHON_ARGCOMPLETE_OK: the shell may ask this entry point for completions (cli/completion.py);
# argcomplete's global completion looks for this marker near the top of the file.

# Only modules the interpreter loaded before us: a Ctrl-C may come during any import, so
# every other import happens inside main's try (tests/test_interrupt.py checks it).
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``staffcheck`` command; returns the exit status."""
    try:
        # Imported here, inside the try: a Ctrl-C while they load is an interruption like any other.
        if argv is None and "_ARGCOMPLETE" in os.environ:  # the shell asks for completions
            from staffcheck.cli.completion import complete

            return complete()
        from staffcheck.cli.parser import parse

        args = parse(argv)
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        print("staffcheck: " + _tr("interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        from staffcheck.errors import StaffcheckError
        from staffcheck.escaping import inert

        if isinstance(exc, StaffcheckError):
            # Messages quote the user's files: make escape sequences in them visible, not live.
            for line in exc.lines(more_text=_tr("… and {more} more")):
                print(f"staffcheck: error: {inert(line)}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("STAFFCHECK_DEBUG"):
            raise
        problem = f"{type(exc).__name__}: {inert(str(exc))}"
        print(
            "staffcheck: "
            + _tr(
                "internal error: {problem} "
                "(a bug: please report it; set STAFFCHECK_DEBUG=1 for the traceback)",
                problem=problem,
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR


def _tr(text: str, **fields: object) -> str:
    """`text` in the language in use, if the translations were loaded before this moment (a
    Ctrl-C may come before; no import happens here, where another could interrupt it)."""
    i18n = sys.modules.get("staffcheck.i18n")
    if i18n is None:
        return text.format(**fields) if fields else text
    translated: str = i18n.tr(text, **fields)
    return translated
