"""``python -m staffcheck``."""

import sys

from staffcheck.cli import EXIT_INTERRUPTED, main

status = main()
if status == EXIT_INTERRUPTED:
    # CPython records a KeyboardInterrupt that left an exec() of source text as unhandled, even
    # when it is caught later (dataclasses builds its methods with exec, and a Ctrl-C may land
    # there); `python -m` then dies by SIGINT at exit instead of exiting 130 as the console
    # script does. Each exec() of source text clears that record first: this one does only that.
    exec("", {})
sys.exit(status)
