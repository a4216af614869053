"""Figures of the surprisal and entropy lessons.

Pure builders: they take the distributions, the log base and the unit's name,
call :mod:`ce_core` for every number they draw, and return a ``go.Figure``
(``make_*``) or the spec of a live control's chart and its readouts
(``*_chart``, see :mod:`lab.figures.live`). No Streamlit here.

Infinite values (the surprisal of an event with probability 0) are never sent
to Plotly: such an event is left off a curve, or drawn as an empty bar labelled
"∞".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.entropy_parts import entropy_terms
from ce_core.information import binary_entropy, entropy, surprisal
from ce_core.live import bag_sweep, rare_event_sweep, surprisal_sweep
from lab.figures import live
from lab.figures.live import nice_ticks
from lab.figures.spec import FigureSpec
from lab.figures.theme import (
    ENTROPY,
    P_BAR,
    P_MARKER,
    Q_MARKER,
    TEMPLATE_NAME,
    TRUE_P,
    base_figure,
    fmt_value,
)

#: Trace names, used by the pages' tests.
CURVE = "surprisal −log p"
P_EVENTS = "p (truth)"
Q_EVENTS = "q (model)"
P_BARS = "p(x)"
SURPRISAL_BARS = "−log p(x)"
WEIGHTED_BARS = "−log p(x), bar width p(x)"
ENTROPY_LINE = "H(p): the average"
ENTROPY_BAR = "H(p)"
GAP_BAR = "gap to log K = KL(p ‖ uniform)"


_CURVE_LINE = {"color": "#262730", "width": 2.5}


def log_name(base: float) -> str:
    """How the log of this base is written in plain text: ``log₂``, ``ln``, ``log₁₀``."""
    if math.isclose(base, 2.0):
        return "log₂"
    if math.isclose(base, math.e):
        return "ln"
    if math.isclose(base, 10.0):
        return "log₁₀"
    return f"log_{base:g}"


def _check_names(names: Sequence[str], *arrays: np.ndarray) -> None:
    sizes = [a.size for a in arrays]
    if any(s != len(names) for s in sizes):
        raise ValueError(
            f"names and the distributions must have the same length "
            f"(got {len(names)} names and sizes {sizes})"
        )


def _number(value: float, digits: int = 3) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def _curve_grid(smallest: float) -> np.ndarray:
    """Probabilities for drawing -log p: dense near 0, where the curve is steep."""
    low = min(1e-3, smallest)
    return np.unique(np.concatenate([np.geomspace(low, 0.05, 80), np.linspace(0.05, 1.0, 96)]))


def _curve_trace(grid: np.ndarray, base: float, unit: str) -> dict:
    lg = log_name(base)
    return {
        "type": "scatter",
        "x": grid,
        "y": np.asarray(surprisal(grid, base=base)),
        "mode": "lines",
        "name": CURVE,
        "line": _CURVE_LINE,
        "hovertemplate": f"p = %{{x:.3f}}<br>−{lg} p = %{{y:.3f}} {unit}<extra></extra>",
    }


def _y_top(base: float, heights: np.ndarray, floor_probability: float = 0.05) -> float:
    finite = heights[np.isfinite(heights)]
    top = float(surprisal(floor_probability, base=base))
    if finite.size:
        top = max(top, float(finite.max()))
    return top * 1.15


def make_surprisal_curve(
    names: Sequence[str],
    p: Sequence[float],
    q: Sequence[float] | None = None,
    *,
    base: float,
    unit: str,
    title: str = "Surprisal of each class under p and under q",
) -> go.Figure:
    """The curve ``-log p`` over (0, 1] with the classes of p (and q) marked on it.

    Traces: 0 the curve (``CURVE``), 1 the classes at ``(p_i, -log p_i)``
    (``P_EVENTS``, blue circles), 2 the classes at ``(q_i, -log q_i)``
    (``Q_EVENTS``, orange diamonds) when ``q`` is given. Classes with
    probability 0 have infinite surprisal and are left off the markers.
    """
    p = np.asarray(p, dtype=float)
    arrays = [p] if q is None else [p, np.asarray(q, dtype=float)]
    _check_names(names, *arrays)
    positive = np.concatenate([a[a > 0] for a in arrays])
    grid = _curve_grid(float(positive.min()) if positive.size else 1e-3)
    lg = log_name(base)
    fig = base_figure(title, x_title="probability p", y_title=f"surprisal −{lg} p ({unit})", height=420)
    fig.add_trace(_curve_trace(grid, base, unit))
    # p's circles are drawn larger and first, q's diamonds on top: where p_i = q_j both stay visible.
    styles = [(P_EVENTS, {**P_MARKER, "size": 17}, "top right", "p", TRUE_P)]
    if q is not None:
        styles.append((Q_EVENTS, Q_MARKER, "bottom left", "q", "#8A5A00"))
    heights = [np.asarray(surprisal(a[a > 0], base=base), dtype=float) for a in arrays]
    y_top = _y_top(base, np.concatenate(heights))
    for values, h, (name, marker, position, letter, text_colour) in zip(arrays, heights, styles, strict=True):
        keep = values > 0
        kept_names = [n for n, k in zip(names, keep, strict=True) if k]
        fig.add_scatter(
            x=values[keep],
            y=h,
            mode="markers+text",
            name=name,
            marker=marker,
            customdata=kept_names,
            text=_group_labels(values[keep], h, kept_names, y_top),
            textposition=position,
            cliponaxis=False,
            textfont={"color": text_colour, "size": 13},
            hovertemplate=(
                f"%{{customdata}}<br>{letter} = %{{x:.3f}}<br>−{lg} {letter} = %{{y:.3f}} {unit}"
                "<extra></extra>"
            ),
        )
    # Leave room for labels that would run off the plot: q's (below left) near p = 0, p's (above
    # right) near p = 1. The ticks stay on [0, 1].
    x_low = -0.2 if q is not None and ((arrays[1] > 0) & (arrays[1] < 0.14)).any() else 0.0
    x_high = 1.16 if (p > 0.86).any() else 1.04
    fig.update_layout(
        xaxis={"range": [x_low, x_high], "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1.0]}, yaxis_range=[0, y_top]
    )
    return fig.figure()


def _group_labels(x: np.ndarray, y: np.ndarray, names: Sequence[str], y_span: float) -> list[str]:
    """One label per cluster of markers that sit (almost) on top of each other.

    Markers closer than 0.015 on x and 4 % of the y range share one label, on
    the first of them, listing their names three to a line; the others get "".
    """
    order = np.argsort(x, kind="stable")
    labels = [""] * len(names)
    group: list[int] = []

    def flush() -> None:
        if group:
            lines = [", ".join(names[j] for j in group[i : i + 3]) for i in range(0, len(group), 3)]
            labels[group[0]] = "<br>".join(lines)

    for i in order:
        if group and (abs(x[i] - x[group[0]]) > 0.015 or abs(y[i] - y[group[0]]) > 0.04 * y_span):
            flush()
            group = []
        group.append(int(i))
    flush()
    return labels


def make_probability_and_surprisal(
    names: Sequence[str], p: Sequence[float], *, base: float, unit: str
) -> go.Figure:
    """The classic picture: p(x) on top, its surprisal -log p(x) below, one column per class.

    Traces: 0 ``P_BARS`` (y = p), 1 ``SURPRISAL_BARS`` (y = -log p, 0 with the
    label "∞" where p = 0).
    """
    p = np.asarray(p, dtype=float)
    _check_names(names, p)
    h = np.asarray(surprisal(p, base=base), dtype=float)
    finite = np.isfinite(h)
    lg = log_name(base)
    labels = list(names)
    # Two rows sharing the x axis (what make_subplots(rows=2, shared_xaxes=True, vertical_spacing=0.14)
    # lays out), written out: the top row's axes are x/y, the bottom row's x2/y2.
    top = float(h[finite].max()) if finite.any() else 1.0
    fig = FigureSpec(
        {
            "template": TEMPLATE_NAME,
            "height": 460,
            "bargap": 0.35,
            "title": f"p(x) and its surprisal −{lg} p(x)",
            "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False},
            "yaxis": {"anchor": "x", "domain": [0.57, 1.0], "title": "p(x)", "range": [0, 1.15]},
            "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0], "title": "class"},
            "yaxis2": {
                "anchor": "x2",
                "domain": [0.0, 0.43],
                "title": f"−{lg} p(x) ({unit})",
                "range": [0, max(top, 1e-9) * 1.25],
            },
        }
    )
    fig.add_bar(
        x=labels,
        y=p,
        name=P_BARS,
        marker=P_BAR,
        text=[f"{v:.3f}" for v in p],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}: p = %{y:.3f}<extra></extra>",
        xaxis="x",
        yaxis="y",
    )
    fig.add_bar(
        x=labels,
        y=np.where(finite, h, 0.0),
        name=SURPRISAL_BARS,
        marker={"color": ENTROPY, "pattern": {"shape": ".", "fgcolor": "#00573F", "solidity": 0.2}},
        text=[_number(v) for v in h],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=f"%{{x}}: −{lg} p = %{{text}} {unit}<extra></extra>",
        xaxis="x2",
        yaxis="y2",
    )
    return fig.figure()


def make_weighted_surprisal(names: Sequence[str], p: Sequence[float], *, base: float, unit: str) -> go.Figure:
    """Entropy as an area: a bar per class, width p(x), height -log p(x).

    Each bar's area is the term ``p(x) * -log p(x)``; the bars side by side
    fill the width 1, so the height of a block with the same total area is the
    p-weighted average of surprisal, H(p) (the dashed line).

    Traces: 0 ``WEIGHTED_BARS`` (x = centres, width = p, y = -log p, classes
    with p > 0 only), 1 ``ENTROPY_LINE`` (y = H(p) across [0, 1]).
    """
    p = np.asarray(p, dtype=float)
    _check_names(names, p)
    keep = p > 0
    widths = p[keep]
    lefts = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    h = np.asarray(surprisal(widths, base=base), dtype=float)
    terms = entropy_terms(p, base=base)[keep]
    h_p = float(entropy(p, base=base))
    lg = log_name(base)
    labels = [n for n, k in zip(names, keep, strict=True) if k]
    fig = base_figure(
        "Entropy is the average height, weighted by width",
        x_title="cumulative probability (bar width = p(x))",
        y_title=f"−{lg} p(x) ({unit})",
        height=400,
    )
    shades = [ENTROPY, "#5CC3A4"]
    fig.add_bar(
        x=lefts + widths / 2,
        y=h,
        width=widths,
        name=WEIGHTED_BARS,
        marker={"color": [shades[i % 2] for i in range(widths.size)], "line": {"color": "white", "width": 2}},
        # Names only on bars wide enough to hold them; hover shows every class.
        text=[lab if w >= 0.05 else "" for lab, w in zip(labels, widths, strict=True)],
        hovertext=labels,
        textposition="inside",
        insidetextanchor="end",
        constraintext="none",
        textangle=0,
        textfont={"color": "#000000"},  # 7:1 on both greens
        customdata=np.column_stack([widths, terms]),
        hovertemplate=(
            f"%{{hovertext}}<br>width p = %{{customdata[0]:.3f}}<br>height −{lg} p = %{{y:.3f}} {unit}"
            f"<br>area p·(−{lg} p) = %{{customdata[1]:.3f}} {unit}<extra></extra>"
        ),
    )
    fig.add_scatter(
        x=[0.0, 1.0],
        y=[h_p, h_p],
        mode="lines",
        name=ENTROPY_LINE,
        line={"color": TRUE_P, "width": 3, "dash": "dash"},
        hovertemplate=f"H(p) = {h_p:.4f} {unit}<extra></extra>",
    )
    fig.add_annotation(
        x=0.01,
        y=h_p,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        text=f"H(p) = {h_p:.3f} {unit}",
        font={"color": TRUE_P, "size": 14},
        bgcolor="rgba(255,255,255,0.85)",
    )
    top = float(h.max()) if h.size else 1.0
    fig.update_layout(xaxis_range=[0, 1], yaxis_range=[0, max(top, h_p, 1e-9) * 1.2], bargap=0)
    return fig.figure()


def make_entropy_ceiling(h: float, h_max: float, *, base: float, unit: str, k: int) -> go.Figure:
    """A bullet bar: H(p) and the gap up to the ceiling ``log K``.

    Traces: 0 ``ENTROPY_BAR`` (x = h), 1 ``GAP_BAR`` (x = h_max - h, stacked),
    so the whole bar is ``log K`` long.
    """
    if not (math.isfinite(h) and math.isfinite(h_max)) or h < 0 or h > h_max * (1 + 1e-9):
        raise ValueError(f"h must lie in [0, h_max] (got h={h!r}, h_max={h_max!r})")
    gap = max(h_max - h, 0.0)
    lg = log_name(base)
    fig = base_figure(f"H(p) against its ceiling {lg} K, K = {k}", x_title=f"entropy ({unit})", height=250)
    fig.add_bar(
        y=[""],
        x=[h],
        orientation="h",
        name=ENTROPY_BAR,
        marker={"color": ENTROPY},
        text=[f"H(p) = {h:.3f}"],
        textposition="inside",
        insidetextanchor="start",
        textfont={"color": "#000000"},
        hovertemplate=f"H(p) = {h:.4f} {unit}<extra></extra>",
    )
    fig.add_bar(
        y=[""],
        x=[gap],
        orientation="h",
        name=GAP_BAR,
        marker={
            "color": "#FFFFFF",
            "line": {"color": ENTROPY, "width": 2},
            "pattern": {"shape": "/", "fgcolor": ENTROPY, "solidity": 0.15},
        },
        hovertemplate=f"log K − H(p) = {gap:.4f} {unit}<extra></extra>",
    )
    fig.add_annotation(
        x=h_max,
        y=0,
        text=f"{lg} {k} = {h_max:.3f}",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        yshift=30,
        font={"size": 13},
    )
    fig.update_layout(
        barmode="stack",
        xaxis_range=[0, max(h_max, 1e-9) * 1.04],
        bargap=0.45,
        margin={"t": 84, "b": 40},
        legend_traceorder="normal",
    )
    return fig.figure()


# --- live-chart specs: the surprisal lesson's controls ---------------------------------------------

#: Ticks of the probability axis of the surprisal lesson's live charts.
_P_TICKS = np.round(np.arange(0, 1.01, 0.2), 1)


def _surprisal_chart(layers, top: float, caption, *, lg: str, unit: str, **options) -> dict:
    """Surprisal (from 0 to ``top``) against the probability p."""
    return live.loss_chart(
        layers,
        top,
        x_range=(0.0, 1.04),
        x_label="probability p",
        y_label=f"surprisal −{lg} p ({unit})",
        x_ticks=live.ticks(_P_TICKS, 1),
        caption=caption,
        **options,
    )


def surprisal_point_chart(
    grid: np.ndarray, curve_p: np.ndarray, *, base: float, unit: str
) -> tuple[dict, list[dict]]:
    """The curve -log p and, for every position of the control, the point, its guides and readouts.

    ``grid`` holds the control's positions (probabilities), ``curve_p`` where the static curve is drawn.
    """
    lg = log_name(base)
    s = surprisal_sweep(grid, base)  # one batched ce_core call for every position
    curve_h = surprisal_sweep(curve_p, base)["surprisal"]
    h = s["surprisal"]
    zeros = np.zeros_like(h)
    value_text = [fmt_value(v, unit) for v in h]
    top = float(curve_h.max()) * 1.12
    layers = [
        live.line(f"surprisal −{lg} p", curve_p, curve_h, "p"),
        live.segment("down to p", s["p"], zeros, s["p"], h, "guide", legend=False),
        live.segment("across to the axis", zeros, h, s["p"], h, "guide", legend=False),
        live.point(
            "the event",
            s["p"],
            h,
            "absolute",
            labels=[f"p = {p:.2f}, {t}" for p, t in zip(s["p"], value_text, strict=True)],
            legend=False,
            size=0.6,
        ),
    ]
    caption = [
        f"The point sits at p = {p:.2f}, surprisal {t}, on the curve −{lg} p (p from 0.01 to 1)."
        for p, t in zip(s["p"], value_text, strict=True)
    ]
    spec = _surprisal_chart(layers, top, caption, lg=lg, unit=unit)
    readouts = [
        live.readout("surprisal", "Surprisal −" + lg + " p", value_text),
        live.readout("one_in", "A one-in-N event", [f"1 in {n:.3g}" for n in s["one_in"]]),
    ]
    return spec, readouts


def _story_chart(
    smallest: float,
    events: list[tuple[str, np.ndarray, np.ndarray]],
    caption: list[str],
    *,
    base: float,
    unit: str,
) -> dict:
    """The curve -log p from ``smallest`` to 1 with a story's outcomes (per position) marked on it."""
    lg = log_name(base)
    curve_p = np.unique(np.concatenate([np.geomspace(smallest, 0.05, 80), np.linspace(0.05, 1.0, 96)]))
    curve_h = surprisal_sweep(curve_p, base)["surprisal"]
    top = float(curve_h.max()) * 1.15
    layers = [live.line(f"surprisal −{lg} p", curve_p, curve_h, "p", legend=False)]
    for (name, p, h), style in zip(events, ("tangent", "loss", "q"), strict=False):
        labels = [f"{name}: {fmt_value(v, unit, 3)}" for v in h]
        layers.append(live.point(name, p, h, style, symbol="square", labels=labels, legend=False, size=0.5))
    return _surprisal_chart(layers, top, caption, lg=lg, unit=unit, height_rem=17)


