"""Shared fixtures: one real smoke run (on the 320-image sample) that the runner, site and browser tests read."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "pbc_sample"


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    "Caches go to a fresh folder, never into the data or the user's cache."
    old = os.environ.get("WBC_CACHE")
    os.environ["WBC_CACHE"] = str(tmp_path_factory.mktemp("wbc_cache"))
    yield
    if old is None: os.environ.pop("WBC_CACHE", None)
    else: os.environ["WBC_CACHE"] = old


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    "Run directory of a complete `smoke` run."
    from wbc_nb.report import run_report
    out = tmp_path_factory.mktemp("runs") / "smoke"
    run_report("smoke", data=str(SAMPLE), out=out, progress=False)
    return out


@pytest.fixture(scope="session")
def site(smoke_run):
    "Site folder built from the smoke run with Sphinx + myst-nb (never Quarto, so the tests mean the same everywhere)."
    from wbc_nb.site import build_site
    return build_site(smoke_run, use_quarto=False)
