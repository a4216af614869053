"""Figures of the loss-variant lessons: label smoothing, focal loss, class weights, clipping.

Pure builders: they take the lesson's state (or numbers :mod:`ce_core` computed),
call :mod:`ce_core` for every number they draw, and return a ``go.Figure``. No
Streamlit here. Infinite values are never sent to Plotly: a point at infinity
is left off and the caption says so.

The two scrub figures (:func:`make_smoothing_scrub`, :func:`make_focal_scrub`)
carry ``layout.sliders`` and ``frames`` precomputed by :mod:`ce_core.variants`,
so dragging their slider redraws in the browser with no server round trip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.figures.spec import FigureSpec
from ce_core.figures.theme import (
    ACCENT,
    ENTROPY,
    KL,
    LOSS,
    MODEL_Q,
    NEUTRAL,
    P_BAR,
    Q_BAR,
    Q_MARKER,
    TRUE_P,
    base_figure,
)
from ce_core.losses import focal_modulation, smooth_targets, smoothed_loss_floor
from ce_core.variants import (
    CLIP_GRID,
    CURVE_GRID,
    FOCAL_GRID,
    FOCAL_SHOWCASE,
    SMOOTHING_SHOWCASE,
    ClipPolicy,
    SmoothingFrames,
    smoothed_loss_curve,
)

# Trace names, used by the tests.
ONE_HOT = "one-hot target"
SMOOTHED = "smoothed target t′"
MODEL = "q (model)"
YOUR_Q = "your q"
SCRUB_CURVE = "loss"
SCRUB_FLOOR = "floor H(t′)"
SCRUB_MIN = "minimum"
CROSS_ENTROPY = "cross-entropy (γ = 0, no α)"
FOCAL_CURVE = "focal loss"
FOCAL_POINT = "your example"
GAMMA_CURVE = "focal loss against γ"
UNWEIGHTED = "−log p[y] (unweighted)"
WEIGHTED = "w[y] · (−log p[y])"
INDEX_MEAN = "mean, index targets (÷ Σ w[y])"
PROBABILITY_MEAN = "mean, probability targets (÷ N)"

_SHOWCASE_COLOURS = (NEUTRAL, ACCENT, ENTROPY, KL, TRUE_P)
_SHOWCASE_DASHES = ("dot", "dash", "dashdot", "longdash", "solid")
_POLICY_STYLE = {
    0: {"color": "#262730", "width": 3, "dash": "solid"},
    1: {"color": LOSS, "width": 3, "dash": "dash"},
    2: {"color": TRUE_P, "width": 3, "dash": "dot"},
    3: {"color": ENTROPY, "width": 3, "dash": "dashdot"},
    4: {"color": KL, "width": 3, "dash": "longdash"},
}
_POLICY_SYMBOL = ("circle", "x", "square", "triangle-up", "diamond")
# Five or more legend entries wrap into rows that would cover the title on a phone: put them
# under the x-axis title instead.
_LEGEND_BELOW = {"legend": {"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0, "font": {"size": 12}},
                 "margin": {"b": 40, "t": 56}, "height": 520}
# room above the plot for a title and a legend that wraps to two rows on a phone
_SCRUB_MARGIN = {"t": 110, "b": 40}
_ANIMATE = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}


def _number(value: float, digits: int = 3) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def _label(value: float) -> str:
    return f"{value:g}"


def _slider(values: np.ndarray, active: int, prefix: str) -> dict:
    """An in-figure slider over named frames; the current value is printed above the track.

    Every step carries its label (the current-value display reads it), so the
    51 tick labels are drawn transparent instead of crowding the track.
    """
    steps = [{"method": "animate", "label": _label(v), "args": [[_label(v)], _ANIMATE]} for v in values]
    return {"active": active, "steps": steps, "len": 1.0, "x": 0, "pad": {"t": 56, "b": 0},
            "currentvalue": {"prefix": prefix, "font": {"size": 15, "color": "#262730"}, "xanchor": "left"},
            "ticklen": 4, "minorticklen": 0, "font": {"size": 10, "color": "rgba(0,0,0,0)"}}


def _with_frames(fig: FigureSpec, frames: list[dict], slider: dict) -> go.Figure:
    """Attach the frames (plain dicts) and the slider that plays them; the finished figure."""
    fig.frames = frames
    fig.update_layout(sliders=[slider])
    return fig.figure()


# --------------------------------------------------------------------------- label smoothing


def make_smoothing_bars(names: Sequence[str], true_class: int, label_smoothing: float,
                        q: Sequence[float]) -> go.Figure:
    """One-hot target, smoothed target ``(1-e) t + e/C`` and the model's ``q``, per class.

    Traces: 0 ``ONE_HOT``, 1 ``SMOOTHED`` (from :func:`ce_core.smooth_targets`), 2 ``MODEL``.
    """
    q = np.asarray(q, dtype=float)
    if len(names) != q.size:
        raise ValueError(f"names and q must have the same length (got {len(names)} and {q.size})")
    k = q.size
    one_hot = smooth_targets(true_class, k, 0.0)
    smoothed = smooth_targets(true_class, k, label_smoothing)
    fig = base_figure("Targets: one-hot and smoothed", x_title="class", y_title="probability", height=360)
    labels = list(names)
    fig.add_bar(x=labels, y=one_hot, name=ONE_HOT,
                marker={"color": "#FFFFFF", "line": {"color": NEUTRAL, "width": 2}},
                hovertemplate="%{x}: %{y:.3f}<extra>one-hot</extra>")
    fig.add_bar(x=labels, y=smoothed, name=SMOOTHED, marker=P_BAR,
                text=[f"{v:.3f}" for v in smoothed], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{y:.4f}<extra>smoothed target</extra>")
    fig.add_bar(x=labels, y=q, name=MODEL, marker=Q_BAR,
                hovertemplate="%{x}: %{y:.4f}<extra>q</extra>")
    fig.update_layout(barmode="group", yaxis_range=[0, 1.15], bargap=0.25)
    return fig.figure()


def _smoothing_trace_names(e: float, yours: bool) -> tuple[str, str]:
    tag = " (yours)" if yours else ""
    return f"ε = {e:g}{tag}", f"floor, ε = {e:g}{tag}"


def make_smoothing_curves(num_classes: int, label_smoothing: float, *, base: float, unit: str,
                          point: tuple[float, float] | None = None,
                          showcase: Sequence[float] = SMOOTHING_SHOWCASE) -> go.Figure:
    """Loss against the true class's probability for several epsilon, each with its floor.

    The model gives ``x`` to the true class and spreads ``1 - x`` evenly over the
    others (:func:`ce_core.variants.smoothed_loss_curve`); each floor is
    ``H(t′)`` (:func:`ce_core.smoothed_loss_floor`), drawn as a horizontal line.

    Traces, per epsilon (``showcase`` plus ``label_smoothing`` if not in it, in
    increasing order): the curve ``"ε = …"`` and its floor ``"floor, ε = …"``;
    the current epsilon's names end in ``" (yours)"``. Last, if ``point`` is
    given and finite, ``YOUR_Q``: the workspace's q (its other classes as they are).
    """
    eps_values = sorted({float(e) for e in showcase} | {float(label_smoothing)})
    fig = base_figure("Loss against q(true class), with its floor",
                      x_title="q(true class); the rest spread evenly", y_title=f"loss ({unit})", height=420)
    x = CURVE_GRID
    for i, e in enumerate(eps_values):
        yours = math.isclose(e, label_smoothing)
        name, floor_name = _smoothing_trace_names(e, yours)
        colour = LOSS if yours else _SHOWCASE_COLOURS[i % len(_SHOWCASE_COLOURS)]
        width = 4 if yours else 2
        dash = "solid" if yours else _SHOWCASE_DASHES[i % len(_SHOWCASE_DASHES)]
        y = smoothed_loss_curve(x, num_classes, e, base=base)
        floor = smoothed_loss_floor(0, num_classes, e, base=base)
        fig.add_scatter(x=x, y=y, mode="lines", name=name, legendgroup=name,
                        line={"color": colour, "width": width, "dash": dash},
                        hovertemplate=f"ε = {e:g}<br>q(true) = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>")
        fig.add_scatter(x=[0.0, 1.0], y=[floor, floor], mode="lines", name=floor_name, legendgroup=name,
                        showlegend=False, line={"color": colour, "width": 1.5, "dash": "dot"},
                        hovertemplate=f"floor H(t′) for ε = {e:g}: {floor:.4f} {unit}<extra></extra>")
    if point is not None and math.isfinite(point[1]):
        fig.add_scatter(x=[point[0]], y=[point[1]], mode="markers", name=YOUR_Q,
                        marker={**Q_MARKER, "size": 14, "line": {"color": "#262730", "width": 1.5}},
                        hovertemplate=f"your q: q(true) = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>")
    # room for every floor and the rise near q = 1, not for the steep start near 0
    floors = [smoothed_loss_floor(0, num_classes, e, base=base) for e in eps_values]
    top = max(2.5 * max(floors), float(smoothed_loss_curve(np.array([0.25]), num_classes, 0.0, base=base)[0]))
    if point is not None and math.isfinite(point[1]):
        top = max(top, 1.15 * point[1])
    fig.update_layout(xaxis_range=[0, 1], yaxis_range=[0, top], **_LEGEND_BELOW)
    return fig.figure()


def make_smoothing_scrub(frames: SmoothingFrames, label_smoothing: float, *, unit: str) -> go.Figure:
    """The smoothed loss curve, its floor and its minimum, one frame per epsilon.

    Traces (all three updated by every frame): 0 ``SCRUB_CURVE``, 1 ``SCRUB_FLOOR``
    (a horizontal line at ``frames.floors``), 2 ``SCRUB_MIN`` (the point where the
    curve touches the floor, at ``frames.best_x``). Frame names are ``f"{e:g}"``.
    The figure opens at the frame nearest ``label_smoothing``.
    """
    eps = np.asarray(frames.epsilons, dtype=float)
    active = int(np.argmin(np.abs(eps - float(label_smoothing))))
    fig = base_figure("Drag ε inside the chart", x_title="q(true class); the rest spread evenly",
                      y_title=f"loss ({unit})", height=460)

    def data(i: int) -> list[dict]:
        floor = float(frames.floors[i])
        bx = float(frames.best_x[i])
        return [
            {"type": "scatter", "y": frames.losses[i]},  # x stays: frames only restyle what they name
            {"type": "scatter", "x": [0.0, 1.0], "y": [floor, floor]},
            {"type": "scatter", "x": [bx], "y": [floor], "text": [f"floor {floor:.3f} {unit} at q = {bx:.3f}"]},
        ]

    first = data(active)
    fig.add_scatter(x=frames.grid, y=first[0]["y"], mode="lines", name=SCRUB_CURVE,
                    line={"color": LOSS, "width": 4},
                    hovertemplate=f"q(true) = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>")
    fig.add_scatter(x=first[1]["x"], y=first[1]["y"], mode="lines", name=SCRUB_FLOOR,
                    line={"color": ENTROPY, "width": 2, "dash": "dot"}, hoverinfo="skip")
    fig.add_scatter(x=first[2]["x"], y=first[2]["y"], text=first[2]["text"], mode="markers+text", name=SCRUB_MIN,
                    textposition="top left", cliponaxis=False,
                    marker={"color": ENTROPY, "size": 13, "symbol": "circle", "line": {"color": "#262730", "width": 1}},
                    hovertemplate=f"minimum at q(true) = %{{x:.3f}}: %{{y:.4f}} {unit}<extra></extra>")
    finite = frames.losses[np.isfinite(frames.losses)]
    top = min(float(finite.max()), float(frames.losses[0][0]) * 1.25) if finite.size else 1.0
    fig.update_layout(xaxis_range=[0, 1], yaxis_range=[0, top], showlegend=True, margin=_SCRUB_MARGIN)
    return _with_frames(fig, [{"name": _label(e), "data": data(i), "traces": [0, 1, 2]} for i, e in enumerate(eps)],
                        _slider(eps, active, "ε = "))


# --------------------------------------------------------------------------- focal loss


def _gamma_names(g: float, yours: bool) -> str:
    return f"γ = {g:g}" + (" (yours)" if yours else "")


def make_focal_factor(gamma: float, showcase: Sequence[float] = FOCAL_SHOWCASE) -> go.Figure:
    """The modulating factor ``(1 - p_t)^gamma`` against ``p_t`` for several gamma.

    One trace per gamma (``showcase`` plus ``gamma``, increasing), named
    ``"γ = …"``; the current one ends in ``" (yours)"``. y from
    :func:`ce_core.focal_modulation`.
    """
    values = sorted({float(g) for g in showcase} | {float(gamma)})
    fig = base_figure("The focal factor (1 − p_t)^γ", x_title="p_t, probability of the true class",
                      y_title="factor (no unit)", height=380)
    for i, g in enumerate(values):
        yours = math.isclose(g, gamma)
        fig.add_scatter(x=FOCAL_GRID, y=focal_modulation(FOCAL_GRID, g), mode="lines", name=_gamma_names(g, yours),
                        line={"color": LOSS if yours else _SHOWCASE_COLOURS[i % len(_SHOWCASE_COLOURS)],
                              "width": 4 if yours else 2,
                              "dash": "solid" if yours else _SHOWCASE_DASHES[i % len(_SHOWCASE_DASHES)]},
                        hovertemplate=f"γ = {g:g}<br>p_t = %{{x:.3f}}<br>factor = %{{y:.4f}}<extra></extra>")
    fig.update_layout(xaxis_range=[0, 1], yaxis_range=[0, 1.05], **_LEGEND_BELOW)
    return fig.figure()


def make_focal_gamma_curve(gammas: Sequence[float], losses: Sequence[float], gamma: float, *, p_true: float,
                           unit: str) -> go.Figure:
    """One example's focal loss against gamma, with the current gamma marked.

    Traces: 0 ``GAMMA_CURVE`` (``losses`` over ``gammas``, from
    :func:`ce_core.live.focal_sweep`), 1 ``FOCAL_POINT`` at the gamma of ``gammas``
    nearest ``gamma`` (left empty where the loss is infinite).
    """
    gs = np.asarray(gammas, dtype=float)
    ys = np.asarray(losses, dtype=float)
    if gs.ndim != 1 or gs.shape != ys.shape or gs.size < 2:
        raise ValueError(f"gammas and losses must be 1-D of one length >= 2 (got {gs.shape}, {ys.shape})")
    i = int(np.argmin(np.abs(gs - float(gamma))))
    fig = base_figure(f"Your example (p_t = {p_true:.3f}): focal loss against γ", x_title="γ",
                      y_title=f"focal loss ({unit})", height=320)
    fig.add_scatter(x=gs, y=ys, mode="lines", name=GAMMA_CURVE, line={"color": LOSS, "width": 3},
                    hovertemplate=f"γ = %{{x:.1f}}<br>%{{y:.4f}} {unit}<extra></extra>")
    finite = math.isfinite(float(ys[i]))
    fig.add_scatter(x=[float(gs[i])] if finite else [], y=[float(ys[i])] if finite else [], mode="markers+text",
                    name=FOCAL_POINT, text=[f"γ = {gs[i]:g}: {ys[i]:.4f} {unit}"] if finite else [],
                    textposition="top right", cliponaxis=False,
                    marker={**Q_MARKER, "size": 14, "line": {"color": "#262730", "width": 1.5}})
    top = float(np.nanmax(np.where(np.isfinite(ys), ys, np.nan))) if np.isfinite(ys).any() else 1.0
    fig.update_layout(xaxis_range=[float(gs[0]) - 0.1, float(gs[-1]) + 0.1], yaxis_range=[0, max(top, 1e-9) * 1.2],
                      showlegend=False)
    return fig.figure()


# --------------------------------------------------------------------------- class weights


def make_weighted_batch(sample_labels: Sequence[str], per_sample: Sequence[float], weighted: Sequence[float],
                        index_mean: float, probability_mean: float, *, unit: str) -> go.Figure:
    """Per-sample losses, unweighted and weighted, with the two "mean" values as lines.

    Traces: 0 ``UNWEIGHTED``, 1 ``WEIGHTED`` (bars), 2 ``INDEX_MEAN``, 3
    ``PROBABILITY_MEAN`` (horizontal lines). A mean that is undefined (nan) is
    left out.
    """
    per_sample = np.asarray(per_sample, dtype=float)
    weighted = np.asarray(weighted, dtype=float)
    if not (len(sample_labels) == per_sample.size == weighted.size):
        raise ValueError(f"sample_labels, per_sample and weighted must have the same length "
                         f"(got {len(sample_labels)}, {per_sample.size}, {weighted.size})")
    labels = list(sample_labels)
    fig = base_figure("Per-sample loss, before and after the class weight", x_title="sample (true class)",
                      y_title=f"loss ({unit})", height=400)
    fig.add_bar(x=labels, y=per_sample, name=UNWEIGHTED,
                marker={"color": "#FFFFFF", "line": {"color": NEUTRAL, "width": 2}},
                hovertemplate=f"%{{x}}<br>−log p[y] = %{{y:.4f}} {unit}<extra></extra>")
    fig.add_bar(x=labels, y=weighted, name=WEIGHTED, marker={"color": LOSS},
                hovertemplate=f"%{{x}}<br>w[y] · loss = %{{y:.4f}} {unit}<extra></extra>")
    for value, name, style in ((index_mean, INDEX_MEAN, {"color": TRUE_P, "dash": "dash"}),
                               (probability_mean, PROBABILITY_MEAN, {"color": MODEL_Q, "dash": "dot"})):
        if math.isfinite(value):
            fig.add_scatter(x=[labels[0], labels[-1]], y=[value, value], mode="lines", name=name,
                            line={**style, "width": 3},
                            hovertemplate=f"{name}: {value:.4f} {unit}<extra></extra>")
    fig.update_layout(barmode="group", bargap=0.25, xaxis_type="category", **_LEGEND_BELOW)
    return fig.figure()


# --------------------------------------------------------------------------- clipping


def make_clipping_losses(policies: Sequence[ClipPolicy], q: float, *, base: float, unit: str) -> go.Figure:
    """``-log q`` under each clipping policy, against ``q`` on a log axis.

    Traces: one line per policy (named by ``policy.label``, y = ``policy.loss``
    over :data:`ce_core.variants.CLIP_GRID`), then, when ``q > 0``, one marker per
    policy at ``q`` named ``"at q: " + label``.
    """
    fig = base_figure("The loss as q(true class) goes to 0", x_title="q(true class), log scale",
                      y_title=f"loss ({unit})", height=520)
    for i, policy in enumerate(policies):
        fig.add_scatter(x=CLIP_GRID, y=policy.loss(CLIP_GRID, base), mode="lines", name=policy.label,
                        legendgroup=policy.label, line=_POLICY_STYLE[i % len(_POLICY_STYLE)],
                        hovertemplate=f"{policy.label}<br>q = %{{x:.2e}}<br>%{{y:.4f}} {unit}<extra></extra>")
    if q > 0:
        for i, policy in enumerate(policies):
            style = _POLICY_STYLE[i % len(_POLICY_STYLE)]
            fig.add_scatter(x=[q], y=[policy.loss(q, base)], mode="markers", name="at q: " + policy.label,
                            legendgroup=policy.label, showlegend=False,
                            marker={"color": style["color"], "size": 12, "symbol": _POLICY_SYMBOL[i % 5],
                                    "line": {"color": "#FFFFFF", "width": 1}},
                            hovertemplate=f"{policy.label}<br>q = %{{x:.2e}}<br>%{{y:.4f}} {unit}<extra></extra>")
    fig.update_layout(xaxis_type="log", xaxis_exponentformat="power", **_LEGEND_BELOW)
    return fig.figure()


def make_clipping_gradients(policies: Sequence[ClipPolicy], q: float, *, base: float, unit: str) -> go.Figure:
    """Size of the gradient ``|d loss / d q|`` under each policy, log-log.

    Same trace layout as :func:`make_clipping_losses`, with y = ``|policy.gradient|``.
    Where a clip makes the gradient exactly 0 the line is left empty (a log axis
    has no 0); the hover text and the page say so.
    """
    fig = base_figure("The gradient as q(true class) goes to 0", x_title="q(true class), log scale",
                      y_title=f"|∂loss/∂q| ({unit} per unit of q)", height=440)
    for i, policy in enumerate(policies):
        g = np.abs(np.asarray(policy.gradient(CLIP_GRID, base), dtype=float))
        fig.add_scatter(x=CLIP_GRID, y=np.where(g > 0, g, np.nan), mode="lines", name=policy.label,
                        legendgroup=policy.label, line=_POLICY_STYLE[i % len(_POLICY_STYLE)], connectgaps=False,
                        hovertemplate=f"{policy.label}<br>q = %{{x:.2e}}<br>|gradient| = %{{y:.3e}}<extra></extra>")
    if q > 0:
        for i, policy in enumerate(policies):
            g = abs(float(policy.gradient(q, base)))
            if g > 0:
                style = _POLICY_STYLE[i % len(_POLICY_STYLE)]
                fig.add_scatter(x=[q], y=[g], mode="markers", name="at q: " + policy.label,
                                legendgroup=policy.label, showlegend=False,
                                marker={"color": style["color"], "size": 12, "symbol": _POLICY_SYMBOL[i % 5],
                                        "line": {"color": "#FFFFFF", "width": 1}},
                                hovertemplate=f"{policy.label}<br>q = %{{x:.2e}}<br>|gradient| = %{{y:.3e}}<extra></extra>")
    fig.update_layout(xaxis_type="log", yaxis_type="log", xaxis_exponentformat="power",
                      yaxis_exponentformat="power", **_LEGEND_BELOW)
    return fig.figure()


__all__ = [
    "make_clipping_gradients",
    "make_clipping_losses",
    "make_focal_factor",
    "make_focal_gamma_curve",
    "make_smoothing_bars",
    "make_smoothing_curves",
    "make_smoothing_scrub",
    "make_weighted_batch",
]
