"""Figures of a model's own predictions: losses, reliability, temperature scaling, the decomposition.

Pure builders: numbers in (results of :mod:`ce_core.calibration`), a ``go.Figure`` or a live-chart
spec out. The page "Your model" shows them.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from lab.figures import live
from lab.figures.theme import ENTROPY, INK, KL, LOSS, MODEL_Q, NEUTRAL, P_BAR, Q_BAR, TRUE_P, base_figure

#: Bars of a live reliability diagram: accuracy (solid blue) left, mean confidence (dashed orange) right.
ACCURACY_STYLE = {"color": TRUE_P, "dash": "solid", "width": 1.5}
CONFIDENCE_STYLE = {"color": MODEL_Q, "dash": "dash", "width": 1.5}


#: A legend under the plot: above it, a wrapped legend ran into the title on a phone.
_LEGEND_BELOW = {
    "orientation": "h",
    "y": -0.3,
    "yanchor": "top",
    "x": 0,
    "xanchor": "left",
    "traceorder": "normal",
}

#: Text on the green ENTROPY bars: black passes WCAG AA (6.1:1); INK (4.34:1) and white (3.4:1) do not.
_ON_ENTROPY = {"color": "#000000"}


def _finite_or_none(values) -> list:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _centres(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Bar positions: the middle of each bin; the bin [1, 1] sits at 1."""
    return np.where(upper > lower, (lower + upper) / 2, upper)


def make_reliability_diagram(
    bins,
    *,
    title: str = "Reliability diagram",
    x_title: str = "confidence (top-label probability)",
    y_title: str = "accuracy in the bin",
) -> go.Figure:
    """Accuracy against confidence, one bar per bin (width = the bin), with the counts.

    ``bins`` is a :class:`ce_core.calibration.ReliabilityBins`. Traces, by name:
    ``"accuracy"`` (bars, ``y`` = ``bins.accuracy``, None for empty bins, ``text`` the counts per bin),
    ``"mean confidence"`` (diamonds at the bins' mean confidence) and ``"perfect calibration"``
    (the diagonal).
    """
    lower, upper = np.asarray(bins.lower, float), np.asarray(bins.upper, float)
    width = np.where(upper > lower, upper - lower, 0.02)
    x = _centres(lower, upper)
    counts = np.asarray(bins.counts)
    fig = base_figure(title, x_title=x_title, y_title=y_title, height=400)
    fig.add_scatter(
        x=[0, 1],
        y=[0, 1],
        name="perfect calibration",
        mode="lines",
        line={"color": NEUTRAL, "dash": "dot", "width": 2},
        hoverinfo="skip",
    )
    fig.add_bar(
        x=x,
        y=_finite_or_none(bins.accuracy),
        width=width * 0.96,
        name="accuracy",
        marker=P_BAR,
        text=[f"{c:,}" if c else "" for c in counts.tolist()],
        textposition="outside",
        cliponaxis=False,
        textfont={"color": INK, "size": 11},
        customdata=np.column_stack([lower, upper, counts]),
        hovertemplate="bin [%{customdata[0]:.3f}, %{customdata[1]:.3f}): %{customdata[2]:,} samples, "
        "accuracy %{y:.3f}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=_finite_or_none(bins.confidence),
        name="mean confidence",
        mode="markers",
        marker={"color": MODEL_Q, "symbol": "diamond", "size": 10, "line": {"color": INK, "width": 1}},
        hovertemplate="mean confidence %{y:.3f}<extra></extra>",
    )
    # the legend under the plot: above it, it wrapped into the title on a phone
    fig.update_layout(
        xaxis={"range": [0, 1.04]},
        yaxis={"range": [0, 1.12]},
        bargap=0,
        height=480,
        margin={"b": 140},
        legend={"orientation": "h", "y": -0.36, "yanchor": "top", "x": 0, "xanchor": "left"},
    )
    return fig.figure()


def make_loss_histogram(
    losses, *, unit: str = "nats", title: str = "Per-sample losses", n_bins: int = 40
) -> go.Figure:
    """How the per-sample losses ``-log q_y`` are spread: a histogram of the finite ones.

    Traces: ``"samples"`` (bars at the bin centres, ``y`` = counts of ``np.histogram``). Infinite
    losses (q_y = 0) are counted in the title, not drawn.
    """
    losses = np.asarray(losses, dtype=float)
    finite = losses[np.isfinite(losses)]
    infinite = int(losses.size - finite.size)
    top = float(finite.max()) if finite.size else 1.0
    counts, edges = np.histogram(finite, bins=n_bins, range=(0.0, top if top > 0 else 1.0))
    if infinite:
        title = f"{title} ({infinite:,} infinite: q_y = 0, not drawn)"
    fig = base_figure(title, x_title=f"loss −log q_y ({unit})", y_title="samples", height=320)
    fig.add_bar(
        x=(edges[:-1] + edges[1:]) / 2,
        y=counts,
        width=np.diff(edges),
        name="samples",
        marker={"color": LOSS},
        customdata=np.column_stack([edges[:-1], edges[1:]]),
        hovertemplate=f"%{{customdata[0]:.3f}} to %{{customdata[1]:.3f}} {unit}: %{{y:,}} samples<extra></extra>",
    )
    fig.update_layout(bargap=0.02, yaxis={"type": "log" if counts.max(initial=0) > 50 else "linear"})
    return fig.figure()


