"""Set up, start and tear down the course's JupyterHub on one Debian machine (run as root).

One instructor and the students of a roster get local accounts; the instructor's copy of the
course lives in their home; nbgrader's exchange is a shared folder; JupyterHub logs people in
with their system passwords (PAM) and starts each one's JupyterLab as that user
(LocalProcessSpawner), as nbgrader's own JupyterHub demos do. Everything the hub needs is
recorded in <state>/deployment.json, which hub/jupyterhub_config.py reads.

    python hub/deploy.py up --roster hub/roster.example.txt     # setup, then run the hub
    python hub/deploy.py down                                    # stop it, remove what setup made
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HUB = Path(__file__).resolve().parent          # this folder: jupyterhub_config.py, jupyter-config/
REPO = HUB.parent                               # the course repository (source/, release/, .venv)
DEFAULT_STATE = Path("/srv/rnncourse-hub")
DEFAULT_EXCHANGE = Path("/srv/nbgrader/exchange")  # nbgrader's own default Exchange.root
HUB_VENV = REPO / ".venv-hub"                   # `make hub-deps`: built from Debian's Python
PROXY = HUB_VENV / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_FILES = ("nbgrader_config.py", "source", "release")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
QUIET_NEWS = {"fetchNews": "false", "checkForUpdates": False}


class SetupError(RuntimeError):
    """The machine cannot host the hub as asked; the message says why and what to do."""


@dataclasses.dataclass
class Deployment:
    """Where the hub keeps its state, who uses it and on which addresses it listens."""

    state: Path = DEFAULT_STATE
    exchange: Path = DEFAULT_EXCHANGE
    course_id: str = "rnncourse"
    instructor: str = "instructor"
    students: list = dataclasses.field(default_factory=list)
    units: list = dataclasses.field(default_factory=list)  # released into the gradebook; [] = all
    ip: str = "0.0.0.0"
    port: int = 8000
    hub_port: int = 0      # the hub's internal API (loopback); 0 = pick a free port at setup
    proxy_port: int = 0    # the proxy's REST API (loopback); 0 = pick a free port at setup
    venv: Path = HUB_VENV
    created_users: list = dataclasses.field(default_factory=list)  # accounts teardown removes

    @property
    def private(self) -> Path:
        """Root-only folder: hub database, cookie secret, passwords, logs."""
        return Path(self.state) / "private"

    @property
    def users(self) -> list[str]:
        """Every account of the class, instructor first."""
        return [self.instructor, *self.students]

    @property
    def url(self) -> str:
        """The address people open in their browser."""
        host = socket.gethostname() if self.ip in ("0.0.0.0", "") else self.ip
        return f"http://{host}:{self.port}/"

    def course_root(self) -> Path:
        """The instructor's copy of the course (their home / course id)."""
        return Path(pwd.getpwnam(self.instructor).pw_dir) / self.course_id

    def save(self) -> Path:
        """Write deployment.json (read by jupyterhub_config.py and by `down`)."""
        path = Path(self.state) / "deployment.json"
        data = {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(self).items()}
        path.write_text(json.dumps(data, indent=2) + "\n")
        path.chmod(0o644)
        return path

    @classmethod
    def load(cls, state: Path | str = DEFAULT_STATE) -> Deployment:
        """The deployment recorded in ``state``."""
        path = Path(state) / "deployment.json"
        if not path.is_file():
            raise SetupError(f"no hub set up in {state} ({path.name} is missing)")
        data = json.loads(path.read_text())
        for key in ("state", "exchange", "venv"):
            data[key] = Path(data[key])
        return cls(**data)


# ---------------------------------------------------------------- environments of the two roles


def role_of(deployment: Deployment, user: str) -> str:
    """'instructor' for the instructor's account, 'student' for everybody else."""
    return "instructor" if user == deployment.instructor else "student"


