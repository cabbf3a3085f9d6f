"""Benchmark: `wbc-predict` throughput on a folder of 1,000 JPEGs (the console script, end to end: start-up,
model loading, decoding, resizing, prediction, printing).

Usage: python benchmarks/bench_predict.py MODEL.keras [--images 1000] [--data ../shared/data/pbc]
The JPEGs are copies of PBC originals, put in a temporary folder.
"""
import argparse, shutil, subprocess, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pbc"))
    a = ap.parse_args()
    files = sorted(Path(a.data).rglob("*.jpg"))[:: max(1, len(list(Path(a.data).rglob("*.jpg"))) // a.images)][: a.images]
    with tempfile.TemporaryDirectory() as d:
        for i, f in enumerate(files): shutil.copy(f, Path(d) / f"{i:05d}_{f.name}")
        t = time.perf_counter()
        r = subprocess.run(["wbc-predict", a.model, d, "--json"], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - t
    n = len(r.stdout.splitlines())
    print(f"wbc-predict on {n} JPEGs: {seconds:.1f} s, {n / seconds:.1f} images/s (including start-up and model loading)")
