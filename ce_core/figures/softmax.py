"""Softmax of the logits, the one-hot target, and the gradient that backpropagation sends.

Two builders:

- :func:`make_softmax_figure`: top, the one-hot target (p, blue) and the softmax
  probabilities (q, orange hatched) per class; bottom, the gradient of the loss
  with respect to each logit, ``(softmax(z/T) - one-hot) / (T ln b)``.
- :func:`make_temperature_scrub_figure`: the softmax probabilities under an
  in-figure slider over temperatures, frames precomputed with :mod:`ce_core`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.figures.scrub_slider import scrub_slider
from ce_core.figures.spec import figure_from
from ce_core.figures.theme import LOSS, P_BAR, Q_BAR, TEMPLATE_NAME
from ce_core.temperature import losses_over_temperatures, softmax_over_temperatures, temperature_grid

#: Temperatures of the scrub figure's frames: 0.1, 0.2, ..., 5.0.
SCRUB_TEMPERATURES = temperature_grid(0.1, 5.0, 0.1)

GRADIENT_BAR = {"color": LOSS, "pattern": {"shape": "x", "fillmode": "overlay", "fgcolor": "#7A2E00",
                                           "solidity": 0.2}}
NAMES = {"target": "one-hot target (p)", "softmax": "softmax (q)", "gradient": "gradient ∂ℓ/∂z"}


def _class_labels(names: Sequence[str], target: int) -> list[str]:
    return [f"{n} ✓" if i == target else str(n) for i, n in enumerate(names)]


def _check(names: Sequence[str], arrays: dict[str, np.ndarray], target: int) -> None:
    for label, arr in arrays.items():
        if arr.shape != (len(names),):
            raise ValueError(f"{label} must have one value per class, shape ({len(names)},) (got shape {arr.shape})")
    if not 0 <= target < len(names):
        raise ValueError(f"target must be a class index in 0..{len(names) - 1} (got {target!r})")


def make_softmax_figure(names: Sequence[str], probabilities: Sequence[float], gradient: Sequence[float],
                        target: int, unit: str, *, height: int = 560) -> go.Figure:
    """Target and softmax bars on top, gradient bars below (one subplot each).

    Traces, in order: the one-hot target (top), the softmax probabilities (top),
    the gradient (bottom). Their ``y`` are the arrays given.

    Parameters
    ----------
    names : sequence of str
        Class names.
    probabilities : array_like
        ``softmax(z / T)``, from :mod:`ce_core`.
    gradient : array_like
        ``d loss / d z`` in ``unit``, from :func:`ce_core.temperature.tempered_gradient`.
    target : int
        Index of the true class (marked with ✓).
    unit : str
        Unit of the loss, for the gradient axis title.
    """
    q = np.asarray(probabilities, dtype=float)
    g = np.asarray(gradient, dtype=float)
    _check(names, {"probabilities": q, "gradient": g}, target)
    labels = _class_labels(names, target)
    one_hot = np.zeros(len(names))
    one_hot[target] = 1.0
    bar_text = {"textposition": "outside", "cliponaxis": False}
    digits = 3 if len(names) <= 5 else 2  # many bars: shorter labels stay legible on a phone
    data = [
        {"type": "bar", "x": labels, "y": one_hot, "name": NAMES["target"], "marker": P_BAR,
         "hovertemplate": "%{x}: target %{y:.0f}<extra></extra>"},
        {"type": "bar", "x": labels, "y": q, "name": NAMES["softmax"], "marker": Q_BAR,
         "text": [f"{v:.{digits}f}" for v in q], **bar_text, "hovertemplate": "%{x}: softmax %{y:.4f}<extra></extra>"},
        {"type": "bar", "x": labels, "y": g, "name": NAMES["gradient"], "marker": GRADIENT_BAR,
         "xaxis": "x2", "yaxis": "y2", "text": [f"{v:+.{digits}f}" for v in g], **bar_text,
         "hovertemplate": f"%{{x}}: ∂ℓ/∂z = %{{y:.4f}} {unit}<extra></extra>"},
    ]
    limit = max(1e-9, float(np.max(np.abs(g))))
    title = {"font": {"size": 14}, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
             "yanchor": "bottom", "showarrow": False}
    layout = {
        "template": TEMPLATE_NAME, "height": height, "barmode": "group", "bargap": 0.25, "margin": {"t": 84},
        "xaxis": {"domain": [0, 1], "anchor": "y", "matches": "x2", "showticklabels": False},
        "yaxis": {"domain": [0.53, 1], "anchor": "x", "range": [0, 1.18], "title": {"text": "probability"}},
        "xaxis2": {"domain": [0, 1], "anchor": "y2", "title": {"text": "class (✓ = true class)"}},
        "yaxis2": {"domain": [0, 0.4], "anchor": "x2", "range": [-1.35 * limit, 1.35 * limit],
                   "title": {"text": f"∂ℓ/∂z ({unit})"}, "zeroline": True, "zerolinewidth": 2},
        "annotations": [{**title, "text": f"gradient of the loss ({unit}) per logit", "y": 0.41}],
    }
    return figure_from(data, layout)


def make_temperature_scrub_figure(names: Sequence[str], logits: Sequence[float], target: int, base: float,
                                  unit: str, *, start: float = 1.0, height: int = 420) -> go.Figure:
    """Softmax probabilities under an in-figure slider over the temperature.

    Trace 0 is the one-hot target, trace 1 the probabilities ``softmax(z / T)``.
    One frame per temperature in :data:`SCRUB_TEMPERATURES` (named ``"0.1"`` ...
    ``"5.0"``) replaces trace 1's ``y`` (from
    :func:`ce_core.temperature.softmax_over_temperatures`) and its text; the true
    bars' text; each slider step's label gives the temperature and the loss
    ``-log_b softmax(z/T)_y`` in ``unit``.
    """
    z = np.asarray(logits, dtype=float)
    one_hot = np.zeros(len(names))
    _check(names, {"logits": z, "one-hot": one_hot}, target)
    one_hot[target] = 1.0
    labels = _class_labels(names, target)
    probs = softmax_over_temperatures(z, SCRUB_TEMPERATURES)
    losses = losses_over_temperatures(z, target, SCRUB_TEMPERATURES, base)
    frames, labels_per_step = [], []
    for t, row, loss in zip(SCRUB_TEMPERATURES, probs, losses, strict=True):
        frames.append({"name": f"{t:.1f}", "traces": [1],
                       "data": [{"type": "bar", "y": row.tolist(), "text": [f"{v:.2f}" for v in row]}]})
        labels_per_step.append(f"{t:.1f} · loss {loss:.3f} {unit}")
    active = int(np.argmin(np.abs(SCRUB_TEMPERATURES - float(start))))
    initial = {key: value for key, value in frames[active]["data"][0].items() if key != "type"}
    data = [
        {"type": "bar", "x": labels, "y": one_hot.tolist(), "name": NAMES["target"], "marker": P_BAR,
         "hovertemplate": "%{x}: target %{y:.0f}<extra></extra>"},
        {"type": "bar", "x": labels, **initial, "name": "softmax(z / T) (q)", "marker": Q_BAR,
         "textposition": "outside", "cliponaxis": False, "hovertemplate": "%{x}: %{y:.4f}<extra></extra>"},
    ]
    layout = {
        "template": TEMPLATE_NAME, "height": height, "barmode": "group", "bargap": 0.25,
        "xaxis": {"title": {"text": "class (✓ = true class)"}},
        "yaxis": {"title": {"text": "probability"}, "range": [0, 1.18]},
        "margin": {"b": 40},
        "sliders": [scrub_slider(frames, active, "temperature T = ", labels=labels_per_step, redraw=True)],
    }
    return figure_from(data, layout, frames)

