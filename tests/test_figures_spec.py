"""FigureSpec: figures as plain data, built the way go.Figure's methods build them.

Each behaviour is compared with Plotly's own go.Figure doing the same calls, so the
lab's fast path cannot drift from what Plotly would have produced. (The conftest
fixture also checks every figure of the test_figures_* modules against Plotly's
validators.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from lab.figures.distributions import make_distribution_bars
from lab.figures.spec import FigureSpec, figure_from
from lab.figures.theme import P_LINE, TEMPLATE_NAME

ROOT = Path(__file__).resolve().parent.parent


def as_json(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def both(calls) -> tuple[dict, dict]:
    """Apply the same calls to a FigureSpec and to a go.Figure; both as browser JSON."""
    spec, plotly_fig = FigureSpec({"template": TEMPLATE_NAME}), go.Figure(layout={"template": TEMPLATE_NAME})
    for name, args, kwargs in calls:
        getattr(spec, name)(*args, **kwargs)
        getattr(plotly_fig, name)(*args, **kwargs)
    return as_json(spec.figure()), as_json(plotly_fig)


@pytest.mark.parametrize(
    "calls",
    [
        [("update_layout", (), {"xaxis_range": [0, 1], "title_text": "t", "legend_traceorder": "normal"})],
        [("update_layout", (), {"xaxis_title": "a"}), ("update_layout", (), {"xaxis": {"range": [0, 2]}})],
        [("update_layout", ({"yaxis": {"title": {"text": "y"}}},), {"yaxis_range": [1, 3]})],
        [
            ("update_layout", (), {"hoverlabel_font_size": 20, "margin": {"t": 10}}),
            ("update_layout", (), {"margin": {"b": 5}}),
        ],
        [
            ("add_scatter", (), {"x": [0, 1], "y": [2, 3], "line": P_LINE, "marker_size": 9, "name": "p"}),
            (
                "add_bar",
                (),
                {"x": ["a"], "y": [1.0], "marker": {"color": "red"}, "error_y": {"array": [0.1]}},
            ),
        ],
        [
            ("add_bar", (), {"x": ["a", "b"], "y": [1.0, 2.0]}),
            ("add_scatter", (), {"x": [0], "y": [0]}),
            (
                "update_traces",
                (),
                {"selector": {"type": "bar"}, "marker_line": {"color": "#fff", "width": 1.5}},
            ),
        ],
        [
            ("add_annotation", (), {"x": 0.5, "y": 1, "text": "∞", "showarrow": False, "font": {"size": 20}}),
            ("add_annotation", (), {"x": 0.2, "y": 2, "text": "b", "font_color": "#000"}),
        ],
        [
            ("add_vline", (), {"x": 0.3, "line": {"color": "#6B6B6B", "dash": "dot", "width": 2}}),
            ("add_hline", (), {"y": 0, "line": {"color": "#9E9E9E", "width": 1}}),
            (
                "add_vrect",
                (),
                {"x0": 0.1, "x1": 0.4, "fillcolor": "#D55E00", "opacity": 0.08, "line_width": 0},
            ),
        ],
        [
            ("update_layout", (), {"xaxis_title": "x"}),
            ("update_xaxes", (), {"type": "log", "range": [0, 2]}),
            ("update_yaxes", (), {"title_text": "loss"}),
        ],
    ],
    ids=[
        "magic-underscores",
        "merge-keeps-title",
        "dict-and-kwargs",
        "nested-merge",
        "traces",
        "update-traces-selector",
        "annotations",
        "lines-and-bands",
        "axes",
    ],
)
def test_calls_give_what_go_figure_gives(calls):
    spec_json, plotly_json = both(calls)
    assert spec_json == plotly_json


def test_none_removes_a_property_as_in_plotly():
    spec_json, plotly_json = both(
        [("update_layout", (), {"title_text": "t", "height": 300}), ("update_layout", (), {"height": None})]
    )
    assert "height" not in spec_json["layout"]
    assert spec_json == plotly_json


def test_shared_style_dicts_are_never_mutated():
    before = json.dumps(P_LINE)
    spec = FigureSpec()
    spec.add_scatter(x=[0], y=[0], line=P_LINE)
    spec.update_traces(line_width=9, line_dash="dot")
    assert json.dumps(P_LINE) == before
    assert spec.data[0]["line"] == {**P_LINE, "width": 9, "dash": "dot"}


def test_template_by_name_becomes_its_data():
    layout = as_json(FigureSpec({"template": TEMPLATE_NAME}).figure())["layout"]
    assert layout["template"] == json.loads(json.dumps(pio.templates[TEMPLATE_NAME].to_plotly_json()))


def test_figure_from_with_frames_matches_validated_figure():
    data = [{"type": "scatter", "x": np.linspace(0, 1, 3), "y": [0.0, 1.0, 2.0], "name": "curve"}]
    frames = [{"name": "a", "data": [{"type": "scatter", "y": [1.0, 1.0, 1.0]}], "traces": [0]}]
    layout = {"template": TEMPLATE_NAME, "title": "A title", "xaxis": {"title": "x"}}
    fast = figure_from(data, layout, frames)
    slow = go.Figure({"data": data, "layout": layout, "frames": frames})
    assert as_json(fast) == as_json(slow)


def test_distribution_bars_show_p_and_q():
    fig = make_distribution_bars(["a", "b", "c"], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1])
    assert [t.name for t in fig.data] == ["p (truth)", "q (model)"]
    assert list(fig.data[0].y) == [0.2, 0.3, 0.5]
    assert list(fig.data[1].y) == [0.6, 0.3, 0.1]
    assert [t.marker.pattern.shape for t in fig.data] == [None, "/"]  # q's second cue: a hatch


def test_every_builder_is_exercised_by_a_figure_test():
    """The conftest validator only sees builders that a test_figures_* module calls."""
    builders = {
        node.name
        for path in (ROOT / "lab" / "figures").glob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("make_")
    }
    tests_text = "\n".join(p.read_text() for p in (ROOT / "tests").glob("test_figures_*.py"))
    assert builders
    assert not {b for b in builders if b not in tests_text}


def test_prepared_figure_sends_the_same_json_and_copies_cleanly():
    from plotly.tools import return_figure_from_figure_or_data

    from lab.figures.spec import figure_from, prepared
    from lab.figures.theme import presenter_scale

    n = 12  # a figure with frames (no lesson keeps one since the live controls; prepared() still must)
    frames = [
        {"name": str(i), "traces": [0], "data": [{"type": "scatter", "y": [i, i + 1]}]} for i in range(n)
    ]
    fig = figure_from(
        [{"type": "scatter", "x": [0, 1], "y": [0, 1], "marker": {"size": 8}}],
        {"template": "ce_lab", "font": {"size": 14}},
        frames,
    )
    ready = prepared(fig)
    # What st.plotly_chart sends: return_figure_from_figure_or_data, then to_json.
    sent = pio.to_json(return_figure_from_figure_or_data(ready, True), validate=False)
    assert json.loads(sent) == as_json(fig)
    assert len(json.loads(sent)["frames"]) == len(fig.frames) == n
    copy = presenter_scale(go.Figure(ready.to_dict()))  # presenter mode scales a copy, with every frame
    assert len(copy.frames) == n
    assert copy.layout.font.size > (fig.layout.font.size or 14)
    assert json.loads(pio.to_json(ready, validate=False)) == as_json(fig)  # the original is untouched
