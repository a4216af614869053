"""One binary prediction seen from every side: loss, slopes, MSE and MAE.

The binary cross-entropy lesson moves a single predicted probability ``x`` of the
positive class and reads everything at that point. The losses come from
:mod:`ce_core.losses` (natural log) and are converted to the requested unit once,
at the end. Squared and absolute error are plain numbers with no unit: they are
not information quantities, so the log base does not touch them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ce_core._validation import (
    as_float_array,
    check_positive,
    check_probabilities,
    check_same_shape,
    log_base,
)
from ce_core.losses import absolute_error, binary_cross_entropy, binary_cross_entropy_gradient, squared_error


def _check_label(y: object) -> np.ndarray:
    ya = check_probabilities(y, "y")
    if not np.isin(ya, (0.0, 1.0)).all():
        bad = float(ya[~np.isin(ya, (0.0, 1.0))].ravel()[0])
        raise ValueError(f"y must be a hard label, 0 or 1 (got {bad!r})")
    return ya


def _out(x: np.ndarray) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


def binary_logit_gradient(y: object, y_hat: object) -> np.ndarray | float:
    """Derivative of the binary cross-entropy (in nats) with respect to the logit.

    With ``y_hat = sigmoid(z)`` the chain rule cancels the ``1 / (x (1 - x))`` of
    the probability gradient against ``sigmoid'(z) = x (1 - x)``:

    .. math:: \\frac{\\partial \\ell}{\\partial z} = \\hat y - y

    Bounded by 1 in size, and finite even where the loss is infinite.

    Parameters
    ----------
    y : array_like
        Labels in [0, 1].
    y_hat : array_like
        Predicted probabilities of the positive class, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        ``y_hat - y``.

    Examples
    --------
    >>> binary_logit_gradient(0, 0.9)
    0.9
    """
    ya = check_probabilities(y, "y")
    pa = check_probabilities(y_hat, "y_hat")
    check_same_shape(ya, pa, ("y", "y_hat"))
    return _out(pa - ya)


def squared_error_logit_gradient(y: object, y_hat: object) -> np.ndarray | float:
    """Derivative of the squared error ``(y_hat - y)**2`` with respect to the logit.

    .. math:: \\frac{\\partial}{\\partial z} (\\hat y - y)^2 = 2\\,(\\hat y - y)\\,\\hat y\\,(1 - \\hat y)

    The factor ``y_hat (1 - y_hat)`` goes to 0 at both ends: a sigmoid trained on
    squared error barely moves when it is confidently wrong.

    Examples
    --------
    >>> round(squared_error_logit_gradient(0, 0.999), 6)
    0.001996
    """
    ya = check_probabilities(y, "y")
    pa = check_probabilities(y_hat, "y_hat")
    check_same_shape(ya, pa, ("y", "y_hat"))
    return _out(2.0 * (pa - ya) * pa * (1.0 - pa))


def tangent_segment(
    x0: float,
    value: float,
    slope: float,
    half_width: float = 0.12,
    *,
    lower: float = 0.0,
    upper: float = 1.0,
    y_lower: float = -math.inf,
    y_upper: float = math.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Two end points of the tangent line ``value + slope (x - x0)`` around ``x0``.

    The segment spans ``[x0 - half_width, x0 + half_width]``, cut to
    ``[lower, upper]`` and to the part where the line stays within
    ``[y_lower, y_upper]`` (so a steep tangent stays inside a plot's axes).

    Parameters
    ----------
    x0, value, slope : float
        The point of contact and the slope there; all must be finite, and
        ``value`` must lie within ``[y_lower, y_upper]``.
    half_width : float, default 0.12
        Half the horizontal length of the segment, > 0.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        x and y of the two end points.

    Examples
    --------
    >>> xs, ys = tangent_segment(0.5, 1.0, -2.0, 0.1)
    >>> xs.tolist(), ys.round(12).tolist()
    ([0.4, 0.6], [1.2, 0.8])
    >>> xs, ys = tangent_segment(0.5, 1.0, -20.0, 0.1, y_lower=0.0)
    >>> xs.tolist(), ys.round(12).tolist()
    ([0.4, 0.55], [3.0, -0.0])
    """
    for name, v in (("x0", x0), ("value", value), ("slope", slope)):
        arr = as_float_array(v, name)
        if arr.ndim != 0:
            raise ValueError(f"{name} must be a single number (got shape {arr.shape})")
        if not math.isfinite(float(arr)):
            raise ValueError(f"{name} must be finite for a tangent line (got {v!r})")
    h = check_positive(half_width, "half_width")
    if not y_lower <= value <= y_upper:
        raise ValueError(f"value must lie within [y_lower, y_upper] = [{y_lower}, {y_upper}] (got {value!r})")
    left, right = max(x0 - h, lower), min(x0 + h, upper)
    if slope != 0:
        ends = sorted((x0 + (y_lower - value) / slope, x0 + (y_upper - value) / slope))
        left, right = max(left, ends[0]), min(right, ends[1])
    xs = np.array([left, right], dtype=float)
    return xs, value + slope * (xs - x0)


