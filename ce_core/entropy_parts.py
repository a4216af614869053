"""Entropy taken apart: per-class terms, the ceiling log K, the distance to it.

Pure NumPy, computed in nats and converted once with ``/ ln(base)``, with
``0 * log 0 = 0`` by definition (the log is only taken where ``p > 0``).
"""

from __future__ import annotations

import math

import numpy as np

from ce_core._validation import check_distribution, check_whole_number, log_base
from ce_core.information import entropy


def entropy_terms(p: object, base: float = math.e) -> np.ndarray:
    """Each class's share of the entropy: ``p_i * -log p_i``.

    .. math:: H(p) = \\sum_i \\underbrace{p_i \\cdot (-\\log_b p_i)}_{\\text{term } i},
              \\qquad 0 \\cdot \\log 0 = 0

    The surprisal of class ``i`` weighted by how often it happens; the terms
    add up to ``H(p)``.

    Parameters
    ----------
    p : array_like
        A distribution (non-negative, sums to 1).
    base : float, default e
        Log base: 2 gives bits, e nats, 10 hartleys.

    Returns
    -------
    numpy.ndarray
        One non-negative term per class; 0 where ``p_i = 0`` (an event that never
        happens costs nothing on average, although its surprisal is infinite).

    Raises
    ------
    ValueError
        If ``p`` is not a distribution or ``base`` is not a valid log base.

    Examples
    --------
    >>> entropy_terms([0.5, 0.25, 0.25, 0.0], base=2).tolist()
    [0.5, 0.5, 0.5, 0.0]
    """
    lb = log_base(base)
    arr = check_distribution(p, "p")
    out = np.zeros(arr.shape)
    pos = arr > 0
    out[pos] = -arr[pos] * np.log(arr[pos]) / lb
    return out + 0.0


def max_entropy(k: object, base: float = math.e) -> float:
    """The largest entropy a distribution over ``k`` classes can have.

    .. math:: \\max_p H(p) = H(\\text{uniform}_K) = \\log_b K

    Every class of the uniform distribution has surprisal ``log K``, so their
    average is ``log K`` too; any other distribution has less (its gap is
    ``KL(p || uniform)``).

    Parameters
    ----------
    k : int
        Number of classes, ``k >= 1``.
    base : float, default e

    Returns
    -------
    float
        ``log_b K``, the entropy of :func:`uniform` over ``k`` classes.

    Raises
    ------
    ValueError
        If ``k`` is not a whole number of at least 1.

    See Also
    --------
    uniform : the distribution that reaches the maximum.
    entropy_fraction : how far up to it a distribution's entropy goes.

    Examples
    --------
    >>> max_entropy(8, base=2)
    3.0
    >>> max_entropy(1)
    0.0
    """
    return math.log(check_whole_number(k, "k", 1)) / log_base(base) + 0.0


def uniform(k: object) -> np.ndarray:
    """The uniform distribution over ``k`` classes, ``1/K`` each.

    Examples
    --------
    >>> uniform(4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    k = check_whole_number(k, "k", 1)
    return np.full(k, 1.0 / k)


def entropy_fraction(p: object) -> float:
    """Entropy as a fraction of its maximum: ``H(p) / log K`` (unit-free).

    .. math:: J(p) = \\frac{H(p)}{\\log K} \\in [0, 1]

    1 means uniform, 0 means a certain outcome. Also called normalised entropy
    or evenness.

    Parameters
    ----------
    p : array_like
        A distribution over ``K >= 2`` classes.

    Returns
    -------
    float
        ``J(p)``, from 0 (one class is certain) to 1 (uniform).

    Raises
    ------
    ValueError
        If ``p`` is not a distribution or has fewer than 2 classes.

    Examples
    --------
    >>> entropy_fraction([0.5, 0.5])
    1.0
    >>> entropy_fraction([1.0, 0.0, 0.0])
    0.0
    """
    arr = check_distribution(p, "p")
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"p must be one distribution over at least 2 classes (got shape {arr.shape})")
    return float(min(entropy(arr) / math.log(arr.size), 1.0)) + 0.0
