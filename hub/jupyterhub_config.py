"""JupyterHub for one rnncourse class: local accounts, the instructor with Formgrader, students
with Validate and the Assignments tab. Set up by hub/deploy.py, which records the class in
$RNNCOURSE_HUB_STATE/deployment.json (default /srv/rnncourse-hub)."""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from deploy import PROXY, Deployment, role_environment, role_of  # noqa: E402

deployment = Deployment.load(os.environ.get("RNNCOURSE_HUB_STATE", "/srv/rnncourse-hub"))
private = deployment.private

# Addresses: people reach the proxy; the hub's API and the proxy's API stay on loopback.
c.JupyterHub.bind_url = f"http://{deployment.ip}:{deployment.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{deployment.hub_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{deployment.proxy_port}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")

# State: root-only files in <state>/private.
c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(private / "jupyterhub.pid")

# Who may log in: the class's local accounts, with their system passwords (PAM), as in
# nbgrader's JupyterHub demos. The instructor administers the hub.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(deployment.users)
c.Authenticator.admin_users = {deployment.instructor}

# Each person's JupyterLab runs as their own account, from the course's environment
# (rnncourse, TensorFlow, nbgrader and the python3 kernel).
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(deployment.venv) / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server and kernels


def by_role(spawner):
    """The instructor's server opens on the course with Formgrader; students' on their home."""
    role = role_of(deployment, spawner.user.name)
    spawner.environment.update(role_environment(deployment, role))
    spawner.notebook_dir = str(deployment.course_root()) if role == "instructor" else "~"


c.Spawner.pre_spawn_hook = by_role