def role_environment(deployment: Deployment, role: str) -> dict:
    """Variables for a user's server and commands: the course's environment and nbgrader config.

    JUPYTER_CONFIG_PATH puts the role's folder first, so it decides which nbgrader extensions
    load (students: Validate and the Assignments tab; the instructor: also Formgrader) and
    where nbgrader's exchange is (hub/nbgrader_config.py).
    """
    folders = [HUB / "jupyter-config" / role]
    extra = {}
    if role == "instructor":
        folders.append(REPO / "jupyter-config" / "instructor")  # Formgrader, Create Assignment
        extra["RNNCOURSE_COURSE_ROOT"] = str(deployment.course_root())
    return {
        "PATH": f"{Path(deployment.venv) / 'bin'}:{SYSTEM_PATH}",
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(f) for f in folders),
        "JUPYTER_PREFER_ENV_PATH": "1",  # the environment's python3 kernel (rnncourse, quiet TF)
        "RNNCOURSE_EXCHANGE": str(deployment.exchange),
        "RNNCOURSE_COURSE_ID": deployment.course_id,
        **extra,
    }


def as_user(deployment: Deployment, user: str, command: list, cwd: Path | None = None,
            check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run ``command`` as ``user`` with their role's environment (as in their hub terminal)."""
    entry = pwd.getpwnam(user)
    env = {"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "SHELL": entry.pw_shell,
           "LANG": "C.UTF-8", **role_environment(deployment, role_of(deployment, user))}
    return subprocess.run(command, cwd=cwd or entry.pw_dir, env=env, user=entry.pw_uid,
                          group=entry.pw_gid, extra_groups=[], umask=0o022, check=check,
                          text=True, capture_output=kwargs.pop("capture_output", True), **kwargs)


# ---------------------------------------------------------------- setup


def free_port(ip: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


def read_roster(path: Path) -> list[str]:
    """Student account names, one a line; blank lines and # comments ignored."""
    names = []
    for line in Path(path).read_text().splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            if not valid_name(name):
                raise SetupError(f"{path}: {name!r} is not a valid account name "
                                 "(lowercase letters, digits, - and _, at most 32, a letter first)")
            names.append(name)
    if len(set(names)) != len(names):
        raise SetupError(f"{path}: a name appears twice")
    return names


def valid_name(name: str) -> bool:
    """A portable Debian account name."""
    return (0 < len(name) <= 32 and name[0].isalpha() and name.islower()
            and all(ch.isalnum() or ch in "-_" for ch in name))


def check_machine(deployment: Deployment) -> None:
    """Root, Linux accounts, the hub's programs and an environment other users can run."""
    if os.name != "posix" or os.geteuid() != 0:
        raise SetupError("run as root: the hub creates accounts and starts servers as their users")
    for tool in ("useradd", "userdel", "chpasswd"):
        if not shutil.which(tool):
            raise SetupError(f"{tool} is missing (Debian's passwd package)")
    hub = Path(deployment.venv) / "bin" / "jupyterhub"
    if not hub.is_file():
        raise SetupError(f"{hub} is missing: run `make hub-deps` (installs the `hub` extra)")
    if not PROXY.is_file():
        raise SetupError(f"{PROXY} is missing: run `make hub-deps` (npm configurable-http-proxy)")
    python = (Path(deployment.venv) / "bin" / "python").resolve()
    for path in (Path(deployment.venv), REPO, python, *python_home(deployment.venv)):
        blocked = [p for p in (*reversed(path.parents), path) if not os.stat(p).st_mode & 0o001]
        if blocked:
            raise SetupError(f"{blocked[0]} is not readable by other users, so their servers could "
                             f"not run {path}; build the hub's environment from a Python every "
                             "account can run (`make hub-deps HUB_PYTHON=/usr/bin/python3`) in a "
                             "repository others can read")


def python_home(venv: Path) -> list[Path]:
    """The base installation a virtual environment runs (``home`` in pyvenv.cfg)."""
    config = Path(venv) / "pyvenv.cfg"
    if not config.is_file():
        return []
    for line in config.read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home":
            return [Path(value.strip())]
    return []


def ensure_user(deployment: Deployment, name: str, passwords: dict) -> None:
    """Create account ``name`` with a private home and a random password (existing ones kept)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name],
                       check=True)
        deployment.created_users.append(name)
        password = secrets.token_urlsafe(9)
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
        passwords[name] = password
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)  # Debian's default home is world-readable; students must not read each other
    quiet_lab(home, name)


def quiet_lab(home: Path, name: str) -> None:
    """JupyterLab settings without the "Jupyter news" question (the hub is offline)."""
    jupyter = home / ".jupyter"
    path = (jupyter / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
            / "notification.jupyterlab-settings")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(QUIET_NEWS))
    entry = pwd.getpwnam(name)
    subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(jupyter)], check=True)


def make_exchange(deployment: Deployment) -> None:
    """nbgrader's exchange: writable by everyone, sticky (nobody removes another's files)."""
    exchange = Path(deployment.exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)
    for parent in exchange.parents:  # every user must reach it
        if not os.stat(parent).st_mode & 0o001:
            raise SetupError(f"students cannot reach the exchange: {parent} is not searchable")


def make_course(deployment: Deployment) -> Path:
    """The instructor's course: source/, release/ and nbgrader_config.py; gradebook filled."""
    root = deployment.course_root()
    entry = pwd.getpwnam(deployment.instructor)
    if not (root / "nbgrader_config.py").is_file():
        root.mkdir(mode=0o700, exist_ok=True)
        for name in COURSE_FILES:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(
                    ".ipynb_checkpoints", "__pycache__"))
            else:
                shutil.copy2(source, root / name)
        subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(root)], check=True)
    # generate_assignment as the instructor: regenerates release/ and registers the units and
    # their graded cells in gradebook.db, which Formgrader and `rnncourse grade` read.
    as_user(deployment, deployment.instructor,
            [str(Path(deployment.venv) / "bin" / "rnncourse"), "release", *deployment.units],
            cwd=root)
    return root


