"""A real prefix code from whole-bit code lengths, and what a message costs with it.

:func:`ce_core.coding.code_lengths` gives each symbol ``ceil(-log2 q_i)`` bits
(a Shannon code). Those lengths satisfy Kraft's inequality
``sum 2**-l_i <= 1``, so a prefix code with exactly these lengths exists; the
*canonical* one assigns code words in order of length, counting up in binary.
No code word is the beginning of another, so a receiver can split the bit
stream back into symbols without separators.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ce_core._validation import as_float_array, check_distribution


def _check_lengths(lengths: object) -> np.ndarray:
    arr = as_float_array(lengths, "lengths")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"lengths must be a non-empty 1-D array (got shape {arr.shape})")
    if (arr < 0).any():
        raise ValueError(f"lengths must be non-negative (got {arr[arr < 0][0]!r})")
    return arr


def canonical_code(lengths: object) -> list[str | None]:
    """Code words of the canonical prefix code with the given whole-bit lengths.

    Symbols are sorted by (length, index); the first gets ``0...0``, each next
    one the previous code word plus one, shifted left when the length grows.
    A symbol of infinite length gets no code word (``None``).

    Parameters
    ----------
    lengths : array_like
        Whole numbers of bits per symbol, or ``inf`` for "no code word".

    Returns
    -------
    list of str or None
        One code word (a string of ``'0'``/``'1'``) per symbol. A single symbol
        of length 0 gets the empty word: it is certain and costs nothing.

    Raises
    ------
    ValueError
        If a finite length is not a whole number, or the lengths break Kraft's
        inequality ``sum 2**-l_i <= 1`` (no prefix code has them).

    Examples
    --------
    >>> canonical_code([1, 2, 2])
    ['0', '10', '11']
    >>> canonical_code([2, float("inf"), 1])
    ['10', None, '0']
    """
    arr = _check_lengths(lengths)
    finite = np.isfinite(arr)
    if (arr[finite] != np.round(arr[finite])).any():
        raise ValueError(
            f"lengths must be whole numbers of bits (got {arr[finite][arr[finite] != np.round(arr[finite])][0]!r})"
        )
    kraft = sum(Fraction(1, 2 ** int(v)) for v in arr[finite])  # exact: 1 + 2**-1039 is not 1
    if kraft > 1:
        raise ValueError(f"lengths break Kraft's inequality: sum 2**-l = {float(kraft):.17g} > 1")
    words: list[str | None] = [None] * arr.size
    order = sorted(np.flatnonzero(finite).tolist(), key=lambda i: (arr[i], i))
    code = 0
    previous = None
    for i in order:
        length = int(arr[i])
        if previous is not None:
            code = (code + 1) << (length - previous)
        words[i] = format(code, f"0{length}b") if length else ""
        previous = length
    return words


def first_unencodable(message: object, lengths: object) -> int | None:
    """Position (0-based) of the first symbol that has no code word, else ``None``.

    Examples
    --------
    >>> first_unencodable([0, 0, 1, 1], [1.0, float("inf")])
    2
    >>> first_unencodable([0, 1], [1.0, 1.0]) is None
    True
    """
    msg = np.asarray(message)
    lens = _check_lengths(lengths)
    if msg.ndim != 1 or msg.dtype.kind not in "iu":
        raise ValueError(f"message must be a 1-D array of class indices (got {msg!r:.60})")
    if msg.size and (msg.min() < 0 or msg.max() >= lens.size):
        raise ValueError(f"message holds a class index out of range for {lens.size} classes")
    bad = np.flatnonzero(~np.isfinite(lens[msg]))
    return int(bad[0]) if bad.size else None


def expected_length(p: object, lengths: object) -> float:
    """Average code length per symbol when symbols follow ``p``.

    .. math:: L = \\sum_i p_i \\, l_i, \\qquad 0 \\cdot \\infty = 0

    A symbol that never happens costs nothing even without a code word; one
    that happens without a code word makes ``L`` infinite. With ideal lengths
    ``-log2 q_i`` this is H(p, q) in bits; with ``ceil(-log2 q_i)`` it lies in
    ``[H(p, q), H(p, q) + 1)``.

    Examples
    --------
    >>> expected_length([0.5, 0.5, 0.0], [1.0, 2.0, float("inf")])
    1.5
    >>> expected_length([0.5, 0.5], [1.0, float("inf")])
    inf
    """
    pa = check_distribution(p, "p")
    lens = _check_lengths(lengths)
    if pa.shape != lens.shape:
        raise ValueError(f"p and lengths must have the same shape (got {pa.shape} and {lens.shape})")
    pos = pa > 0
    return float(np.sum(pa[pos] * lens[pos]))


def encode(message: object, words: list[str | None]) -> list[str | None]:
    """The code word of each symbol of ``message`` (``None`` where there is none).

    Examples
    --------
    >>> encode([0, 2, 0], ['0', '10', '11'])
    ['0', '11', '0']
    """
    msg = np.asarray(message)
    if msg.ndim != 1 or msg.dtype.kind not in "iu":
        raise ValueError(f"message must be a 1-D array of class indices (got {msg!r:.60})")
    if msg.size and (msg.min() < 0 or msg.max() >= len(words)):
        raise ValueError(f"message holds a class index out of range for {len(words)} classes")
    return [words[i] for i in msg.tolist()]
