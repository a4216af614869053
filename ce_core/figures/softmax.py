"""Softmax of the logits, the one-hot target, and the gradient that backpropagation sends.

:func:`make_softmax_figure`: top, the one-hot target (p, blue) and the softmax
probabilities (q, orange hatched) per class; bottom, the gradient of the loss with
respect to each logit, ``(softmax(z/T) - one-hot) / (T ln b)``. (The temperature sweep
is drawn live by lab.components.live_chart from ce_core.temperature's batched calls.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.figures.spec import figure_from
from ce_core.figures.theme import LOSS, P_BAR, Q_BAR, TEMPLATE_NAME

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
