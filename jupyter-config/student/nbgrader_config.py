"""nbgrader settings behind the student's Validate button: the course's own time and output limits."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# Validate must run a notebook under the same limits as grading (c.Execute.timeout, ...),
# so this file reads the course's nbgrader_config.py instead of repeating its values.
COURSE_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                             "nbgrader_config.py")
if os.path.isfile(COURSE_CONFIG):
    load_subconfig(os.path.abspath(COURSE_CONFIG))  # noqa: F821 - provided by traitlets
