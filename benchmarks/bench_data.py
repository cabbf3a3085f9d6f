"""Benchmark: building the 96×96 working set from the PBC JPEGs, then the cached second call.

Usage: python benchmarks/bench_data.py [--data PATH] [--size 96]
Each step runs in a fresh process with an empty cache folder, so the numbers are cold-cache
(except the OS page cache) and peak memory is that process's own (plus its worker pool).
Targets (2 cores): build ≤ 60 s and ≤ 2 GB; cached call ≤ 2 s.
"""
import argparse, json, os, subprocess, sys, tempfile

STEP = r"""
import json, resource, sys, time
from wbc_nb.data import build_dataset
t = time.perf_counter()
ds = build_dataset(sys.argv[1] or None, int(sys.argv[2]), progress=False)
seconds = time.perf_counter() - t
kb = lambda who: resource.getrusage(who).ru_maxrss
print(json.dumps({"seconds": seconds, "images": len(ds), "hash": ds.content_hash,
                  "peak_main_mb": kb(resource.RUSAGE_SELF) / 1024, "peak_worker_mb": kb(resource.RUSAGE_CHILDREN) / 1024}))
"""


def step(data, size, cache):
    out = subprocess.run([sys.executable, "-c", STEP, data, str(size)], capture_output=True, text=True,
                         env={**os.environ, "WBC_CACHE": cache}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="")
    ap.add_argument("--size", type=int, default=96)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        cold = step(a.data, a.size, cache)
        warm = step(a.data, a.size, cache)
    print(f"cores: {os.cpu_count()}")
    print(f"build {cold['images']} images at {a.size}px: {cold['seconds']:.1f} s, "
          f"peak memory {cold['peak_main_mb']:.0f} MB (main) / {cold['peak_worker_mb']:.0f} MB (largest worker)")
    print(f"cached second call: {warm['seconds']:.2f} s, peak memory {warm['peak_main_mb']:.0f} MB, "
          f"same content hash: {warm['hash'] == cold['hash']}")
