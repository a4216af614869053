"""The training page's run state: both runs (cross-entropy and MSE) from one start, and the η look-ahead.

Plain dicts kept in session state by the page; the numbers come from :mod:`ce_core.training`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ce_core.information import convert_units
from ce_core.training import (
    accuracy,
    confidently_wrong_model,
    continue_run,
    data_extent,
    decision_grid,
    gradient_norm,
    has_plateaued,
    init_model,
    learning_rate_sweep,
    plateau_start,
    start_run,
    step_outcomes,
)

MAX_STEPS = 3000  # play stops here, step buttons are disabled
PLATEAU_WINDOW = 50  # plateau: the loss moved less than ...
PLATEAU_TOLERANCE = 1e-3  # ... 0.1 % of its starting value over 50 steps
WRONG_STRENGTH = 1.0  # logit scale of the confidently wrong start
#: Positions of the learning-rate control: ten per decade from 0.01 to 10, nearly equal ratios (the
#: rounded Renard series 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8), so the slider is logarithmic and
#: every rate of the old control (0.01, 0.02, 0.05, ..., 5, 10) is still a position (old links work).
LEARNING_RATES = (
    *(round(m * 10.0**e, 6) for e in (-2, -1, 0) for m in (1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8)),
    10.0,
)
LOOKAHEAD = 50  # the preview shows the next 50 steps at every rate


def fresh_state(data, zero_start: bool, key: tuple) -> dict:
    """Both runs start from the same model (all weights 0, or confidently wrong); nothing is playing."""
    model = init_model(data.num_classes) if zero_start else confidently_wrong_model(data, WRONG_STRENGTH)
    return {
        "key": key,
        "start": model,
        "ce": start_run(model, data, "cross_entropy"),
        "mse": start_run(model, data, "mse"),
        "playing": False,
    }


def advance(state: dict, data, steps: int, learning_rate: float) -> None:
    """The cross-entropy and the MSE model take the same number of steps, so their curves align."""
    steps = min(int(steps), MAX_STEPS - state["ce"].steps)
    if steps > 0:
        state["ce"] = continue_run(state["ce"], data, steps, learning_rate)
        state["mse"] = continue_run(state["mse"], data, steps, learning_rate)


def in_unit(losses, base: float) -> np.ndarray:
    """Cross-entropy is computed in nats (natural log); show it in the unit of ``base``."""
    return np.atleast_1d(convert_units(np.asarray(losses), math.e, base))


def lookahead(state: dict, data) -> tuple[np.ndarray, np.ndarray]:
    """The next LOOKAHEAD steps of the cross-entropy run at every rate of the grid (nats), and what they do.

    One batched ce_core call, kept in the training state with the run it belongs to: a rerun that
    did not move the model (a play tick at the end, a click elsewhere) does not compute it again.
    """
    run = state["ce"]
    cached = state.get("lookahead")
    if cached is None or cached[0] is not run:
        losses = learning_rate_sweep(run, data, LEARNING_RATES, LOOKAHEAD)
        outcomes = step_outcomes(losses, PLATEAU_TOLERANCE, reference=run.losses[0])
        state["lookahead"] = cached = (run, losses, outcomes)
    return cached[1], cached[2]


def finished(state: dict) -> bool:
    """Play stops here: the cross-entropy has plateaued, or the run has taken MAX_STEPS steps."""
    ce = state["ce"]
    return has_plateaued(ce.losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE) or ce.steps >= MAX_STEPS


class Progress(NamedTuple):
    """What the panel shows of the two runs."""

    ce_shown: np.ndarray  # the cross-entropy after each step, in the unit of ``base``
    plateau: int | None  # the step at which the plateau was detected, or None
    ce_accuracy: float
    mse_accuracy: float


def progress(state: dict, data, base: float) -> Progress:
    """The cross-entropy curve in the workspace unit, its plateau, and both models' accuracies."""
    ce, mse = state["ce"], state["mse"]
    plateau = plateau_start(ce.losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE)
    return Progress(in_unit(ce.losses, base), plateau, accuracy(ce.model, data), accuracy(mse.model, data))


def regions(model, data, resolution: int):
    """``decision_grid`` of the model over a square 1 wider than the points: ``(xs, ys, classes, confidence)``."""
    return decision_grid(model, data_extent(data, margin=1.0), resolution)


def first_gradient_norms(state: dict, data) -> tuple[float, float]:
    """Length of the first gradient from the start, for cross-entropy and for MSE."""
    return gradient_norm(state["start"], data, "cross_entropy"), gradient_norm(state["start"], data, "mse")
