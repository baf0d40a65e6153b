"""nbgrader for a student on the hub: the course's limits behind Validate, the shared exchange."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))
COURSE_CONFIG = os.path.join(HERE, "..", "..", "..", "nbgrader_config.py")
HUB_CONFIG = os.path.join(HERE, "..", "..", "nbgrader_config.py")

# Validate runs a notebook under the same time and output limits as grading.
load_subconfig(os.path.abspath(COURSE_CONFIG))  # noqa: F821 - provided by traitlets
# ... but a student's course folder is their own home, not the repository's.
for name in ("root", "source_directory", "release_directory", "submitted_directory",
             "autograded_directory", "feedback_directory"):
    c.CourseDirectory.pop(name, None)
load_subconfig(os.path.abspath(HUB_CONFIG))  # noqa: F821 - course id and exchange
