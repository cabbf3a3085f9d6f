"""The report site built without Quarto: same pages, titles and order, navigation, figures, directives honoured."""
import re

import pytest

from wbc_nb.core import WBCError
from wbc_nb.report import build_site, chapters, site_config


def pages(site):
    return {p.stem: p.read_text() for p in site.glob("*.html")}


def test_one_page_per_chapter_in_order_with_titles(site):
    got = pages(site)
    assert set(got) == set(chapters())
    for name, text in got.items():
        assert re.search(r"<title>.+ – wbc_nb", text), name
    assert "<title>Data – " in got["01_data"] and "<title>Core – " in got["00_core"]
    nav = re.findall(r'<nav class="navbar">(.*?)</nav>', got["index"], re.S)[0]
    hrefs = re.findall(r'href="([^"]+)"', nav)[1:]
    assert hrefs == [f"{n}.html" for n in chapters()]  # _quarto.yml order
    assert site_config()["website"]["title"] in got["index"]


def test_figures_are_embedded_and_nothing_is_fetched(site):
    got = pages(site)
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', got["01_data"])) >= 4
    for name, text in got.items():
        assert not re.search(r"<script[^>]+src=", text), name
        assert not re.search(r'<link[^>]+href="https?:', text), name


def test_directives_are_honoured(site):
    got = pages(site)
    # `#| hide` cells (test-only imports) are gone, directive comments are not shown
    assert "from fastcore.test import" not in got["01_data"]
    assert "#| export" not in got["01_data"] and "default_exp" not in got["01_data"]
    assert "Parameters of this run" in got["01_data"]


def test_home_page_summarises_the_run(site, smoke_run):
    home = pages(site)["index"]
    assert "This run" in home and "smoke" in home and "01_data" in home
    assert "content_hash" not in home or "Key figures" in home
    assert "Key figures" in home and "images" in home


def test_site_is_replaced_whole_and_refuses_a_non_run(site, smoke_run, tmp_path):
    (site / "stale.html").write_text("old")
    build_site(smoke_run, use_quarto=False)
    assert not (site / "stale.html").exists()
    with pytest.raises(WBCError, match="not a run folder"):
        build_site(tmp_path, use_quarto=False)
