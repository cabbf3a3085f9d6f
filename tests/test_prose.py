"""The report's prose states its own run: numbers a run produces are computed (hidden-input Markdown cells), not
typed into Markdown cells, and every report chapter opens with a computed "Results of this run" box."""
import re

import nbformat
import pytest

from wbc_nb.report import chapters

DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+")
REPORT_CHAPTERS = [n for n in chapters() if n != "index" and "01" <= n[:2] < "90"]


def _cells(name):
    return nbformat.read(chapters()[name], as_version=4).cells


def test_few_decimal_numbers_are_typed_into_markdown():
    "At most 40 in all (literature figures, versions, citations); run results are computed."
    typed = {n: sum(len(DECIMAL.findall(c.source)) for c in _cells(n) if c.cell_type == "markdown") for n in chapters()}
    assert sum(typed.values()) <= 40, typed


@pytest.mark.parametrize("name", REPORT_CHAPTERS)
def test_chapter_has_a_computed_results_box(name):
    boxes = [c for c in _cells(name) if "results-summary" in c.metadata.get("tags", [])]
    assert len(boxes) == 1, name
    assert boxes[0].cell_type == "code" and "#| echo: false" in boxes[0].source and "results_summary(" in boxes[0].source
