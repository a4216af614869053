"""A small horizontal bar chart of a few numbers: the live counterexample beside a misconception.

Pure builder: labels and values in, ``go.Figure`` out. An infinite value is drawn as a bar to
the end of the axis with the text ``∞``; a value that is not a number (NaN) gets no bar and the
text ``undefined``, so a broken computation is shown, never drawn as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures.theme import ACCENT, KL, NEUTRAL, base_figure

#: Text on or beside the bars: dark grey on the white plot (contrast 15:1).
TEXT_COLOUR = "#262730"
#: Bar colours that are not the roles of p (blue) and q (orange): a bar here is a number, not p or q.
BAR_COLOURS = (ACCENT, KL, NEUTRAL)


def make_evidence_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    texts: Sequence[str] | None = None,
    axis_title: str = "",
    title: str | None = None,
    colours: Sequence[str] | None = None,
) -> go.Figure:
    """One horizontal bar per value, labelled on the left, its value written beyond its end.

    One bar trace named ``"evidence"``: ``x`` holds the values (None where not finite; an
    infinite bar is drawn to the axis end through ``customdata``), ``y`` the labels (first
    label on top). ``texts`` are the value labels (default: the value with 4 decimals). The
    axis always includes 0, and a negative value gets a bar to the left of 0.
    """
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 1 or vals.size != len(labels) or vals.size == 0:
        raise ValueError(
            f"labels and values must have the same, non-zero length (got {len(labels)}, {vals.size})"
        )
    if texts is not None and len(texts) != vals.size:
        raise ValueError(f"texts must have one entry per value (got {len(texts)} for {vals.size})")
    finite = vals[np.isfinite(vals)]
    high = max([0.0, *finite.tolist()])
    low = min([0.0, *finite.tolist()])
    span = (high - low) or 1.0
    # room beyond each bar's end for its value, written outside the bar (a negative bar's text runs left)
    top = high + 0.6 * span if (high > 0 or not finite.size) else 0.0
    bottom = low - 0.9 * span if low < 0 else 0.0
    if np.isinf(vals).any() and top <= 0:
        top = span
    shown = [
        top if v == math.inf else (bottom if v == -math.inf else (float(v) if math.isfinite(v) else None))
        for v in vals
    ]
    text = (
        list(texts)
        if texts is not None
        else ["undefined" if math.isnan(v) else ("∞" if math.isinf(v) else f"{v:.4f}") for v in vals]
    )
    colour = (
        list(colours)
        if colours is not None
        else [BAR_COLOURS[i % len(BAR_COLOURS)] for i in range(vals.size)]
    )
    fig = base_figure(title or "", x_title=axis_title, height=90 + 42 * vals.size)
    fig.add_bar(
        x=shown,
        y=list(labels),
        orientation="h",
        name="evidence",
        marker={"color": colour},
        text=text,
        textposition="outside",
        cliponaxis=False,
        textfont={"color": TEXT_COLOUR, "size": 13},
        customdata=vals,
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    fig.update_layout(
        showlegend=False,
        bargap=0.3,
        margin={"l": 8, "r": 24, "t": 36 if title else 12, "b": 44},
        xaxis={"range": [bottom, top], "zeroline": True, "zerolinecolor": "#9E9E9E"},
        yaxis={"autorange": "reversed"},
    )
    return fig.figure()
