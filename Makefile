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
# numba's compiled UMAP/HDBSCAN/pynndescent functions live with the
# environment they were compiled for, and `make setup` compiles them once
# (importing umap cold costs ~30-170 s here; warm, ~1 s).
export NUMBA_CACHE_DIR := $(CURDIR)/$(VENV)/numba-cache

.PHONY: setup corpus notebooks reproduce test test-fast lint sync-notebooks figures-readme lock clean \
        bench bench-quick bench-framing bench-build bench-rerun \
        readme-tables validation hydrate \
	lab report docs

# torch comes alone, first, from PyTorch's CPU wheel index as well as PyPI:
# pip takes the highest match of the lock's pin, which is the index's
# `2.13.0+cpu` (no CUDA libraries), and the lock's `torch==2.13.0` is then
# already satisfied. PyPI alone serves a CUDA build whose libraries
# `--no-deps` leaves out. `make setup TORCH_INDEX=` skips the index (GPU
# route: see README). An unreachable index costs seconds, not minutes:
# `--retries 1 --timeout 15` instead of pip's 5 retries.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_PIN   := $(shell grep -m1 '^torch==' requirements.lock)
PIP_NET     ?= --retries 1 --timeout 15

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps $(PIP_NET) \
	  $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) "$(TORCH_PIN)"
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	$(PY) -c "import umap, hdbscan"
	touch $(STAMP)

setup: $(STAMP)

# Skipped when the manifest, raw files, lexicons, package source and the
# libraries that shape the tables are unchanged since the last build, and the
# tables are as written (analysis/corpus/stamp.py). `make corpus REBUILD=1` forces it.
corpus: $(STAMP)
	@if [ -z "$(REBUILD)" ] && $(PY) analysis/corpus/stamp.py check; then :; else \
	  $(PY) -m analysis build && $(PY) analysis/corpus/stamp.py write; fi

# Every notebook executes on every run (figures always come from the code);
# what they fit or bootstrap is read from data/cache/ when its inputs are
# unchanged (analysis/topics/cache.py). `make reproduce REFIT=1` passes
# `refit=True` to the notebooks that have that parameter, which fit and
# bootstrap everything again. NB_JOBS notebooks run at once: 01 and 03 beside
# 02, and 04 after 02, whose topic fit it reads from the cache.
NB_JOBS ?= 2
EXECUTED_NOTEBOOKS := $(addprefix $(EXECUTED)/,$(notdir $(NOTEBOOKS)))
REFIT_NOTEBOOKS = $(basename $(notdir $(shell grep -l '^refit = ' notebooks/[0-9][0-9]-*.py)))

notebooks: corpus
	@mkdir -p $(EXECUTED)
	@$(MAKE) --no-print-directory -j$(NB_JOBS) $(EXECUTED_NOTEBOOKS)

$(EXECUTED)/%.ipynb: notebooks/%.ipynb FORCE
	@echo "papermill $< $(if $(REFIT),$(if $(filter $*,$(REFIT_NOTEBOOKS)),-p refit True))"
	@PYDEVD_DISABLE_FILE_VALIDATION=1 $(VENV)/bin/papermill --kernel analysis --cwd notebooks \
	  --log-level WARNING --no-progress-bar \
	  $(if $(REFIT),$(if $(filter $*,$(REFIT_NOTEBOOKS)),-p refit True)) "$<" "$@"

$(EXECUTED)/04-time-and-source.ipynb: | $(EXECUTED)/02-topics.ipynb

.PHONY: FORCE
FORCE:

reproduce: notebooks
	@echo "Corpus in data/processed/, executed notebooks in $(EXECUTED)/, figures in figures/."

test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

# The checks of .pre-commit-config.yaml, run directly (no network): ruff,
# notebooks stored without outputs, and each .ipynb paired with its .py.
lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests notebooks/*.py .ci benchmarks scripts
	$(PY) scripts/check_notebooks.py notebooks/[0-9][0-9]-*.ipynb

# JupyterLab from .venv, on this machine only, in the project folder.
LAB_PORT ?= 8888
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --notebook-dir=$(CURDIR)

# Self-contained HTML of the executed notebooks (figures inline) for
# reviewers, each headed with the git commit and the lock's hash.
report: notebooks
	$(PY) scripts/make_report.py $(EXECUTED) reports

# API reference from the numpydoc docstrings.
docs: $(STAMP)
	$(PY) -m analysis._docs docs/api

# Regenerate the paired .ipynb from the .py files (the .py is the source).
sync-notebooks: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/[0-9][0-9]-*.py

# Regenerate the figure table of figures/README.md from the notebooks.
figures-readme: $(STAMP)
	$(PY) -c "from analysis.plots.catalogue import update_readme; update_readme()"

# Re-resolve requirements.in into requirements.lock and environment.yml
# (`make lock KEEP_PINS=1` keeps every current pin and resolves only what is new).
lock:
	rm -rf /tmp/analysis-lock-venv
	$(PYTHON) -m venv /tmp/analysis-lock-venv
	/tmp/analysis-lock-venv/bin/pip install --quiet $(PIP_NET) \
	  $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) \
	  $(if $(KEEP_PINS),-c requirements.lock) -r requirements.in
	/tmp/analysis-lock-venv/bin/pip check
	/tmp/analysis-lock-venv/bin/pip freeze --all --exclude-editable | $(PYTHON) .ci/make_lock.py

# The numbers in README.md and data/annotations/real/README.md, from the committed tables.
readme-tables: $(STAMP)
	$(PY) -c "from analysis.framing.readme import update; update()"

# Validation tables of the document framing measure (cross-validation on the
# development split; the locked test split once per model version).
validation: $(STAMP)
	$(PY) -m analysis.framing.report

# Needs the internet: re-fetch the real corpus's pages into
# data/annotations/real/texts.jsonl (git-ignored; see its README).
hydrate: $(STAMP)
	$(PY) -m analysis.framing.hydrate

clean:
	rm -rf data/processed data/cache $(EXECUTED) figures/*.png figures/*.pdf reports docs/api

# Scale and speed (benchmarks/README.md): per-stage wall time and peak memory
# on simulated corpora of 1k, 10k and 100k posts, printed as a table and
# written to benchmarks/results/ (about 40 minutes on 2 cores); bench-quick
# stops at 10k posts (about 10 minutes).
.PHONY: bench bench-quick
bench: $(STAMP)
	$(PY) benchmarks/bench.py

bench-quick: $(STAMP)
	$(PY) benchmarks/bench.py --sizes 1000 10000

# Framing at 10k and 100k posts, before and after in one run: BEFORE is a
# checkout of older code (git archive <rev> | tar -x -C /tmp/before).
BEFORE ?=
.PHONY: bench-framing
# Issue 14's jobs, each before and after in one run when BEFORE names a checkout
# of older code (`git archive REV | tar -x -C DIR`; DIR/.venv a link to this .venv).
bench-framing: $(STAMP)
	$(PY) benchmarks/framing_speed.py --sizes 10000 100000 --modes raw cleaned cleaned-2jobs \
	  $(if $(BEFORE),--before $(BEFORE))

bench-build: $(STAMP)
	$(PY) benchmarks/build_speed.py --sizes 10000 100000 $(if $(BEFORE),--before $(BEFORE))

bench-rerun: $(STAMP)
	$(PY) benchmarks/rerun.py $(if $(BEFORE),--before $(BEFORE))
