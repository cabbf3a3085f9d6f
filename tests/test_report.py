"""The runner: a real smoke run, parameter validation before anything runs, failure reporting and resuming."""
import ast
import json, shutil, subprocess, sys, time
import subprocess
import sys

import nbformat
import pytest

from wbc_nb.core import WBCError
from wbc_nb.report import RunFailed, chapters, notebook_parameters, run_order, run_report

from conftest import ROOT, SAMPLE


def test_smoke_run_records_everything(smoke_run):
    run = json.loads((smoke_run / "run.json").read_text())
    assert run["status"] == "ok" and run["profile"] == "smoke"
    assert list(run["notebooks"]) == list(run_order(chapters()))  # every chapter, the home page last
    for nb, entry in run["notebooks"].items():
        assert entry["status"] == "ok" and entry["seconds"] > 0
        assert (smoke_run / entry["notebook"]).exists()
    assert run["versions"]["papermill"] and run["versions"]["python"]
    assert set(run["git"]) == {"commit", "dirty"}
    assert run["started"] <= run["finished"]
    data = run["notebooks"]["01_data"]["parameters"]
    assert data["data"] == str(SAMPLE.resolve()) and data["run_dir"] == str(smoke_run.resolve())
    dataset = json.loads((smoke_run / "artifacts" / "dataset.json").read_text())
    assert dataset["images"] == 320 and set(dataset["counts"].values()) == {40}


def test_executed_notebook_has_outputs(smoke_run):
    nb = nbformat.read(smoke_run / "notebooks" / "01_data.ipynb", as_version=4)
    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(figures) >= 4  # counts, sample grid, sizes, colours
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_resume_skips_up_to_date_and_reruns_changed(tmp_path):
    out = tmp_path / "run"
    run_report("smoke", data=str(SAMPLE), out=out, only=["00_core", "01_data"], progress=False)
    again = run_report("smoke", data=str(SAMPLE), out=out, only=["00_core", "01_data"], progress=False)
    assert all(v.get("resumed") for v in again["notebooks"].values())
    changed = run_report("smoke", data=str(SAMPLE), out=out, only=["00_core", "01_data"], params={"image_size": 32},
                         progress=False)
    assert changed["notebooks"]["00_core"].get("resumed") is True
    assert not changed["notebooks"]["01_data"].get("resumed")
    assert changed["notebooks"]["01_data"]["parameters"]["image_size"] == 32
    one = run_report("smoke", data=str(SAMPLE), out=out, only=["01_data"], progress=False)
    assert list(one["notebooks"]) == ["00_core", "01_data"]  # re-running one chapter keeps the others' records


