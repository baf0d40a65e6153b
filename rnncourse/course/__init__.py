"""The instructor's side: course layout, release, lint, sample class, demo, lab, lecture recordings."""
