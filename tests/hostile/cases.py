"""Broken and hostile submissions of 00-orientation that a real class produces, for grading tests.

Each case starts from the released notebook with the reference answers (or a typical mistake)
and breaks one thing. ``expect`` says what the grader must give it: the score and a phrase of
the reason. Build a mixed class in a scratch course (never the real one) with::

    python tests/hostile/cases.py /tmp/hostile-class   # then: rnncourse --root ... grade --jobs 2
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

UNIT = "00-orientation"
NOTEBOOK = "assignment.ipynb"
WRONG_COUNT = "def simple_rnn_param_count(units, input_dim):\n    return units * input_dim\n"


def cell_index(nb: dict, grade_id: str) -> int:
    """Position of the cell with this grade_id."""
    for i, cell in enumerate(nb["cells"]):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def answered(nb: dict, answers: dict) -> dict:
    """A copy of ``nb`` with the given answer cells replaced."""
    nb = copy.deepcopy(nb)
    for grade_id, code in answers.items():
        nb["cells"][cell_index(nb, grade_id)]["source"] = code
    return nb


def dump(nb: dict) -> bytes:
    """The notebook as a submitted file."""
    return json.dumps(nb, indent=1).encode("utf-8")


def infinite_loop(nb, ref, course):
    """The knowledge check never finishes (an interruptible loop)."""
    return dump(answered(nb, {**ref, "knowledge_check": "import time\nwhile True:\n    time.sleep(0.05)\n"}))


def stubborn_loop(nb, ref, course):
    """A loop that swallows the interrupt, so the kernel must be killed and restarted."""
    code = ("while True:\n    try:\n        sum(range(10**6))\n    except BaseException:\n"
            "        pass\n")
    return dump(answered(nb, {**ref, "knowledge_check": code}))


def kernel_exit(nb, ref, course):
    """os._exit(1) in an answer cell kills the kernel."""
    return dump(answered(nb, {**ref, "knowledge_check": "import os\nos._exit(1)\n"}))


def segfault(nb, ref, course):
    """A segfaulting call (reading address 0 through ctypes) kills the kernel."""
    return dump(answered(nb, {**ref, "knowledge_check": "import ctypes\nctypes.string_at(0)\n"}))


def memory_bomb(nb, ref, course):
    """Allocates 100 MB blocks until something gives."""
    code = "hog = []\nwhile True:\n    hog.append(bytearray(100 << 20))\nanswer = 'C'\n"
    return dump(answered(nb, {**ref, "knowledge_check": code}))


def huge_output(nb, ref, course):
    """Correct answers, but prints 50 MB (a debugging print left in a loop)."""
    code = ref["knowledge_check"].rstrip() + "\nfor step in range(10_000):\n    print('spam ' * 1_000)\n"
    return dump(answered(nb, {**ref, "knowledge_check": code}))


def edited_test(nb, ref, course):
    """A wrong answer and its locked test cell replaced by ``pass``."""
    nb = answered(nb, {**ref, "simple_rnn_param_count": WRONG_COUNT})
    nb["cells"][cell_index(nb, "test_simple_rnn_param_count")]["source"] = "pass\n"
    return dump(nb)


def deleted_test(nb, ref, course):
    """Correct answers, one test cell deleted."""
    nb = answered(nb, ref)
    del nb["cells"][cell_index(nb, "test_knowledge_check")]
    return dump(nb)


def deleted_answer(nb, ref, course):
    """The first answer cell deleted (the function is never defined)."""
    nb = answered(nb, ref)
    del nb["cells"][cell_index(nb, "simple_rnn_param_count")]
    return dump(nb)


def duplicated_cells(nb, ref, course):
    """Correct answers; the first answer and test cells copied (nbgrader aborts the batch on this)."""
    nb = answered(nb, ref)
    for grade_id in ("test_simple_rnn_param_count", "simple_rnn_param_count"):
        i = cell_index(nb, grade_id)
        nb["cells"].insert(i + 1, copy.deepcopy(nb["cells"][i]))
    return dump(nb)


def corrupted_json(nb, ref, course):
    """The file was cut off in the middle."""
    data = dump(answered(nb, ref))
    return data[: len(data) // 2]


def foreign_kernel(nb, ref, course):
    """Correct answers, but the notebook names an R kernel."""
    nb = answered(nb, ref)
    nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nb["metadata"]["language_info"] = {"name": "R"}
    return dump(nb)


def silence_tracebacks(nb, ref, course):
    """Wrong answers, and the shell told to show no error (nbgrader then sees no failure)."""
    code = (WRONG_COUNT + "get_ipython().showtraceback = lambda *args, **kwargs: None\n"
            "get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)\n")
    return dump(answered(nb, {"simple_rnn_param_count": code, "knowledge_check": "answer = 'Z'\n"}))


def fake_checks(nb, ref, course):
    """Wrong answers, and the check helpers and numpy's asserts replaced by no-ops."""
    code = (WRONG_COUNT + "import numpy.testing, rnncourse.checks\n"
            "for name in ('check_equal', 'check_type', 'check_true', 'check_close'):\n"
            "    setattr(rnncourse.checks, name, lambda *args, **kwargs: None)\n"
            "numpy.testing.assert_allclose = lambda *args, **kwargs: None\n")
    return dump(answered(nb, {"simple_rnn_param_count": code, "knowledge_check": "answer = 'Z'\n"}))


