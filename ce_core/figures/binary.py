"""Binary cross-entropy against the predicted probability, with MSE and MAE beside it.

:func:`make_binary_loss_figure`: both cross-entropy curves, squared and absolute error for
the chosen label, the point at the chosen prediction and its tangent. (The lesson page draws
the same picture live with lab.components.live_chart, from ce_core.live.binary_sweep; the
grid of the curves and the top of the axis are shared from here.)

Cross-entropy is drawn in the unit of ``base`` on the left axis; squared and absolute error have no
unit (they are not information quantities) and are drawn on their own right-hand axis, at the same
numeric scale (1 is at the same height on both).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from ce_core.binary_point import binary_loss_curves, binary_point, tangent_segment
from ce_core.figures.spec import figure_from
from ce_core.figures.theme import ACCENT, KL, LOSS, LOSS_TEXT, NEUTRAL, TEMPLATE_NAME
from ce_core.softmax import sigmoid

#: Prediction grid of the curves, evenly spaced in the logit so that it is dense near 0 and 1 where
#: the curves bend (201 points from 0.0015 to 0.9985); the ends, where the loss is infinite, are left out.
CURVE_GRID = sigmoid(np.linspace(-6.5, 6.5, 201))
#: The y axis shows cross-entropy up to a little above its value at q = 0.01 (or 0.99).
Y_TOP_NATS = 1.1 * -math.log(0.01)
TANGENT_HALF_WIDTH = 0.12
#: The readout text sits in the empty upper middle of the plot, at this fraction of the axis height.
READOUT_HEIGHT = 0.72

CE_ACTIVE_LINE = {"color": LOSS, "width": 3, "dash": "solid"}
CE_OTHER_LINE = {"color": NEUTRAL, "width": 2, "dash": "dot"}
SQUARED_LINE = {"color": ACCENT, "width": 2.5, "dash": "dashdot"}
ABSOLUTE_LINE = {"color": KL, "width": 2.5, "dash": "longdash"}
TANGENT_LINE = {"color": "#262730", "width": 2, "dash": "solid"}
POINT_MARKER = {"color": [LOSS, ACCENT, KL], "symbol": ["circle", "square", "diamond"], "size": 12,
                "line": {"color": "#FFFFFF", "width": 1.5}}

NAMES = {
    "ce1": "cross-entropy, y = 1",
    "ce0": "cross-entropy, y = 0",
    "squared": "squared error",
    "absolute": "absolute error",
    "point": "at q",
    "tangent": "tangent",
    "readout": "readout",
}


def _check_label(y: object) -> int:
    if y not in (0, 1):
        raise ValueError(f"y must be 0 or 1 (got {y!r})")
    return int(y)


def y_top(base: float) -> float:
    """Top of the y axis in the unit of ``base``."""
    return Y_TOP_NATS / math.log(base)


def _static_traces(y: int, base: float, unit: str) -> list[dict]:
    curves = {label: binary_loss_curves(label, CURVE_GRID, base) for label in (1, 0)}
    traces = [
        {"type": "scatter", "x": CURVE_GRID, "y": curves[label]["cross_entropy"], "name": NAMES[f"ce{label}"],
         "mode": "lines", "line": CE_ACTIVE_LINE if label == y else CE_OTHER_LINE,
         "opacity": 1.0 if label == y else 0.7,
         "hovertemplate": f"q = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra>y = {label}</extra>"}
        for label in (1, 0)
    ]
    traces.append({"type": "scatter", "x": CURVE_GRID, "y": curves[y]["squared"], "mode": "lines", "yaxis": "y2",
                   "name": f"{NAMES['squared']} (y = {y}, no unit)", "line": SQUARED_LINE,
                   "hovertemplate": "q = %{x:.3f}<br>(y − q)² = %{y:.4f}<extra></extra>"})
    traces.append({"type": "scatter", "x": CURVE_GRID, "y": curves[y]["absolute"], "mode": "lines", "yaxis": "y2",
                   "name": f"{NAMES['absolute']} (y = {y}, no unit)", "line": ABSOLUTE_LINE,
                   "hovertemplate": "q = %{x:.3f}<br>|y − q| = %{y:.4f}<extra></extra>"})
    return traces


def _signed(value: float, digits: int = 3) -> str:
    """A number with its sign, infinity as "∞"."""
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    return f"{value:+.{digits}f}".replace("-", "−")


def _point_data(y: int, x: float, base: float, unit: str) -> tuple[dict, dict, dict]:
    """Data of the tangent, the point and the readout traces at prediction ``x``.

    The point's ``customdata`` holds the true values (cross-entropy, squared,
    absolute error); a loss above the axis (infinite at 0 or 1) sits at its top.
    The readout is a block of text in the empty upper middle of the plot.
    """
    pt = binary_point(y, x, base)
    top = y_top(base)
    ce_text = f"{pt.loss:.3f} {unit}" if math.isfinite(pt.loss) else f"∞ {unit}"
    point = {"x": [x, x, x], "y": [pt.loss if pt.loss <= top else 0.97 * top, pt.squared, pt.absolute],
             "customdata": [pt.loss, pt.squared, pt.absolute], "text": [ce_text, "", ""]}
    if math.isfinite(pt.slope) and pt.loss <= top:  # no tangent at an infinite or off-axis loss
        tx, ty = tangent_segment(x, pt.loss, pt.slope, TANGENT_HALF_WIDTH, y_lower=0.0, y_upper=top)
        tangent = {"x": tx.tolist(), "y": ty.tolist()}
    else:
        tangent = {"x": [], "y": []}
    readout = {"x": [0.5], "y": [READOUT_HEIGHT * top],
               "text": [f"q = {x:.2f}, y = {y}<br>cross-entropy {ce_text}<br>slope dℓ/dq {_signed(pt.slope)}"
                        f"<br>squared {pt.squared:.3f} · absolute {pt.absolute:.3f}"]}
    return tangent, point, readout


def _figure(y: int, base: float, unit: str, parts: tuple[dict, dict, dict], height: int) -> go.Figure:
    tangent, point, readout = parts
    off_axis = point["customdata"][0] > y_top(base)
    marker = {**POINT_MARKER, "symbol": ["triangle-up" if off_axis else "circle", "square", "diamond"]}
    point = {**point, "mode": "markers+text",
             "textposition": ("middle" if off_axis else "top") + (" right" if y == 1 else " left"),
             "hovertemplate": "%{customdata:.4f}<extra>at q = %{x:.2f}</extra>"}
    data = [
        *_static_traces(y, base, unit),
        {"type": "scatter", **tangent, "name": NAMES["tangent"], "mode": "lines", "line": TANGENT_LINE,
         "hoverinfo": "skip"},
        {"type": "scatter", **point, "name": NAMES["point"], "marker": marker,
         "textfont": {"size": 14, "color": LOSS_TEXT}, "cliponaxis": False},
        {"type": "scatter", **readout, "name": NAMES["readout"], "mode": "text", "showlegend": False,
         "textfont": {"size": 14, "color": "#262730"}, "hoverinfo": "skip"},
    ]
    layout = {
        "template": TEMPLATE_NAME, "height": height, "hovermode": "closest", "legend": {"font": {"size": 12}},
        "xaxis": {"range": [-0.015, 1.015], "dtick": 0.1, "title": {"text": "predicted probability of class 1, q"}},
        "yaxis": {"range": [0, y_top(base)], "title": {"text": f"cross-entropy ({unit})"}},
        # Squared and absolute error have no unit: their own axis, on the right, at the same numeric scale
        # (matches="y"), so a value of 1 sits at the same height on both sides.
        "yaxis2": {"overlaying": "y", "side": "right", "matches": "y", "showgrid": False,
                   "title": {"text": "squared / absolute error (no unit)", "font": {"color": "#1F5F8B"}}},
    }
    return figure_from(data, layout)


def make_binary_loss_figure(y: int, y_hat: float, base: float, unit: str, *, height: int = 440) -> go.Figure:
    """Loss curves against the predicted probability ``q`` with the point at ``y_hat``.

    Traces, in order: cross-entropy for y = 1, for y = 0 (in ``unit``), squared
    error and absolute error for the label ``y`` (no unit), the tangent to the
    active cross-entropy curve at ``y_hat`` (empty where the slope is infinite),
    the point: three markers at ``y_hat`` on cross-entropy, squared and
    absolute error, and the readout (text: q, the loss, the slope, MSE and MAE).
    A loss above the axis (infinite at ``y_hat`` = 0 or 1 against
    the label) is drawn at the top as a triangle with its value ("∞ bits") as
    text; the point's ``customdata`` always holds the true values.
    """
    y = _check_label(y)
    return _figure(y, base, unit, _point_data(y, float(y_hat), base, unit), height)
