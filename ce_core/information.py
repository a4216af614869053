"""Surprisal, entropy, cross-entropy and KL divergence.

Everything is computed in nats and converted to the requested unit once, at the
end (``value / ln(base)``), as ``scipy.stats.entropy`` does. ``0 * log 0`` is
taken as 0 by definition: logarithms are only taken where the weight is
positive, never with an added epsilon.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core._validation import (
    as_float_array,
    check_distribution,
    check_probabilities,
    check_same_classes,
    log_base,
)

#: The log bases the lab offers, by the name of their unit.
UNITS = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}


def _scalar_or_array(x: np.ndarray) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


def _neg_xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise ``-x log y`` with ``0 log anything = 0`` and ``x log 0 = -inf``."""
    x, y = np.broadcast_arrays(x, y)
    out = np.zeros(x.shape)
    pos = x > 0
    with np.errstate(divide="ignore"):
        out[pos] = -x[pos] * np.log(y[pos])
    return out


def normalize(weights: object) -> np.ndarray:
    """Turn non-negative weights into a probability distribution.

    .. math:: p_i = w_i / \\sum_j w_j

    Parameters
    ----------
    weights : array_like
        Non-negative, finite weights; the last axis holds the classes.

    Returns
    -------
    numpy.ndarray
        The weights divided by their sum along the last axis.

    Raises
    ------
    ValueError
        If a weight is negative, NaN or infinite, or a row sums to zero.

    Examples
    --------
    >>> normalize([1, 1, 2]).tolist()
    [0.25, 0.25, 0.5]
    """
    w = as_float_array(weights, "weights")
    if w.ndim == 0 or w.shape[-1] == 0:
        raise ValueError(f"weights must have at least one class (got shape {w.shape})")
    if not np.isfinite(w).all():
        raise ValueError(f"weights must be finite (got {float(w[~np.isfinite(w)][0])!r})")
    if (w < 0).any():
        raise ValueError(f"weights must be non-negative (got {float(w[w < 0][0])!r})")
    largest = w.max(axis=-1, keepdims=True)
    if (largest == 0).any():
        raise ValueError("weights must not all be zero (got a sum of 0)")
    scaled = w / largest  # in [0, 1]: the sum cannot overflow even for weights near 1e308
    return scaled / scaled.sum(axis=-1, keepdims=True)


def surprisal(p: object, base: float = math.e) -> np.ndarray | float:
    """Surprisal (self-information) of events with probability ``p``.

    .. math:: h(x) = -\\log_b p(x) \\ge 0

    Parameters
    ----------
    p : array_like
        Probabilities in [0, 1], elementwise.
    base : float, default e
        Log base: 2 gives bits, e nats, 10 hartleys.

    Returns
    -------
    float or numpy.ndarray
        ``-log p``, ``inf`` where ``p = 0`` (an impossible event cannot be coded).

    Examples
    --------
    >>> surprisal(0.5, base=2)
    1.0
    >>> surprisal([1.0, 0.25, 0.0], base=2).tolist()  # certain, one in four, impossible
    [0.0, 2.0, inf]
    """
    lb = log_base(base)
    arr = check_probabilities(p, "p")
    with np.errstate(divide="ignore"):
        out = -np.log(arr) / lb
    return _scalar_or_array(out + 0.0)  # + 0.0 turns -0.0 into 0.0


def entropy(p: object, base: float = math.e) -> np.ndarray | float:
    """Shannon entropy of a distribution.

    .. math:: H(p) = -\\sum_i p_i \\log_b p_i, \\qquad 0 \\log 0 = 0

    Parameters
    ----------
    p : array_like
        A distribution (or a batch, classes on the last axis).
    base : float, default e

    Returns
    -------
    float or numpy.ndarray
        H(p), between 0 (a certain outcome) and ``log_b K`` (uniform over K classes).

    Differences from the frameworks
    -------------------------------
    p that does not sum to 1, e.g. counts [0, 1, 2]
        ce_core: ValueError "p must sum to 1"; normalize() turns weights into a distribution.
        frameworks: scipy.stats.entropy divides p by its sum first.
        why: nothing is renormalised silently; a typo in a distribution must not pass as a different one.
    the class axis
        ce_core: always the last axis.
        frameworks: scipy.stats.entropy defaults to axis=0.
        why: one convention for every ce_core function, as PyTorch's dim=-1 for softmax.

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> round(entropy([0.25] * 4, base=2), 12)
    2.0
    """
    lb = log_base(base)
    arr = check_distribution(p, "p")
    return _scalar_or_array(_neg_xlogy(arr, arr).sum(axis=-1) / lb + 0.0)


