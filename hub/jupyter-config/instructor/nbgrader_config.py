"""nbgrader for the instructor on the hub: the course in their home, the shared exchange."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# The course's own settings (root, limits); its server and terminals may start elsewhere.
COURSE = os.environ.get("RNNCOURSE_COURSE_ROOT", "")
if COURSE and os.path.isfile(os.path.join(COURSE, "nbgrader_config.py")):
    load_subconfig(os.path.join(COURSE, "nbgrader_config.py"))  # noqa: F821
load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",  # noqa: F821
                            "nbgrader_config.py"))
