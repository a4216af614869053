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


def make_blobs(num_classes: int = 3, points_per_class: int = 40, spread: float = 1.0,
               seed: int = 0) -> ToyData:
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


def train(model: Model, data: ToyData, steps: int, learning_rate: float,
          loss: str = "cross_entropy") -> tuple[Model, list[float]]:
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
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))