def cross_entropy(p: object, q: object, base: float = math.e) -> np.ndarray | float:
    """Cross-entropy of ``q`` relative to ``p``.

    .. math:: H(p, q) = -\\sum_i p_i \\log_b q_i

    The average code length when events follow ``p`` but the code was built
    for ``q``.

    Parameters
    ----------
    p : array_like
        The true distribution (frequencies).
    q : array_like
        The model distribution (code lengths ``-log q``).
    base : float, default e

    Returns
    -------
    float or numpy.ndarray
        ``inf`` where some ``q_i = 0 < p_i``.

    Differences from the frameworks
    -------------------------------
    p and q of different shapes, e.g. (3,) against (2, 1)
        ce_core: ValueError naming both shapes (also in kl_divergence).
        frameworks: scipy.stats.entropy(p, q) broadcasts them.
        why: a broadcast changes the number of distributions and returns a number for pairs never given.
    p or q that does not sum to 1
        ce_core: ValueError "p must sum to 1" or "q must sum to 1" (also in kl_divergence).
        frameworks: scipy.stats.entropy(p, q) divides both by their sums.
        why: nothing is renormalised silently.

    Notes
    -----
    ``H(p, q) = H(p) + KL(p || q) >= H(p)`` (Gibbs' inequality), with equality
    only when ``q = p``. There is no such bound against ``H(q)``.

    Examples
    --------
    >>> round(cross_entropy([0, 1, 0], [0.228, 0.619, 0.153]), 12)
    0.479650006298
    """
    lb = log_base(base)
    pa = check_distribution(p, "p")
    qa = check_distribution(q, "q")
    check_same_classes(pa, qa)
    return _scalar_or_array(_neg_xlogy(pa, qa).sum(axis=-1) / lb + 0.0)


def kl_divergence(p: object, q: object, base: float = math.e) -> np.ndarray | float:
    """Kullback-Leibler divergence of ``q`` from ``p``.

    .. math:: KL(p \\| q) = \\sum_i p_i \\log_b \\frac{p_i}{q_i}

    Parameters
    ----------
    p, q : array_like
        Distributions with the same classes.
    base : float, default e

    Returns
    -------
    float or numpy.ndarray
        ``>= 0``; ``inf`` where some ``q_i = 0 < p_i``. Not symmetric.

    Notes
    -----
    Rounding can leave a value of order 1e-17 below zero for ``q`` very close
    to ``p``; such results are returned as 0, since KL is never negative.

    Examples
    --------
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1], base=2), 12)
    0.736965594166
    """
    lb = log_base(base)
    pa = check_distribution(p, "p")
    qa = check_distribution(q, "q")
    check_same_classes(pa, qa)
    pa, qa = np.broadcast_arrays(pa, qa)
    terms = np.zeros(pa.shape)
    pos = pa > 0
    with np.errstate(divide="ignore"):
        terms[pos] = pa[pos] * (np.log(pa[pos]) - np.log(qa[pos]))
    # Clip the rounding residue in nats, before the base: a base below 1 makes
    # every value negative, and clipping after the division would zero it.
    total = np.maximum(terms.sum(axis=-1), 0.0) / lb
    return _scalar_or_array(total + 0.0)


def binary_entropy(p: object, base: float = math.e) -> np.ndarray | float:
    """Entropy of a coin that lands heads with probability ``p``.

    .. math:: H_b(p) = -p \\log_b p - (1 - p) \\log_b (1 - p)

    Examples
    --------
    >>> binary_entropy(0.5, base=2)
    1.0
    >>> round(binary_entropy(0.11, base=2), 4)  # a coin this biased tells about half a bit
    0.4999
    >>> binary_entropy([0.0, 1.0]).tolist()  # a certain coin tells nothing
    [0.0, 0.0]
    """
    lb = log_base(base)
    arr = check_probabilities(p, "p")
    out = (_neg_xlogy(arr, arr) + _neg_xlogy(1.0 - arr, 1.0 - arr)) / lb
    return _scalar_or_array(out + 0.0)


def perplexity(p: object, q: object | None = None) -> np.ndarray | float:
    """Perplexity: the effective number of equally likely choices.

    .. math:: \\mathrm{PP}(p) = e^{H(p)}, \\qquad \\mathrm{PP}(p, q) = e^{H(p, q)}

    It does not depend on the unit (``2**H_bits == e**H_nats``).

    Examples
    --------
    >>> round(perplexity([0.25] * 4), 12)
    4.0
    """
    h = entropy(p) if q is None else cross_entropy(p, q)
    with np.errstate(over="ignore"):
        return _scalar_or_array(np.exp(h))


def convert_units(value: object, from_base: float, to_base: float) -> np.ndarray | float:
    """Convert an information quantity between log bases.

    .. math:: H_b = H_a \\cdot \\ln a / \\ln b

    Examples
    --------
    >>> round(convert_units(1.0, 2, math.e), 12)  # one bit in nats
    0.69314718056
    """
    arr = as_float_array(value, "value")
    factor = log_base(from_base) / log_base(to_base)  # one factor: 1e308 in bits to nats stays finite
    with np.errstate(over="ignore"):  # beyond the largest float the converted value is inf, as it should be
        return _scalar_or_array(arr * factor)
