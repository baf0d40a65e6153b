"""The grader's side of execution: sandboxed kernels, running one submission, the worker pool."""
