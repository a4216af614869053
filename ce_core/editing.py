"""Editing a distribution by hand: the rule that keeps the sum at 1, and the drag table.

The lab's p/q editor lets a learner drag one bar of a distribution. One policy
decides what happens to the other bars, here, as a pure function:

    **the dragged bar takes the value; the others share what is left in proportion
    to their current sizes.** If the others are all 0 (the dragged bar held all the
    mass), what is left is shared equally among them, so a bar can reach 0 or 1 and
    come back.

``drag_table`` computes, in one batched call, every number the editor shows for
every position of every bar, so the browser only looks values up while the pointer
moves (it computes nothing itself).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np

from ce_core._validation import SUM_TOLERANCE, check_distribution, log_base

#: Positions a dragged bar can take: 0, 0.01, ..., 1.
DRAG_STEPS = 100


def set_probability(dist: object, index: object, value: object) -> np.ndarray:
    """Set one class of a distribution to ``value``; rescale the others to keep the sum 1.

    .. math:: d'_i = v, \\qquad d'_j = d_j \\cdot \\frac{1 - v}{1 - d_i} \\quad (j \\ne i)

    and, when every other class is 0 (``d_i = 1``), ``d'_j = (1 - v) / (K - 1)``.

    Parameters
    ----------
    dist : array_like
        A distribution over K >= 2 classes (one row; it must sum to 1).
    index : int
        The class that is set, 0 <= index < K.
    value : float or array_like
        The new probability of that class, in [0, 1]. An array of values gives one
        distribution per value (a batch, classes on the last axis).

    Returns
    -------
    numpy.ndarray
        Shape ``(K,)`` for a single value, ``(len(value), K)`` for an array; every row
        sums to 1 and holds ``value`` at ``index`` exactly.

    Raises
    ------
    ValueError
        If ``dist`` is not a single distribution over at least 2 classes, ``index`` is
        not a class of it, or a value lies outside [0, 1].

    Examples
    --------
    >>> set_probability([0.5, 0.3, 0.2], 0, 0.8).round(6).tolist()
    [0.8, 0.12, 0.08]
    >>> set_probability([1.0, 0.0, 0.0], 0, 0.5).tolist()
    [0.5, 0.25, 0.25]
    """
    d = check_distribution(dist, "dist")
    if d.ndim != 1 or d.size < 2:
        raise ValueError(f"dist must be one distribution over at least 2 classes (got shape {d.shape})")
    k = d.size
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= int(index) < k:
        raise ValueError(f"index must be a whole number from 0 to {k - 1} (got {index!r})")
    i = int(index)
    scalar = np.ndim(value) == 0
    values = np.atleast_1d(np.asarray(value, dtype=float)) if not isinstance(value, bool) else None
    if values is None or values.ndim != 1:
        raise ValueError(f"value must be a number or a 1-D array of numbers (got {value!r})")
    bad = ~((values >= 0) & (values <= 1))  # NaN is bad too
    if bad.any():
        raise ValueError(f"value must lie in [0, 1] (got {values[bad][0]!r})")
    others = np.delete(d, i)
    rest = others.sum()
    # Each other class's part of what is left (summing to 1); equal parts when all are 0.
    share = others / rest if rest > 0 else np.full(k - 1, 1.0 / (k - 1))
    out = np.empty((values.size, k))
    out[:, i] = values
    out[:, np.arange(k) != i] = (1.0 - values)[:, None] * share[None, :]
    return out[0] if scalar else out


class DragTable(NamedTuple):
    """Every number the p/q editor shows, for every position of every bar.

    ``records[b, g]`` is the whole state after bar ``b`` is dragged to ``grid[g]``; bars
    ``0..K-1`` are p's classes, ``K..2K-1`` are q's. ``current`` is the state as it is.
    A record is laid out as :data:`RECORD_FIELDS` says, in the requested unit.
    """

    grid: np.ndarray
    records: np.ndarray
    current: np.ndarray


#: The layout of one record: scalar fields first, then blocks of K values.
RECORD_SCALARS = ("entropy_p", "entropy_q", "cross_entropy", "kl")
RECORD_BLOCKS = ("p", "q", "surprisal_p", "surprisal_q", "entropy_terms", "cross_entropy_terms")


def record_length(k: int) -> int:
    """Numbers in one record of :func:`drag_table` for K classes."""
    return len(RECORD_SCALARS) + len(RECORD_BLOCKS) * k


def _records(p: np.ndarray, q: np.ndarray, base: float) -> np.ndarray:
    """The record of each row pair of p and q (batched: rows on the first axes)."""
    from ce_core.decomposition import cross_entropy_terms
    from ce_core.entropy_parts import entropy_terms
    from ce_core.information import cross_entropy, entropy, kl_divergence, surprisal

    with np.errstate(divide="ignore"):
        blocks = [
            p,
            q,
            surprisal(p, base=base),
            surprisal(q, base=base),
            entropy_terms(p, base=base),
            cross_entropy_terms(p, q, base=base),
        ]
    scalars = [
        entropy(p, base=base),
        entropy(q, base=base),
        cross_entropy(p, q, base=base),
        kl_divergence(p, q, base=base),
    ]
    return np.concatenate(
        [np.stack([np.asarray(s, dtype=float) for s in scalars], axis=-1), *blocks], axis=-1
    )


def drag_table(p: object, q: object, base: float = math.e, steps: int = DRAG_STEPS) -> DragTable:
    """The editor's look-up table: every bar of p and q at every position of the grid.

    Parameters
    ----------
    p, q : array_like
        The current distributions (one row each, the same K >= 2 classes).
    base : float, default e
        Log base of every value in the records: 2 bits, e nats, 10 hartleys.
    steps : int, default 100
        The grid is ``0, 1/steps, ..., 1``.

    Returns
    -------
    DragTable
        ``records`` has shape ``(2K, steps + 1, record_length(K))``; infinities stand
        where q = 0 < p (cross-entropy, KL, a term) or a probability is 0 (its surprisal).

    Raises
    ------
    ValueError
        If p or q is not a distribution over at least 2 classes, their classes differ,
        ``base`` is not a log base, or ``steps`` is not a whole number from 1 to 1000.

    Examples
    --------
    >>> table = drag_table([0.5, 0.5], [0.5, 0.5], base=2, steps=2)
    >>> table.records.shape
    (4, 3, 16)
    >>> float(table.current[2])  # H(p, q) in bits
    1.0
    """
    log_base(base)
    pa = check_distribution(p, "p")
    qa = check_distribution(q, "q")
    if pa.ndim != 1 or qa.ndim != 1 or pa.size != qa.size:
        raise ValueError(
            f"p and q must be single distributions over the same classes "
            f"(got shapes {pa.shape} and {qa.shape})"
        )
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 1000:
        raise ValueError(f"steps must be a whole number from 1 to 1000 (got {steps!r})")
    k = pa.size
    grid = np.arange(steps + 1) / steps
    dragged_p = np.stack([set_probability(pa, i, grid) for i in range(k)])  # (K, G, K)
    dragged_q = np.stack([set_probability(qa, i, grid) for i in range(k)])
    all_p = np.concatenate([dragged_p, np.broadcast_to(pa, dragged_q.shape)])  # (2K, G, K)
    all_q = np.concatenate([np.broadcast_to(qa, dragged_p.shape), dragged_q])
    records = _records(all_p.reshape(-1, k), all_q.reshape(-1, k), base).reshape(2 * k, steps + 1, -1)
    current = _records(pa[None, :], qa[None, :], base)[0]
    return DragTable(grid=grid, records=records, current=current)


_SEPARATORS = re.compile(r"[\s,;]+")


def number_from_text(text: str) -> float:
    """A number as a learner types it: a decimal, a fraction ``a/b`` or a percentage.

    Parameters
    ----------
    text : str
        For example ``"0.25"``, ``".25"``, ``"1/4"``, ``"25%"`` or ``"2.5e-1"``.

    Returns
    -------
    float
        Not checked against a range: ``"inf"`` gives ``inf``, the caller decides.

    Raises
    ------
    ValueError
        If ``text`` is not a number, or a fraction divides by zero.

    Examples
    --------
    >>> number_from_text("1/4"), number_from_text("25%"), number_from_text(".25")
    (0.25, 0.25, 0.25)
    """
    try:
        if text.endswith("%"):
            return float(text[:-1]) / 100
        if "/" in text:
            top, bottom = text.split("/", 1)
            return float(top) / float(bottom)
        return float(text)
    except ZeroDivisionError:
        raise ValueError(f"{text[:20]!r} divides by zero") from None


def parse_distribution(text: object, k: int, name: str = "q") -> np.ndarray:
    """Read a distribution typed by a learner: K numbers separated by commas or spaces.

    Fractions such as ``1/3`` and percentages such as ``25%`` are read too. Nothing is
    renormalised: the numbers must sum to 1 (within ``SUM_TOLERANCE``).

    Raises
    ------
    ValueError
        Naming ``name``, when the text does not hold exactly K numbers in [0, 1] that
        sum to 1.

    Examples
    --------
    >>> parse_distribution("0.228, 0.619, 0.153", 3).tolist()
    [0.228, 0.619, 0.153]
    >>> parse_distribution("1/2 1/4 25%", 3).tolist()
    [0.5, 0.25, 0.25]
    """
    parts = [part for part in _SEPARATORS.split(str(text).strip()) if part]
    if len(parts) != k:
        raise ValueError(f"{name} needs {k} numbers, one per class (got {len(parts)})")
    values = []
    for part in parts:
        try:
            number = number_from_text(part)
        except ValueError:
            raise ValueError(f"{name}: {part[:20]!r} is not a number") from None
        if not math.isfinite(number) or not 0 <= number <= 1:
            raise ValueError(f"{name}: every probability must lie in [0, 1] (got {part[:20]})")
        values.append(number)
    total = math.fsum(values)
    if abs(total - 1) > SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1 (got {total:.6g})")
    return np.array(values)
