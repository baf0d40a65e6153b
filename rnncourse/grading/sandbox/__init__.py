"""The grading kernel's side: limits, a file tripwire and the guard of what tests rely on.

Everything here runs inside the kernel that executes a submission; ``python -m
rnncourse.grading.sandbox -f CONNECTION_FILE`` starts it. This raises the bar for casual
cheating and contains accidents; it is not a security boundary against a determined attacker.
"""