def snoop(nb, ref, course):
    """Copies the answer out of the source notebook, a classmate's submission and the gradebook."""
    root = Path(course).resolve()
    code = (
        "import json, sqlite3\n"
        f"for path in [{str(root / 'source' / UNIT / NOTEBOOK)!r},\n"
        f"             {str(root / 'submitted' / 'reference' / UNIT / NOTEBOOK)!r}]:\n"
        "    try:\n"
        "        for cell in json.load(open(path))['cells']:\n"
        "            if cell['metadata'].get('nbgrader', {}).get('grade_id') == "
        "'simple_rnn_param_count':\n"
        "                exec(''.join(cell['source']).replace('### BEGIN SOLUTION', ''))\n"
        "    except OSError as error:\n"
        "        print('no luck:', error)\n"
        f"sqlite3.connect({str(root / 'gradebook.db')!r}).execute('select 1')\n")
    return dump(answered(nb, {**ref, "simple_rnn_param_count": code}))


def import_solution(nb, ref, course):
    """Imports the kit's own sample builder to pull the reference out of source/, and shells out."""
    root = Path(course).resolve()
    code = (
        "import os\nfrom rnncourse.nb import read_notebook\nfrom rnncourse.course.sample import solutions\n"
        f"os.system('cp {root}/source/{UNIT}/{NOTEBOOK} .')\n"
        f"exec(solutions(read_notebook({str(root / 'source' / UNIT / NOTEBOOK)!r}))"
        "['simple_rnn_param_count'])\n")
    return dump(answered(nb, {**ref, "simple_rnn_param_count": code}))


def write_gradebook(nb, ref, course):
    """Correct answers, then tries to overwrite the gradebook and a classmate's submission."""
    root = Path(course).resolve()
    code = (ref["knowledge_check"].rstrip() + "\n" +
            f"for path in [{str(root / 'gradebook.db')!r}, "
            f"{str(root / 'submitted' / 'reference' / UNIT / NOTEBOOK)!r}]:\n"
            "    try:\n        open(path, 'w').write('')\n"
            "    except OSError as error:\n        print(error)\n")
    return dump(answered(nb, {**ref, "knowledge_check": code}))


def read_history(nb, ref, course):
    """Correct answers, then a cell after the tests prints the shell's history and line cache."""
    nb = answered(nb, ref)
    nb["cells"].append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                        "source": "import linecache\nprint('\\n'.join(In))\nprint(linecache.cache)\n"})
    return dump(nb)