@dataclass(frozen=True)
class BinaryPoint:
    """Everything the lesson shows at one prediction (losses in the chosen unit)."""

    y: float
    y_hat: float
    loss: float  #: binary cross-entropy, in the unit of ``base``
    slope: float  #: d loss / d y_hat, in the unit of ``base`` per unit of probability
    logit_gradient: float  #: d loss / d z, in the unit of ``base``
    squared: float  #: (y - y_hat)**2, no unit
    absolute: float  #: |y - y_hat|, no unit


def binary_point(y: float, y_hat: float, base: float = math.e) -> BinaryPoint:
    """Loss, slopes, squared and absolute error of one binary prediction.

    .. math:: \\ell_b = \\frac{-[y \\ln \\hat y + (1-y) \\ln (1-\\hat y)]}{\\ln b}

    Parameters
    ----------
    y : {0, 1}
        The true label.
    y_hat : float in [0, 1]
        Predicted probability of the positive class.
    base : float, default e
        Log base of the unit: 2 bits, e nats, 10 hartleys.

    Returns
    -------
    BinaryPoint
        ``loss``, ``slope`` and ``logit_gradient`` divided by ``ln base``;
        ``squared`` and ``absolute`` unchanged (they have no unit). The loss is
        ``inf`` and the slope infinite where the label gets probability 0.

    Examples
    --------
    >>> pt = binary_point(0, 0.9, base=2)
    >>> round(pt.loss, 6), round(pt.squared, 2), round(pt.absolute, 2)
    (3.321928, 0.81, 0.9)
    """
    ya = float(_check_label(y))
    pa = float(check_probabilities(y_hat, "y_hat"))
    ln_b = log_base(base)
    return BinaryPoint(
        y=ya,
        y_hat=pa,
        loss=binary_cross_entropy(ya, pa) / ln_b,
        slope=binary_cross_entropy_gradient(ya, pa) / ln_b,
        logit_gradient=binary_logit_gradient(ya, pa) / ln_b,
        squared=squared_error(ya, pa),
        absolute=absolute_error(ya, pa),
    )


def binary_loss_curves(y: float, y_hat: object, base: float = math.e) -> dict[str, np.ndarray]:
    """Cross-entropy (in the unit of ``base``), squared and absolute error along ``y_hat``.

    Examples
    --------
    >>> curves = binary_loss_curves(1, [0.5, 1.0], base=2)
    >>> curves["cross_entropy"].tolist(), curves["squared"].tolist()
    ([1.0, 0.0], [0.25, 0.0])
    """
    pa = check_probabilities(y_hat, "y_hat")
    ya = np.full(pa.shape, float(_check_label(y)))  # one label for every point of the curve
    return {
        "cross_entropy": np.asarray(binary_cross_entropy(ya, pa, reduction="none")) / log_base(base),
        "squared": np.asarray(squared_error(ya, pa)),
        "absolute": np.asarray(absolute_error(ya, pa)),
    }


def confident_mistakes(
    predictions: object, y: float = 0, reference: float = 0.51, base: float = math.e
) -> dict[str, np.ndarray]:
    """Compare the losses of wrong predictions of growing confidence with a reference.

    For each prediction ``y_hat`` (probability of the positive class) with label ``y``:
    cross-entropy in the unit of ``base``, squared and absolute error, each also
    as a multiple of its value at ``reference``, and the gradients that reach the
    logit (cross-entropy in nats: ``y_hat - y``; squared error:
    ``2 (y_hat - y) y_hat (1 - y_hat)``).

    Raises
    ------
    ValueError
        If the reference prediction has zero loss (nothing to compare with).

    Examples
    --------
    >>> t = confident_mistakes([0.9], y=0, reference=0.51)
    >>> round(float(t["cross_entropy_ratio"][0]), 4)
    3.2278
    """
    ya = float(_check_label(y))
    pa = np.atleast_1d(check_probabilities(predictions, "predictions"))
    ref = float(check_probabilities(reference, "reference"))
    if ref == ya:
        raise ValueError(f"reference must differ from the label, or its loss is 0 (got {reference!r})")
    curves = binary_loss_curves(ya, pa, base)
    ref_curves = binary_loss_curves(ya, [ref], base)
    table = {"prediction": pa}
    for name in ("cross_entropy", "squared", "absolute"):
        table[name] = curves[name]
        table[f"{name}_ratio"] = curves[name] / ref_curves[name][0]
    labels = np.full(pa.shape, ya)  # the one label, for every prediction
    table["cross_entropy_logit_gradient"] = np.asarray(binary_logit_gradient(labels, pa))
    table["squared_logit_gradient"] = np.asarray(squared_error_logit_gradient(labels, pa))
    return table
