"""Run the instructor command line: ``python -m rnncourse``."""

from .cli import main

raise SystemExit(main())