WRONG_BOTH = {"simple_rnn_param_count": WRONG_COUNT, "knowledge_check": "answer = 'Z'\n"}


def cheat(patch: str):
    """A case builder: wrong answers, then ``patch`` run in the first answer cell."""
    def build(nb, ref, course):
        return dump(answered(nb, {**WRONG_BOTH,
                                  "simple_rnn_param_count": WRONG_COUNT + patch.strip() + "\n"}))
    build.__doc__ = f"Wrong answers, and this patch of how later cells run or report: {patch.strip()}"
    return build


SWALLOW = (  # a wrapper that runs a cell but drops its error, shared by several patches
    "def swallow(result):\n"
    "    result.error_in_exec = None\n"
    "    result.error_before_exec = None\n"
    "    return result\n")

# Every way of changing how later cells run or report that the guard restores and names.
CHEATS = {
    # nbgrader's own cheat fixture: the class's showtraceback replaced (no error output shown)
    "class-showtraceback": (
        "import IPython.core.interactiveshell\n"
        "IPython.core.interactiveshell.InteractiveShell.showtraceback = lambda *a, **k: None\n",
        "InteractiveShell.showtraceback"),
    "class-run-cell": (
        SWALLOW + "from IPython.core.interactiveshell import InteractiveShell\n"
        "_run = InteractiveShell.run_cell_async\n"
        "async def run_cell_async(self, *args, **kwargs):\n"
        "    return swallow(await _run(self, *args, **kwargs))\n"
        "InteractiveShell.run_cell_async = run_cell_async\n"
        "get_ipython().__class__._showtraceback = lambda *a, **k: None\n",
        "InteractiveShell.run_cell_async"),
    "kernel-class": (
        "import textwrap\nfrom ipykernel.ipkernel import IPythonKernel\n"
        "_execute = IPythonKernel.do_execute\n"
        "def do_execute(self, code, *args, **kwargs):\n"
        "    code = 'try:\\n' + textwrap.indent(code or 'pass', '    ') + "
        "'\\nexcept BaseException:\\n    pass\\n'\n"
        "    return _execute(self, code, *args, **kwargs)\n"
        "IPythonKernel.do_execute = do_execute\n",
        "IPythonKernel.do_execute"),
    "session-send": (
        "from jupyter_client.session import Session\n"
        "_send = Session.send\n"
        "def send(self, stream, msg_or_type, content=None, *args, **kwargs):\n"
        "    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('msg_type')\n"
        "    if kind == 'error':\n"
        "        return None\n"
        "    if kind == 'execute_reply' and isinstance(content, dict):\n"
        "        content = {**content, 'status': 'ok'}\n"
        "    return _send(self, stream, msg_or_type, content, *args, **kwargs)\n"
        "Session.send = send\n",
        "Session.send"),
    "input-transformer": (
        "def wrap(lines):\n"
        "    body = ['    ' + line for line in lines] or ['    pass\\n']\n"
        "    return ['try:\\n', *body, '\\nexcept BaseException:\\n    pass\\n']\n"
        "get_ipython().input_transformer_manager.line_transforms.append(wrap)\n",
        "input_transformer_manager.line_transforms"),
    "ast-transformer": (
        "import ast\n"
        "class Swallow(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        handler = ast.ExceptHandler(type=ast.Name('BaseException', ast.Load()), name=None,\n"
        "                                    body=[ast.Pass()])\n"
        "        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[],\n"
        "                             finalbody=[])]\n"
        "        return ast.fix_missing_locations(node)\n"
        "get_ipython().ast_transformers.append(Swallow())\n",
        "ast_transformers"),
    # IPython puts sys.excepthook back after every cell; the shell's own excepthook stays
    "excepthook": (
        "import sys\nhook = lambda *a: None\nsys.excepthook = hook\n"
        "get_ipython().excepthook = hook\n"
        "get_ipython().__class__.showtraceback = lambda *a, **k: get_ipython().excepthook(*a)\n",
        "IPython shell.excepthook"),
    "display-publisher": (
        "from ipykernel.zmqshell import ZMQDisplayPublisher, ZMQInteractiveShell\n"
        "ZMQDisplayPublisher.publish = lambda *a, **k: None\n"
        "ZMQInteractiveShell._showtraceback = lambda *a, **k: None\n",
        "ZMQDisplayPublisher.publish"),
    "events": (
        SWALLOW + "get_ipython().events.register('post_run_cell', swallow)\n"
        "get_ipython().showtraceback = lambda *a, **k: None\n",
        "events['post_run_cell']"),
    "patch-inside-answer": (
        "_count = simple_rnn_param_count\n"
        "def simple_rnn_param_count(units, input_dim):\n"
        "    import IPython.core.interactiveshell as shell\n"
        "    shell.InteractiveShell.showtraceback = lambda *a, **k: None\n"
        "    return _count(units, input_dim)\n",
        "modified while this test ran"),
}


