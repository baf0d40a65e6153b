"""nbgrader for the instructor on the hub: the shared exchange (the course's own
nbgrader_config.py, in the folder their server opens on, sets everything else)."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

load_subconfig(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",  # noqa: F821
                            "nbgrader_config.py"))
