"""The grader's protocol: tasks and outcomes survive the trip to a worker and back, typed."""

from __future__ import annotations

import json
import pickle

import pytest
from traitlets.config import Config

from rnncourse.grading.limits import Limits
from rnncourse.grading.protocol import CellRecord, Outcome, SandboxSpec, Status, Task


def test_a_task_and_its_outcome_cross_a_process_boundary_unchanged():
    task = Task(("00-orientation", "ann"), nb='{"cells": []}', limits=Limits(memory_mb=512),
                grading_root="/tmp/g", blocked=["/course"], allowed=["/env"],
                files=[("/course/source/a/data.csv", "data.csv")], mplconfig="/tmp/g/mpl")
    outcome = Outcome(task.key, nb="{}", records={3: CellRecord(Status.TIMEOUT, "too slow")},
                      notes=["restarted"], blocked=["read open /course/x"], restarts=1, seconds=2.5)
    assert pickle.loads(pickle.dumps(task)) == task
    back = pickle.loads(pickle.dumps(outcome))
    assert back == outcome and back.records[3].status is Status.TIMEOUT


def test_the_sandbox_spec_round_trips_through_its_environment_variable():
    spec = SandboxSpec(scratch="/s", audit_log="/p/audit.log", blocked=["/course"], allowed=["/env"],
                       memory_bytes=1 << 30, file_bytes=1 << 20, block_processes=False,
                       preload=["numpy"])
    text = spec.to_json()
    assert json.loads(text)["memory_bytes"] == 1 << 30
    assert SandboxSpec.from_json(text) == spec
    assert SandboxSpec.from_json("") == SandboxSpec()


def test_statuses_keep_their_wire_names():
    assert [s.value for s in Status] == ["ok", "error", "timeout", "killed", "died", "not-run",
                                         "tampered"]


def test_limits_come_from_c_limits_execute_timeout_and_overrides():
    config = Config()
    config.Execute.timeout = 30
    config.Limits.memory_mb = 1024
    config.Limits.preload = ["numpy"]
    limits = Limits.from_config(config, output_kb=8, file_mb=None)
    assert (limits.cell_timeout, limits.memory_mb, limits.output_kb, limits.file_mb) == (
        30.0, 1024, 8, Limits().file_mb)
    assert limits.preload == ("numpy",)


def test_the_course_config_sets_every_limit_it_names(root):
    from rnncourse.course.layout import load_config

    config = load_config(root)
    assert set(config.Limits) <= set(Limits.__dataclass_fields__)
    assert Limits.from_config(config).memory_mb == config.Limits.memory_mb


@pytest.mark.parametrize("name", ["cell_timeout", "memory_mb", "block_processes"])
def test_every_limit_is_on_by_default(name):
    assert getattr(Limits(), name)
