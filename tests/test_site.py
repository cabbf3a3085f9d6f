"""The report site built from a real smoke run with Sphinx + myst-nb (no Quarto here): every chapter a page in
`_quarto.yml` order, directives honoured, computed prose that states the run, and nothing a reader should not see."""
import json
import re
from html.parser import HTMLParser

import pytest

from wbc_nb.core import WBCError
from wbc_nb.report import chapters
from wbc_nb.results import fmt
from wbc_nb.site import build_site


def pages(site):
    return {p.stem: p.read_text() for p in site.glob("*.html")}


class _Text(HTMLParser):
    "The visible text of a page outside code blocks (inline code counts), scripts and styles."
    SKIP = {"script", "style", "pre"}
    def __init__(self):
        super().__init__(); self.skip, self.parts = 0, []
    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP: self.skip += 1
    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip: self.skip -= 1
    def handle_data(self, data):
        if not self.skip: self.parts.append(data)


def prose(html_text):
    parser = _Text(); parser.feed(html_text)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def test_one_page_per_chapter_in_order(site):
    got = pages(site)
    assert set(chapters()) <= set(got) and {"api", "search"} <= set(got)
    sidebar = re.search(r'<nav[^>]*bd-docs-nav[^>]*>(.*?)</nav>', got["index"], re.S).group(1)
    hrefs = list(dict.fromkeys(re.findall(r'href="(\w+)\.html"', sidebar)))
    assert hrefs == [n for n in chapters() if n != "index"] + ["api"]  # _quarto.yml order, then the API reference
    assert "<title>Final model" in got["10_final_model"]


def test_library_and_test_cells_are_folded_or_hidden(site):
    data = pages(site)["01_data"]
    assert "from fastcore.test import" not in data            # `#| hide` cells are gone
    assert "#| export" not in data and "default_exp" not in data
    assert re.search(r'<details class="[^"]*hide', data)      # library code and tests are folded


def test_no_warning_traceback_or_progress_bar_on_any_page(site):
    for name, text in pages(site).items():
        visible = prose(text)
        for word in ("Traceback", "Warning", "WARNING", "IProgress", "━", "Author name not set"):
            assert word not in visible, f"{name}: {word!r} outside code"


def test_figures_are_numbered_with_captions(site):
    final = pages(site)["10_final_model"]
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", final, re.S)
    assert len(captions) >= 3 and all("Figure" in c for c in captions)
    assert "Confusion matrix of the shipped model" in prose(final)


def test_pages_state_this_runs_numbers(site, smoke_run):
    final = json.loads((smoke_run / "artifacts" / "final_metrics.json").read_text())
    page = prose(pages(site)["10_final_model"])
    assert "Results of this run" in page and re.search(r"profile smoke\s*:", page)
    assert fmt(final["test_macro_f1"], 4) in page            # the run's own balanced-test macro-F1
    home = prose(pages(site)["index"])
    assert "this run (smoke)" in home and fmt(final["test_macro_f1"]) in home and "student report" in home


def test_results_box_comes_first_and_findings_reach_the_home_page(site, smoke_run):
    page = pages(site)["04_imbalance"]
    title, box, code = page.find("<h1"), page.find("Results of this run"), page.find("cell_input")
    assert 0 < title < box < code                            # right under the title, before any code
    findings = json.loads((smoke_run / "artifacts" / "findings.json").read_text())
    assert {"04_imbalance", "10_final_model", "11_gradcam"} <= set(findings)
    assert "In this run:" in prose(pages(site)["index"])


def test_api_reference_documents_exported_functions(site):
    api = pages(site)["api"]
    for name in ("wbc_nb.results.results_summary", "wbc_nb.site.build_site", "wbc_nb.train.train_classifier"):
        assert f'id="{name}"' in api, name


def test_site_is_replaced_whole_and_refuses_a_non_run(site, smoke_run, tmp_path):
    (site / "stale.html").write_text("old")
    build_site(smoke_run, use_quarto=False)
    assert not (site / "stale.html").exists()
    with pytest.raises(WBCError, match="not a run folder"):
        build_site(tmp_path, use_quarto=False)
