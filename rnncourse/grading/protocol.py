"""What crosses the process boundary between the grader and its workers: typed, plain data."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum

from .limits import Limits


class Status(str, Enum):
    """How a code cell ended when it did not simply run."""

    OK = "ok"                # ran to the end (a failed test still counts as ok here)
    ERROR = "error"          # raised an exception
    TIMEOUT = "timeout"      # interrupted after the cell time limit
    KILLED = "killed"        # ignored the interrupt (or garbled the protocol): kernel stopped
    DIED = "died"            # the kernel process ended while the cell ran
    NOT_RUN = "not-run"      # never started: notebook time limit or the kernel kept dying
    TAMPERED = "tampered"    # grading code was changed, or the integrity check got no answer


@dataclass
class CellRecord:
    """Why one cell is marked in the executed notebook."""

    status: Status
    message: str


@dataclass
class Task:
    """One submission for a worker: the repaired notebook and the sandbox it runs in."""

    key: tuple[str, str, str]             # (assignment, student, notebook)
    nb: str                               # the repaired notebook, nbformat 4 JSON
    limits: Limits
    grading_root: str                     # a private folder of this batch
    blocked: list[str] = field(default_factory=list)   # folders the kernel may not read
    allowed: list[str] = field(default_factory=list)   # exceptions inside ``blocked``
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, relative) to copy
    mplconfig: str | None = None          # matplotlib's font cache, built once per batch


@dataclass
class Outcome:
    """What a worker reports: the executed notebook and what went wrong, or an error."""

    key: tuple[str, str, str]
    nb: str | None = None                                  # executed notebook, nbformat 4 JSON
    records: dict[int, CellRecord] = field(default_factory=dict)  # cell index -> record
    notes: list[str] = field(default_factory=list)         # repairs and restarts, in words
    blocked: list[str] = field(default_factory=list)       # lines of the sandbox's audit log
    restarts: int = 0
    seconds: float = 0.0
    error: str = ""                                        # set when nothing could be run
    kept: str = ""                                         # folder of the files the run wrote


@dataclass
class SandboxSpec:
    """What a grading kernel enforces on itself, passed in ``$RNNCOURSE_SANDBOX`` as JSON."""

    scratch: str = ""                     # the kernel's working folder: the only writable place
    audit_log: str = ""                   # where refused operations are written, one per line
    blocked: list[str] = field(default_factory=list)   # folders it may not read
    allowed: list[str] = field(default_factory=list)   # exceptions inside ``blocked``
    mplconfig: str | None = None
    memory_bytes: int = 0                 # RLIMIT_AS (0: no limit)
    file_bytes: int = 0                   # RLIMIT_FSIZE (0: no limit)
    block_processes: bool = True
    preload: list[str] = field(default_factory=list)   # modules imported before student code

    def to_json(self) -> str:
        """The spec as the environment variable's value."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SandboxSpec:
        """The spec from the environment variable's value ('' gives an unconfined default)."""
        return cls(**json.loads(text)) if text else cls()
