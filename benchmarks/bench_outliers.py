"""Benchmark: `find_outliers` on the full working set with cached embeddings (target: ≤ 30 s on 2 cores), and
optionally the benchmark grid of the outliers chapter for both photo pools.

Usage: python benchmarks/bench_outliers.py [--data ../shared/data/pbc] [--grid] [--json results/bench/outliers.json]
The embeddings are computed once (about a minute for the 11,240 images) and cached by content, as in the chapter.
"""
import argparse, json, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pbc"))
    ap.add_argument("--grid", action="store_true", help="also run the full benchmark grid (about 10 minutes)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    import pandas as pd
    from wbc_nb.backbones import extract_features
    from wbc_nb.data import build_dataset
    from wbc_nb.outliers import find_outliers, outlier_grid, reference_cells
    ds, ref = build_dataset(a.data, 96, progress=False), reference_cells(96)
    t0 = time.perf_counter()
    feats = extract_features("efficientnet_lite0", ds.images, "imagenet", 128, ds.content_hash, progress=False)
    ref_feats = extract_features("efficientnet_lite0", ref.images, "imagenet", 128, ref.content_hash, progress=False)
    print(f"embeddings (cached after the first run): {time.perf_counter() - t0:.1f} s")
    times = []
    for _ in range(3):
        t = time.perf_counter(); found = find_outliers(ds.images, ds.labels, feats, ref, ref_feats); times.append(time.perf_counter() - t)
    print(f"find_outliers on {len(ds):,} rows: {sorted(times)[1]:.1f} s (median of 3); flagged {len(found)}: "
          f"{found.reason.value_counts().to_dict()}")
    out = {"rows": len(ds), "seconds": round(sorted(times)[1], 2), "flagged": len(found)}
    if a.grid:
        grid = pd.concat([outlier_grid(ds, feats, ref, ref_feats, pool, copies=(1, 5, 20, 100), contamination=(0.01, 0.05, 0.15),
                                       sizes=(1000, 0), n_mislabelled=20, seed=42 + (pool == "B"), batch_size=128) for pool in "AB"])
        for pool in "AB":
            for metric in ("recall", "precision"):
                print(f"\npool {pool}, {metric}:")
                print(grid[grid.pool == pool].pivot_table(index=["kind", "copies"], columns=["rows", "contamination"], values=metric).round(3))
        out["grid"] = grid.to_dict("records")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n")
