"""nbgrader configuration for rnncourse; the folder holding this file is the course root."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "rnncourse"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# The gradebook is <root>/gradebook.db (nbgrader's default, derived from the root).

# Files never copied from source/ into release/ or from submissions into autograded/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# Per-cell time limit while validating and autograding (seconds). Training cells read the
# fast switch (NBGRADER_EXECUTION implies RNNCOURSE_FAST), so two minutes is generous;
# an infinite loop costs that cell and the notebook goes on.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120

# Limits of `rnncourse grade` (each submission runs in its own sandboxed kernel; see README).
# c.Execute.timeout above is the per-cell limit; these are the rest. `rnncourse grade
# --timeout/--memory-mb/--output-kb` override them for one run.
c.Limits.notebook_timeout = 900   # seconds for a whole notebook
c.Limits.memory_mb = 4096         # address space of a grading kernel (TensorFlow alone maps ~1.5 GB)
c.Limits.output_kb = 64           # printed output kept per cell; the rest is dropped and noted
c.Limits.file_mb = 256            # largest file a submission may write (in its scratch folder)
c.Limits.max_restarts = 2         # fresh kernels after a kernel death or a cell that ignores interrupts
c.Limits.block_processes = True   # refuse fork/exec/subprocess inside grading kernels

# Keep huge printed output out of the gradebook and of the feedback (plain nbgrader commands).
c.LimitOutput.max_lines = 500
c.LimitOutput.max_traceback = 50

# Answer stubs students see in released notebooks.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback without hidden tests from every route: `rnncourse grade`, `nbgrader generate_feedback`
# and Formgrader's "Generate Feedback" button (nbgrader's page, scrubbed by the kit's preprocessor).
from rnncourse.grading.feedback import leak_free_feedback  # noqa: E402

leak_free_feedback(c)
