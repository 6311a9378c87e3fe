"""``python -m staffcheck``."""

import sys

from staffcheck.cli import EXIT_SIGNALLED, main

status = main()
if status > EXIT_SIGNALLED:
    # CPython records a KeyboardInterrupt that left an exec() of source text as unhandled, even
    # when it is caught later (dataclasses builds its methods with exec, and a Ctrl-C may land
    # there); `python -m` then dies by SIGINT at exit instead of exiting 130 as the console
    # script does. SIGTERM and SIGHUP stop the run the same way (cli.process.Stopped is a
    # KeyboardInterrupt). Each exec() of source text clears that record first: this one does only that.
    exec("", {})
sys.exit(status)
