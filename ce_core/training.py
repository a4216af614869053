"""A tiny classifier to train in the browser: softmax regression on 2-D points.

The model is ``softmax(X W + b)``; the data are Gaussian blobs made from a
seed. One step of full-batch gradient descent uses the exact gradient of the
chosen loss: cross-entropy (``(softmax - onehot) / N``) or the mean squared
error between the probabilities and the one-hot targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ce_core._validation import as_float_array, check_positive, check_seed
from ce_core.losses import softmax_cross_entropy
from ce_core.softmax import softmax

TRAINING_LOSSES = ("cross_entropy", "mse")


@dataclass(frozen=True)
class ToyData:
    """Points ``x`` (N, 2) and integer labels ``y`` (N,) in ``num_classes`` classes."""

    x: np.ndarray
    y: np.ndarray
    num_classes: int


@dataclass(frozen=True)
class Model:
    """Softmax regression: ``weights`` (2, K) and ``bias`` (K,)."""

    weights: np.ndarray
    bias: np.ndarray


def make_blobs(
    num_classes: int = 3, points_per_class: int = 40, spread: float = 1.0, seed: int = 0
) -> ToyData:
    """Gaussian blobs with centres on a circle of radius 2.5.

    Examples
    --------
    >>> data = make_blobs(3, 10, seed=1)
    >>> data.x.shape, sorted(set(data.y.tolist()))
    ((30, 2), [0, 1, 2])
    """
    if not 2 <= int(num_classes) <= 6:
        raise ValueError(f"num_classes must be between 2 and 6 (got {num_classes!r})")
    n = int(check_positive(points_per_class, "points_per_class"))
    s = check_positive(spread, "spread")
    rng = np.random.default_rng(check_seed(seed))
    angles = 2 * np.pi * np.arange(num_classes) / num_classes + np.pi / 7
    centres = 2.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(num_classes), n)
    x = centres[y] + s * rng.standard_normal((y.size, 2))
    return ToyData(x=x, y=y, num_classes=int(num_classes))


def init_model(num_classes: int) -> Model:
    """All-zero parameters: every class starts at probability 1/K."""
    return Model(weights=np.zeros((2, num_classes)), bias=np.zeros(num_classes))


def predict_proba(model: Model, x: object) -> np.ndarray:
    """Class probabilities for points ``x`` of shape (N, 2)."""
    return softmax(as_float_array(x, "x") @ model.weights + model.bias)


def loss_and_gradient(model: Model, data: ToyData, loss: str = "cross_entropy"):
    """Mean loss over the data and its gradient for the weights and bias.

    Returns ``(loss_value, grad_weights, grad_bias)``.
    """
    if loss not in TRAINING_LOSSES:
        raise ValueError(f"loss must be one of {TRAINING_LOSSES} (got {loss!r})")
    logits = data.x @ model.weights + model.bias
    probs = softmax(logits)
    onehot = np.eye(data.num_classes)[data.y]
    n = data.y.size
    if loss == "cross_entropy":
        value = softmax_cross_entropy(logits, data.y)
        d_logits = (probs - onehot) / n
    else:
        diff = probs - onehot
        value = float(np.mean(np.sum(diff**2, axis=1)))
        # Chain rule through softmax: J^T diff with J = diag(p) - p p^T.
        g = 2.0 * diff / n
        d_logits = probs * (g - np.sum(g * probs, axis=1, keepdims=True))
    return value, data.x.T @ d_logits, d_logits.sum(axis=0)


def train(
    model: Model, data: ToyData, steps: int, learning_rate: float, loss: str = "cross_entropy"
) -> tuple[Model, list[float]]:
    """Run ``steps`` of gradient descent; return the new model and the loss before each step.

    Examples
    --------
    >>> data = make_blobs(2, 20, seed=0)
    >>> model, history = train(init_model(2), data, steps=50, learning_rate=0.5)
    >>> history[-1] < history[0]
    True
    """
    lr = check_positive(learning_rate, "learning_rate")
    history = []
    w, b = model.weights, model.bias
    for _ in range(int(steps)):
        value, gw, gb = loss_and_gradient(Model(w, b), data, loss)
        history.append(value)
        w, b = w - lr * gw, b - lr * gb
    return Model(w, b), history


def accuracy(model: Model, data: ToyData) -> float:
    """Share of points whose most probable class is the true one."""
    return float(np.mean(predict_proba(model, data.x).argmax(axis=1) == data.y))


def decision_grid(model: Model, extent: tuple[float, float, float, float], resolution: int = 80):
    """Predicted class and its probability on a grid; returns ``(xs, ys, classes, confidence)``."""
    x0, x1, y0, y1 = extent
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    probs = predict_proba(model, np.column_stack([gx.ravel(), gy.ravel()]))
    shape = (resolution, resolution)
    return xs, ys, probs.argmax(axis=1).reshape(shape), probs.max(axis=1).reshape(shape)


def confidently_wrong_model(data: ToyData, strength: float = 1.0) -> Model:
    """A bad start: every point is given, confidently, to the NEXT class.

    With :math:`m_j` the mean of class j's points and s the strength, the logit
    of class :math:`k = j + 1 \\pmod K` is

    .. math:: z_k(x) = s\\,(x \\cdot m_j - \\lVert m_j \\rVert^2 / 2)
              = -\\tfrac{s}{2} \\lVert x - m_j \\rVert^2 + \\tfrac{s}{2} \\lVert x \\rVert^2,

    so the most probable class of a point is the successor of its nearest class
    mean, and a larger s makes the model surer of that wrong answer. Starting
    cross-entropy and mean-squared-error training from here shows how each loss
    treats confident mistakes.

    Parameters
    ----------
    data : ToyData
    strength : float > 0
        Scale s of the logits.

    Returns
    -------
    Model

    Examples
    --------
    >>> data = make_blobs(3, 20, spread=0.5, seed=0)
    >>> accuracy(confidently_wrong_model(data, 1.0), data)
    0.0
    """
    s = check_positive(strength, "strength")
    k = data.num_classes
    means = np.stack([data.x[data.y == j].mean(axis=0) for j in range(k)])
    successor = (np.arange(k) + 1) % k
    weights = np.zeros((2, k))
    bias = np.zeros(k)
    weights[:, successor] = s * means.T
    bias[successor] = -0.5 * s * np.sum(means**2, axis=1)
    return Model(weights=weights, bias=bias)


def gradient_norm(model: Model, data: ToyData, loss: str = "cross_entropy") -> float:
    """Length of the full gradient: :math:`\\sqrt{\\lVert\\nabla_W L\\rVert^2 + \\lVert\\nabla_b L\\rVert^2}`.

    It sets the size of the next gradient-descent step (times the learning rate).

    Examples
    --------
    >>> data = make_blobs(2, 20, seed=0)
    >>> gradient_norm(init_model(2), data) > 0
    True
    """
    _, grad_weights, grad_bias = loss_and_gradient(model, data, loss)
    return float(np.sqrt(np.sum(grad_weights**2) + np.sum(grad_bias**2)))


@dataclass(frozen=True)
class TrainingRun:
    """A model being trained and the loss it had after 0, 1, ..., ``steps`` steps.

    ``losses[0]`` is the loss at the start and ``losses[-1]`` the loss of
    ``model``, so a run of n steps holds n + 1 values (natural log, i.e. nats,
    for cross-entropy; unitless for the mean squared error).
    """

    model: Model
    loss: str
    losses: tuple[float, ...]

    @property
    def steps(self) -> int:
        return len(self.losses) - 1

    @property
    def current_loss(self) -> float:
        return self.losses[-1]


def start_run(model: Model, data: ToyData, loss: str = "cross_entropy") -> TrainingRun:
    """A run of 0 steps: the model and its starting loss.

    Examples
    --------
    >>> data = make_blobs(2, 20, seed=0)
    >>> run = start_run(init_model(2), data)
    >>> run.steps, round(run.current_loss, 6)  # ln 2: every class at 1/2
    (0, 0.693147)
    """
    value, _, _ = loss_and_gradient(model, data, loss)
    return TrainingRun(model=model, loss=loss, losses=(value,))


def continue_run(run: TrainingRun, data: ToyData, steps: int, learning_rate: float) -> TrainingRun:
    """Take ``steps`` more gradient-descent steps; the losses grow by ``steps`` values.

    The same numbers as :func:`train` from the run's start: chunks of steps
    give exactly the losses of one long call.

    Examples
    --------
    >>> data = make_blobs(2, 20, seed=0)
    >>> run = continue_run(start_run(init_model(2), data), data, 5, 0.5)
    >>> run.steps, run.losses[-1] < run.losses[0]
    (5, True)
    """
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a non-negative integer (got {steps!r})")
    if steps == 0:
        return run
    model, before = train(run.model, data, int(steps), learning_rate, run.loss)
    value, _, _ = loss_and_gradient(model, data, run.loss)
    return TrainingRun(model=model, loss=run.loss, losses=(*run.losses, *before[1:], value))


def _plateau_flags(losses: object, window: int, tolerance: float) -> np.ndarray:
    """flags[i] is True when the loss was flat over steps i .. i + window."""
    values = as_float_array(losses, "losses").ravel()
    if isinstance(window, bool) or int(window) != window or window < 1:
        raise ValueError(f"window must be a positive integer (got {window!r})")
    tol = check_positive(tolerance, "tolerance")
    if values.size <= window:
        return np.zeros(0, dtype=bool)
    windows = sliding_window_view(values, int(window) + 1)
    return windows.max(axis=1) - windows.min(axis=1) <= tol * abs(values[0])


def has_plateaued(losses: object, window: int = 50, tolerance: float = 1e-3) -> bool:
    """True when the loss has stopped moving: the model has learned what it can.

    Over the last ``window`` steps the loss stayed inside a band narrower than
    ``tolerance`` times the starting loss:

    .. math:: \\max_{t-w \\le i \\le t} L_i - \\min_{t-w \\le i \\le t} L_i \\le \\tau\\, L_0

    The band is measured against the *starting* loss, not the current one, so a
    loss that keeps halving towards 0 on separable data still counts as flat once
    its remaining moves are tiny compared with where it began.

    Parameters
    ----------
    losses : array_like, shape (n,)
        Loss after 0, 1, ..., n - 1 steps.
    window : int >= 1
    tolerance : float > 0

    Examples
    --------
    >>> has_plateaued([1.0] + [0.5] * 60, window=50)
    True
    >>> has_plateaued([1.0 / (1 + t) for t in range(60)], window=50)
    False
    """
    flags = _plateau_flags(losses, window, tolerance)
    return bool(flags.size and flags[-1])


def plateau_start(losses: object, window: int = 50, tolerance: float = 1e-3) -> int | None:
    """The step at which the current plateau was first detected, or None if the loss still moves.

    That is the smallest t such that :func:`has_plateaued` holds for
    ``losses[: s + 1]`` at every step s from t to the last one.

    Examples
    --------
    >>> plateau_start([1.0, 0.5, 0.5, 0.5, 0.5], window=2)
    3
    >>> plateau_start([1.0, 0.5, 0.25], window=1) is None
    True
    """
    flags = _plateau_flags(losses, window, tolerance)
    if not (flags.size and flags[-1]):
        return None
    moving = np.flatnonzero(~flags)
    first = int(moving[-1]) + 1 if moving.size else 0
    return first + int(window)


def data_extent(data: ToyData, margin: float = 1.0) -> tuple[float, float, float, float]:
    """A square ``(x0, x1, y0, y1)`` around every point, ``margin`` wider on each side.

    Square, so a plot with equal axis scales shows the blobs round.

    Examples
    --------
    >>> data = ToyData(x=np.array([[0.0, 0.0], [2.0, 1.0]]), y=np.array([0, 1]), num_classes=2)
    >>> data_extent(data, margin=1.0)
    (-1.0, 3.0, -1.5, 2.5)
    """
    m = check_positive(margin, "margin", allow_zero=True)
    low = data.x.min(axis=0)
    high = data.x.max(axis=0)
    centre = (low + high) / 2
    half = float(np.max(high - low)) / 2 + m
    return (
        float(centre[0] - half),
        float(centre[0] + half),
        float(centre[1] - half),
        float(centre[1] + half),
    )


#: What the next steps do to the loss (:func:`step_outcomes`): codes, in the order they are tested.
OUTCOMES = ("diverges", "oscillates", "stalls", "falls")


def learning_rate_sweep(run: TrainingRun, data: ToyData, learning_rates: object, steps: int) -> np.ndarray:
    """The loss over the next ``steps`` steps of the run, for every learning rate at once.

    Row i holds what :func:`continue_run` with ``learning_rates[i]`` would add to the run, with
    the current loss in front: ``out[i, t]`` is the loss after t more steps (``out[:, 0]`` is
    ``run.current_loss``). One batched NumPy computation across the learning rates: the weights
    of every rate are stacked (an extra last axis of length E) and take their steps together.

    Parameters
    ----------
    run : TrainingRun
    data : ToyData
    learning_rates : array_like, shape (E,)
        Positive and finite.
    steps : int >= 0

    Returns
    -------
    ndarray, shape (E, steps + 1)
        In nats for cross-entropy, unitless for the mean squared error; ``inf`` or NaN where a
        too large rate made the weights overflow.

    Examples
    --------
    >>> data = make_blobs(2, 20, seed=0)
    >>> run = start_run(init_model(2), data)
    >>> out = learning_rate_sweep(run, data, [0.1, 1.0], 5)
    >>> out.shape, bool(out[1, -1] < out[0, -1] < out[0, 0])
    ((2, 6), True)
    """
    rates = np.atleast_1d(as_float_array(learning_rates, "learning_rates"))
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"learning_rates must be a non-empty list of numbers (got shape {rates.shape})")
    if not np.isfinite(rates).all() or (rates <= 0).any():
        bad = rates[~(np.isfinite(rates) & (rates > 0))][0]
        raise ValueError(f"every learning rate must be positive and finite (got {bad!r})")
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a non-negative integer (got {steps!r})")
    if run.loss not in TRAINING_LOSSES:
        raise ValueError(f"loss must be one of {TRAINING_LOSSES} (got {run.loss!r})")
    n, k, e = data.y.size, data.num_classes, rates.size
    # Layout (class, point, rate): the reductions over the few classes are then sums of whole
    # (N, E) slabs, and every rate takes its step in the same array operations.
    x0, x1 = data.x[:, 0], data.x[:, 1]
    x0_col, x1_col = x0[None, :, None], x1[None, :, None]  # (1, N, 1)
    onehot = (np.arange(k)[:, None] == data.y[None, :])[:, :, None]  # (K, N, 1)
    w = np.repeat(run.model.weights[:, :, None], e, axis=2)  # (2, K, E)
    b = np.repeat(run.model.bias[:, None], e, axis=1)  # (K, E)
    logits = np.empty((k, n, e))
    out = np.empty((e, int(steps) + 1))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(int(steps) + 1):
            np.multiply(x0_col, w[0][:, None, :], out=logits)  # z = x W + b, in place
            logits += x1_col * w[1][:, None, :]
            logits += b[:, None, :]
            shifted = logits - logits.max(axis=0)
            exp = np.exp(shifted)
            total = exp.sum(axis=0)
            probs = exp / total
            if run.loss == "cross_entropy":
                # -log q(y) = log sum exp - shifted logit of the true class, averaged over the points
                out[:, t] = (np.log(total) - np.where(onehot, shifted, 0.0).sum(axis=0)).mean(axis=0)
                d_logits = (probs - onehot) / n
            else:
                diff = probs - onehot
                out[:, t] = (diff**2).sum(axis=0).mean(axis=0)
                g = 2.0 * diff / n
                d_logits = probs * (g - (g * probs).sum(axis=0))
            if t == steps:
                break
            w = w - rates * np.stack([x0 @ d_logits, x1 @ d_logits])  # (2, K, E)
            b = b - rates * d_logits.sum(axis=1)
    return out


def step_outcomes(losses: object, tolerance: float = 1e-3, reference: float | None = None) -> np.ndarray:
    """What each row of losses does, as one of :data:`OUTCOMES` per row.

    With :math:`L_0` the first loss of a row, :math:`L_T` its last and
    :math:`\\tau = ` ``tolerance`` times ``reference`` (default: the row's :math:`L_0`), a row

    - ``"diverges"`` when :math:`L_T > L_0 + \\tau` or a loss is not finite: the steps made it worse;
    - ``"oscillates"`` when some step raised the loss by more than :math:`\\tau` (but it ends lower);
    - ``"stalls"`` when :math:`L_0 - L_T \\le \\tau`: it barely moved;
    - ``"falls"`` otherwise.

    Examples
    --------
    >>> step_outcomes([[1.0, 0.5, 0.4], [1.0, 1.0, 1.0], [1.0, 0.2, 0.6], [1.0, 2.0, 3.0]]).tolist()
    ['falls', 'stalls', 'oscillates', 'diverges']
    """
    values = _to_rows(losses)
    tol = check_positive(tolerance, "tolerance")
    with np.errstate(invalid="ignore", over="ignore"):
        scale = np.abs(values[:, 0]) if reference is None else np.full(values.shape[0], abs(float(reference)))
        band = tol * scale
        finite = np.isfinite(values).all(axis=1)
        first, last = values[:, 0], values[:, -1]
        rise = (
            np.diff(values, axis=1).max(axis=1, initial=0.0) if values.shape[1] > 1 else np.zeros(len(values))
        )
        codes = np.where(
            ~finite | (last > first + band), 0, np.where(rise > band, 1, np.where(first - last <= band, 2, 3))
        )
    return np.array(OUTCOMES, dtype=object)[codes]


def _to_rows(losses: object) -> np.ndarray:
    """Losses as a 2-D float array, one row per run (NaN and infinities allowed: they mean overflow)."""
    try:
        values = np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"losses must be numeric (got {losses!r})") from None
    if values.ndim == 1:
        values = values[None, :]
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError(f"losses must hold one row of losses per run (got shape {values.shape})")
    return values
