"""The instructor's side: course layout, release, lint, sample class, demo, lab, lecture recordings."""

# Until rnncourse/course.py moves into this package, this package shadows it: load it by path and
# re-export its names, so `from rnncourse.course import RELEASE, ...` keeps working.
import importlib.util as _util
import sys as _sys
from pathlib import Path as _Path

_NAME = "rnncourse._course_layout"
if _NAME not in _sys.modules:
    _spec = _util.spec_from_file_location(_NAME, _Path(__file__).resolve().parent.parent / "course.py")
    _module = _util.module_from_spec(_spec)
    _sys.modules[_NAME] = _module
    _spec.loader.exec_module(_module)
globals().update({k: v for k, v in vars(_sys.modules[_NAME]).items() if not k.startswith("__")})
