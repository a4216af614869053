"""Bits on the wire: sample a message from p, encode it with a code built for q.

An ideal code gives a symbol of model probability ``q_i`` a codeword of
``-log2 q_i`` bits; a real prefix code needs whole bits, ``ceil(-log2 q_i)``
(a Shannon code, which satisfies Kraft's inequality). Sending symbols drawn
from ``p`` then costs ``H(p, q)`` bits per symbol on average with the ideal
code, and between ``H(p, q)`` and ``H(p, q) + 1`` with the whole-bit code.
"""

from __future__ import annotations

import numpy as np

from ce_core._validation import as_float_array, check_distribution, check_positive, check_seed


def sample_message(p: object, length: int, seed: int = 0) -> np.ndarray:
    """Draw ``length`` class indices from ``p`` with a seeded generator.

    Examples
    --------
    >>> sample_message([0.0, 1.0], 3).tolist()
    [1, 1, 1]
    """
    pa = check_distribution(p, "p")
    if pa.ndim != 1:
        raise ValueError(f"p must be a single distribution (got shape {pa.shape})")
    n = int(check_positive(length, "length"))
    if n != length:
        raise ValueError(f"length must be a whole number (got {length!r})")
    rng = np.random.default_rng(check_seed(seed))
    # Inverse-CDF sampling; the clip guards the last bin against rounding of the cumsum.
    cdf = np.cumsum(pa)
    idx = np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")
    return np.minimum(idx, np.flatnonzero(pa > 0)[-1])


def code_lengths(q: object, *, whole_bits: bool = False) -> np.ndarray:
    """Codeword length in bits for each symbol under a code built for ``q``.

    ``-log2 q_i`` (ideal) or ``ceil(-log2 q_i)`` (a Shannon code). A symbol with
    ``q_i = 0`` gets no codeword: its length is ``inf``.

    Examples
    --------
    >>> code_lengths([0.5, 0.25, 0.25]).tolist()
    [1.0, 2.0, 2.0]
    >>> code_lengths([0.6, 0.4], whole_bits=True).tolist()
    [1.0, 2.0]
    """
    qa = check_distribution(q, "q")
    with np.errstate(divide="ignore"):
        bits = -np.log2(qa) + 0.0
    if whole_bits:
        # Round tiny float excess (e.g. -log2(0.125) = 3.0000000000000004) before ceil.
        bits = np.ceil(np.round(bits, 9))
    return bits


def running_bits_per_symbol(message: object, lengths: object) -> np.ndarray:
    """Average bits per symbol after each symbol of the message.

    Examples
    --------
    >>> running_bits_per_symbol([0, 1, 1, 0], [1.0, 3.0]).tolist()
    [1.0, 2.0, 2.3333333333333335, 2.0]
    """
    msg = np.asarray(message)
    if msg.ndim != 1 or msg.size == 0 or msg.dtype.kind not in "iu":
        raise ValueError(f"message must be a non-empty 1-D array of class indices (got {msg!r:.60})")
    try:
        if np.iscomplexobj(lengths):
            raise TypeError("complex")
        lens = np.asarray(lengths, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"lengths must be a 1-D array of code lengths (got {lengths!r:.60})") from None
    if lens.ndim != 1 or lens.size == 0:
        raise ValueError(f"lengths must be a non-empty 1-D array of code lengths (got shape {lens.shape})")
    if np.isnan(lens).any() or (lens < 0).any():
        raise ValueError(f"lengths must be >= 0 (inf allowed, NaN not) (got {lens.tolist()!r:.60})")
    if msg.min() < 0 or msg.max() >= lens.size:
        raise ValueError(f"message holds a class index out of range for {lens.size} classes")
    with np.errstate(over="ignore"):  # a running total beyond the largest float is inf
        return np.cumsum(lens[msg]) / np.arange(1, msg.size + 1)


def kraft_sum(lengths: object) -> float:
    """``sum 2**-l``: at most 1 for any prefix code.

    Examples
    --------
    >>> kraft_sum([1, 2, 2])
    1.0
    """
    lens = as_float_array(lengths, "lengths")
    if (lens < 0).any():
        raise ValueError(f"lengths must be non-negative (got {float(lens[lens < 0].ravel()[0])!r})")
    return float(np.sum(np.exp2(-lens)))
