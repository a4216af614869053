"""Softmax and log-softmax, computed with the maximum subtracted.

``exp(1000)`` overflows to ``inf`` in float64, so the textbook formula
``exp(z) / sum(exp(z))`` breaks for large logits. Softmax does not change when
a constant is added to every logit, so subtracting the largest one first gives
the same answer with every exponent <= 0 (``scipy.special.logsumexp`` does this).
"""

from __future__ import annotations

import numpy as np

from ce_core._validation import check_logits, check_positive

#: Logits are processed in blocks of about this many values (256 KiB of float64), so
#: that the temporaries stay in the CPU cache and no full-size temporary is made.
_BLOCK_ELEMENTS = 1 << 15
#: Up to this many classes a block is transposed to (classes, rows): the reductions
#: over the classes then run as whole-row vector operations. (NumPy reduces a short
#: last axis one row at a time, which is slow for a million rows of 10 classes.)
_TRANSPOSE_MAX_CLASSES = 32


def _scaled(logits: object, temperature: float) -> np.ndarray:
    z = check_logits(logits)
    t = check_positive(temperature, "temperature")
    if t == 1.0:  # z / 1 == z exactly: skip the copy
        return z
    with np.errstate(over="ignore"):  # an overflow is reported just below, as a ValueError
        scaled = z / t
    if not np.isfinite(scaled).all():
        raise ValueError(f"temperature is too small for these logits (got {temperature!r})")
    return scaled


def _pairwise_sum(rows: list[np.ndarray]) -> np.ndarray:
    """Elementwise sum of equal-length arrays, added in the order ``numpy.sum`` uses.

    ``x.sum(axis=-1)`` adds the values of a row pairwise (eight accumulators,
    halves above 128 values). Summing the rows of a transposed block in that same
    order gives the same result to the last bit, only vectorised across rows.
    """
    n = len(rows)
    if n < 8:
        total = rows[0].copy()
        for row in rows[1:]:
            total += row
        return total
    if n <= 128:
        acc = [rows[j].copy() for j in range(8)]
        end = n - n % 8
        for i in range(8, end, 8):
            for j in range(8):
                acc[j] += rows[i + j]
        total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for row in rows[end:]:
            total += row
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(rows[:half]) + _pairwise_sum(rows[half:])


