"""The command line: parse, run the command, return an exit code. No logic lives only here.

One module per command (``screen``, ``ask``, ``team``, ``plan``, ``explain``, ``rules``), each adding its
parser and returning an exit status from ``run(args)``; the options they share are in `options`;
the process around them (streams, signals, the system's refusals) in `process`.
"""

# PYTHON_ARGCOMPLETE_OK: the shell may ask this entry point for completions (cli/completion.py);
# argcomplete's global completion looks for this marker near the top of the file.

# Only modules the interpreter loaded before us: a Ctrl-C may come during any import, so
# every other import happens inside main's try (tests/test_interrupt.py checks it).
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Exit statuses above this one mean a signal stopped the run (128 + its number).
EXIT_SIGNALLED = 128


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``staffcheck`` command; returns the exit status."""
    try:
        # Imported here, inside the try: a Ctrl-C while they load is an interruption like any other.
        from staffcheck.cli.process import signals_answered

        with signals_answered():
            return _run(argv)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (process.Stopped)
        return _stopped(exc)
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        return _failed(exc)


def _run(argv: list[str] | None) -> int:
    from staffcheck.cli.process import flush_stdout, prepare_streams

    if argv is None:  # the process's entry point: its standard streams are ours to set up
        prepare_streams()
    if argv is None and "_ARGCOMPLETE" in os.environ:  # the shell asks for completions
        from staffcheck.cli.completion import complete

        return complete()
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before the parser (and everything it imports) loads: scripts ask this often.
        from staffcheck import __version__

        print(f"staffcheck {__version__}")
        flush_stdout()
        return EXIT_OK
    if argv is None:  # the staffcheck command's own process: not a host calling main([...])
        from staffcheck import method_cache, pattern_cache

        # Before the parser imports the model's dataclasses and the modules' patterns.
        pattern_cache.install()
        method_cache.install()
    from staffcheck.cli.parser import parse

    args = parse(argv)
    code: int = args.run(args)
    flush_stdout()
    return code


def _stopped(exc: KeyboardInterrupt) -> int:
    process = sys.modules.get("staffcheck.cli.process")
    said, status = ("interrupted", EXIT_INTERRUPTED)
    if process is not None:
        said, status = process.interruption(exc)
    else:
        said = _tr(said)
    print("staffcheck: " + said, file=sys.stderr)
    return int(status)


def _reader_gone() -> int:
    """The reader went away (e.g. `| head`); that is not an error of ours."""
    from staffcheck.cli.process import discard_stdout

    discard_stdout()
    sys.stderr.close()
    return EXIT_OK


def _failed(exc: Exception) -> int:
    from staffcheck.errors import StaffcheckError
    from staffcheck.escaping import inert

    if isinstance(exc, StaffcheckError):
        # Messages quote the user's files: make escape sequences in them visible, not live.
        for line in exc.lines(more_text=_tr("… and {more} more")):
            print(f"staffcheck: error: {inert(line)}", file=sys.stderr)
        return EXIT_ERROR
    if isinstance(exc, OSError):  # the system refused: a disk, a stream, a limit, not a bug
        from staffcheck.cli.process import os_failure

        print(f"staffcheck: error: {os_failure(exc)}", file=sys.stderr)
        return EXIT_ERROR
    if os.environ.get("STAFFCHECK_DEBUG"):
        raise exc
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
