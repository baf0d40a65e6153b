"""No lecture cell answers an exercise of its unit.

Two independent checks, for every unit with a lecture and an assignment:
1. structure: no function body and no sizeable statement of a reference answer appears in a
   lecture code cell, up to names (variables are renamed in order of appearance, docstrings
   dropped);
2. behaviour: no function the lecture defines, dropped in as the answer, passes the exercise's
   public test.
"""

from __future__ import annotations

import ast
import copy
import inspect

import pytest
from assignment_runner import ROOT, code_cells, run_until_test

from rnncourse.nb import cell_text, read_notebook

UNITS = sorted(p.parent.name for p in (ROOT / "source").glob("*/assignment.ipynb")
               if (p.parent / "lecture.ipynb").is_file())
MODULES = {"np", "numpy", "keras", "tf", "tensorflow", "math", "string", "re", "collections"}
MIN_NODES = 11  # smaller pieces ("x.T @ da", "{w: i for i, w in enumerate(words)}") are everyday code
TRIVIA = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
# Statements a lecture and an answer may share because they answer nothing alone, each with why.
SHARED = {
    "04-lstm-gru": {
        "a = x_t @ kernel + h_prev @ recurrent_kernel + bias":
            "the gates' pre-activation: the lecture's LSTM forward step, which the backward "
            "exercise must recompute before it can differentiate anything",
    },
    "06-generation": {
        "zip(words[:-1], words[1:])": "adjacent pairs, where the lecture's bigram baseline and the "
                                      "add-one exercise both start",
        "index = {word: i for i, word in enumerate(vocab)}": "a vocabulary index",
    },
}


class _Canonical(ast.NodeTransformer):
    """Rename variables and arguments to v0, v1, ... in order of appearance; drop docstrings."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def _name(self, name: str) -> str:
        if name in MODULES:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):  # noqa: N802 - ast API
        return ast.copy_location(ast.Name(id=self._name(node.id), ctx=node.ctx), node)

    def visit_arg(self, node):
        node.arg = self._name(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node):  # noqa: N802 - ast API
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        node.body = body or [ast.Pass()]
        node.name = "f"
        self.generic_visit(node)
        return node


def canonical(node: ast.AST) -> str:
    """The node's structure with variables renamed in order of appearance."""
    return ast.dump(_Canonical().visit(copy.deepcopy(node)), annotate_fields=False)


def size(node: ast.AST) -> int:
    """Nodes of a piece of code, contexts and operators not counted."""
    return sum(1 for n in ast.walk(node) if not isinstance(n, TRIVIA))


