"""Benchmark: feature-extraction throughput of every registry backbone at 96 px, the cache hit, and the peak
memory of extracting EfficientNet-Lite0 features for the whole PBC set.

Usage: python benchmarks/bench_backbones.py [--images 256] [--only NAME ...] [--skip-full]
Throughput uses weights=None for the keras.applications backbones (same compute as ImageNet weights) and
the real ImageNet weights for EfficientNet-Lite; the first batch (graph tracing) is not timed.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

import numpy as np

FULL = r"""
import json, resource, sys, time
from wbc_nb.data import build_dataset
from wbc_nb.backbones import extract_features
ds = build_dataset(None, 96, progress=False)
t = time.perf_counter()
f = extract_features("efficientnet_lite0", ds.images, "imagenet", 64, ds.content_hash, progress=False)
s = time.perf_counter() - t
t = time.perf_counter()
extract_features("efficientnet_lite0", ds.images, "imagenet", 64, ds.content_hash, progress=False)
print(json.dumps({"images": len(ds), "seconds": s, "cache_hit": time.perf_counter() - t, "dim": f.shape[1],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--skip-full", action="store_true")
    a = ap.parse_args()
    os.environ.setdefault("WBC_CACHE", tempfile.mkdtemp())
    import keras
    from wbc_nb.backbones import REGISTRY, extract_features, feature_model, preprocess
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (a.images, 96, 96, 3), dtype=np.uint8)
    print(f"cores: {os.cpu_count()}, keras {keras.__version__} ({keras.backend.backend()}), batch {a.batch_size}")
    for name in a.only or REGISTRY:
        weights = "imagenet" if name.startswith("efficientnet_lite") else None
        model = feature_model(name, weights, 96)
        model.predict_on_batch(preprocess(name, images[:a.batch_size]))  # trace/compile, not timed
        t = time.perf_counter()
        for s in range(0, len(images), a.batch_size):
            model.predict_on_batch(preprocess(name, images[s:s + a.batch_size]))
        rate = len(images) / (time.perf_counter() - t)
        print(f"{name:20s} {model.count_params() / 1e6:7.2f} M params  {rate:7.1f} img/s  (weights: {weights or 'none'})")
        keras.backend.clear_session()
    if not a.skip_full:
        with tempfile.TemporaryDirectory() as cache:
            r = subprocess.run([sys.executable, "-c", FULL], capture_output=True, text=True, check=True,
                               env={**os.environ, "WBC_CACHE": cache})
            full = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"EfficientNet-Lite0 features of all {full['images']} images: {full['seconds']:.1f} s "
              f"({full['images'] / full['seconds']:.0f} img/s), peak memory {full['peak_mb']:.0f} MB "
              f"(includes the 96 px dataset, {full['images'] * 96 * 96 * 3 / 2**20:.0f} MB); cache hit {full['cache_hit'] * 1000:.0f} ms")
