"""The live chart of the binary cross-entropy lesson, its curve grid and the top of its y axis.

The lesson page draws binary cross-entropy, squared and absolute error against the predicted
probability live with lab.components.live_chart; :func:`prediction_chart` builds that chart's spec
from ce_core.live.binary_sweep (pure: no Streamlit).
"""

from __future__ import annotations

import math

import numpy as np

from ce_core.binary_point import binary_loss_curves
from ce_core.live import binary_sweep
from ce_core.softmax import sigmoid
from lab.figures import live
from lab.figures.variants import fmt_loss

#: Prediction grid of the curves, evenly spaced in the logit so that it is dense near 0 and 1 where
#: the curves bend (201 points from 0.0015 to 0.9985); the ends, where the loss is infinite, are left out.
CURVE_GRID = sigmoid(np.linspace(-6.5, 6.5, 201))
#: The y axis shows cross-entropy up to a little above its value at q = 0.01 (or 0.99).
Y_TOP_NATS = 1.1 * -math.log(0.01)


def y_top(base: float) -> float:
    """Top of the y axis in the unit of ``base``."""
    return Y_TOP_NATS / math.log(base)


def _slope_text(slope: float, unit: str) -> str:
    return fmt_loss(slope, unit).replace("∞", "−∞" if slope < 0 else "∞")


def prediction_chart(y: int, grid: np.ndarray, *, base: float, unit: str) -> tuple[dict, list[dict]]:
    """The loss curves for label ``y`` and, for every position of ``grid`` (q), the point, tangent and readouts.

    One batched ce_core call (binary_sweep) gives every number; the browser only looks rows up.
    """
    top = y_top(base)
    s = binary_sweep(y, grid, base, y_top=top)
    curves = {label: binary_loss_curves(label, CURVE_GRID, base) for label in (1, 0)}
    loss_text = [fmt_loss(v, unit) for v in s["loss"]]
    slope_text = [
        "infinite (no tangent)" if math.isinf(v) else f"{v:+.4f} {unit} per unit q" for v in s["slope"]
    ]
    caption = [
        f"Loss against the prediction q for label y = {y}. At q = {q:.2f}: cross-entropy {loss_text[i]}, "
        f"slope {slope_text[i]}; squared error {s['squared'][i]:.4f} and absolute error "
        f"{s['absolute'][i]:.4f}, plain numbers with no unit, drawn at the same numeric scale."
        for i, q in enumerate(grid)
    ]
    layers = [
        live.line(f"cross-entropy, y = {y}", CURVE_GRID, curves[y]["cross_entropy"], "loss"),
        live.line(f"cross-entropy, y = {1 - y}", CURVE_GRID, curves[1 - y]["cross_entropy"], "other"),
        live.line(f"squared error (y = {y}, no unit)", CURVE_GRID, curves[y]["squared"], "squared"),
        live.line(f"absolute error (y = {y}, no unit)", CURVE_GRID, curves[y]["absolute"], "absolute"),
        live.segment(
            "tangent", s["tangent_x0"], s["tangent_y0"], s["tangent_x1"], s["tangent_y1"], "tangent"
        ),
        live.point("squared error at q", s["x"], s["squared"], "squared", symbol="square", legend=False),
        live.point("absolute error at q", s["x"], s["absolute"], "absolute", symbol="diamond", legend=False),
        live.point(
            "cross-entropy at q", s["x"], s["loss"], "loss", labels=loss_text, legend=False, size=0.55
        ),
    ]
    spec = live.chart_spec(
        layers,
        x_range=(-0.015, 1.015),
        y_range=(0.0, top),
        x_label="predicted probability of class 1, q",
        y_label=f"cross-entropy ({unit}) · errors (no unit)",
        x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.1), 1), 1),
        y_ticks=live.ticks(live.nice_ticks(top)),
        caption=caption,
    )
    readouts = [
        live.readout("loss", "Cross-entropy ℓ", loss_text),
        live.readout("slope", "Slope dℓ/dq", [_slope_text(v, unit) for v in s["slope"]]),
        live.readout(
            "logit_gradient", "Gradient to the logit dℓ/dz", [fmt_loss(v, unit) for v in s["logit_gradient"]]
        ),
    ]
    return spec, readouts
