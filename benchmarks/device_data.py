"""Carry a PBC-style image folder to a machine that cannot reach it (a lent GPU machine takes at most 64 MiB a call).

    python benchmarks/device_data.py pack ../shared/data/pbc --size 240 --out .gpu_a .gpu_b --first-mib 24
    python benchmarks/device_data.py unpack .gpu_a .gpu_b --out /tmp/pbc240

`pack` decodes each image exactly as the working set does (`wbc_nb.data.read_image`: centre crop, LANCZOS to `size`),
then stores it as WebP at quality 90 (about 7 KB at 240 px against 16 KB for the 360 px JPEG), sorted by path into the
first part until it holds `--first-mib`, the rest into the second (each part one uncompressed `images.zip`, so its size
on the wire is its size in bytes). `unpack` writes every image as a lossless BMP into
class folders with a `labels.csv`, a folder `wbc-data build --size SIZE` reads back unchanged (already square, already
SIZE). The one difference from the original set is WebP's loss: `pack` writes `pack.json` (size, quality, the copies'
PSNR against the exact decode) beside the labels for the run's summary to state. Never commit the parts.
"""
from __future__ import annotations
import argparse, io, json, os, sys, zipfile
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

QUALITY = 90

def _encode(job):
    "An image decoded as the working set decodes it, as WebP bytes, and the PSNR (dB) of the WebP copy against it."
    from wbc_nb.data import read_image
    path, size = job
    img, _, _ = read_image(path, size)
    buf = io.BytesIO(); Image.fromarray(img).save(buf, "WEBP", quality=QUALITY, method=6)
    back = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=np.float64)
    mse = float(((back - img) ** 2).mean())
    return buf.getvalue(), (10 * np.log10(255 ** 2 / mse) if mse > 0 else float("inf"))

def pack(src, size: int, outs: list[str], first_mib: float, workers: int):
    from wbc_nb.data import list_folder
    src = Path(src); table = list_folder(src)
    with Pool(workers) as pool:
        blobs, psnr = zip(*pool.map(_encode, [(src / p, size) for p in table.path], chunksize=64))
    used, limit = 0, first_mib * 2**20
    for o in outs: Path(o).mkdir(parents=True, exist_ok=True)
    zips = [zipfile.ZipFile(Path(o) / "images.zip", "w", zipfile.ZIP_STORED) for o in outs]
    for path, blob in zip(table.path, blobs):
        first = len(outs) == 1 or used + len(blob) <= limit
        used += len(blob) if first else 0
        zips[0 if first else 1].writestr(str(Path(path).with_suffix(".webp")), blob)
    for z in zips: z.close()
    labels = table.assign(path=[str(Path(p).with_suffix(".bmp")) for p in table.path])[["path", "label"]]
    labels.to_csv(Path(outs[-1]) / "labels.csv", index=False)
    finite = [v for v in psnr if np.isfinite(v)]
    info = {"source": str(src), "images": len(table), "size": size, "format": f"WebP quality {QUALITY}",
            "mib": sum(map(len, blobs)) / 2**20, "psnr_db_mean": float(np.mean(finite)), "psnr_db_min": float(np.min(finite)),
            "psnr_against": "the working-set decode (wbc_nb.data.read_image) of each image"}
    (Path(outs[-1]) / "pack.json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"packed {len(table):,} images of {src} at {size} px: {info['mib']:.1f} MiB, {used / 2**20:.1f} MiB in {outs[0]}; "
          f"PSNR of the WebP copies {info['psnr_db_mean']:.1f} dB on average, {info['psnr_db_min']:.1f} dB at worst")

def _decode(job):
    blob, bmp = job
    Image.open(io.BytesIO(blob)).convert("RGB").save(bmp)

def unpack(parts: list[str], out, workers: int):
    out = Path(out); jobs = []
    for part in map(Path, parts):
        with zipfile.ZipFile(part / "images.zip") as z:
            for name in z.namelist():
                target = out / Path(name).with_suffix(".bmp")
                target.parent.mkdir(parents=True, exist_ok=True); jobs.append((z.read(name), target))
    labels = next((Path(p) / "labels.csv" for p in parts if (Path(p) / "labels.csv").exists()), None)
    if labels is None: sys.exit(f"unpack: no labels.csv in {', '.join(parts)}")
    table = pd.read_csv(labels)
    if len(table) != len(jobs): sys.exit(f"unpack: {labels} lists {len(table):,} images, the parts hold {len(jobs):,}")
    with Pool(workers) as pool: pool.map(_decode, jobs, chunksize=64)
    table.to_csv(out / "labels.csv", index=False)
    print(f"unpacked {len(jobs):,} images into {out}")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack"); p.add_argument("src"); p.add_argument("--size", type=int, default=240)
    p.add_argument("--out", nargs="+", required=True); p.add_argument("--first-mib", type=float, default=24)
    u = sub.add_parser("unpack"); u.add_argument("parts", nargs="+"); u.add_argument("--out", required=True)
    for s in (p, u): s.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args(argv)
    if a.cmd == "pack": pack(a.src, a.size, a.out, a.first_mib, a.workers)
    else: unpack(a.parts, a.out, a.workers)

if __name__ == "__main__":
    main()
