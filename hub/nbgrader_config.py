"""nbgrader settings shared by everyone on the hub: the course id and the exchange folder."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# hub/deploy.py passes both through the servers' environment; the defaults are nbgrader's.
c.CourseDirectory.course_id = os.environ.get("RNNCOURSE_COURSE_ID", "rnncourse")
c.Exchange.root = os.environ.get("RNNCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
