"""Benchmark: the main job, `wbc-report run --profile smoke` on the 320-image sample, then the site.

Usage: python benchmarks/bench_report.py [--data ../shared/data/pbc_sample] [--json results/bench/report.json]
Runs the real console scripts in a fresh run folder with an empty cache. Target: ≤ 10 min in all.
`--json` writes the figures the README quotes (the home page reads results/bench/report.json).
"""
import argparse, json, os, subprocess, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pbc_sample"))
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--keep", help="copy the finished run folder (with its site) here")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WBC_CACHE": f"{tmp}/cache"}
        run_dir = f"{tmp}/run"
        t0 = time.perf_counter()
        subprocess.run(["wbc-report", "run", "--profile", "smoke", "--data", a.data, "--out", run_dir],  # its terminal, as a user sees it
                       check=True, cwd=ROOT, env=env)
        t1 = time.perf_counter()
        subprocess.run(["wbc-report", "site", run_dir, "--no-quarto"], check=True, cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL)
        t2 = time.perf_counter()
        t3 = time.perf_counter()
        subprocess.run(["wbc-report", "run", "--profile", "smoke", "--data", a.data, "--out", run_dir, "--quiet"],
                       check=True, cwd=ROOT, env=env)
        t4 = time.perf_counter()
        run = json.loads(Path(run_dir, "run.json").read_text())
        if a.keep:
            import shutil
            shutil.copytree(run_dir, a.keep, dirs_exist_ok=True)
    per_nb = ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in run["notebooks"].items())
    print(f"smoke run: {t1 - t0:.1f} s ({per_nb})")
    print(f"site: {t2 - t1:.1f} s")
    print(f"run + site: {t2 - t0:.1f} s")
    print(f"resumed re-run (nothing to do): {t4 - t3:.1f} s")
    if a.json:
        import platform
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps({
            "run_seconds": round(t1 - t0, 1), "site_seconds": round(t2 - t1, 1), "total_seconds": round(t2 - t0, 1),
            "resumed_seconds": round(t4 - t3, 1), "chapters": len(run["notebooks"]), "cpus": os.cpu_count(),
            "machine": platform.processor() or platform.machine(), "commit": run["git"]["commit"],
            "notebook_seconds": {k: v["seconds"] for k, v in run["notebooks"].items()}}, indent=2) + "\n")
