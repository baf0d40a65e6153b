"""Snapshot what graded tests rely on before student code runs; undo and report later changes.

Inside a grading kernel the grader runs this module's text afresh each time (not an imported
copy, which student code could patch): ``arm`` once before the first cell, ``check`` around
every graded test cell. ``check`` prints one line, ``TAG nonce [changes as JSON]``.
"""

from __future__ import annotations

import json
import sys

TAG = "RNNCOURSE-GUARD"
HOLDER = "rnncourse.grading.sandbox"  # the module whose namespace keeps the snapshot

# Modules whose functions and classes graded tests call; monkeypatching them is undone.
PROTECTED_MODULES = ("builtins", "numpy", "numpy.testing", "rnncourse.checks", "keras",
                     "keras.layers", "keras.utils", "keras.ops", "keras.models", "gensim.models")
# Shell attributes that decide how a cell runs and how its errors are reported.
SHELL_ATTRIBUTES = ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell",
                    "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                    "custom_exceptions", "CustomTB", "excepthook")
SHELL_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
# Names the kernel itself rebinds on every execution (stdin forwarding), never a student's doing.
REBOUND = {("builtins", "input"), ("builtins", "raw_input")}
SYS_ATTRIBUTES = ("excepthook", "displayhook", "stdout", "stderr")
# Event callbacks from these packages are the kernel's own (inline plots, widgets).
TRUSTED_CALLBACKS = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "ipywidgets")
# Check helpers a test cell may have imported into the notebook's namespace.
CHECK_MODULES = ("rnncourse.checks", "numpy.testing")
MISSING = object()


def snapshot(shell, modules=PROTECTED_MODULES) -> dict:
    """The pristine state: module namespaces, their classes, shell hooks, sys hooks, tracing."""
    state = {"modules": {}, "values": {}, "classes": {}, "shell": {}, "lists": {}, "sys": {}}
    for name in modules:
        module = sys.modules.get(name)
        if module is None:
            continue
        state["modules"][name] = module
        values = {k: v for k, v in vars(module).items() if k.strip("_") and (name, k) not in REBOUND}
        state["values"][name] = values
        for value in values.values():
            if isinstance(value, type) and value.__module__ != "builtins":
                state["classes"][value] = dict(vars(value))
    for name in SHELL_ATTRIBUTES:
        state["shell"][name] = (name in vars(shell), vars(shell).get(name))
    for name in SHELL_LISTS:
        state["lists"][name] = list(getattr(shell, name, []))
    state["events"] = {k: list(v) for k, v in shell.events.callbacks.items()}
    for name in SYS_ATTRIBUTES:
        state["sys"][name] = getattr(sys, name)
    state["trace"] = (sys.gettrace(), sys.getprofile())
    return state


def restore_modules(state: dict) -> list[str]:
    """Put back replaced modules and rebound module attributes."""
    changed = []
    for name, module in state["modules"].items():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
            changed.append(f"sys.modules[{name!r}]")
        current = vars(module)
        for key, value in state["values"][name].items():
            if current.get(key, MISSING) is not value:
                setattr(module, key, value)
                changed.append(f"{name}.{key}")
    return changed


def restore_classes(state: dict) -> list[str]:
    """Put back patched methods of the protected modules' classes; drop added callables."""
    changed = []
    for cls, values in state["classes"].items():
        current = dict(vars(cls))
        where = f"{cls.__module__}.{cls.__qualname__}"
        for key, value in values.items():
            if current.get(key, MISSING) is not value:
                try:
                    setattr(cls, key, value)
                except (AttributeError, TypeError):
                    pass
                changed.append(f"{where}.{key}")
        for key in set(current) - set(values):
            if callable(current[key]) or isinstance(current[key], (property, staticmethod,
                                                                   classmethod)):
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
                changed.append(f"{where}.{key}")
    return changed


def restore_shell(state: dict, shell) -> list[str]:
    """Put back the shell's hooks, input transformers and event callbacks."""
    changed = []
    own_attributes = vars(shell)
    for key, (own, value) in state["shell"].items():
        if (key in own_attributes) != own or (own and own_attributes[key] is not value):
            if own:
                setattr(shell, key, value)
            else:
                own_attributes.pop(key, None)
            changed.append(f"IPython shell.{key}")
    for key, value in state["lists"].items():
        if list(getattr(shell, key, [])) != value:
            setattr(shell, key, list(value))
            changed.append(f"IPython shell.{key}")
    for key, callbacks in shell.events.callbacks.items():
        before = state["events"].get(key, [])
        kept = [cb for cb in callbacks if cb in before
                or str(getattr(cb, "__module__", "")).startswith(TRUSTED_CALLBACKS)]
        kept += [cb for cb in before if cb not in kept]
        if kept != list(callbacks):
            shell.events.callbacks[key] = kept
            changed.append(f"IPython events[{key!r}]")
    return changed


def restore_sys(state: dict) -> list[str]:
    """Put back sys's hooks and streams, and the trace and profile functions."""
    changed = []
    for key, value in state["sys"].items():
        if getattr(sys, key) != value:  # bound methods are rebuilt on each access
            setattr(sys, key, value)
            changed.append(f"sys.{key}")
    if (sys.gettrace(), sys.getprofile()) != state["trace"]:
        sys.settrace(state["trace"][0])
        sys.setprofile(state["trace"][1])
        changed.append("sys.settrace/setprofile")
    return changed


def restore_namespace(state: dict, namespace: dict, names) -> list[str]:
    """Put back check helpers the notebook imported by name and then replaced."""
    changed = []
    for module_name in CHECK_MODULES:
        originals = state["values"].get(module_name, {})
        for key in names:
            if key in namespace and key in originals and namespace[key] is not originals[key]:
                namespace[key] = originals[key]
                changed.append(f"{key} (in the notebook's namespace)")
    return changed


def restore(state: dict, shell, names) -> list[str]:
    """Undo every change to the snapshot; what was changed, in words."""
    return (restore_modules(state) + restore_classes(state) + restore_shell(state, shell)
            + restore_sys(state) + restore_namespace(state, shell.user_ns, names))


def arm(shell) -> None:
    """Take the snapshot and keep it where ``check`` finds it."""
    sys.modules[HOLDER].__dict__["_STATE"] = snapshot(shell)


def check(shell, nonce: str, names) -> None:
    """Restore the snapshot and print the tagged list of changes for the grader."""
    state = sys.modules[HOLDER].__dict__.get("_STATE")
    changed = ["the grading state was removed"] if state is None else restore(state, shell, names)
    print(TAG, nonce, json.dumps(changed))