def _add_hbar(fig, row: str, x: float, name: str, marker, hover: str, text=None, *, outside=False, **extra):
    """One horizontal bar of a stacked row; its text (if any) inside in black on the green, or outside in ink."""
    labels = {}
    if text is not None:
        labels = {
            "text": [text],
            "textposition": "outside" if outside else "inside",
            "textangle": 0,
            "textfont": {"color": INK} if outside else _ON_ENTROPY,
        }
    fig.add_bar(
        y=[row], x=[x], name=name, orientation="h", marker=marker, **labels, hovertemplate=hover, **extra
    )


def make_decomposition_bar(
    decomposition, *, unit: str = "nats", title: str = "The mean CE, taken apart"
) -> go.Figure:
    """The binary decomposition as stacked bars (a :class:`ce_core.calibration.LogLossDecomposition`).

    Rows: ``"uncertainty H(o)"`` (one bar), ``"mean CE"`` (stacked: ``"uncertainty − resolution"``,
    ``"reliability"``, ``"within-bin"``; a negative within-bin term stacks below 0), and the
    removed part ``"resolution"`` drawn on the first row's end. Each trace's ``x`` is its term.
    """
    d = decomposition
    rows = ["uncertainty H(o)", "mean CE"]
    fig = base_figure(f"{title} ({unit})", height=300)  # the unit in the title: no axis title under the ticks
    u_r = d.uncertainty - d.resolution
    hover = f"%{{x:.4f}} {unit}<extra></extra>"
    _add_hbar(
        fig,
        rows[0],
        u_r,
        "uncertainty − resolution",
        {"color": ENTROPY},
        f"%{{x:.4f}} {unit}<extra>uncertainty − resolution</extra>",
        showlegend=False,
    )
    resolution_marker = {"color": ENTROPY, "opacity": 0.35, "pattern": {"shape": "x"}}
    for row, x, name, marker, text, hover_text in (
        (
            rows[0],
            d.resolution,
            "resolution",
            resolution_marker,
            f"− resolution {d.resolution:.4f}",
            "resolution ",
        ),
        (rows[1], u_r, "uncertainty − resolution", {"color": ENTROPY}, f"{u_r:.4f}", ""),
        (rows[1], d.reliability, "reliability", {"color": KL}, f"{d.reliability:.4f}", "reliability "),
        (rows[1], d.within_bin, "within-bin", Q_BAR, None, "within-bin "),
    ):
        _add_hbar(fig, row, x, name, marker, hover_text + hover, text, outside=name == "reliability")
    # uncertainty on top: read down from what a constant forecast costs to the mean CE
    fig.update_layout(
        barmode="relative",
        yaxis={"autorange": "reversed"},
        height=340,
        margin={"b": 120},
        legend=_LEGEND_BELOW,
    )
    return fig.figure()


def make_temperature_split_bar(
    mean_ce: float,
    mean_ce_scaled: float,
    temperature: float,
    *,
    unit: str = "nats",
    title: str = "What one temperature removes",
) -> go.Figure:
    """Mean CE = CE after temperature scaling + the part one temperature removes (stacked).

    Traces: ``"CE at the fitted T"`` (``x`` = ``mean_ce_scaled``) and ``"removed by T"``
    (``x`` = ``mean_ce - mean_ce_scaled``, >= 0 at the best T).
    """
    fig = base_figure(f"{title} ({unit})", height=300)  # the unit in the title: no axis title under the ticks
    hover = f"%{{x:.4f}} {unit}<extra></extra>"
    removed = mean_ce - mean_ce_scaled
    _add_hbar(
        fig,
        "mean CE",
        mean_ce_scaled,
        f"CE at the fitted T = {temperature:.3f}",
        {"color": ENTROPY},
        hover,
        f"{mean_ce_scaled:.4f}",
    )
    _add_hbar(fig, "mean CE", removed, "removed by T", {"color": KL}, hover, f"{removed:.4f}", outside=True)
    fig.update_layout(
        barmode="stack",
        legend=_LEGEND_BELOW,
        margin={"b": 110},
        xaxis={"range": [0, max(mean_ce, mean_ce_scaled) * 1.18 or 1.0]},
    )  # room for the outside label
    return fig.figure()


# --------------------------------------------------------------------------- live specs


