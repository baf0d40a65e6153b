"""Start a sandboxed grading kernel: ``python -m rnncourse.grading.sandbox -f CONNECTION_FILE``."""

from .kernel import main

main()
