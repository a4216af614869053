"""Figures of the cross-entropy lessons: code-length blocks, H(p) + KL, KL both ways, the one-hot loss.

Pure builders: distributions in, ``go.Figure`` out. Every number drawn comes
from :mod:`ce_core`. An infinite value is never drawn as a bar: it gets its own
trace (a capped marker labelled ``∞``) and an annotation saying why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.decomposition import cross_entropy_terms, kl_terms, summarize
from ce_core.information import cross_entropy, surprisal
from lab.figures.theme import (
    ENTROPY,
    KL,
    NEUTRAL,
    P_LINE,
    P_MARKER,
    Q_BAR,
    Q_LINE,
    TRUE_P,
    base_figure,
    fmt_value,
)

INFINITY = "∞"
KL_BAR = {"color": KL}
REVERSE_KL_BAR = {
    "color": "#F4C4DE",
    "line": {"color": KL, "width": 1.5},
    "pattern": {"shape": "x", "fgcolor": KL, "solidity": 0.25},
}
INF_MARKER = {"symbol": "arrow-up", "size": 16, "color": "#000000"}


def _check(names: Sequence[str], p: Sequence[float], q: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    pa = np.asarray(p, dtype=float)
    qa = np.asarray(q, dtype=float)
    if pa.ndim != 1 or not (len(names) == pa.size == qa.size):
        raise ValueError(f"names, p and q must have the same length (got {len(names)}, {pa.size}, {qa.size})")
    return pa, qa


def _none_if_inf(values: np.ndarray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in values]


def _add_infinity_arrows(
    fig: go.Figure, xs: Sequence[float], top: float, *, name: str, hovertext: Sequence[str]
) -> None:
    """A dotted arrow from 0 to near the top of the axis, labelled ∞, at each ``x``: an unbounded bar.

    One scatter trace called ``name``; its points are ``(x, 0), (x, tip), gap`` per arrow
    (``tip = 0.88 * top``); the ``∞`` labels are annotations on the tips.
    """
    tip = top * 0.88
    x: list[float | None] = []
    y: list[float | None] = []
    for value in xs:
        x += [float(value), float(value), None]
        y += [0.0, tip, None]
    fig.add_scatter(
        x=x,
        y=y,
        name=name,
        mode="lines+markers",
        line={"color": "#000000", "width": 2, "dash": "dot"},
        marker={"symbol": "arrow-up", "size": [0, 16, 0] * len(xs), "color": "#000000"},
        hovertext=[t for t in hovertext for _ in range(3)],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    for value in xs:
        fig.add_annotation(
            x=float(value),
            y=tip,
            text=INFINITY,
            showarrow=False,
            yshift=18,
            font={"size": 20, "color": "#000000"},
        )


def legend_below(fig: go.Figure, y: float = -0.24) -> go.Figure:
    """Put the legend under the x axis: on a phone a wrapped legend then pushes the plot up
    instead of covering the title."""
    fig.update_layout(
        legend={
            "orientation": "h",
            "y": y,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 12},
        },
        margin={"t": 48},
    )
    return fig


def _top(finite: list[float], floor: float) -> float:
    """Upper end of a value axis: room above the largest finite value."""
    return max([*finite, floor]) * 1.3


def make_code_length_blocks(
    names: Sequence[str],
    p: Sequence[float],
    q: Sequence[float],
    *,
    base: float = math.e,
    unit: str = "nats",
    title: str = "Frequencies from p, code lengths from q",
) -> go.Figure:
    """One block per class: width ``p_i`` (how often), height ``-log q_i`` (how long its code word).

    The blocks' total area is H(p, q); the blue steps at height ``-log p_i``
    (the code built for p itself) enclose H(p). Classes with ``p_i = 0`` have
    no width and cost nothing.

    Traces, by name: ``"code length −log q"`` (bars; ``y`` = ``surprisal(q)``
    for the classes with ``p_i > 0``, None where infinite), ``"no code word (∞)"``
    (a dotted arrow labelled ∞ over each block with ``q_i = 0 < p_i``, only when there is one) and
    ``"ideal length −log p"`` (steps; ``y`` pairs of ``surprisal(p)``).
    """
    pa, qa = _check(names, p, q)
    shown = np.flatnonzero(pa > 0)
    left = (np.cumsum(pa) - pa)[shown]
    width = pa[shown]
    centre = left + width / 2
    height = np.asarray(surprisal(qa[shown], base=base), dtype=float)
    ideal = np.asarray(surprisal(pa[shown], base=base), dtype=float)
    labels = [names[i] for i in shown]
    finite = [float(v) for v in np.concatenate([height, ideal]) if math.isfinite(v)]
    top = _top(finite, floor=1.0 / math.log(base) * 0.5)
    inf = ~np.isfinite(height)

    fig = base_figure(
        title,
        x_title="share of events under p (each block is p_i wide)",
        y_title=f"code length ({unit})",
        height=400,
    )
    fig.add_bar(
        x=centre,
        y=_none_if_inf(height),
        width=width,
        name="code length −log q",
        marker=Q_BAR,
        customdata=np.column_stack([pa[shown], qa[shown]]),
        hovertext=labels,
        hovertemplate=(
            "%{hovertext}: p = %{customdata[0]:.3f}, q = %{customdata[1]:.3f}<br>"
            f"code word %{{y:.3f}} {unit}<extra></extra>"
        ),
        text=[lab if w >= 0.07 else "" for lab, w in zip(labels, width, strict=True)],
        textposition="inside",
        insidetextanchor="start",
        textangle=0,
        textfont={"color": "#262730", "size": 13},
    )
    if inf.any():
        for lo, w in zip(left[inf], width[inf], strict=True):
            fig.add_vrect(x0=float(lo), x1=float(lo + w), fillcolor="#D55E00", opacity=0.08, line_width=0)
        _add_infinity_arrows(
            fig,
            centre[inf],
            top,
            name="no code word (∞)",
            hovertext=[f"{labels[i]}: q = 0, so −log q = ∞" for i in np.flatnonzero(inf)],
        )
        for x_pos, label in zip(centre[inf], np.asarray(labels)[inf], strict=True):
            fig.add_annotation(
                x=x_pos,
                y=top * 0.45,
                text=f"{label}: q = 0,<br>no code word",
                showarrow=False,
                font={"size": 12},
                bgcolor="rgba(255,255,255,0.9)",
            )
    step_x: list[float | None] = []
    step_y: list[float | None] = []
    for lo, w, h in zip(left, width, ideal, strict=True):
        step_x += [float(lo), float(lo + w), None]
        step_y += [float(h), float(h), None]
    fig.add_scatter(
        x=step_x,
        y=step_y,
        name="ideal length −log p",
        mode="lines",
        line={**P_LINE, "width": 3},
        hoverinfo="skip",
    )
    fig.update_layout(bargap=0, xaxis_range=[0, 1], yaxis_range=[0, top], showlegend=True)
    legend_below(fig)
    fig.update_traces(selector={"type": "bar"}, marker_line={"color": "#FFFFFF", "width": 1.5})
    return fig.figure()


def make_entropy_kl_bar(
    p: Sequence[float],
    q: Sequence[float],
    *,
    base: float = math.e,
    unit: str = "nats",
    title: str = "H(p, q) = H(p) + KL(p ‖ q)",
) -> go.Figure:
    """A stacked bar H(p) + KL(p‖q) = H(p, q), and H(q) below it for comparison.

    Traces, by name: ``"H(p)"`` and ``"KL(p ‖ q)"`` (stacked on the row
    ``"H(p, q)"``; KL's ``x`` is None when infinite, and a dotted arrow trace
    ``"KL = ∞"`` runs from H(p) to the edge instead), ``"H(q)"`` (row ``"H(q)"``). A dotted line marks H(p), the
    floor of Gibbs' inequality.
    """
    s = summarize(p, q, base=base)
    rows = ["H(q)", "H(p, q)"]
    finite = [v for v in (s.entropy_p, s.cross_entropy, s.entropy_q) if math.isfinite(v)]
    top = _top(finite, floor=0.5 / math.log(base))
    fig = base_figure(title, x_title=f"{unit}", height=300)
    fig.add_bar(
        y=[rows[1]],
        x=[s.entropy_p],
        name="H(p)",
        orientation="h",
        marker={"color": ENTROPY},
        text=[f"H(p) {s.entropy_p:.3f}"],
        textposition="inside",
        textangle=0,
        textfont={"color": "#000000"},
        hovertemplate=f"H(p) = %{{x:.4f}} {unit}<extra></extra>",
    )
    kl = s.kl_forward if math.isfinite(s.kl_forward) else None
    fig.add_bar(
        y=[rows[1]],
        x=[kl],
        name="KL(p ‖ q)",
        orientation="h",
        # plain fill, black text (6.9:1): white dots behind the label made it unreadable on a phone
        # outside, right of the bar: a narrow KL segment shrank an inside label to a few pixels
        marker=KL_BAR,
        textfont={"color": "#000000", "size": 13},
        constraintext="none",
        cliponaxis=False,
        text=[f"KL {s.kl_forward:.3f}" if kl is not None else ""],
        textposition="outside",
        textangle=0,
        hovertemplate=f"KL(p ‖ q) = %{{x:.4f}} {unit}<extra></extra>",
    )
    fig.add_bar(
        y=[rows[0]],
        x=[s.entropy_q],
        name="H(q)",
        orientation="h",
        marker=Q_BAR,
        text=[f"H(q) {s.entropy_q:.3f}"],
        textposition="inside",
        textangle=0,
        textfont={"color": "#000000"},
        hovertemplate=f"H(q) = %{{x:.4f}} {unit}<extra></extra>",
    )
    if kl is None:
        # An arrow in KL's place, from the end of H(p) to the edge: the bar never ends.
        fig.add_scatter(
            y=[rows[1], rows[1]],
            x=[s.entropy_p, top * 0.97],
            name="KL = ∞",
            mode="lines+markers",
            line={"color": KL, "width": 3, "dash": "dot"},
            marker={"symbol": "arrow-right", "size": [0, 18], "color": KL},
            hovertemplate="KL(p ‖ q) = ∞<extra></extra>",
        )
        fig.add_annotation(
            y=rows[1],
            x=top,
            text="H(p, q) = ∞",
            showarrow=False,
            yshift=30,
            bgcolor="rgba(255,255,255,0.85)",
            xanchor="right",
            font={"size": 13},
        )
    else:
        # Above the bar, ending (or starting) at its right end, so it never covers the segment labels.
        fig.add_annotation(
            y=rows[1],
            x=s.cross_entropy,
            text=f"H(p, q) = {fmt_value(s.cross_entropy, unit, 3)}",
            showarrow=False,
            yshift=36,
            font={"size": 13},
            bgcolor="rgba(255,255,255,0.85)",
            xanchor="right" if s.cross_entropy > top / 2 else "left",
        )
    fig.add_vline(x=s.entropy_p, line={"color": NEUTRAL, "dash": "dot", "width": 2})
    legend_below(fig, y=-0.34)
    fig.update_layout(
        barmode="stack",
        xaxis_range=[0, top],
        bargap=0.35,
        legend_traceorder="normal",
        yaxis={"categoryorder": "array", "categoryarray": rows},
    )
    return fig.figure()


def make_kl_directions(
    names: Sequence[str],
    p: Sequence[float],
    q: Sequence[float],
    *,
    base: float = math.e,
    unit: str = "nats",
    title: str = "KL(p ‖ q) versus KL(q ‖ p), class by class",
) -> go.Figure:
    """Per-class terms of the forward KL(p‖q) and the reverse KL(q‖p), side by side.

    Class ``i`` sits at ``x = i`` (forward bar at ``i - 0.2``, reverse at
    ``i + 0.2``). Traces, by name: ``"KL(p ‖ q) terms"`` (``y = kl_terms(p, q)``,
    None where infinite), ``"KL(q ‖ p) terms"`` (``y = kl_terms(q, p)``) and, when
    some term is infinite, ``"∞ term"`` (a dotted arrow labelled ∞ at that bar's place).
    """
    pa, qa = _check(names, p, q)
    forward = kl_terms(pa, qa, base=base)
    reverse = kl_terms(qa, pa, base=base)
    idx = np.arange(pa.size, dtype=float)
    finite = [abs(float(v)) for v in np.concatenate([forward, reverse]) if math.isfinite(v)]
    top = _top(finite, floor=0.3 / math.log(base))
    low = min([0.0, *[float(v) for v in np.concatenate([forward, reverse]) if math.isfinite(v)]])
    fig = base_figure(title, x_title="class", y_title=f"term ({unit})", height=380)
    fig.add_bar(
        x=idx - 0.2,
        y=_none_if_inf(forward),
        width=0.38,
        name="KL(p ‖ q) terms",
        marker=KL_BAR,
        hovertext=list(names),
        hovertemplate=f"%{{hovertext}}: p·log(p/q) = %{{y:.4f}} {unit}<extra></extra>",
    )
    fig.add_bar(
        x=idx + 0.2,
        y=_none_if_inf(reverse),
        width=0.38,
        name="KL(q ‖ p) terms",
        marker=REVERSE_KL_BAR,
        hovertext=list(names),
        hovertemplate=f"%{{hovertext}}: q·log(q/p) = %{{y:.4f}} {unit}<extra></extra>",
    )
    inf_x = np.concatenate([(idx - 0.2)[~np.isfinite(forward)], (idx + 0.2)[~np.isfinite(reverse)]])
    if inf_x.size:
        which = [
            f"{names[i]}: KL(p ‖ q) term = ∞ (q = 0 < p)" for i in np.flatnonzero(~np.isfinite(forward))
        ] + [f"{names[i]}: KL(q ‖ p) term = ∞ (p = 0 < q)" for i in np.flatnonzero(~np.isfinite(reverse))]
        _add_infinity_arrows(fig, inf_x, top, name="∞ term", hovertext=which)
    fig.add_hline(y=0, line={"color": "#9E9E9E", "width": 1})
    legend_below(fig)
    fig.update_layout(
        xaxis={"tickvals": idx.tolist(), "ticktext": list(names), "range": [-0.6, pa.size - 0.4]},
        yaxis_range=[low * 1.3 if low < 0 else 0, top],
        barmode="overlay",
    )
    return fig.figure()


def make_one_hot_loss_curve(
    q_true: float,
    *,
    base: float = math.e,
    unit: str = "nats",
    class_name: str = "true class",
    points: int = 200,
    title: str = "Loss = −log q(true class)",
) -> go.Figure:
    """The loss −log q over q in (0, 1], with the model's q for the true class marked.

    Traces, by name: ``"−log q"`` (the curve; ``y = surprisal(x)``) and
    ``"this model"`` (one marker at ``(q_true, surprisal(q_true))``), or, when
    ``q_true = 0``, ``"this model: ∞"`` at the top of the axis.
    """
    if not 0.0 <= q_true <= 1.0:
        raise ValueError(f"q_true must be in [0, 1] (got {q_true!r})")
    low = min(0.01, q_true) if q_true > 0 else 0.01
    grid = np.geomspace(low, 1.0, points)
    curve = np.asarray(surprisal(grid, base=base), dtype=float)
    top = float(curve[0]) * 1.1
    fig = base_figure(
        title,
        x_title=f"q({class_name}), the model's probability for the true class",
        y_title=f"loss ({unit})",
        height=360,
    )
    fig.add_scatter(
        x=grid,
        y=curve,
        name="−log q",
        mode="lines",
        line={**Q_LINE, "dash": "solid", "width": 2},
        hovertemplate=f"q = %{{x:.3f}}: loss %{{y:.3f}} {unit}<extra></extra>",
    )
    if q_true > 0:
        loss = float(surprisal(q_true, base=base))
        fig.add_scatter(
            x=[q_true],
            y=[loss],
            name="this model",
            mode="markers+text",
            marker={**P_MARKER, "size": 14, "color": TRUE_P},
            text=[f"  {fmt_value(loss, unit, 4)}"],
            textposition="middle right",
            hovertemplate=f"q = %{{x:.4f}}: loss %{{y:.4f}} {unit}<extra></extra>",
        )
    else:
        fig.add_scatter(
            x=[0.0],
            y=[top * 0.95],
            name="this model: ∞",
            mode="markers+text",
            marker=INF_MARKER,
            text=["  q = 0: loss = ∞"],
            textposition="middle right",
            textfont={"size": 15},
            hovertemplate="q = 0: loss = ∞<extra></extra>",
        )
    fig.update_layout(xaxis_range=[-0.02, 1.02], yaxis_range=[0, top], showlegend=False)
    return fig.figure()


KL_GAIN_BAR = {
    "color": "#FFFFFF",
    "line": {"color": KL, "width": 1.5},
    "pattern": {"shape": "/", "fgcolor": KL, "solidity": 0.35},
}


def make_kl_gap(
    names: Sequence[str],
    p: Sequence[float],
    q: Sequence[float],
    *,
    base: float = math.e,
    unit: str = "nats",
    title: str = "KL(p ‖ q): the gap between two codes",
) -> go.Figure:
    """Colah's picture: the code for p and the code for q on the same blocks; KL is the gap.

    Each class is a block ``p_i`` wide. Traces, by name: ``"code for p: −log p"`` (bars from 0 to
    ``surprisal(p)``; their area is H(p)), ``"gap: −log q − (−log p)"`` (bars from ``−log p_i`` by
    ``log(p_i / q_i)``: up where q's word is longer, down, hatched, where it is shorter; None where
    infinite; their signed area is KL(p ‖ q)), ``"code for q: −log q"`` (steps at ``surprisal(q)``,
    enclosing H(p, q)) and, when some ``q_i = 0 < p_i``, ``"no code word (∞)"``.
    Classes with ``p_i = 0`` have no width: they never happen, so they cost nothing in either code.
    """
    pa, qa = _check(names, p, q)
    shown = np.flatnonzero(pa > 0)
    width = pa[shown]
    left = (np.cumsum(pa) - pa)[shown]
    centre = left + width / 2
    ideal = np.asarray(surprisal(pa[shown], base=base), dtype=float)
    code_q = np.asarray(surprisal(qa[shown], base=base), dtype=float)
    gap = code_q - ideal
    labels = [names[i] for i in shown]
    finite = [float(v) for v in np.concatenate([ideal, code_q]) if math.isfinite(v)]
    top = _top(finite, floor=0.5 / math.log(base))
    s = summarize(pa, qa, base=base)

    fig = base_figure(
        title,
        x_title="share of events under p (block width p_i)",
        y_title=f"code length ({unit})",
        height=420,
    )
    fig.add_bar(
        x=centre,
        y=ideal,
        width=width,
        name="code for p: −log p",
        marker={"color": TRUE_P, "opacity": 0.55},
        hovertext=labels,
        hovertemplate=f"%{{hovertext}}: −log p = %{{y:.3f}} {unit}<extra></extra>",
    )
    finite_gap = np.isfinite(gap)
    fig.add_bar(
        x=centre,
        y=[float(g) if ok else None for g, ok in zip(gap, finite_gap, strict=True)],
        base=ideal.tolist(),
        width=width,
        name="gap: −log q − (−log p)",
        marker={
            "color": [KL if g >= 0 else "#FFFFFF" for g in np.where(finite_gap, gap, 0.0)],
            "line": {"color": KL, "width": 1.5},
            "pattern": {
                "shape": ["" if g >= 0 else "/" for g in np.where(finite_gap, gap, 0.0)],
                "fgcolor": KL,
                "fillmode": "overlay",
                "solidity": 0.35,
            },
        },
        customdata=np.column_stack([pa[shown], qa[shown]]),
        hovertext=labels,
        hovertemplate=(
            "%{hovertext}: p = %{customdata[0]:.3f}, q = %{customdata[1]:.3f}<br>"
            f"q's word is %{{y:+.3f}} {unit} longer than p's<extra></extra>"
        ),
    )
    step_x: list[float | None] = []
    step_y: list[float | None] = []
    for lo, w, h in zip(left, width, code_q, strict=True):
        if math.isfinite(h):
            step_x += [float(lo), float(lo + w), None]
            step_y += [float(h), float(h), None]
    fig.add_scatter(
        x=step_x,
        y=step_y,
        name="code for q: −log q",
        mode="lines",
        line={**Q_LINE, "width": 3},
        hoverinfo="skip",
    )
    if (~finite_gap).any():
        _add_infinity_arrows(
            fig,
            centre[~finite_gap],
            top,
            name="no code word (∞)",
            hovertext=[
                f"{labels[i]}: q = 0, so q's code has no word for it" for i in np.flatnonzero(~finite_gap)
            ],
        )
    kl_text = f"KL(p ‖ q) = signed pink area = {fmt_value(s.kl_forward, unit, 3)}"
    fig.add_annotation(
        x=0.99,
        y=top * 0.97,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        text=kl_text,
        font={"size": 13, "color": "#262730"},
        bgcolor="rgba(255,255,255,0.9)",
    )
    fig.update_layout(bargap=0, barmode="overlay", xaxis_range=[0, 1], yaxis_range=[0, top], showlegend=True)
    legend_below(fig)
    return fig.figure()


def infinite_names(names: Sequence[str], values: Sequence[float]) -> list[str]:
    """The names whose value is infinite, in order."""
    return [name for name, value in zip(names, values, strict=True) if math.isinf(value)]


def _cell(value: float, digits: int = 4) -> str:
    return INFINITY if math.isinf(value) else f"{value:.{digits}f}"


def code_length_columns(
    names: Sequence[str], p: Sequence[float], q: Sequence[float], *, base: float, unit_short: str
) -> dict[str, list[str]]:
    """The cross-entropy lesson's table: p_i, q_i, −log q_i and p_i × −log q_i per class, then the sums."""
    pa, qa = _check(names, p, q)
    terms = cross_entropy_terms(pa, qa, base=base)
    total = summarize(pa, qa, base=base).cross_entropy
    return {
        "class": [*names, "sum"],
        "p_i": [f"{v:.3f}" for v in pa] + [f"{pa.sum():.3f}"],
        "q_i": [f"{v:.3f}" for v in qa] + [f"{qa.sum():.3f}"],
        f"−log q_i ({unit_short})": [_cell(v) for v in surprisal(qa, base=base)] + [""],
        f"p_i × −log q_i ({unit_short})": [_cell(v) for v in terms] + [f"H(p, q) = {_cell(total)}"],
    }


def one_hot_columns(
    names: Sequence[str], p: Sequence[float], q: Sequence[float], *, base: float, unit: str, unit_short: str
) -> dict[str, list[str]]:
    """The one-hot lesson's table: log q_i and −p_i · log q_i per class and the total, also in nats."""
    pa, qa = _check(names, p, q)
    log_q = 0.0 - surprisal(qa, base=base)  # 0.0 - x keeps log 1 = 0 unsigned
    terms = cross_entropy_terms(pa, qa, base=base)
    total = cross_entropy(pa, qa, base=base)
    columns = {
        "class": [*names, "total"],
        "p_i": [f"{v:.3f}" for v in pa] + [""],
        "q_i": [f"{v:.4f}" for v in qa] + [""],
        f"log q_i ({unit_short})": ["−∞" if math.isinf(v) else f"{v:.4f}".replace("-", "−") for v in log_q]
        + [""],
        f"−p_i · log q_i ({unit_short})": [
            _cell(t) + ("  (p_i = 0: no weight)" if pi == 0 and qi == 0 else "")
            for t, pi, qi in zip(terms, pa, qa, strict=True)
        ]
        + [_cell(total)],
    }
    if unit != "nats":
        columns["−p_i · ln q_i (nats)"] = [_cell(t) for t in cross_entropy_terms(pa, qa)] + [
            _cell(cross_entropy(pa, qa))
        ]
    return columns
