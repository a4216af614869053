"""Figures of the training lesson: decision regions, loss curves and the learning-rate live chart.

Pure builders (data in, ``go.Figure`` or a live-chart spec out). The numbers come from
:mod:`ce_core.training`; these functions only draw them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lab.figures import live
from lab.figures.spec import figure_from
from lab.figures.theme import ACCENT, CLASS_COLOURS, ENTROPY, LOSS, NEUTRAL, TEMPLATE_NAME
from lab.figures.variants import fmt_loss

#: A second cue besides colour: each class has its own marker shape.
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star")
#: How much white is mixed into a class colour for its region (unsure, sure).
REGION_TINT = (0.9, 0.62)
#: Regions hold z = class number (1-based) + SHADE * confidence, so rounding z gives the class back.
SHADE = 0.45

CE_NAME = "cross-entropy"
MSE_NAME = "MSE"
#: Text colour for the MSE axis title: the sky blue of its line, darkened to read on white.
MSE_TEXT = "#1F77A8"


def _figure(traces: list, title: str, x_title: str, y_title: str, height: int, **layout) -> go.Figure:
    """Like :func:`lab.figures.theme.base_figure`, built in one call from dicts (no validation)."""
    xaxis = {"title": {"text": x_title}, **layout.pop("xaxis", {})}
    yaxis = {"title": {"text": y_title}, **layout.pop("yaxis", {})}
    return figure_from(
        traces,
        {
            "template": TEMPLATE_NAME,
            "title": {"text": title},
            "height": height,
            "xaxis": xaxis,
            "yaxis": yaxis,
            **layout,
        },
    )


def _mix_white(colour: str, white: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * white) for c in (r, g, b))
    return f"rgb({r},{g},{b})"


def region_colorscale(num_classes: int) -> list[list]:
    """A colour band per class, from a pale tint (unsure) to a stronger tint (sure).

    The scale spans z from 1 to num_classes + SHADE, as :func:`region_values` writes.
    """
    low, high = 1.0, num_classes + SHADE
    scale = []
    for k in range(num_classes):
        colour = CLASS_COLOURS[k]
        start = (k + 1 - low) / (high - low)
        stop = (k + 1 + SHADE - low) / (high - low)
        scale.append([start, _mix_white(colour, REGION_TINT[0])])
        scale.append([stop, _mix_white(colour, REGION_TINT[1])])
    return scale


def region_values(classes: np.ndarray, confidence: np.ndarray, num_classes: int) -> np.ndarray:
    """z = predicted class (1-based) + SHADE * how far the confidence is above chance (1/K)."""
    chance = 1.0 / num_classes
    shade = np.clip((np.asarray(confidence) - chance) / (1.0 - chance), 0.0, 1.0)
    return np.asarray(classes) + 1.0 + SHADE * shade


def make_decision_regions(
    xs: np.ndarray,
    ys: np.ndarray,
    classes: np.ndarray,
    confidence: np.ndarray,
    points: np.ndarray,
    labels: np.ndarray,
    *,
    class_names: Sequence[str],
    title: str,
    height: int = 420,
) -> go.Figure:
    """The predicted class over the plane, with the training points on top.

    Trace 0 is a heatmap of the predicted class (a pale band per class, stronger
    where the model is surer); then one scatter trace per class, named after it,
    holding that class's points (colour AND marker symbol per class).

    Parameters
    ----------
    xs, ys : arrays (R,)
        Grid coordinates, as returned by :func:`ce_core.training.decision_grid`.
    classes, confidence : arrays (R, R)
        Predicted class (0-based) and its probability at each grid cell.
    points : array (N, 2)
    labels : array (N,) of int
        True class of each point.
    class_names : one name per class
    """
    classes = np.asarray(classes)
    confidence = np.asarray(confidence)
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    k = len(class_names)
    if classes.shape != (len(ys), len(xs)) or confidence.shape != classes.shape:
        raise ValueError(
            f"classes and confidence must have shape (len(ys), len(xs)) = ({len(ys)}, {len(xs)}) "
            f"(got {classes.shape} and {confidence.shape})"
        )
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] != labels.size:
        raise ValueError(
            f"points must have shape (N, 2) with N = len(labels) = {labels.size} (got {points.shape})"
        )
    if not 2 <= k <= len(CLASS_SYMBOLS):
        raise ValueError(f"class_names must name 2 to {len(CLASS_SYMBOLS)} classes (got {k})")

    traces = [
        {
            "type": "heatmap",
            "x": np.asarray(xs, dtype=np.float32),
            "y": np.asarray(ys, dtype=np.float32),
            "z": region_values(classes, confidence, k).astype(np.float32),
            "customdata": confidence.astype(np.float32),
            "zmin": 1.0,
            "zmax": k + SHADE,
            "colorscale": region_colorscale(k),
            "showscale": False,
            "name": "predicted class",
            "hovertemplate": "x₁ = %{x:.2f}, x₂ = %{y:.2f}<br>predicted class: %{z:.0f}"
            "<br>its probability: %{customdata:.0%}<extra></extra>",
        }
    ]
    for c in range(k):
        mine = labels == c
        traces.append(
            {
                "type": "scatter",
                "x": points[mine, 0],
                "y": points[mine, 1],
                "mode": "markers",
                "name": class_names[c],
                "marker": {
                    "color": CLASS_COLOURS[c],
                    "symbol": CLASS_SYMBOLS[c],
                    "size": 9,
                    "line": {"color": "white", "width": 1},
                },
                "hovertemplate": f"{class_names[c]}<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<extra></extra>",
            }
        )
    axis = {"showgrid": False, "zeroline": False, "constrain": "domain"}
    return _figure(
        traces,
        title,
        "x₁",
        "x₂",
        height,
        xaxis={**axis, "range": [float(xs[0]), float(xs[-1])]},
        yaxis={**axis, "range": [float(ys[0]), float(ys[-1])], "scaleanchor": "x", "scaleratio": 1},
        legend={"title": {"text": "true class:"}},
    )


def make_model_regions(grid: tuple, data, title: str) -> go.Figure:
    """:func:`make_decision_regions` of a model's ``decision_grid`` with the points of a ``ToyData``.

    The classes are named by their index: "class 0", "class 1", ...
    """
    names = [f"class {i}" for i in range(data.num_classes)]
    return make_decision_regions(*grid, data.x, data.y, class_names=names, title=title)


def _axis_top(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 1.0
    return top * 1.05 if top > 0 else 1.0


def make_loss_curves(
    ce_losses: Sequence[float],
    *,
    unit: str,
    mse_losses: Sequence[float] | None = None,
    plateau_step: int | None = None,
    min_steps: int = 50,
    title: str = "Loss while training",
    height: int = 420,
) -> go.Figure:
    """The loss after each step: cross-entropy (in ``unit``), and optionally MSE on its own axis.

    Trace 0 is the cross-entropy loss (left axis, ``unit``), named ``"cross-entropy"``;
    with ``mse_losses`` trace 1 is the mean squared error (right axis, no unit),
    named ``"MSE"``. Each axis runs from 0 to just above its own curve's highest
    value, so both curves start near the top and their *speeds* compare directly.
    x is the step number 0, 1, ..., n. A dotted vertical line marks ``plateau_step``.
    """
    ce = np.asarray(ce_losses, dtype=float)
    if ce.ndim != 1 or ce.size == 0:
        raise ValueError(f"ce_losses must be a non-empty 1-D sequence (got shape {ce.shape})")
    steps = np.arange(ce.size, dtype=np.int32)
    mode = "lines" if ce.size > 1 else "markers"  # a single value still shows, as a dot
    traces = [
        {
            "type": "scatter",
            "x": steps,
            "y": ce,
            "mode": mode,
            "name": CE_NAME,
            "line": {"color": LOSS, "width": 3},
            "marker": {"color": LOSS, "size": 9},
            "hovertemplate": f"step %{{x}}<br>cross-entropy %{{y:.4f}} {unit}<extra></extra>",
        }
    ]
    layout: dict = {
        "xaxis": {"range": [0, max(int(ce.size - 1), int(min_steps))]},
        "yaxis": {"range": [0, _axis_top(ce)]},
    }
    y_title = f"cross-entropy ({unit})"
    if mse_losses is not None:
        mse = np.asarray(mse_losses, dtype=float)
        if mse.shape != ce.shape:
            raise ValueError(
                f"mse_losses must have the same length as ce_losses (got {mse.size} and {ce.size})"
            )
        traces.append(
            {
                "type": "scatter",
                "x": steps,
                "y": mse,
                "mode": mode,
                "name": MSE_NAME,
                "yaxis": "y2",
                "line": {"color": ACCENT, "width": 3, "dash": "dash"},
                "marker": {"color": ACCENT, "size": 9, "symbol": "diamond"},
                "hovertemplate": "step %{x}<br>MSE %{y:.4f} (no unit)<extra></extra>",
            }
        )
        y_title = f"cross-entropy ({unit}) ━"
        layout["yaxis"]["title"] = {"text": y_title, "font": {"color": LOSS}}
        layout["yaxis2"] = {
            "title": {"text": "MSE (no unit) ┅", "font": {"color": MSE_TEXT}},
            "overlaying": "y",
            "side": "right",
            "range": [0, _axis_top(mse)],
            "showgrid": False,
            "tickmode": "auto",
            "zeroline": False,
            "automargin": True,
        }
    if plateau_step is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": plateau_step,
                "x1": plateau_step,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": NEUTRAL, "width": 1.5, "dash": "dot"},
            }
        ]
        layout["annotations"] = [
            {
                "x": plateau_step,
                "y": 1,
                "yref": "paper",
                "text": "plateau",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "top",
                "font": {"color": NEUTRAL},
            }
        ]
    return _figure(traces, title, "gradient-descent step", y_title, height, **layout)


#: The "after a few steps" curve of the every-η view.
_EARLY_STYLE = {"color": ENTROPY, "dash": "dash", "width": 2.5}
_RATE_TICKS = (0.01, 0.03, 0.1, 0.3, 1, 3, 10)


def learning_rate_chart(
    shown: np.ndarray,
    verdicts: Sequence[str],
    rates: Sequence[float],
    *,
    steps: int,
    early: int,
    unit: str,
    every_rate: bool,
    height_rem: float,
) -> tuple[dict, list[dict]]:
    """The live chart and readouts of the η control, from one learning-rate sweep.

    ``shown[i, t]`` is the loss (in ``unit``) after t of the next steps at ``rates[i]`` (t = 0 is now);
    ``verdicts`` says in words what those steps do at each rate. ``every_rate`` False draws the next
    steps at the η under the pointer (one curve per rate); True draws the loss after ``early`` and
    after all the steps against η on a log axis, the η under the pointer marked.
    """
    shown = np.asarray(shown, dtype=float)
    rates = np.asarray(rates, dtype=float)
    lookahead = shown.shape[1] - 1
    now = float(shown[0, 0])
    final = shown[:, -1]
    n = rates.size
    top = (
        2.0 * now if now > 0 else 1.0
    )  # a loss that doubles reaches the top edge; beyond it the curve is cut
    final_text = [fmt_loss(float(v), unit) for v in final]
    caption = [
        f"From step {steps}, {lookahead} more steps at η = {lr:g} take the cross-entropy from "
        f"{fmt_loss(now, unit)} to {final_text[i]}: {verdicts[i]}."
        for i, lr in enumerate(rates)
    ]
    axes = {
        "y_range": (0.0, top),
        "y_label": f"cross-entropy ({unit})",
        "y_ticks": live.ticks(live.nice_ticks(top)),
        "caption": caption,
        "height_rem": height_rem,
    }
    if every_rate:
        layers = [
            live.line("loss now", rates[[0, -1]] * [0.8, 1.25], np.array([now, now]), "guide"),
            live.line(f"after {early} steps", rates, shown[:, early], _EARLY_STYLE),
            live.line(f"after {lookahead} steps", rates, final, "loss"),
            live.vline("η", rates, "guide"),
            live.point(
                f"at η, after {lookahead} steps",
                rates,
                final,
                "loss",
                symbol="diamond",
                labels=final_text,
                size=0.5,
                legend=False,
            ),
        ]
        spec = live.chart_spec(
            layers,
            x_range=(0.008, 12.5),
            x_log=True,
            x_label="learning rate η (log scale)",
            x_ticks=live.ticks(list(_RATE_TICKS)),
            **axes,
        )
    else:
        layers = [
            live.line("loss now", np.array([0.0, lookahead]), np.array([now, now]), "guide"),
            live.curve("cross-entropy over the next steps at η", np.arange(lookahead + 1.0), shown, "loss"),
            live.point(
                f"after {lookahead} steps",
                np.full(n, float(lookahead)),
                final,
                "loss",
                symbol="diamond",
                labels=final_text,
                size=0.5,
            ),
        ]
        spec = live.chart_spec(
            layers,
            x_range=(0.0, lookahead * 1.04),
            x_label="steps from now",
            x_ticks=live.ticks(range(0, lookahead + 1, 10)),
            **axes,
        )
    readouts = [
        live.readout("final", f"Loss after {lookahead} more steps", final_text),
        live.readout("outcome", f"The next {lookahead} steps", list(verdicts)),
    ]
    return spec, readouts