# name -> (builder, expected score of 3, a phrase the reason must contain, or None when the
# submission earns full marks and nothing about it is worth a note)
CASES = {
    "infinite-loop": (infinite_loop, 2, "was interrupted"),
    "stubborn-loop": (stubborn_loop, 2, "did not stop when interrupted"),
    "kernel-exit": (kernel_exit, 2, "kernel died"),
    "segfault": (segfault, 2, "SIGSEGV"),
    "memory-bomb": (memory_bomb, 2, "MemoryError"),
    "huge-output": (huge_output, 3, "printed output cut"),
    "edited-test": (edited_test, 1, "test_simple_rnn_param_count was edited"),
    "deleted-test": (deleted_test, 3, "test_knowledge_check was deleted"),
    "deleted-answer": (deleted_answer, 1, "simple_rnn_param_count was deleted"),
    "duplicated-cells": (duplicated_cells, 3, "appears twice"),
    "corrupted-json": (corrupted_json, 0, "not valid JSON"),
    "foreign-kernel": (foreign_kernel, 3, "named the kernel 'ir'"),
    "silence-tracebacks": (silence_tracebacks, 0, "IPython shell.showtraceback"),
    "fake-checks": (fake_checks, 0, "rnncourse.checks.check_equal"),
    "snoop": (snoop, 1, "refused while grading: read"),
    "import-solution": (import_solution, 1, "start a process"),
    "write-gradebook": (write_gradebook, 3, "refused while grading: write"),
    "read-history": (read_history, 3, None),  # full marks, nothing to report; leaks: feedback test
}
CASES.update({f"cheat-{name}": (cheat(patch), 0, says) for name, (patch, says) in CHEATS.items()})
HONEST = {"reference": 3, "blank": 0, "mistake-forgot-bias": 1, "mistake-one-to-many": 2}


def build(root: Path, course: Path, names=None) -> dict[str, int]:
    """Write the honest sample class and the hostile cases into ``course``; student -> expected score."""
    from rnncourse.course.release import generate
    from rnncourse.course.sample import sample_class, solutions
    from rnncourse.nb import read_notebook

    if not (course / "release" / UNIT).is_dir():
        generate(root, [UNIT], into=course)
    sample_class(root, course, UNIT, root / "tests" / "mistakes")
    released = read_notebook(course / "release" / UNIT / NOTEBOOK)
    reference = solutions(read_notebook(root / "source" / UNIT / NOTEBOOK))
    expected = dict(HONEST)
    for name in names or CASES:
        maker, score, _ = CASES[name]
        folder = course / "submitted" / f"hostile-{name}" / UNIT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTEBOOK).write_bytes(maker(released, reference, course))
        expected[f"hostile-{name}"] = score
    return expected


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-class").resolve()
    scores = build(Path(__file__).resolve().parents[2], target)
    print(f"{len(scores)} submissions of {UNIT} written to {target}/submitted/")