def _texts(values, unit: str) -> list[str]:
    return [fmt_value(v, unit) for v in values]


def bag_of_zeros_chart(zeros: np.ndarray, *, base: float, unit: str) -> tuple[dict, list[dict]]:
    """A bag of ``zeros[i]`` zeros (and the same bag with one 1 slipped in), per position of the control."""
    bag = bag_sweep(np.stack([zeros, np.zeros_like(zeros)], axis=1), base)
    spoiled = bag_sweep(np.stack([zeros, np.ones_like(zeros)], axis=1), base)  # one 1 slipped in
    p, h = bag["probabilities"][:, 0], bag["surprisals"][:, 0]
    p_s, h_s = spoiled["probabilities"], spoiled["surprisals"]
    caption = [
        f"Drawing a 0 from a bag of {n:.0f} zeros: p = {p[i]:.0f}, surprisal {fmt_value(h[i], unit)}. "
        f"With one 1 added: a 0 has p = {p_s[i, 0]:.4f} ({fmt_value(h_s[i, 0], unit)}), the 1 has "
        f"p = {p_s[i, 1]:.4f} ({fmt_value(h_s[i, 1], unit)})."
        for i, n in enumerate(zeros)
    ]
    events = [
        ("draw a 0", p, h),
        ("a 0, one 1 added", p_s[:, 0], h_s[:, 0]),
        ("the added 1", p_s[:, 1], h_s[:, 1]),
    ]
    spec = _story_chart(float(p_s[:, 1].min()), events, caption, base=base, unit=unit)
    readouts = [
        live.readout("zero", "Drawing a 0 from the bag", _texts(h, unit)),
        live.readout("spoiled_zero", "…if a single 1 were added: a 0", _texts(h_s[:, 0], unit)),
        live.readout("spoiled_one", "…and drawing that 1", _texts(h_s[:, 1], unit)),
    ]
    return spec, readouts


