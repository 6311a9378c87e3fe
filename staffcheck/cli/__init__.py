"""The command line: parse, run the command, return an exit code. No logic lives only here.

One module per command (``screen``, ``ask``, ``team``, ``plan``, ``explain``, ``rules``), each adding its
parser and returning an exit status from ``run(args)``; the options they share are in `options`.
"""

# Only modules the interpreter loaded before us: a Ctrl-C may come during any import, so
# every other import happens inside main's try (tests/test_interrupt.py checks it).
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``staffcheck`` command; returns the exit status."""
    try:
        # Imported here, inside the try: a Ctrl-C while they load is an interruption like any other.
        from staffcheck.cli.parser import parse

        args = parse(argv)
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        print("staffcheck: interrupted", file=sys.stderr)
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
            for line in exc.lines():
                print(f"staffcheck: error: {inert(line)}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("STAFFCHECK_DEBUG"):
            raise
        print(
            f"staffcheck: internal error: {type(exc).__name__}: {inert(str(exc))} "
            "(a bug: please report it; set STAFFCHECK_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR
