#!/usr/bin/env bash
# Install the lock on other Pythons and run the fast test suite (not CI).
#
#   bash benchmarks/pythons.sh [3.12.1 3.13.0]      # pyenv versions on these machines
#
# Each Python gets a fresh venv under /tmp: torch first (PyTorch's CPU index
# when reachable, otherwise PyPI's build with whatever it requires), then the
# lock --no-deps, the package, `pip check` and `pytest -m "not slow"`.
# Timings and the last lines of each step go to
# benchmarks/results/pythons-<version>.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
TORCH_INDEX=${TORCH_INDEX-https://download.pytorch.org/whl/cpu}
TORCH_PIN=$(grep -m1 '^torch==' requirements.lock)
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(3.12.1 3.13.0)
mkdir -p benchmarks/results
for v in "${versions[@]}"; do
  py=/root/.pyenv/versions/$v/bin/python
  out=benchmarks/results/pythons-$v.txt
  venv=/tmp/analysis-py$v
  [ -x "$py" ] || { echo "python $v: not installed" | tee "$out"; continue; }
  rm -rf "$venv"
  step() {  # step NAME COMMAND...: time it, keep its last lines
    local t0=$SECONDS rc
    "${@:2}" > /tmp/pythons-step.log 2>&1; rc=$?
    printf '%-8s rc=%s %4ss  %s\n' "$1" "$rc" "$((SECONDS - t0))" \
      "$(tail -n 1 /tmp/pythons-step.log)" | tee -a "$out"
    return $rc
  }
  echo "python $v, $(date -u +%F), lock $(sha256sum requirements.lock | cut -c1-12)" | tee "$out"
  step venv "$py" -m venv "$venv" &&
  step torch "$venv/bin/pip" install --quiet --retries 1 --timeout 15 \
       ${TORCH_INDEX:+--extra-index-url "$TORCH_INDEX"} "$TORCH_PIN" &&
  step lock "$venv/bin/pip" install --quiet --no-deps -r requirements.lock &&
  step package "$venv/bin/pip" install --quiet --no-deps --no-build-isolation -e . &&
  step check "$venv/bin/pip" check &&
  step torchok "$venv/bin/python" -c "import torch; print(torch.__version__, torch.version.cuda)"
  HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MPLBACKEND=Agg PYTHONHASHSEED=0 \
    NUMBA_CACHE_DIR=/tmp/analysis-py$v-numba \
    step tests "$venv/bin/python" -m pytest -q -m "not slow" -p no:cacheprovider
  du -sh "$venv" | tee -a "$out"
done
