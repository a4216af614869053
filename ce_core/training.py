"""A tiny classifier to train in the browser: softmax regression on 2-D points.

The model is ``softmax(X W + b)``; the data are Gaussian blobs made from a
seed. One step of full-batch gradient descent uses the exact gradient of the
chosen loss: cross-entropy (``(softmax - onehot) / N``) or the mean squared
error between the probabilities and the one-hot targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ce_core._validation import check_positive
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
    rng = np.random.default_rng(seed)
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
    return softmax(np.asarray(x, dtype=np.float64) @ model.weights + model.bias)


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
