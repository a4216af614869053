"""Figures of the loss-variant lessons: label smoothing, focal loss, clipping.

Pure builders: they take the lesson's state (or numbers :mod:`ce_core` computed),
call :mod:`ce_core` for every number they draw, and return a ``go.Figure``. No
Streamlit here. Infinite values are never sent to Plotly: a point at infinity
is left off and the caption says so.

The label-smoothing ε and focal γ pictures are drawn live by lab.components.live_chart
from ce_core.live's sweeps (their in-figure scrub figures are gone).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.figures.theme import (
    ACCENT,
    ENTROPY,
    KL,
    LOSS,
    NEUTRAL,
    P_BAR,
    Q_BAR,
    Q_MARKER,
    TRUE_P,
    base_figure,
)
from ce_core.losses import focal_modulation, smooth_targets
from ce_core.variants import (
    CLIP_GRID,
    FOCAL_GRID,
    FOCAL_SHOWCASE,
    ClipPolicy,
)

# Trace names, used by the tests.
ONE_HOT = "one-hot target"
SMOOTHED = "smoothed target t′"
MODEL = "q (model)"
YOUR_Q = "your q"
CROSS_ENTROPY = "cross-entropy (γ = 0, no α)"
FOCAL_CURVE = "focal loss"
FOCAL_POINT = "your example"
GAMMA_CURVE = "focal loss against γ"

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
#: Line styles of the clipping policies, in the order of ce_core.variants.clip_policies (shared with the live chart).
POLICY_STYLES = tuple(_POLICY_STYLE[i] for i in range(5))
# Five or more legend entries wrap into rows that would cover the title on a phone: put them
# under the x-axis title instead.
_LEGEND_BELOW = {"legend": {"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0, "font": {"size": 12}},
                 "margin": {"b": 40, "t": 56}, "height": 520}


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


# --------------------------------------------------------------------------- focal loss


def _gamma_names(g: float, yours: bool) -> str:
    return f"γ = {g:g}" + (" (yours)" if yours else "")


def make_focal_factor(gamma: float, showcase: Sequence[float] = FOCAL_SHOWCASE) -> go.Figure:
    """The modulating factor ``(1 - q_t)^gamma`` against ``q_t`` (torchvision's p_t) for several gamma.

    One trace per gamma (``showcase`` plus ``gamma``, increasing), named
    ``"γ = …"``; the current one ends in ``" (yours)"``. y from
    :func:`ce_core.focal_modulation`.
    """
    values = sorted({float(g) for g in showcase} | {float(gamma)})
    fig = base_figure("The focal factor (1 − q<sub>t</sub>)<sup>γ</sup>", x_title="q<sub>t</sub>, the model's probability of the true class",
                      y_title="factor (no unit)", height=380)
    for i, g in enumerate(values):
        yours = math.isclose(g, gamma)
        fig.add_scatter(x=FOCAL_GRID, y=focal_modulation(FOCAL_GRID, g), mode="lines", name=_gamma_names(g, yours),
                        line={"color": LOSS if yours else _SHOWCASE_COLOURS[i % len(_SHOWCASE_COLOURS)],
                              "width": 4 if yours else 2,
                              "dash": "solid" if yours else _SHOWCASE_DASHES[i % len(_SHOWCASE_DASHES)]},
                        hovertemplate=f"γ = {g:g}<br>q_t = %{{x:.3f}}<br>factor = %{{y:.4f}}<extra></extra>")
    fig.update_layout(xaxis_range=[0, 1], yaxis_range=[0, 1.05], **_LEGEND_BELOW)
    return fig.figure()


def make_focal_gamma_curve(gammas: Sequence[float], losses: Sequence[float], gamma: float, *, p_true: float,
                           unit: str) -> go.Figure:
    """One example's focal loss against gamma, with the current gamma marked.

    ``p_true`` is the example's q_t, the model's probability of the true class
    (torchvision calls it p_t); it is only printed in the title.

    Traces: 0 ``GAMMA_CURVE`` (``losses`` over ``gammas``, from
    :func:`ce_core.live.focal_sweep`), 1 ``FOCAL_POINT`` at the gamma of ``gammas``
    nearest ``gamma`` (left empty where the loss is infinite).
    """
    gs = np.asarray(gammas, dtype=float)
    ys = np.asarray(losses, dtype=float)
    if gs.ndim != 1 or gs.shape != ys.shape or gs.size < 2:
        raise ValueError(f"gammas and losses must be 1-D of one length >= 2 (got {gs.shape}, {ys.shape})")
    i = int(np.argmin(np.abs(gs - float(gamma))))
    fig = base_figure(f"Your example (q<sub>t</sub> = {p_true:.3f}): focal loss against γ", x_title="γ",
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


# --------------------------------------------------------------------------- clipping


def make_clipping_gradients(policies: Sequence[ClipPolicy], q: float, *, base: float, unit: str) -> go.Figure:
    """Size of the gradient ``|d loss / d q|`` under each policy, log-log.

    Traces: one line per policy (named by ``policy.label``, y = ``|policy.gradient|``
    over :data:`ce_core.variants.CLIP_GRID`), then, when ``q > 0``, one marker per
    policy at ``q`` named ``"at q: " + label``. Where a clip makes the gradient
    exactly 0 the line is left empty and the marker left out (a log axis has no 0);
    the hover text and the page say so.
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
    "make_focal_factor",
    "make_focal_gamma_curve",
    "make_smoothing_bars",
]
