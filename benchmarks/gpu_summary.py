"""Summarise what `benchmarks/gpu_check.sh` brought back, as JSON: the device, each stage's time, every fine-tuning
epoch's seconds and clean + shifted validation macro-F1 (read from the final-model chapter's streamed log, so a run
stopped at its time limit still says how far it got), and the final metrics when the chapter finished.

    python benchmarks/gpu_summary.py OUT_DIR [--run RUN_DIR] [--commit SHA] [--time-limit S] [--pack PACK_JSON]
                                     [--json results/bench/gpu_check.json]

OUT_DIR holds gpu_check.sh's log.txt and timings.txt; RUN_DIR (default OUT_DIR/run, as run.tar.gz unpacks) the run
folder. --commit names the commit whose tree was sent: a device machine's copy of the repository may carry an older
history than its files, so run.json's commit is kept beside it, not trusted. --time-limit is the final-model
chapter's limit (gpu_check.sh's T10); --pack the `pack.json` of data carried by `benchmarks/device_data.py`.
"""
from __future__ import annotations
import argparse, json, re, sys
from pathlib import Path

EPOCH = re.compile(r"^Epoch (\d+)/(\d+)")
STEPS = re.compile(r"^(\d+)/\d+ - (\d+)s - (\d+)(m?s)/step - .*val_macro_f1: ([\d.]+)")  # Keras' verbose=2 line
FEATURES = re.compile(r"features: 100%\|.*\| (\d+)/(\d+) \[(\d+):(\d+)<")
STAMP = re.compile(r"^(.*?) (\d+) s$")

def summarise(out: Path, run: Path, commit: str | None = None, time_limit: int | None = None, pack: Path | None = None) -> dict:
    log = (out / "log.txt").read_text(errors="replace").splitlines() if (out / "log.txt").exists() else []
    stamps = (out / "timings.txt").read_text().splitlines() if (out / "timings.txt").exists() else []
    record = json.loads((run / "run.json").read_text()) if (run / "run.json").exists() else {}
    metrics_file = run / "artifacts" / "final_metrics.json"
    epochs, current, total, features = [], None, None, None
    for line in log:
        if m := EPOCH.match(line): current, total = int(m[1]), int(m[2])
        elif (m := STEPS.match(line)) and current is not None:
            epochs.append({"epoch": current, "steps": int(m[1]), "seconds": int(m[2]),
                           "ms_per_step": int(m[3]) * (1 if m[4] == "ms" else 1000), "val_macro_f1": float(m[5])})
        elif m := FEATURES.search(line): features = {"batches": int(m[2]), "seconds": 60 * int(m[3]) + int(m[4])}
    stages = [{"stage": m[1], "elapsed_s": int(m[2])} for s in stamps if (m := STAMP.match(s))]
    device = [s for s in stamps if not STAMP.match(s)]
    chapter = record.get("notebooks", {}).get("10_final_model", {})
    best = max(epochs, key=lambda e: e["val_macro_f1"]) if epochs else None
    return {"device": device, "started": record.get("started"), "profile": record.get("profile"), "overrides": record.get("overrides"),
            "parameters": chapter.get("parameters"), "versions": record.get("versions"),
            "commit": commit or None, "run_json_commit": (record.get("git") or {}).get("commit"),
            "data_copy": json.loads(pack.read_text()) if pack else None,
            "chapter_status": chapter.get("status"), "chapter_seconds": chapter.get("seconds"), "chapter_time_limit_s": time_limit,
            "stages": stages, "feature_extraction": features, "finetune_epochs_planned": total,
            "epochs": epochs, "best_epoch": best,
            "final_metrics": json.loads(metrics_file.read_text()) if metrics_file.exists() else None}

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out"); ap.add_argument("--run"); ap.add_argument("--commit"); ap.add_argument("--json")
    ap.add_argument("--time-limit", type=int); ap.add_argument("--pack")
    a = ap.parse_args(argv)
    out = Path(a.out)
    if not out.is_dir(): sys.exit(f"gpu_summary: {out}: no such folder")
    summary = summarise(out, Path(a.run) if a.run else out / "run", a.commit, a.time_limit, Path(a.pack) if a.pack else None)
    text = json.dumps(summary, indent=2)
    if a.json:
        from wbc_nb.core import atomic_path
        with atomic_path(a.json) as tmp: Path(tmp).write_text(text + "\n")
    print(text)

if __name__ == "__main__":
    main()