def test_failing_notebook_stops_with_path_and_cell_then_resumes(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(RunFailed) as err:
        run_report("smoke", data=str(SAMPLE), out=out, only=["00_core", "01_data"], params={"image_size": 2},
                   progress=False)
    msg = str(err.value)
    assert "01_data" in msg and "cell" in msg and "image_size=2" in msg
    assert str(out / "notebooks" / "01_data.ipynb") in msg and (out / "notebooks" / "01_data.ipynb").exists()
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "failed" and run["notebooks"]["01_data"]["status"] == "failed"
    fixed = run_report("smoke", data=str(SAMPLE), out=out, only=["00_core", "01_data"], progress=False)
    assert fixed["status"] == "ok"
    assert fixed["notebooks"]["00_core"].get("resumed") is True and not fixed["notebooks"]["01_data"].get("resumed")


@pytest.mark.parametrize("params, culprit", [({"no_such_param": 1}, "no_such_param"),
                                             ({"image_size": "large"}, "image_size"),
                                             ({"max_per_class": 2.5}, "max_per_class")])
def test_bad_parameters_are_refused_before_anything_runs(tmp_path, params, culprit):
    out = tmp_path / "run"
    with pytest.raises(WBCError, match=culprit):
        run_report("smoke", out=out, params=params, progress=False)
    assert not out.exists()  # nothing ran, nothing was written


def test_bad_run_options_are_refused(tmp_path):
    with pytest.raises(WBCError, match="/no/such/data"):
        run_report("smoke", data="/no/such/data", out=tmp_path / "a", progress=False)
    with pytest.raises(WBCError, match="99_nothing"):
        run_report("smoke", out=tmp_path / "b", only=["99_nothing"], progress=False)
    with pytest.raises(WBCError, match="gigantic"):
        run_report("gigantic", out=tmp_path / "c", progress=False)
    assert not any(tmp_path.iterdir())


def test_cli_unknown_parameter_names_it(tmp_path):
    r = subprocess.run(["wbc-report", "run", "--profile", "smoke", "--out", str(tmp_path / "r"), "-p", "epochz", "3"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and "'epochz'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "r").exists()
    r = subprocess.run(["wbc-report", "run", "--profile", "smoke", "--out", str(tmp_path / "r"), "--only", "01_data",
                        "-p", "image_size", "big"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and "notebook 01_data" in r.stderr and "'image_size'" in r.stderr


def _parameters_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]


REPORT_CHAPTERS = [n for n in chapters() if n != "index" and "01" <= n[:2] < "90"]
LIBRARY_PAGES = [n for n in chapters() if n[:2] >= "90" and n[0].isdigit()]


def test_library_pages_have_no_parameters():
    "Pages 90+ document library code (runner, evaluation, training, prediction): nothing to parameterise."
    assert LIBRARY_PAGES and all(_parameters_cells(chapters()[n]) == [] for n in LIBRARY_PAGES)


@pytest.mark.parametrize("name", REPORT_CHAPTERS)
def test_every_chapter_has_one_parameters_cell_papermill_can_read(name):
    path = chapters()[name]
    cells = _parameters_cells(path)
    assert len(cells) == 1, f"{name}: {len(cells)} parameters cells"
    assigned = [t.id for node in ast.parse(cells[0].source).body if isinstance(node, ast.Assign) for t in node.targets]
    assert sorted(notebook_parameters(path)) == sorted(assigned), f"{name}: papermill could not read every parameter"
    assert "run_dir" in assigned and "seed" in assigned


def _copy_run(smoke_run, tmp_path):
    out = tmp_path / "smoke"
    shutil.copytree(smoke_run, out, ignore=shutil.ignore_patterns("site", ".lock"))
    return out


def test_only_keeps_the_run_whole_and_marks_later_chapters_stale(smoke_run, tmp_path):
    out = _copy_run(smoke_run, tmp_path)
    before = json.loads((out / "run.json").read_text())["notebooks"]
    rec = run_report("smoke", data=str(SAMPLE), out=out, only=["03_splitting"], params={"val_fraction": 0.2}, progress=False)
    assert list(rec["notebooks"]) == list(before)  # every chapter still recorded
    order = list(rec["notebooks"])
    later = order[order.index("03_splitting") + 1:]
    assert not rec["notebooks"]["03_splitting"].get("resumed")
    assert all(rec["notebooks"][nb]["stale"] for nb in later), later  # they consumed the old split
    assert not any(rec["notebooks"][nb].get("stale") for nb in order[:order.index("03_splitting")])
    assert rec["summary"].startswith(f"{len(order)} chapters: 1 executed, ") and f"{len(later)} stale" in rec["summary"]
    plain = {s["notebook"]: s["action"] for s in run_report("smoke", data=str(SAMPLE), out=out, progress=False, dry_run=True)}
    # -p held for one invocation: a plain run returns 03 to the profile's split, so what the later chapters consumed comes back
    assert [nb for nb, a in plain.items() if a == "run"] == ["03_splitting"] and all(plain[nb] == "skip" for nb in later)
    again = run_report("smoke", data=str(SAMPLE), out=out, only=["03_splitting"], params={"val_fraction": 0.2}, progress=False,
                       dry_run=True)  # the same re-run again: nothing to do, the later chapters stay stale
    assert {s["notebook"]: s["action"] for s in again}["03_splitting"] == "skip"
    assert all(s["action"] == "stale" for s in again if s["notebook"] in later)


def test_a_rerun_may_not_mix_profile_wide_values(smoke_run, tmp_path):
    out = _copy_run(smoke_run, tmp_path)
    with pytest.raises(WBCError, match="image_size=96.*image_size=64.*--out.*--force"):
        run_report("smoke", data=str(SAMPLE), out=out, only=["01_data"], params={"image_size": 64}, progress=False)
    with pytest.raises(WBCError, match="profile 'smoke', not 'cpu'"):
        run_report("cpu", data=str(SAMPLE), out=out, only=["01_data"], progress=False)
    plan = run_report("smoke", data=str(SAMPLE), out=out, only=["01_data"], params={"image_size": 64}, progress=False,
                      dry_run=True, force=True)
    assert {s["notebook"]: s["action"] for s in plan}["01_data"] == "run"  # --force: allowed


def test_a_run_killed_mid_chapter_resumes_to_the_same_results(smoke_run, tmp_path):
    out, chapters3 = tmp_path / "killed", ["00_core", "01_data", "03_splitting"]
    run_report("smoke", data=str(SAMPLE), out=out, only=chapters3, progress=False)
    code = ("import sys; from wbc_nb.report import run_report; run_report('smoke', data=sys.argv[1], out=sys.argv[2], "
            "only=['03_splitting'], params={'val_fraction': 0.2}, progress=False)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(SAMPLE), str(out)])
    deadline, run = time.time() + 600, {}
    while time.time() < deadline and proc.poll() is None:
        run = json.loads((out / "run.json").read_text())
        if run["notebooks"]["03_splitting"].get("status") == "running": break
        time.sleep(0.2)
    proc.kill(); proc.wait()  # kill -9 in the middle of 03_splitting
    assert run["notebooks"]["03_splitting"]["status"] == "running" and set(run["notebooks"]) == set(chapters3)  # the others' records stand
    rec = run_report("smoke", data=str(SAMPLE), out=out, only=chapters3, progress=False)
    assert rec["notebooks"]["01_data"].get("resumed") and not rec["notebooks"]["03_splitting"].get("resumed")
    assert json.loads((out / "artifacts" / "split.json").read_text()) == json.loads((smoke_run / "artifacts" / "split.json").read_text())


def test_a_bad_parameter_through_papermill_names_it(tmp_path):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(ROOT / "nbs" / "01_data.ipynb"), str(tmp_path / "out.ipynb"), parameters={"image_size": "abc"},
                            cwd=str(ROOT / "nbs"), progress_bar=False)
    assert err.value.ename == "WBCError" and "parameter image_size='abc': expects an integer" in err.value.evalue


@pytest.mark.parametrize("name", REPORT_CHAPTERS)
def test_every_chapter_checks_its_parameters_right_after_them(name):
    nb = nbformat.read(chapters()[name], as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    check = nb.cells[at + 1].source
    assert "check_parameters(" in check, f"{name}: the cell after the parameters does not check them"
    assert all(f"{p}={p}" in check for p in notebook_parameters(chapters()[name])), f"{name}: a parameter goes unchecked"


def test_augmentation_choice_is_made_by_the_short_fine_tunes(smoke_run):
    aug = json.loads((smoke_run / "artifacts" / "augmentation_metrics.json").read_text())
    params = {**notebook_parameters(chapters()["07_augmentation"]),
              **json.loads((smoke_run / "run.json").read_text())["notebooks"]["07_augmentation"]["parameters"]}
    e2e = {r["policy"]: r for r in aug["end_to_end"]}
    assert params["finetune_policies"] and list(e2e) == params["finetune_policies"] and aug["method"].startswith("short fine-tunes")
    assert aug["best"] == max(e2e, key=lambda p: e2e[p]["selection macro-F1"])  # the rule reads the fine-tuned networks
    for r in e2e.values():
        assert 0 <= r["held-out shifted macro-F1"] <= 1 and 0 <= r["balanced test macro-F1"] <= 1
    assert set(aug["end_to_end_families"]) == set(e2e)
    head = json.loads((smoke_run / "artifacts" / "head_metrics.json").read_text())
    assert head["choice"]["augment"] == aug["best"]  # and the next chapter fine-tunes with it


def test_outlier_detector_looks_at_its_analysis_size(smoke_run, tmp_path):
    out = _copy_run(smoke_run, tmp_path)
    run_report("smoke", data=str(SAMPLE), out=out, only=["02_outliers"], params={"image_size": 64}, progress=False, force=True)
    nb = nbformat.read(out / "notebooks" / "02_outliers.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "320 cells seen at 96 px" in text  # the 64 px working set, judged at the rules' own size
    assert json.loads((out / "artifacts" / "clean_dataset.json").read_text())["image_size"] == 64
