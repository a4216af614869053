"""Bars of p and q side by side: the workspace at a glance."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures.theme import P_BAR, Q_BAR, base_figure

#: Bar labels above the bars, not clipped by the plot area.
_OUTSIDE = {"textposition": "outside", "cliponaxis": False}


def make_distribution_bars(
    names: Sequence[str], p: Sequence[float], q: Sequence[float], *, title: str = "p (truth) and q (model)"
) -> go.Figure:
    """Grouped bars: p solid blue, q hatched orange, one group per class.

    Trace 0 is p, trace 1 is q; their ``y`` are the probabilities given.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if not (len(names) == p.size == q.size):
        raise ValueError(f"names, p and q must have the same length (got {len(names)}, {p.size}, {q.size})")
    fig = base_figure(title, x_title="class", y_title="probability", height=340)
    labels = list(names)
    for values, name, marker in ((p, "p (truth)", P_BAR), (q, "q (model)", Q_BAR)):
        texts = [f"{v:.2f}" for v in values]
        fig.add_bar(x=labels, y=values, name=name, marker=marker, text=texts, **_OUTSIDE)
    fig.update_layout(barmode="group", yaxis_range=[0, 1.12], bargap=0.25)
    return fig.figure()
