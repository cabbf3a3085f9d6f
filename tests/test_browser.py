"""Open the smoke site in headless Chromium from disk (file://): every page loads without console errors, the
sidebar lists every chapter, search finds the Grad-CAM chapter, figures have captions, and the final-model page
states the run's own balanced-test macro-F1. A screenshot of each page is saved."""
import json
import os
import shutil
from pathlib import Path

import pytest

from wbc_nb.report import chapter_title, chapters
from wbc_nb.results import fmt

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not CHROMIUM:
    if os.environ.get("CI"): raise RuntimeError("chromium is required in CI (.ci/run installs it)")
    pytest.skip("chromium not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url, errors):
    page = browser.new_page(viewport={"width": 1300, "height": 950})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed request {r.url}"))
    page.goto(url, wait_until="load")
    return page


def test_every_page_loads_cleanly_with_sidebar_and_captions(browser, site, tmp_path):
    shots = Path(os.environ.get("WBC_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    titles = [t for n, t in _sidebar_titles().items() if n != "index"]
    for name in list(chapters()) + ["api"]:
        errors = []
        page = open_page(browser, (site / f"{name}.html").as_uri(), errors)
        assert errors == [], f"{name}: {errors}"
        assert page.title().endswith("wbc_nb: white blood cell classification")
        sidebar = page.locator("nav.bd-docs-nav").inner_text()
        assert all(t in sidebar for t in titles), name
        broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length")
        assert broken == 0, name
        figures = page.locator("figure").count()
        assert page.locator("figure figcaption").count() == figures, f"{name}: a figure without a caption"
        page.screenshot(path=str(shots / f"{name}.png"))
        assert (shots / f"{name}.png").stat().st_size > 10_000
        page.close()


def _sidebar_titles():
    return {n: chapter_title(p)[0] for n, p in chapters().items()}


def test_search_from_the_home_page_finds_grad_cam(browser, site):
    errors = []
    page = open_page(browser, (site / "index.html").as_uri(), errors)
    page.locator("button.search-button__button, .search-button-field").first.click()
    box = page.locator("input[name='q']:visible").first
    box.fill("Grad-CAM"); box.press("Enter")
    page.wait_for_selector("#search-results li a", timeout=20_000)
    hits = page.locator("#search-results li a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any("11_gradcam.html" in h for h in hits), hits
    assert errors == [], errors
    page.close()


def test_final_model_page_states_the_runs_own_score(browser, site, smoke_run):
    final = json.loads((smoke_run / "artifacts" / "final_metrics.json").read_text())
    page = open_page(browser, (site / "10_final_model.html").as_uri(), [])
    text = page.locator("article").inner_text()
    assert "Results of this run" in text and fmt(final["test_macro_f1"], 4) in text
    assert text.index("Results of this run") < text.index("Training the final model")  # the box comes first
    page.close()
