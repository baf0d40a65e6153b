# rnncourse: `make demo` and `make test` work on a fresh machine (they create .venv/ first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# The hub's environment: every account's server and kernels run it, so it is built from a Python
# all accounts can run (Debian's), not from one under a private home (pyenv in /root).
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV   := .venv-hub
HUB_STAMP  := $(HUB_VENV)/.installed
ROSTER     ?= hub/roster.example.txt
HUB_PORT   ?= 8000
STUDENTS   ?= 30

.PHONY: demo test test-fast release check record lab instructor hub hub-deps hub-down bench-hub lint clean distclean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/rnncourse kernel
	touch $(STAMP)

venv: $(STAMP)  ## create or update the environment

demo: $(STAMP)  ## regenerate release/, grade a sample class, print the grades
	$(BIN)/rnncourse release
	$(BIN)/rnncourse demo --mistakes tests/mistakes

test: $(STAMP)  ## the whole test suite (ruff, unit tests, notebooks, grading pipeline)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest --durations=25

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

$(HUB_STAMP): pyproject.toml
	$(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -e ".[hub]"
	$(HUB_VENV)/bin/rnncourse kernel
	npm install --silent --no-fund --no-audit --prefix $(HUB_VENV)/proxy configurable-http-proxy@5
	touch $(HUB_STAMP)

hub-deps: $(HUB_STAMP)  ## the hub's environment .venv-hub/: the course, JupyterHub, its proxy (npm)

hub: $(HUB_STAMP)  ## as root: a JupyterHub for the class in ROSTER (accounts, exchange, course); prints the URL
	$(HUB_VENV)/bin/python hub/deploy.py up --roster $(ROSTER) --port $(HUB_PORT)

hub-down:  ## as root: stop the hub, remove the accounts it created, its exchange and state
	$(PYTHON) hub/deploy.py down

bench-hub: $(STAMP) $(HUB_STAMP)  ## as root: STUDENTS (30) submit through the exchange, graded --jobs 2; prints throughput
	$(BIN)/python benchmarks/hub_exchange.py $(STUDENTS)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:  ## remove grading work folders and caches (keeps .venv/)
	rm -rf submitted autograded feedback gradebook.db grades.csv rnncourse-grades.csv .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean  ## also remove the environments
	rm -rf $(VENV) $(HUB_VENV)