def temperature_grid(fitted: float | None, *, size: int = 41) -> np.ndarray:
    """Log-spaced temperatures around 1 and the fitted T (both on the grid), increasing."""
    lo, hi = 0.25, 4.0
    if fitted is not None and math.isfinite(fitted):
        lo, hi = min(lo, fitted / 2), max(hi, fitted * 2)
    grid = np.geomspace(lo, hi, size)
    extra = [1.0] + ([fitted] if fitted is not None and math.isfinite(fitted) else [])
    grid = np.unique(np.concatenate([grid, extra]))
    return grid[np.concatenate([[True], np.diff(grid) > 1e-9 * grid[1:]])]


def reliability_live_spec(sweep, *, caption=None) -> dict:
    """The reliability diagram at every T of a :class:`ce_core.calibration.TemperatureSweep`.

    Layers: ``"perfect calibration"`` (the diagonal), ``"accuracy"`` and ``"mean confidence"``
    (bars at the bin centres, one row per temperature; empty bins NaN, drawn as nothing).
    """
    lower, upper = np.asarray(sweep.lower, float), np.asarray(sweep.upper, float)
    x = _centres(lower, upper)
    w = float(np.min((upper - lower)[upper > lower]))
    layers = [
        live.line("perfect calibration", [0.0, 1.0], [0.0, 1.0], "guide"),
        live.bars("accuracy", x, sweep.accuracy, ACCURACY_STYLE, width=0.45 * w, offset=-0.23 * w),
        live.bars("mean confidence", x, sweep.confidence, CONFIDENCE_STYLE, width=0.45 * w, offset=0.23 * w),
    ]
    return live.chart_spec(
        layers,
        x_range=(0.0, 1.0 + w),
        y_range=(0.0, 1.05),
        x_label="confidence bin (top-label probability)",
        y_label="accuracy / confidence",
        x_ticks=live.ticks([0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
        y_ticks=live.ticks([0, 0.25, 0.5, 0.75, 1.0], 2),
        caption=caption,
        height_rem=16,
        key="ym_reliability_live",
    )


def temperature_curve_spec(
    grid, values, fitted: float | None, *, y_label: str, name: str, key: str, style: str = "loss"
) -> dict:
    """A quantity against T (log axis), a marker at the current T and a vertical line at the fitted T.

    Layers: ``name`` (the curve), ``"this T"`` (a point per grid position) and ``"fitted T"``
    (a vertical line, the same at every position; NaN when there is no fitted T).
    """
    grid, values = np.asarray(grid, float), np.asarray(values, float)
    finite = values[np.isfinite(values)]
    top = float(np.quantile(finite, 0.9)) if finite.size else 1.0
    top = max(top, float(values[np.argmin(np.abs(np.log(grid)))]) * 1.5, 1e-3)
    t_line = np.full(grid.size, fitted if fitted is not None and math.isfinite(fitted) else np.nan)
    layers = [
        live.line(name, grid, values, style),
        live.vline("fitted T", t_line, {"color": INK, "dash": "dash", "width": 1.5}, legend=True),
        live.point("this T", grid, values, style, legend=False),
    ]
    ticks = [t for t in (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0) if grid[0] <= t <= grid[-1]]
    return live.chart_spec(
        layers,
        x_range=(float(grid[0]), float(grid[-1])),
        y_range=(0.0, top * 1.1),
        x_label="temperature T (log scale)",
        y_label=y_label,
        x_ticks=live.ticks(ticks),
        y_ticks=live.ticks(live.nice_ticks(top * 1.1)),
        height_rem=11,
        x_log=True,
        key=key,
    )


def temperature_readouts(ce_texts, ece, confidence, accuracy: float, *, unit: str) -> list[dict]:
    """The live readouts under the temperature slider: mean CE (``ce_texts``, formatted in ``unit``),
    ECE, average confidence and the accuracy, which never moves, at every temperature."""
    return [
        live.readout("ce", f"Mean CE ({unit})", ce_texts),
        live.readout("ece", "ECE", [f"{v:.4f}" for v in ece]),
        live.readout("conf", "Average confidence", [f"{v:.3f}" for v in confidence]),
        live.readout("acc", "Accuracy (never moves)", [f"{accuracy:.3f}"] * len(ce_texts)),
    ]


def temperature_live_charts(grid, sweep, ce, fitted: float | None, *, captions, unit: str) -> dict:
    """The charts of the temperature slider, as its keyword arguments ``chart``, ``more_charts``, ``value_text``.

    ``chart``: the live reliability diagram (``captions``: one per temperature); ``more_charts``: the mean
    CE (``ce``, in ``unit``) and the ECE against T; ``value_text``: each temperature of ``grid`` as shown.
    """
    ce_curve = temperature_curve_spec(
        grid, ce, fitted, y_label=f"mean CE ({unit})", name="mean CE", key="ym_ce_curve"
    )
    ece_curve = temperature_curve_spec(
        grid, sweep.calibration_error, fitted, y_label="ECE", name="ECE", key="ym_ece_curve", style="absolute"
    )
    return {
        "chart": reliability_live_spec(sweep, caption=captions),
        "more_charts": [ce_curve, ece_curve],
        "value_text": [f"{t:.3g}" for t in grid],
    }
