"""lab.components.live_chart's Python side: several charts per control, float32 curves, their export."""

import base64
import math

import numpy as np
import pytest

from lab.figures import live


def _f4(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4")


def test_a_float32_curve_halves_the_table_and_keeps_infinities():
    x = np.linspace(0.01, 1.0, 50)
    ys = np.vstack([-np.log(x) * g for g in (0.5, 1.0, 2.0)])
    ys[1, 0] = math.inf
    wide, narrow = live.curve("c", x, ys, "loss"), live.curve("c", x, ys, "loss", f32=True)
    assert narrow["y_f32"] is True
    assert "y_f32" not in wide
    assert len(base64.b64decode(narrow["y"])) * 2 == len(base64.b64decode(wide["y"]))
    got = _f4(narrow["y"]).reshape(3, -1).astype(float)
    assert math.isinf(got[1, 0])
    np.testing.assert_allclose(got[np.isfinite(got)], ys[np.isfinite(ys)], rtol=1.2e-7)


def test_a_float32_curve_refuses_values_beyond_float32():
    with pytest.raises(ValueError, match="float32"):
        live.curve("c", [1.0, 2.0], [[1.0, 1e50]], "loss", f32=True)


def test_the_export_of_a_float32_curve_gives_the_short_decimals_of_the_row_shown():
    x = np.array([0.1, 0.2, 0.3])
    ys = np.array([[0.1, 0.2, 0.3], [1.1, 2.2, 3.3]])
    axes = {
        "x_range": (0, 1),
        "y_range": (0, 4),
        "x_label": "x",
        "y_label": "y",
        "x_ticks": [],
        "y_ticks": [],
    }
    spec = live.chart_spec([live.curve("c", x, ys, "loss", f32=True)], **axes)
    (trace,) = live.export_traces(spec, 1)
    assert trace.y == [1.1, 2.2, 3.3]  # not 1.100000023841858, ...
    assert trace.x == [0.1, 0.2, 0.3]


def test_a_log_y_axis_needs_a_positive_range():
    with pytest.raises(ValueError, match="log y axis"):
        live.chart_spec(
            [], x_range=(0, 1), y_range=(0, 10), x_label="x", y_label="y", x_ticks=[], y_ticks=[], y_log=True
        )
    spec = live.chart_spec(
        [],
        x_range=(0, 1),
        y_range=(1e-3, 10),
        x_label="x",
        y_label="y",
        x_ticks=[],
        y_ticks=[],
        y_log=True,
        key="mine",
    )
    assert (spec["y_log"], spec["key"]) == (True, "mine")