def fingerprints(code: str) -> tuple[set[str], set[str]]:
    """(canonical function definitions, canonical sizeable statements and expressions)."""
    tree = ast.parse(code)
    functions = {canonical(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    pieces = {canonical(ast.Expr(n) if isinstance(n, ast.expr) else n) for n in ast.walk(tree)
              if isinstance(n, (ast.stmt, ast.expr))
              and not isinstance(n, (ast.FunctionDef, ast.For, ast.While, ast.If, ast.With))
              and size(n) >= MIN_NODES}
    return functions, pieces


def lecture_code(unit: str) -> list[tuple[int, str]]:
    """(cell index, code) of the code cells of source/<unit>/lecture.ipynb, magics dropped."""
    nb = read_notebook(ROOT / "source" / unit / "lecture.ipynb")
    return [(i, "\n".join(line for line in cell_text(c).splitlines()
                          if not line.lstrip().startswith(("%", "!"))))
            for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


def test_canonical_form_ignores_names_and_docstrings():
    a = 'def f(x, h):\n    """Doc."""\n    return np.tanh(x @ W + h @ U + b)\n'
    b = "def g(inp, state):\n    return np.tanh(inp @ A + state @ B + c)\n"
    c = "def g(inp, state):\n    return np.tanh(A @ inp + B @ state + c)\n"
    assert fingerprints(a)[0] == fingerprints(b)[0]
    assert fingerprints(a)[0] != fingerprints(c)[0]
    loop = "for x_t in x:\n    h = np.tanh(x_t @ W + h @ U + b)\n"
    answer = "def f(x_t, h_prev, W, U, b):\n    return np.tanh(x_t @ W + h_prev @ U + b)\n"
    assert fingerprints(loop)[1] & fingerprints(answer)[1]
    column = "for x_t in x:\n    h = np.tanh(W.T @ x_t + U.T @ h + b)\n"
    assert not fingerprints(column)[1] & fingerprints(answer)[1]


@pytest.mark.parametrize("unit", UNITS)
def test_no_lecture_cell_contains_an_answer(unit):
    shared = set().union(*(fingerprints(code)[1] for code in SHARED.get(unit, {})))
    lecture = [(i, *fingerprints(code)) for i, code in lecture_code(unit)]
    found = []
    for cell in code_cells(unit):
        if cell.kind != "answer":
            continue
        functions, statements = fingerprints(cell.text)
        for index, lecture_functions, lecture_statements in lecture:
            if functions & lecture_functions:
                found.append(f"lecture cell {index} defines the answer to {cell.grade_id}")
            for piece in (statements & lecture_statements) - shared:
                found.append(f"lecture cell {index} contains a piece of the answer to "
                             f"{cell.grade_id}: {piece[:160]}")
    assert not found, "\n".join(found)


def _lecture_functions(unit: str) -> list[tuple[int, str, ast.FunctionDef]]:
    found = []
    for index, code in lecture_code(unit):
        for node in ast.parse(code).body:
            if isinstance(node, ast.FunctionDef):
                found.append((index, node.name, node))
    return found


def _answer_functions(unit: str) -> list[tuple[str, str, ast.FunctionDef, str]]:
    """(answer cell, function name, its definition, its test cell) for each answer function."""
    tests = {c.grade_id for c in code_cells(unit) if c.kind == "test"}
    found = []
    for cell in code_cells(unit):
        if cell.kind == "answer" and f"test_{cell.grade_id}" in tests:
            for node in ast.parse(cell.text).body:
                if isinstance(node, ast.FunctionDef) and node.name == cell.grade_id:
                    found.append((cell.grade_id, node.name, node, f"test_{cell.grade_id}"))
    return found


def _fits(lecture: ast.FunctionDef, answer: ast.FunctionDef) -> bool:
    """True when the lecture function can be called the way the answer is called."""
    def counts(node):
        args = node.args.posonlyargs + node.args.args
        return len(args) - len(node.args.defaults), len(args), node.args.vararg is not None
    need, total, star = counts(lecture)
    answer_need, answer_total, _ = counts(answer)
    return need <= answer_need and (total >= answer_total or star)


def _candidates(unit: str):
    answers = _answer_functions(unit)
    return [(unit, index, name, grade_id)
            for index, name, node in _lecture_functions(unit)
            for grade_id, answer_name, answer_node, _ in answers
            if _fits(node, answer_node)]


CANDIDATES = [c for unit in UNITS for c in _candidates(unit)]


def test_the_behaviour_check_has_candidates():
    """The behaviour check tries something: at least one lecture function fits an answer."""
    assert CANDIDATES or not UNITS


@pytest.mark.slow
@pytest.mark.parametrize(("unit", "cell", "function", "answer"), CANDIDATES,
                         ids=[f"{u}:{f}->{a}" for u, _, f, a in CANDIDATES])
def test_no_lecture_function_passes_a_public_test(unit, cell, function, answer):
    """A lecture function put in place of an answer fails that exercise's public test."""
    node = next(n for i, name, n in _lecture_functions(unit) if i == cell and name == function)
    renamed = ast.FunctionDef(**{**{f: getattr(node, f) for f in node._fields}, "name": answer})
    code = ast.unparse(ast.fix_missing_locations(ast.Module(body=[renamed], type_ignores=[])))
    try:
        run_until_test(unit, {answer: code}, f"test_{answer}")
    except Exception:  # noqa: BLE001 - failing the public test is what we want
        return
    pytest.fail(f"the function {function} of the {unit} lecture (code cell {cell}) passes the "
                f"public test of {answer}:\n{inspect.cleandoc(code)}")
