# rnncourse: `make demo` and `make test` work on a fresh machine (they create .venv/ first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: demo test test-fast release check record lab instructor lint clean distclean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/rnncourse kernel
	touch $(STAMP)

venv: $(STAMP)  ## create or update the environment

demo: $(STAMP)  ## regenerate release/, grade a sample class, print the grades
	$(BIN)/rnncourse release
	$(BIN)/rnncourse demo

test: $(STAMP)  ## the whole test suite (ruff, unit tests, notebooks, grading pipeline)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## only the quick tests (no notebook execution)
	$(BIN)/python -m pytest -m "not slow and not browser"

release: $(STAMP)  ## regenerate release/ from source/
	$(BIN)/rnncourse release

check: $(STAMP)  ## release/ in sync, nothing secret released, tests bite
	$(BIN)/rnncourse check

record: $(STAMP)  ## run lectures in full mode and record what they print (UNIT=04-lstm-gru; default all)
	$(BIN)/python -m rnncourse.course.record $(UNIT)

lab: $(STAMP)  ## JupyterLab on release/ for students (Validate button, no instructor tools)
	$(BIN)/rnncourse lab --port=$(PORT)

instructor: $(STAMP)  ## JupyterLab at the course root with Formgrader and Create Assignment
	$(BIN)/rnncourse lab --instructor --port=$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:  ## remove grading work folders and caches (keeps .venv/)
	rm -rf submitted autograded feedback gradebook.db grades.csv .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean  ## also remove the environment
	rm -rf $(VENV)