def rare_zero_chart(ones: np.ndarray, *, base: float, unit: str) -> tuple[dict, list[dict]]:
    """One 0 among ``ones[i]`` ones, per position of the control."""
    s = bag_sweep(np.stack([np.ones_like(ones), ones], axis=1), base)
    p, h = s["probabilities"], s["surprisals"]
    caption = [
        f"One 0 among {n:.0f} ones: the 0 has p = {p[i, 0]:.4f} and surprisal {fmt_value(h[i, 0], unit)}; "
        f"a 1 has p = {p[i, 1]:.4f} and surprisal {fmt_value(h[i, 1], unit)}."
        for i, n in enumerate(ones)
    ]
    spec = _story_chart(
        float(p[:, 0].min()),
        [("the 0", p[:, 0], h[:, 0]), ("a 1", p[:, 1], h[:, 1])],
        caption,
        base=base,
        unit=unit,
    )
    readouts = [
        live.readout("zero", "Drawing the 0", _texts(h[:, 0], unit)),
        live.readout("one", "Drawing a 1", _texts(h[:, 1], unit)),
        live.readout("p_zero", "p of the 0", [f"1/{n + 1:,.0f}" for n in ones]),
    ]
    return spec, readouts


def trip_chart(every: np.ndarray, *, base: float, unit: str) -> tuple[dict, list[dict]]:
    """The daily commute against a trip once every ``every[i]`` days, per position of the control."""
    s = rare_event_sweep(every, base)
    caption = [
        f"Commute: p = {s['p_routine'][i]:.4f}, surprisal {fmt_value(s['h_routine'][i], unit)}. Trip: "
        f"p = {s['p_rare'][i]:.4f}, surprisal {fmt_value(s['h_rare'][i], unit)}."
        for i in range(every.size)
    ]
    spec = _story_chart(
        float(s["p_rare"].min()),
        [("commute", s["p_routine"], s["h_routine"]), ("trip", s["p_rare"], s["h_rare"])],
        caption,
        base=base,
        unit=unit,
    )
    readouts = [
        live.readout("routine", "The usual commute", _texts(s["h_routine"], unit)),
        live.readout("rare", "A trip", _texts(s["h_rare"], unit)),
        live.readout(
            "days", "Ordinary days worth one trip", [f"{d:,.0f}" for d in s["routine_days_per_rare"]]
        ),
    ]
    return spec, readouts


