"""Small worked examples of surprisal: bags of balls, a routine and a rare trip.

Each function turns a tiny story into probabilities and surprisals, so that a
lesson page can show the numbers without computing anything itself. All
information quantities are in the unit of ``base`` (2 bits, e nats, 10 hartleys).
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import NamedTuple

import numpy as np

from ce_core._validation import as_float_array, check_probabilities, log_base
from ce_core.information import entropy, normalize, surprisal


class BagDraw(NamedTuple):
    """What drawing one ball from a bag tells you, per kind of ball."""

    probabilities: np.ndarray
    """Chance of drawing each kind: its count over the total."""
    surprisals: np.ndarray
    """``-log p`` of each kind (``inf`` for a kind with no ball in the bag)."""
    entropy: float
    """The average surprisal of one draw, ``sum p * -log p``."""


class RareEvent(NamedTuple):
    """A routine day versus a day with a trip that comes once every ``n`` days."""

    p_routine: float
    p_rare: float
    h_routine: float
    h_rare: float
    routine_days_per_rare: float
    """How many routine days add up to the surprisal of one rare day (unit-free)."""


class EventReading(NamedTuple):
    """An event of probability ``p`` read three ways."""

    probability: float
    surprisal: float
    one_in: float
    """``1 / p``: a "one in N" event (``inf`` for ``p = 0``)."""


def _check_count(value: object, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral | float):
        raise ValueError(f"{name} must be a whole number >= {minimum} (got {value!r})")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{name} must be a whole number >= {minimum} (got {value!r})")
    if value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum} (got {value!r})")
    return int(value)


def bag_surprisal(counts: object, base: float = math.e) -> BagDraw:
    """Surprisal of drawing each kind of ball from a bag.

    .. math:: p_i = \\frac{c_i}{\\sum_j c_j}, \\qquad h_i = -\\log_b p_i

    A bag of only zeros gives ``p = 1`` and ``h = 0``: the draw tells you
    nothing. One zero among ``n - 1`` ones gives the zero ``p = 1/n`` and
    ``h = \\log_b n``.

    Parameters
    ----------
    counts : array_like
        Number of balls of each kind: whole, non-negative, not all zero.
    base : float, default e
        Log base: 2 gives bits, e nats, 10 hartleys.

    Returns
    -------
    BagDraw
        ``probabilities``, ``surprisals`` (``inf`` for an absent kind) and the
        ``entropy`` of one draw.

    Raises
    ------
    ValueError
        If a count is negative, fractional, or all counts are zero.

    Examples
    --------
    >>> bag_surprisal([10, 0], base=2).surprisals.tolist()
    [0.0, inf]
    >>> bag_surprisal([1, 7], base=2).surprisals[0]  # one zero among 7 ones: 1 in 8
    np.float64(3.0)
    """
    c = as_float_array(counts, "counts")
    if c.ndim != 1 or c.size == 0:
        raise ValueError(f"counts must be a non-empty list of numbers (got shape {c.shape})")
    if (c < 0).any() or not np.isfinite(c).all() or (c != np.round(c)).any():
        bad = c[(c < 0) | ~np.isfinite(c) | (c != np.round(c))][0]
        raise ValueError(f"counts must be whole, non-negative numbers (got {bad!r})")
    if c.sum() == 0:
        raise ValueError("counts must not all be zero (got an empty bag)")
    p = normalize(c)
    return BagDraw(p, np.asarray(surprisal(p, base=base), dtype=float), float(entropy(p, base=base)))


def rare_event(every: object, base: float = math.e) -> RareEvent:
    """A routine that breaks once every ``every`` days, e.g. a trip instead of the commute.

    .. math::

        p_\\text{rare} = 1/n, \\quad p_\\text{routine} = 1 - 1/n, \\quad
        \\text{days} = \\frac{-\\log p_\\text{rare}}{-\\log p_\\text{routine}}

    Surprisals of independent days add up, so ``days`` routine days carry as much
    surprisal as one rare day. The ratio does not depend on the unit.

    Parameters
    ----------
    every : int
        The rare day comes once every ``every`` days, ``every >= 2``.
    base : float, default e

    Returns
    -------
    RareEvent

    Raises
    ------
    ValueError
        If ``every`` is not a whole number of at least 2.

    Examples
    --------
    >>> r = rare_event(2, base=2)
    >>> r.h_rare, r.h_routine, r.routine_days_per_rare
    (1.0, 1.0, 1.0)
    >>> round(rare_event(365, base=2).h_rare, 4)
    8.5118
    """
    n = _check_count(every, "every", minimum=2)
    p_rare = 1.0 / n
    p_routine = 1.0 - p_rare
    h_rare = float(surprisal(p_rare, base=base))
    # -log(1 - 1/n) via log1p: for large n, 1 - 1/n rounds and log would lose the digits.
    routine_nats = -math.log1p(-p_rare)
    h_routine = routine_nats / log_base(base)
    return RareEvent(p_routine, p_rare, h_routine, h_rare, math.log(n) / routine_nats)


def describe_event(p: object, base: float = math.e) -> EventReading:
    """An event of probability ``p``: its surprisal and its "one in N" odds.

    .. math:: h = -\\log_b p, \\qquad N = 1/p

    Parameters
    ----------
    p : float
        A probability in [0, 1].
    base : float, default e

    Returns
    -------
    EventReading
        ``surprisal`` is ``inf`` and ``one_in`` is ``inf`` for ``p = 0``.

    Examples
    --------
    >>> describe_event(0.25, base=2)
    EventReading(probability=0.25, surprisal=2.0, one_in=4.0)
    """
    arr = check_probabilities(p, "p")
    if arr.ndim != 0:
        raise ValueError(f"p must be a single probability (got shape {arr.shape})")
    value = float(arr)
    one_in = math.inf if value == 0 else 1.0 / value
    return EventReading(value, float(surprisal(value, base=base)), one_in)