def setup(deployment: Deployment) -> dict:
    """Accounts, exchange, course and hub state; returns the new accounts' passwords."""
    check_machine(deployment)
    state = Path(deployment.state)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)
    deployment.private.mkdir(mode=0o700, exist_ok=True)
    deployment.private.chmod(0o700)
    with contextlib.suppress(SetupError):  # set up before: keep its accounts on the list to remove
        earlier = Deployment.load(state).created_users
        deployment.created_users = sorted(set(earlier) | set(deployment.created_users))
    deployment.hub_port = deployment.hub_port or free_port()
    deployment.proxy_port = deployment.proxy_port or free_port()
    passwords: dict = {}
    try:
        for name in deployment.users:
            ensure_user(deployment, name, passwords)
    finally:
        deployment.save()  # teardown must know about every account made, also after a failure
    make_exchange(deployment)
    make_course(deployment)
    deployment.save()
    if passwords:
        path = deployment.private / "passwords.txt"
        with open(path, "a") as handle:
            handle.writelines(f"{name} {password}\n" for name, password in passwords.items())
        path.chmod(0o600)
    return passwords


# ---------------------------------------------------------------- running and stopping


def hub_command(deployment: Deployment) -> list[str]:
    """The command line that runs JupyterHub with this folder's configuration."""
    return [str(Path(deployment.venv) / "bin" / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")]


def hub_environment(deployment: Deployment) -> dict:
    """The hub's own environment: where its deployment is recorded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "RNNCOURSE"))}
    env["RNNCOURSE_HUB_STATE"] = str(deployment.state)
    env["PATH"] = f"{Path(deployment.venv) / 'bin'}:{env.get('PATH', SYSTEM_PATH)}"
    return env


def start(deployment: Deployment, log=None) -> subprocess.Popen:
    """Start JupyterHub (and through it the proxy) in its own process group."""
    return subprocess.Popen(hub_command(deployment), cwd=deployment.private,
                            env=hub_environment(deployment), stdout=log,
                            stderr=subprocess.STDOUT if log else None, start_new_session=True)


def stop(hub: subprocess.Popen | None, deployment: Deployment, grace: float = 60.0) -> None:
    """Stop the hub: SIGTERM lets it stop every user's server and the proxy; SIGKILL if it hangs."""
    pid = hub.pid if hub is not None else read_pid(deployment.private / "jupyterhub.pid")
    if pid is None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if wait_gone(hub, pid, wait):
            break
    proxy = read_pid(deployment.private / "proxy.pid")
    if proxy is not None and alive(proxy):
        with contextlib.suppress(ProcessLookupError):
            os.kill(proxy, signal.SIGTERM)


def read_pid(path: Path) -> int | None:
    """The number in a pid file, or None."""
    try:
        return int(Path(path).read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (and is not a zombie of ours)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return True


def wait_gone(hub: subprocess.Popen | None, pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the hub to exit."""
    if hub is not None:
        try:
            hub.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.5)
    return not alive(pid)


def user_processes(name: str) -> list[int]:
    """Process ids owned by account ``name``."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
    return found


def teardown(deployment: Deployment, hub: subprocess.Popen | None = None,
             remove_exchange: bool = True) -> list[str]:
    """Stop the hub, end what the class's accounts still run, remove accounts setup created,
    the exchange and the state folder. Returns what could not be removed."""
    problems = []
    stop(hub, deployment)
    for name in deployment.created_users:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = user_processes(name)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 10
            while pids and any(alive(p) for p in pids) and time.monotonic() < deadline:
                time.sleep(0.2)
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode not in (0, 6):  # 6: no such user (already gone)
            problems.append(f"userdel {name}: {done.stderr.strip()}")
        with contextlib.suppress(KeyError, OSError):
            shutil.rmtree(f"/home/{name}")
    if remove_exchange:
        shutil.rmtree(deployment.exchange, ignore_errors=True)
    shutil.rmtree(deployment.state, ignore_errors=True)
    for path in (deployment.exchange if remove_exchange else None, deployment.state):
        if path is not None and Path(path).exists():
            problems.append(f"{path} still exists")
    return problems


# ---------------------------------------------------------------- command line


def main(argv=None) -> int:
    """`up` (setup and run in the foreground), `setup`, `start`, `down`."""
    parser = argparse.ArgumentParser(prog="hub/deploy.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("up", "setup", "start", "down"))
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--roster", type=Path, default=HUB / "roster.example.txt")
    parser.add_argument("--instructor", default="instructor")
    parser.add_argument("--exchange", type=Path, default=DEFAULT_EXCHANGE)
    parser.add_argument("--course-id", default="rnncourse")
    parser.add_argument("--ip", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        if args.command == "down":
            deployment = Deployment.load(args.state)
            problems = teardown(deployment)
            print("\n".join(problems) or f"removed the hub in {args.state}, its accounts "
                  f"({', '.join(deployment.created_users) or 'none created'}) and the exchange")
            return 1 if problems else 0
        if args.command in ("up", "setup"):
            deployment = Deployment(state=args.state, exchange=args.exchange,
                                    course_id=args.course_id, instructor=args.instructor,
                                    students=read_roster(args.roster), ip=args.ip, port=args.port)
            if not valid_name(deployment.instructor):
                raise SetupError(f"{deployment.instructor!r} is not a valid account name")
            passwords = setup(deployment)
            print(f"course {deployment.course_id}: instructor {deployment.instructor}, "
                  f"{len(deployment.students)} students; course at {deployment.course_root()}; "
                  f"exchange {deployment.exchange}")
            if passwords:
                print(f"passwords of the {len(passwords)} new accounts: "
                      f"{deployment.private / 'passwords.txt'} (root only)")
        else:
            deployment = Deployment.load(args.state)
        if args.command == "setup":
            print(f"start it with `make hub` or `{' '.join(hub_command(deployment))}`")
            return 0
        print(f"JupyterHub for {deployment.course_id}: {deployment.url}  (Ctrl-C stops it)",
              flush=True)
        hub = start(deployment)
        try:
            return hub.wait()
        except KeyboardInterrupt:
            stop(hub, deployment)
            return 130
    except SetupError as error:
        print(f"hub: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
