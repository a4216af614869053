"""Presenter mode: every text in every chart of every lesson is at least 18 px, set explicitly.

Explicitly matters: a text without its own size is drawn at the size Streamlit's chart theme
gives it (the legend at 0.75 of the global font), not at the figure's global size.
"""

from __future__ import annotations

import pytest

from lab.figures.theme import PRESENTER_MIN_FONT
from lab.nav import SECTIONS
from tests.apptest_utils import chart_specs, run_page

LESSONS = [
    lesson.file.removeprefix("pages/").removesuffix(".py")
    for lesson in SECTIONS["Information"] + SECTIONS["The loss"]
]


def _font_sizes(node, path=""):
    """(path, size) of every font size anywhere in a figure's JSON."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                yield here, value["size"]
            yield from _font_sizes(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _font_sizes(value, f"{path}[{i}]")


def _explicit(spec: dict) -> list[str]:
    """The texts a projector needs large that have no size of their own."""
    layout, missing = spec["layout"], []
    if layout.get("showlegend", True) is not False and not layout.get("legend", {}).get("font", {}).get(
        "size"
    ):
        missing.append("legend")
    for name, axis in layout.items():
        if (
            name.startswith(("xaxis", "yaxis"))
            and axis.get("visible", True)
            and not axis.get("tickfont", {}).get("size")
        ):
            missing.append(f"{name} ticks")
    for i, annotation in enumerate(layout.get("annotations", [])):
        if not annotation.get("font", {}).get("size"):
            missing.append(f"annotation {i}")
    for i, trace in enumerate(spec["data"]):
        if (
            trace.get("text") is not None
            and "text" in str(trace.get("mode", "text")) + trace.get("type", "")
            and not trace.get("textfont", {}).get("size")
        ):
            missing.append(f"trace {i} ({trace.get('name')}) text")
    return missing


@pytest.mark.parametrize("page", LESSONS)
def test_presenter_mode_sets_every_chart_text_to_at_least_18_px(page):
    at = run_page(page, query_params={"presenter": "true", "predict": "false"})
    specs = chart_specs(at)
    if page != "framework_parity":  # a page of code and tables
        # live charts (custom components) size their text in rem: test_presenter_mode_reaches_the_live_chart
        assert specs or at.get("bidi_component"), f"{page}: no chart"
    for n, spec in enumerate(specs):
        small = [
            (where, size)
            for where, size in _font_sizes(spec)
            if ".frames" not in where
            and ".template" not in where
            and not (isinstance(size, (int, float)) and size >= PRESENTER_MIN_FONT)
        ]
        assert not small, f"{page} chart {n}: text below {PRESENTER_MIN_FONT} px: {small[:6]}"
        assert not _explicit(spec), f"{page} chart {n}: no explicit presenter size for {_explicit(spec)}"


def test_without_presenter_mode_the_charts_keep_their_own_sizes():
    spec = chart_specs(run_page("cross_entropy_kl", query_params={"predict": "false"}))[0]
    assert any(size < PRESENTER_MIN_FONT for _, size in _font_sizes(spec)), (
        "the plain chart should be unscaled"
    )