# --- live-chart spec: the entropy lesson's coin ------------------------------------------------------


def binary_entropy_chart(
    grid: np.ndarray, curve_x: np.ndarray, first: str, x_first: float, *, base: float, unit: str
) -> tuple[dict, list[dict]]:
    """The binary entropy curve with your coin (one point per position of ``grid``) and the coin
    "``first`` or not" at ``x_first`` (the workspace's p of its first class)."""
    lg = log_name(base)
    h = np.asarray(binary_entropy(grid, base=base), dtype=float)  # one batched ce_core call
    curve = np.asarray(binary_entropy(curve_x, base=base), dtype=float)
    h_max = float(binary_entropy(0.5, base=base))
    h_first = float(binary_entropy(x_first, base=base))
    n = grid.size
    text = [fmt_value(v, unit) for v in h]
    layers = [
        live.line("binary entropy H_b(θ)", curve_x, curve, "entropy"),
        live.line(f"max {lg} 2 = {h_max:.3f} {unit}", [0.0, 1.0], [h_max, h_max], "guide"),
        live.point(f"{first} or not", np.full(n, x_first), np.full(n, h_first), "p", legend=True, size=0.5),
        live.point(
            "your coin",
            grid,
            h,
            "absolute",
            labels=[f"θ = {x:.2f}: {t}" for x, t in zip(grid, text, strict=True)],
            legend=True,
            size=0.6,
        ),
    ]
    caption = [
        f"Binary entropy in {unit}. Your coin θ = {x:.2f} gives {text[i]}; '{first} or not' "
        f"(θ = {x_first:.3f}) gives {fmt_value(h_first, unit)}; the top is {fmt_value(h_max, unit)} at θ = 0.5."
        for i, x in enumerate(grid)
    ]
    spec = live.chart_spec(
        layers,
        x_range=(-0.02, 1.02),
        y_range=(0.0, h_max * 1.25),
        x_label="θ = P(heads)",
        y_label=f"H_b(θ) ({unit})",
        x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.1), 1), 1),
        y_ticks=live.ticks(nice_ticks(h_max * 1.25)),
        caption=caption,
        height_rem=18,
    )
    readouts = [
        live.readout("coin", "H_b(coin)", text),
        live.readout("first", f"{first} or not {first}", [fmt_value(h_first, unit)] * n),
    ]
    return spec, readouts
