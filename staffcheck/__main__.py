"""``python -m staffcheck``."""

import sys

from staffcheck.cli import main

sys.exit(main())
