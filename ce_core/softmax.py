"""Softmax and log-softmax, computed with the maximum subtracted.

``exp(1000)`` overflows to ``inf`` in float64, so the textbook formula
``exp(z) / sum(exp(z))`` breaks for large logits. Softmax does not change when
a constant is added to every logit, so subtracting the largest one first gives
the same answer with every exponent <= 0 (``scipy.special.logsumexp`` does this).
"""

from __future__ import annotations

import numpy as np

from ce_core._validation import check_logits, check_positive


def _scaled(logits: object, temperature: float) -> np.ndarray:
    z = check_logits(logits)
    t = check_positive(temperature, "temperature")
    with np.errstate(over="ignore"):  # an overflow is reported just below, as a ValueError
        scaled = z / t
    if not np.isfinite(scaled).all():
        raise ValueError(f"temperature is too small for these logits (got {temperature!r})")
    return scaled


def logsumexp(logits: object) -> np.ndarray | float:
    """``log(sum(exp(z)))`` along the last axis, without overflow.

    .. math:: \\operatorname{LSE}(z) = m + \\log \\sum_i e^{z_i - m}, \\quad m = \\max_i z_i

    Examples
    --------
    >>> round(float(logsumexp([1000.0, 1000.0])), 6)  # 1000 + ln 2; exp(1000) overflows
    1000.693147
    """
    z = check_logits(logits)
    m = z.max(axis=-1, keepdims=True)
    out = (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]
    return float(out) if out.ndim == 0 else out


def log_softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """Logarithm of the softmax, exact even where softmax underflows.

    .. math:: \\log \\sigma(z)_i = z_i / T - \\operatorname{LSE}(z / T)

    Parameters
    ----------
    logits : array_like
        Finite scores; the last axis holds the classes.
    temperature : float, default 1
        ``T > 0``. Larger ``T`` flattens the distribution, smaller sharpens it.

    Examples
    --------
    >>> log_softmax([0.0, 1000.0]).tolist()
    [-1000.0, 0.0]
    """
    z = _scaled(logits, temperature)
    m = z.max(axis=-1, keepdims=True)
    shifted = z - m
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """Turn scores into a probability distribution.

    .. math:: \\sigma(z)_i = \\frac{e^{z_i / T}}{\\sum_j e^{z_j / T}}

    Computed as ``exp(z - max z)`` normalised, so logits of any finite size work.

    Examples
    --------
    >>> softmax([1000.0, 1000.0]).tolist()
    [0.5, 0.5]
    >>> softmax([2.0, 1.0, 0.1]).round(4).tolist()
    [0.659, 0.2424, 0.0986]
    """
    z = _scaled(logits, temperature)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def naive_softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """The textbook formula ``exp(z) / sum(exp(z))``, kept to show why it fails.

    Returns NaN where ``exp`` overflows (``inf / inf``): the lab displays this
    next to :func:`softmax` as the overflow lesson. Do not use it for anything else.

    Examples
    --------
    >>> naive_softmax([1000.0, 1000.0]).tolist()
    [nan, nan]
    """
    z = _scaled(logits, temperature)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def sigmoid(x: object) -> np.ndarray | float:
    """Logistic function ``1 / (1 + exp(-x))``, stable for large ``|x|``.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    """
    z = check_logits(np.atleast_1d(x), "x")
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return float(out[0]) if np.ndim(x) == 0 else out
