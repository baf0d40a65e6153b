"""The instructor's side: the course on disk, release, lint, a sample class, the demo and the lab."""
