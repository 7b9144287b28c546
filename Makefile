# The two commands a newcomer needs (see README):
#   make reproduce   set up .venv, build the corpus, run every notebook, write every figure
#   make test        set up .venv and run the whole test suite (CI runs exactly this)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
EXECUTED  := notebooks/executed

# Offline at run time: the embedding model ships inside a Python package and
# nothing may reach a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export NUMBA_CACHE_DIR := $(CURDIR)/data/cache/numba

.PHONY: setup corpus notebooks reproduce test test-fast lint sync-notebooks figures-readme lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

corpus: $(STAMP)
	$(PY) -m analysis build

notebooks: corpus
	mkdir -p $(EXECUTED)
	for nb in $(NOTEBOOKS); do \
	  $(VENV)/bin/papermill --kernel analysis --cwd notebooks --log-level WARNING \
	    "$$nb" "$(EXECUTED)/$$(basename $$nb)" || exit 1; \
	done

reproduce: notebooks
	@echo "Corpus in data/processed/, executed notebooks in $(EXECUTED)/, figures in figures/."

test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests notebooks/*.py

# Regenerate the paired .ipynb from the .py files (the .py is the source).
sync-notebooks: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/[0-9][0-9]-*.py

# Regenerate the figure table of figures/README.md from the notebooks.
figures-readme: $(STAMP)
	$(PY) -c "from analysis.plots.catalogue import update_readme; update_readme()"

# Re-resolve requirements.in into requirements.lock and environment.yml.
lock:
	rm -rf /tmp/analysis-lock-venv
	$(PYTHON) -m venv /tmp/analysis-lock-venv
	/tmp/analysis-lock-venv/bin/pip install --quiet -r requirements.in
	/tmp/analysis-lock-venv/bin/pip freeze --all --exclude-editable | $(PYTHON) .ci/make_lock.py

clean:
	rm -rf data/processed data/cache $(EXECUTED) figures/*.png figures/*.pdf

# Scale and speed (benchmarks/README.md): per-stage wall time and peak memory
# on simulated corpora of 1k, 10k and 100k posts, printed as a table and
# written to benchmarks/results/ (about 40 minutes on 2 cores); bench-quick
# stops at 10k posts (about 10 minutes).
.PHONY: bench bench-quick
bench: $(STAMP)
	$(PY) benchmarks/bench.py

bench-quick: $(STAMP)
	$(PY) benchmarks/bench.py --sizes 1000 10000
