"""Open the site in headless Chromium: every page loads without console errors, has its title and figures,
and the navigation bar leads from page to page. A screenshot of each page is saved."""
import os
import shutil
from pathlib import Path

import pytest

from wbc_nb.report import chapters

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


def test_every_page_loads_cleanly_with_title_and_figures(browser, site, tmp_path):
    shots = Path(os.environ.get("WBC_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for name in chapters():
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: errors.append(f"failed request {r.url}"))
        page.goto((site / f"{name}.html").as_uri(), wait_until="load")
        assert errors == [], f"{name}: {errors}"
        assert page.title().endswith("wbc_nb: white blood cell classification")
        assert page.locator("h1.title").inner_text() == page.title().split(" – ")[0]
        broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length")
        assert broken == 0, name
        if name == "01_data": assert page.locator("img").count() >= 4
        page.screenshot(path=str(shots / f"{name}.png"))
        assert (shots / f"{name}.png").stat().st_size > 10_000
        page.close()


def test_navigation_bar_links_every_page(browser, site):
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    for link in page.locator("nav.navbar a:not(.brand)").all_inner_texts():
        page.locator("nav.navbar a:not(.brand)", has_text=link).first.click()
        assert page.locator("nav.navbar a.active").inner_text() == link
    page.locator("nav.navbar a.brand").click()
    assert page.url.endswith("index.html")
    page.close()