def _row_blocks(z: np.ndarray, log_norm: bool = False):
    """Walk the rows of a 2-D array of logits in cache-sized blocks.

    Yields ``(rows, shifted, exps, sums, maxes)`` for each block: ``rows`` is the
    slice of rows, ``maxes`` their maxima, ``shifted = z[rows] - maxes`` (every
    value <= 0), ``exps = exp(shifted)`` and ``sums = exps.sum(axis=-1)``. The
    values are those of the whole-array formulas, bit for bit. ``shifted`` and
    ``exps`` are reused buffers (possibly transposed views): use them before
    taking the next block.

    With ``log_norm=True`` the fourth value is ``log(sums)`` instead, computed as
    ``log1p`` of the terms other than one maximum, and ``exps`` has the maxima
    set to 0. Every row of ``shifted`` has a 0 (its maximum), whose ``exp`` is 1:
    the sum is ``1 + s`` with ``s`` the other terms, and ``log(1 + s)`` rounds to
    0 once ``s`` is below half the float64 epsilon (``log(1 + e**-40)`` would be 0
    instead of 4.248e-18). ``log1p(s)`` keeps it, as SciPy's logsumexp does since
    gh-18295. Ties for the maximum add 1 each to ``s``.
    """
    num_rows, num_classes = z.shape
    block = max(1, _BLOCK_ELEMENTS // num_classes)
    if num_classes <= _TRANSPOSE_MAX_CLASSES:
        shifted_buffer = np.empty((num_classes, min(block, num_rows)))
        exps_buffer = np.empty_like(shifted_buffer)
        mask_buffer = np.empty(shifted_buffer.shape, dtype=bool)
    for start in range(0, num_rows, block):
        stop = min(start + block, num_rows)
        chunk = z[start:stop]
        if num_classes <= _TRANSPOSE_MAX_CLASSES:
            shifted = shifted_buffer[:, : stop - start]
            exps = exps_buffer[:, : stop - start]
            np.copyto(shifted, chunk.T)
            maxes = shifted.max(axis=0)
            with np.errstate(over="ignore"):  # logits spanning more than the float range: -inf, exp -> 0
                shifted -= maxes
            np.exp(shifted, out=exps)
            if log_norm:
                is_max = np.equal(shifted, 0.0, out=mask_buffer[:, : stop - start])
                np.copyto(exps, 0.0, where=is_max)  # the maxima's exp(0) = 1 are counted apart
                ties = np.add.reduce(is_max.view(np.int8), axis=0, dtype=np.int8)  # at most 32 classes
                others = _pairwise_sum(list(exps)) + (ties - 1)
                yield slice(start, stop), shifted.T, exps.T, np.log1p(others), maxes
            else:
                yield slice(start, stop), shifted.T, exps.T, _pairwise_sum(list(exps)), maxes
        else:
            maxes = chunk.max(axis=-1)
            with np.errstate(over="ignore"):
                shifted = chunk - maxes[:, None]
            exps = np.exp(shifted)
            if log_norm:
                is_max = shifted == 0.0
                np.copyto(exps, 0.0, where=is_max)
                others = exps.sum(axis=-1) + (is_max.sum(axis=-1) - 1)
                yield slice(start, stop), shifted, exps, np.log1p(others), maxes
            else:
                yield slice(start, stop), shifted, exps, exps.sum(axis=-1), maxes


def logsumexp(logits: object) -> np.ndarray | float:
    """``log(sum(exp(z)))`` along the last axis, without overflow, exact for tiny terms.

    .. math:: \\operatorname{LSE}(z) = m + \\log\\Big(1 + \\sum_{i \\ne i^*} e^{z_i - m}\\Big),
              \\quad m = z_{i^*} = \\max_i z_i

    computed with ``log1p``, so ``logsumexp([0, -40])`` is 4.248e-18 (not 0), as
    in SciPy.

    Raises
    ------
    ValueError
        For an empty class axis, a scalar, non-finite or complex logits (below).

    Differences from the frameworks
    -------------------------------
    an empty array
        ce_core: ValueError "logits must have at least one class".
        frameworks: SciPy and PyTorch return -inf, the log of an empty sum.
        why: an empty row has no classes; -inf would travel silently into the loss.
    non-finite entries (-inf for a masked class, inf, NaN)
        ce_core: ValueError "logits must be finite" (or "must not contain NaN").
        frameworks: SciPy and PyTorch let -inf add nothing and return inf or NaN for inf/NaN.
        why: ce_core's logits are finite scores.
    a scalar (no class axis)
        ce_core: ValueError "logits must have a class axis".
        frameworks: SciPy returns logsumexp(x) = x for a scalar.
        why: the classes are the last axis; a scalar has none.
    complex logits
        ce_core: ValueError "logits must be real, not complex".
        frameworks: SciPy computes a complex log-sum-exp.
        why: logits are real scores; the imaginary part must not be dropped silently.
    a tiny term next to the maximum, e.g. [0, -40]
        ce_core: 4.248e-18, from log1p of the terms other than the maximum.
        frameworks: SciPy agrees (since gh-18295); log(sum(exp)) and torch's log_softmax round it to 0.
        why: log1p keeps the term.

    Examples
    --------
    >>> round(float(logsumexp([1000.0, 1000.0])), 6)  # 1000 + ln 2; exp(1000) overflows
    1000.693147
    >>> logsumexp([0.0, -40.0])  # log(1 + e**-40); log(sum(...)) would round it to 0
    4.248354255291589e-18
    """
    z = check_logits(logits)
    out = np.empty(z.shape[:-1])
    flat = out.reshape(-1)
    for rows, _, _, log_norm, maxes in _row_blocks(z.reshape(-1, z.shape[-1]), log_norm=True):
        flat[rows] = maxes + log_norm
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

    Computed as ``(z - m) - log1p(sum of the other terms)`` (see :func:`logsumexp`):
    the largest class of ``[0, -40]`` gets ``-4.248e-18``, not 0, and a class
    whose probability underflows to 0 still gets its finite log.

    Raises
    ------
    ValueError
        For non-finite logits, an empty class axis, a scalar (below).

    Differences from the frameworks
    -------------------------------
    -inf for a masked class
        ce_core: ValueError "logits must be finite".
        frameworks: PyTorch and SciPy return -inf for that class.
        why: a logit is a finite score; leave a masked class out instead.
    the largest class next to tiny terms, e.g. [0, -40]
        ce_core: -4.248e-18 for the largest class (log1p).
        frameworks: torch.log_softmax and scipy.special.log_softmax return 0 (they take log of the whole sum).
        why: the docstring's promise of exactness; the difference is below float64 eps.

    Examples
    --------
    >>> log_softmax([0.0, 1000.0]).tolist()
    [-1000.0, 0.0]
    >>> float(log_softmax([0.0, -40.0])[0])
    -4.248354255291589e-18
    """
    z = _scaled(logits, temperature)
    out = np.empty(z.shape)
    flat = out.reshape(-1, z.shape[-1])
    for rows, shifted, _, log_norm, _ in _row_blocks(z.reshape(-1, z.shape[-1]), log_norm=True):
        np.subtract(shifted, log_norm[:, None], out=flat[rows])
    return out


def softmax(logits: object, temperature: float = 1.0) -> np.ndarray:
    """Turn scores into a probability distribution.

    .. math:: \\sigma(z)_i = \\frac{e^{z_i / T}}{\\sum_j e^{z_j / T}}

    Computed as ``exp(z - max z)`` normalised, so logits of any finite size work.

    Differences from the frameworks
    -------------------------------
    -inf for a masked class
        ce_core: ValueError "logits must be finite".
        frameworks: PyTorch and SciPy give that class probability 0.
        why: a logit is a finite score; leave a masked class out instead.
    a scalar (no class axis)
        ce_core: ValueError "logits must have a class axis".
        frameworks: scipy.special.softmax(1000) is 1.0 (the whole array is one distribution by default).
        why: the classes are the last axis; a scalar has none.

    Examples
    --------
    >>> softmax([1000.0, 1000.0]).tolist()
    [0.5, 0.5]
    >>> softmax([2.0, 1.0, 0.1]).round(4).tolist()
    [0.659, 0.2424, 0.0986]
    """
    z = _scaled(logits, temperature)
    out = np.empty(z.shape)
    flat = out.reshape(-1, z.shape[-1])
    for rows, _, exps, sums, _ in _row_blocks(z.reshape(-1, z.shape[-1])):
        np.divide(exps, sums[:, None], out=flat[rows])
    return out


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
