"""Snapshot what graded tests rely on before student code runs; undo and report later changes.

What is watched: the protected modules and their classes; every method of the classes that run a
cell and report its end (the IPython shell, the kernel, its session, the display publisher and
hook, the input transformer manager, the compiler, events, the output streams, with their
bases), callables set on those objects, the input and AST transformers, event callbacks, the
kernel's message handlers, sys's hooks and tracing.

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


# Objects of the shell and kernel that decide how a cell runs and how its end is reported.
MACHINERY = {"IPython shell": "", "kernel": "kernel", "kernel.session": "kernel.session",
             "display publisher": "display_pub", "display hook": "displayhook",
             "input transformer manager": "input_transformer_manager", "compiler": "compile",
             "events": "events"}
TRANSFORMER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")


def resolve(shell, path: str):
    """The object at a dotted attribute ``path`` from the shell ('' is the shell), or None."""
    obj = shell
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part, None)
    return obj


def behaviour(value) -> bool:
    """A class attribute that is code (a method, property or callable), not data."""
    return callable(value) or isinstance(value, (property, staticmethod, classmethod))


def machinery_classes(shell) -> list:
    """Every class (with its bases) of the shell's and kernel's machinery, and the result types."""
    from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

    roots = [type(obj) for obj in map(lambda path: resolve(shell, path), MACHINERY.values())
             if obj is not None]
    roots += [ExecutionResult, ExecutionInfo, type(sys.stdout), type(sys.stderr)]
    found = []
    for root in roots:
        for cls in root.__mro__:
            if cls not in found and cls.__module__ != "builtins":
                found.append(cls)
    return found


def snapshot_machinery(shell) -> dict:
    """Methods of the machinery's classes, callables set on its objects, its parts and hooks."""
    state = {"classes": {}, "objects": {}, "parts": {}, "transformers": {}, "handlers": None}
    for cls in machinery_classes(shell):
        state["classes"][cls] = {k: v for k, v in vars(cls).items() if behaviour(v)}
    for label, path in MACHINERY.items():
        obj = resolve(shell, path)
        if obj is None or not hasattr(obj, "__dict__"):
            continue
        state["parts"][path] = obj
        state["objects"][label] = (obj, {k: v for k, v in vars(obj).items()
                                         if callable(v) and not k.startswith("__")})
    manager = getattr(shell, "input_transformer_manager", None)
    for name in TRANSFORMER_LISTS:
        state["transformers"][name] = list(getattr(manager, name, []))
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        state["handlers"] = dict(getattr(kernel, "shell_handlers", {}))
    return state


def restore_machinery(state: dict, shell) -> list[str]:
    """Undo class-level and object-level patches of the machinery; what was changed, in words."""
    changed = []
    for path, obj in state["parts"].items():
        if path and resolve(shell, path) is not obj:
            owner, _, name = path.rpartition(".")
            try:
                setattr(resolve(shell, owner), name, obj)
            except (AttributeError, TypeError):
                pass
            changed.append(f"IPython shell.{path}")
    for cls, values in state["classes"].items():
        where = f"{cls.__module__}.{cls.__qualname__}"
        current = vars(cls)
        for key in sorted(set(values) | {k for k, v in current.items() if behaviour(v)}):
            if current.get(key, MISSING) is values.get(key, MISSING):
                continue
            try:
                if key in values:
                    setattr(cls, key, values[key])
                else:
                    delattr(cls, key)
            except (AttributeError, TypeError):
                pass
            changed.append(f"{where}.{key}")
    for label, (obj, values) in state["objects"].items():
        own = vars(obj)
        now = {k for k, v in own.items() if callable(v) and not k.startswith("__")}
        for key in sorted(set(values) | now):
            if own.get(key, MISSING) is values.get(key, MISSING):
                continue
            if key in values:
                own[key] = values[key]
            else:
                own.pop(key, None)
            changed.append(f"{label}.{key}")
    manager = getattr(shell, "input_transformer_manager", None)
    for name, value in state["transformers"].items():
        if list(getattr(manager, name, [])) != value:
            setattr(manager, name, list(value))
            changed.append(f"IPython shell.input_transformer_manager.{name}")
    kernel = getattr(shell, "kernel", None)
    if state["handlers"] is not None and kernel is not None:
        handlers = kernel.shell_handlers
        if handlers != state["handlers"] or any(handlers.get(k) is not v
                                                for k, v in state["handlers"].items()):
            handlers.clear()
            handlers.update(state["handlers"])
            changed.append("kernel.shell_handlers")
    return changed


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
    state["machinery"] = snapshot_machinery(shell)
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
    return (restore_modules(state) + restore_classes(state) + restore_machinery(state["machinery"], shell)
            + restore_shell(state, shell) + restore_sys(state)
            + restore_namespace(state, shell.user_ns, names))


def forget_own_cells() -> None:
    """Drop the guard's snippets from linecache, where IPython keeps every cell it ran."""
    import linecache

    for key, entry in list(linecache.cache.items()):
        lines = entry[2] if len(entry) > 2 else []
        if lines and "<rnncourse guard>" in lines[0]:
            linecache.cache.pop(key, None)


def arm(shell) -> None:
    """Take the snapshot and keep it where ``check`` finds it."""
    forget_own_cells()
    sys.modules[HOLDER].__dict__["_STATE"] = snapshot(shell)


def check(shell, nonce: str, names) -> None:
    """Restore the snapshot and print the tagged list of changes for the grader."""
    state = sys.modules[HOLDER].__dict__.get("_STATE")
    changed = ["the grading state was removed"] if state is None else restore(state, shell, names)
    forget_own_cells()
    print(TAG, nonce, json.dumps(changed))
