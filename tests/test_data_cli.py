"""Bad input to `wbc-data`, each with a clear error naming the culprit and nothing half-written."""
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import SAMPLE

FIRST = sorted((SAMPLE / "basophil").glob("*.jpg"))[:3]


def wbc_data(*args):
    return subprocess.run(["wbc-data", *map(str, args)], capture_output=True, text=True)


def make_folder(root: Path) -> Path:
    for cls in ("basophil", "platelet"):
        (root / cls).mkdir(parents=True)
        for f in FIRST: (root / cls / f.name).write_bytes(f.read_bytes())
    return root


def leftovers(*folders):
    return [p for d in folders if Path(d).exists() for p in Path(d).rglob("*") if p.is_file()]


def test_build_folder_ok(tmp_path):
    r = wbc_data("build", make_folder(tmp_path / "src"), "--out", tmp_path / "out.npz", "--size", 32)
    assert r.returncode == 0, r.stderr
    with np.load(tmp_path / "out.npz") as z:
        assert z["images"].shape == (6, 32, 32, 3) and sorted(set(z["labels"])) == [0, 7]
    assert r.stdout.startswith("wrote")
    stamp = (tmp_path / "out.npz").stat().st_mtime_ns
    again = wbc_data("build", tmp_path / "src", "--out", tmp_path / "out.npz", "--size", 32)
    assert again.returncode == 0 and again.stdout.startswith("up to date")  # a cached build leaves its output alone
    assert (tmp_path / "out.npz").stat().st_mtime_ns == stamp


@pytest.mark.parametrize("damage, culprit", [
    (lambda src: (src / "platelet" / "zz_corrupt.jpg").write_bytes(b"\xff\xd8\xff garbage"), "zz_corrupt.jpg"),
    (lambda src: (src / "platelet" / "half.jpg").write_bytes(FIRST[0].read_bytes()[:500]), "half.jpg"),
    (lambda src: (src / "lymphocyte").mkdir(), "lymphocyte"),
    (lambda src: (src / "labels.csv").write_text("path,label\nbasophil/" + FIRST[0].name + ",9\n"), "outside 0-7"),
])
def test_bad_folder_is_refused_by_name_without_leftovers(tmp_path, damage, culprit):
    src = make_folder(tmp_path / "src")
    damage(src)
    cache = tmp_path / "cache"
    r = subprocess.run(["wbc-data", "build", str(src), "--out", str(tmp_path / "out.npz")], capture_output=True,
                       text=True, env={**__import__("os").environ, "WBC_CACHE": str(cache)})
    assert r.returncode == 2 and culprit in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "out.npz").exists() and leftovers(cache) == []


@pytest.mark.parametrize("arrays, culprit", [
    (dict(pictures=np.zeros((2, 8, 8, 3), np.uint8), labels=np.zeros(2, int)), "'images'"),
    (dict(images=np.zeros((2, 8, 8), np.uint8), labels=np.zeros(2, int)), "N×H×W×3"),
    (dict(images=np.zeros((2, 8, 8, 3), np.float32), labels=np.zeros(2, int)), "uint8"),
    (dict(images=np.zeros((2, 8, 8, 3), np.uint8), labels=np.array([3, 8])), "outside 0-7"),
    (dict(images=np.zeros((2, 8, 8, 3), np.uint8), labels=np.zeros(3, int)), "'labels'"),
])
def test_bad_npz_is_refused_by_field(tmp_path, arrays, culprit):
    np.savez(tmp_path / "bad.npz", **arrays)
    r = wbc_data("build", tmp_path / "bad.npz", "--out", tmp_path / "out.npz")
    assert r.returncode == 2 and culprit in r.stderr and "bad.npz" in r.stderr, r.stderr
    assert not (tmp_path / "out.npz").exists()


def test_missing_data_path_and_offline_download(tmp_path):
    r = wbc_data("build", tmp_path / "nowhere", "--out", tmp_path / "out.npz")
    assert r.returncode == 2 and "nowhere" in r.stderr and "does not exist" in r.stderr
    r = wbc_data("download", "--out", tmp_path / "dl", "--url", "http://127.0.0.1:9/PBC.zip")
    assert r.returncode == 2 and "could not download" in r.stderr and "by hand" in r.stderr
    assert leftovers(tmp_path / "dl") == []


def test_npz_round_trip_keeps_content_hash(tmp_path):
    from wbc_nb.data import build_dataset, open_dataset
    src = make_folder(tmp_path / "src")
    assert wbc_data("build", src, "--out", tmp_path / "a.npz", "--size", 24).returncode == 0
    a = open_dataset(tmp_path / "a.npz")
    assert build_dataset(tmp_path / "a.npz", 24).content_hash == a.content_hash
    assert len(a.manifest) == 6 and a.manifest.md5.str.len().eq(32).all()
