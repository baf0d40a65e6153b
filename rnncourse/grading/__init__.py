"""The autograder: repair, run in a sandboxed kernel, score with nbgrader, explain the result.

Parent side: ``batch`` (one class), ``repair``, ``gradebook``, ``outcome``, ``feedback``,
``report`` and ``runner/`` (kernels and the worker pool). Kernel side: ``sandbox/``, the only
part that runs inside a grading kernel. ``protocol`` and ``limits`` are what the two share.
"""
