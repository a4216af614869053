"""Softmax with a temperature: the probabilities, the loss and the gradient it sends.

Dividing every logit by a temperature ``T > 0`` before the softmax sharpens the
distribution (``T < 1``) or flattens it (``T > 1``). The loss is the usual
cross-entropy of the tempered softmax, and by the chain rule its gradient with
respect to the *original* logits carries a factor ``1 / T``.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core._validation import as_float_array, check_logits, check_positive, log_base
from ce_core.losses import cross_entropy_gradient, softmax_cross_entropy
from ce_core.softmax import log_softmax, softmax


def scale_logits(logits: object, temperature: float = 1.0) -> np.ndarray:
    """The logits divided by the temperature, ``z / T``.

    Raises
    ------
    ValueError
        If a logit is not finite, ``temperature`` is not positive and finite, or
        the division overflows.

    Examples
    --------
    >>> scale_logits([2.0, 1.0], 0.5).tolist()
    [4.0, 2.0]
    """
    z = check_logits(logits)
    t = check_positive(temperature, "temperature")
    with np.errstate(over="ignore"):
        scaled = z / t
    if not np.isfinite(scaled).all():
        raise ValueError(f"temperature is too small for these logits (got {temperature!r})")
    return scaled


def _class_index(target: object, num_classes: int) -> np.ndarray:
    t = np.asarray(target)
    if t.dtype.kind not in "iu" or t.ndim != 0 or not 0 <= int(t) < num_classes:
        raise ValueError(f"target must be one class index in 0..{num_classes - 1} (got {target!r})")
    return t


def tempered_loss(logits: object, target: int, temperature: float = 1.0, base: float = math.e) -> float:
    """Cross-entropy of ``softmax(z / T)`` for one true class, in the unit of ``base``.

    .. math:: \\ell = -\\log_b \\operatorname{softmax}(z / T)_y

    Parameters
    ----------
    logits : array_like, shape (C,)
        One sample's logits.
    target : int
        Index of the true class.
    temperature : float, default 1
    base : float, default e
        2 for bits, e for nats, 10 for hartleys.

    Examples
    --------
    >>> round(tempered_loss([2.0, 1.0, 0.1], 0), 10)  # -ln 0.659
    0.4170300163
    >>> round(tempered_loss([0.0, 0.0], 1, base=2), 12)  # a fair guess costs 1 bit
    1.0
    """
    z = scale_logits(logits, temperature)
    if z.ndim != 1:
        raise ValueError(f"logits must be one sample, shape (C,) (got shape {z.shape})")
    t = _class_index(target, z.size)
    return softmax_cross_entropy(z[None, :], t[None]) / log_base(base)


def tempered_gradient(
    logits: object, target: int, temperature: float = 1.0, base: float = math.e
) -> np.ndarray:
    """Gradient of :func:`tempered_loss` with respect to the original logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = \\frac{\\operatorname{softmax}(z/T) - e_y}{T \\ln b}

    In nats with ``T = 1`` this is the famous ``softmax - one-hot``. Its entries
    sum to 0: the softmax sums to 1 and so does the one-hot target.

    Examples
    --------
    >>> tempered_gradient([0.0, 0.0], 0).tolist()
    [-0.5, 0.5]
    >>> tempered_gradient([0.0, 0.0], 0, temperature=2.0).tolist()
    [-0.25, 0.25]
    """
    z = scale_logits(logits, temperature)
    if z.ndim != 1:
        raise ValueError(f"logits must be one sample, shape (C,) (got shape {z.shape})")
    t = _class_index(target, z.size)
    temp = check_positive(temperature, "temperature")
    return cross_entropy_gradient(z, t) / (temp * log_base(base))


def _temperature_rows(logits: object, temperatures: object) -> np.ndarray:
    """``z / T`` for each temperature, one row per temperature (validated)."""
    z = check_logits(logits)
    if z.ndim != 1:
        raise ValueError(f"logits must be one sample, shape (C,) (got shape {z.shape})")
    temps = np.atleast_1d(as_float_array(temperatures, "temperatures"))
    if temps.ndim != 1 or temps.size == 0:
        raise ValueError(f"temperatures must be a non-empty list (got shape {temps.shape})")
    bad = ~(np.isfinite(temps) & (temps > 0))
    if bad.any():
        raise ValueError(f"temperatures must be finite and positive (got {float(temps[bad][0])!r})")
    with np.errstate(over="ignore"):
        rows = z[None, :] / temps[:, None]
    if not np.isfinite(rows).all():
        raise ValueError(f"temperature is too small for these logits (got {float(temps.min())!r})")
    return rows


def softmax_over_temperatures(logits: object, temperatures: object) -> np.ndarray:
    """``softmax(z / T)`` for each temperature: one row per temperature.

    Computed as one batch (one row of scaled logits per temperature).

    Examples
    --------
    >>> softmax_over_temperatures([1.0, 0.0], [1e9, 1.0]).round(4).tolist()
    [[0.5, 0.5], [0.7311, 0.2689]]
    """
    return softmax(_temperature_rows(logits, temperatures))


def losses_over_temperatures(
    logits: object, target: int, temperatures: object, base: float = math.e
) -> np.ndarray:
    """:func:`tempered_loss` for each temperature, as one batch.

    .. math:: \\ell(T) = -\\log_b \\operatorname{softmax}(z / T)_y

    Examples
    --------
    >>> losses_over_temperatures([0.0, 0.0], 0, [0.5, 2.0], base=2).tolist()
    [1.0, 1.0]
    """
    rows = _temperature_rows(logits, temperatures)
    t = _class_index(target, rows.shape[-1])
    return -log_softmax(rows)[:, int(t)] / log_base(base)


def temperature_grid(low: float = 0.1, high: float = 5.0, step: float = 0.1) -> np.ndarray:
    """Temperatures from ``low`` to ``high`` in steps of ``step``, rounded to the step.

    Examples
    --------
    >>> temperature_grid(0.5, 1.0, 0.25).tolist()
    [0.5, 0.75, 1.0]
    """
    lo = check_positive(low, "low")
    hi = check_positive(high, "high")
    stride = check_positive(step, "step")
    if hi < lo:
        raise ValueError(f"high must be at least low (got {high!r} < {low!r})")
    count = round((hi - lo) / stride) + 1
    decimals = max(0, -math.floor(math.log10(stride)) + 2)
    return np.round(lo + stride * np.arange(count), decimals)
