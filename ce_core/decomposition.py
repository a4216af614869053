"""Cross-entropy taken apart: per-class terms, the H(p) + KL split, both KL directions.

Cross-entropy reads "frequencies from p, code lengths from q": class ``i``
happens with frequency ``p_i`` and costs ``-log q_i`` each time, so its share of
the average is ``p_i * (-log q_i)``. These functions return those shares (and
the KL shares) so that a page can show a table whose rows add up to the total.

Conventions, as in :mod:`ce_core.information`: ``0 * log(anything) = 0`` (a
class that never happens costs nothing, even if it has no code word), and
``p_i > 0 = q_i`` gives ``inf`` (an event that happens but has no code word).
Never NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ce_core._validation import check_distribution, check_same_classes, log_base
from ce_core.information import cross_entropy, entropy, kl_divergence


def _pair(p: object, q: object) -> tuple[np.ndarray, np.ndarray]:
    pa = check_distribution(p, "p")
    qa = check_distribution(q, "q")
    check_same_classes(pa, qa)
    return np.broadcast_arrays(pa, qa)


def cross_entropy_terms(p: object, q: object, base: float = math.e) -> np.ndarray:
    """Each class's share of the cross-entropy.

    .. math:: t_i = p_i \\cdot (-\\log_b q_i), \\qquad \\sum_i t_i = H(p, q)

    Parameters
    ----------
    p : array_like
        The true distribution (how often each class happens).
    q : array_like
        The model distribution (a code word of ``-log q_i`` for class ``i``).
    base : float, default e
        Log base: 2 gives bits, e nats, 10 hartleys.

    Returns
    -------
    numpy.ndarray
        ``t_i >= 0``; ``0`` where ``p_i = 0`` (even if ``q_i = 0``), ``inf`` where
        ``q_i = 0 < p_i``.

    Raises
    ------
    ValueError
        If ``p`` or ``q`` is not a distribution, or their classes differ.

    Examples
    --------
    >>> cross_entropy_terms([0.5, 0.5, 0.0], [0.25, 0.75, 0.0], base=2).round(6).tolist()
    [1.0, 0.207519, 0.0]
    >>> cross_entropy_terms([1.0, 0.0], [0.0, 1.0]).tolist()
    [inf, 0.0]
    """
    lb = log_base(base)
    pa, qa = _pair(p, q)
    out = np.zeros(pa.shape)
    pos = pa > 0
    with np.errstate(divide="ignore"):
        out[pos] = -pa[pos] * np.log(qa[pos]) / lb
    return out + 0.0


def kl_terms(p: object, q: object, base: float = math.e) -> np.ndarray:
    """Each class's share of the Kullback-Leibler divergence KL(p || q).

    .. math:: d_i = p_i \\log_b \\frac{p_i}{q_i}, \\qquad \\sum_i d_i = \\mathrm{KL}(p \\| q)

    A single share can be negative (where ``q_i > p_i``); the sum never is.

    Parameters
    ----------
    p, q : array_like
        Distributions with the same classes. Swap them for the reverse
        direction KL(q || p).
    base : float, default e

    Returns
    -------
    numpy.ndarray
        ``0`` where ``p_i = 0``; ``inf`` where ``q_i = 0 < p_i``.

    Examples
    --------
    >>> kl_terms([0.5, 0.5], [0.25, 0.75], base=2).round(6).tolist()
    [0.5, -0.292481]
    >>> kl_terms([0.0, 1.0], [0.5, 0.5], base=2).tolist()
    [0.0, 1.0]
    """
    lb = log_base(base)
    pa, qa = _pair(p, q)
    out = np.zeros(pa.shape)
    pos = pa > 0
    with np.errstate(divide="ignore"):
        out[pos] = pa[pos] * (np.log(pa[pos]) - np.log(qa[pos])) / lb
    return out + 0.0


def one_hot_index(p: object) -> int | None:
    """The class that a one-hot distribution puts all its mass on, else ``None``.

    ``p`` is one-hot when exactly one entry is 1 (within 1e-12) and all others
    are 0; then ``H(p, q) = -log q_{index}``.

    Examples
    --------
    >>> one_hot_index([0.0, 1.0, 0.0])
    1
    >>> one_hot_index([0.5, 0.5]) is None
    True
    """
    pa = check_distribution(p, "p")
    if pa.ndim != 1:
        raise ValueError(f"p must be a single distribution (got shape {pa.shape})")
    nonzero = np.flatnonzero(pa > 0)
    if nonzero.size == 1 and abs(pa[nonzero[0]] - 1.0) <= 1e-12:
        return int(nonzero[0])
    return None


@dataclass(frozen=True)
class CrossEntropySummary:
    """The quantities of the cross-entropy lesson for one pair (p, q), in one unit.

    ``cross_entropy = entropy_p + kl_forward`` (both ``inf`` together).
    """

    entropy_p: float
    entropy_q: float
    cross_entropy: float
    kl_forward: float
    kl_reverse: float
    q_equals_p: bool

    @property
    def below_entropy_q(self) -> bool:
        """``H(p, q) < H(q)``: possible, so H(q) is no lower bound (Gibbs bounds only by H(p))."""
        return self.cross_entropy < self.entropy_q


def summarize(p: object, q: object, base: float = math.e) -> CrossEntropySummary:
    """H(p), H(q), H(p, q), KL(p || q), KL(q || p) and whether q equals p.

    .. math:: H(p, q) = H(p) + \\mathrm{KL}(p \\| q) \\ge H(p)

    with equality only when ``q = p`` (Gibbs' inequality). ``q_equals_p`` is
    true when every entry agrees within 1e-12.

    Examples
    --------
    >>> s = summarize([1.0, 0.0], [0.9, 0.1])
    >>> round(s.cross_entropy, 3), round(s.entropy_q, 3), s.below_entropy_q
    (0.105, 0.325, True)
    >>> summarize([0.5, 0.5], [0.5, 0.5], base=2).q_equals_p
    True
    """
    pa, qa = _pair(p, q)
    if pa.ndim != 1:
        raise ValueError(f"p and q must be single distributions (got shape {pa.shape})")
    return CrossEntropySummary(
        entropy_p=float(entropy(pa, base=base)),
        entropy_q=float(entropy(qa, base=base)),
        cross_entropy=float(cross_entropy(pa, qa, base=base)),
        kl_forward=float(kl_divergence(pa, qa, base=base)),
        kl_reverse=float(kl_divergence(qa, pa, base=base)),
        q_equals_p=bool(np.allclose(pa, qa, rtol=0.0, atol=1e-12)),
    )
