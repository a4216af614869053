"""Look-up tables for lesson controls made of draggable bars (logits, class weights).

A bar control shows N values, one bar each, every value on a grid (for example the logits
``-10, -9.9, ..., 10``). While the learner drags bar ``b`` to grid position ``g`` the page
must show the state "every value as it is, except value ``b`` = ``grid[g]``". The functions
here compute that state, and every number the lesson shows for it, for **every** bar and
every grid position in one batched call, so the browser only looks rows up.

Rows are laid out as ``r = b * G + g`` (``G = len(grid)``); the last row, ``N * G``, is the
current state. :func:`bar_rows` builds the values of every row; the lesson tables
(:func:`logit_table`, :func:`class_weight_table`) add the numbers of their lessons.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ce_core._validation import as_float_array, log_base


def bar_rows(values: object, grid: object) -> np.ndarray:
    """The values of every row of a bar table: bar ``b`` at ``grid[g]`` in row ``b * G + g``.

    The last row is ``values`` itself (the current state).

    Raises
    ------
    ValueError
        If ``values`` is not a non-empty 1-D array of finite numbers, or ``grid`` is not a
        strictly increasing 1-D array of at least two finite numbers.

    Examples
    --------
    >>> bar_rows([1.0, 2.0], [0.0, 5.0]).tolist()
    [[0.0, 2.0], [5.0, 2.0], [1.0, 0.0], [1.0, 5.0], [1.0, 2.0]]
    """
    v = as_float_array(values, "values")
    g = as_float_array(grid, "grid")
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError(f"values must be a non-empty 1-D array of finite numbers (got {v!r})")
    if g.ndim != 1 or g.size < 2 or not np.all(np.isfinite(g)) or not np.all(np.diff(g) > 0):
        raise ValueError("grid must be a strictly increasing 1-D array of at least two finite numbers")
    n, size = v.size, g.size
    rows = np.tile(v, (n * size + 1, 1))
    for b in range(n):
        rows[b * size : (b + 1) * size, b] = g
    return rows


class LogitTable(NamedTuple):
    """The softmax lesson at every row of a bar table of the logits.

    ``q[r]`` is ``softmax(z_r / T)``, ``loss[r]`` is ``-log_b q[r][y]`` and ``gradient[r]``
    the gradient of that loss with respect to each logit, ``(q - e_y) / (T ln b)``.
    """

    grid: np.ndarray
    logits: np.ndarray  # (N G + 1, K): the logits of each row
    q: np.ndarray  # (N G + 1, K)
    loss: np.ndarray  # (N G + 1,)
    gradient: np.ndarray  # (N G + 1, K)


def logit_table(
    logits: object, target: int, temperature: float, grid: object, base: float = math.e
) -> LogitTable:
    """Softmax, loss and gradient for every logit at every grid position, in one batched call.

    Parameters
    ----------
    logits : array_like
        The current logits, K >= 2 finite numbers.
    target : int
        The true class y, ``0 <= target < K``.
    temperature : float
        ``T > 0``; every logit is divided by it before the softmax.
    grid : array_like
        The positions one logit can take (strictly increasing).
    base : float, default e
        Log base of the loss and the gradient: 2 bits, e nats, 10 hartleys.

    Raises
    ------
    ValueError
        For fewer than 2 logits, a target that is not a class, a temperature that is not a
        positive finite number, a bad grid or a bad base.

    Examples
    --------
    >>> table = logit_table([0.0, 0.0], 0, 1.0, [-1.0, 0.0, 1.0], base=2)
    >>> table.q.shape, float(table.loss[-1])
    ((7, 2), 1.0)
    """
    from ce_core.softmax import log_softmax, softmax

    z = bar_rows(logits, grid)
    k = z.shape[1]
    if k < 2:
        raise ValueError(f"logits must hold at least 2 classes (got {k})")
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)) or not 0 <= int(target) < k:
        raise ValueError(f"target must be a class index from 0 to {k - 1} (got {target!r})")
    t = float(temperature)
    if not (math.isfinite(t) and t > 0):
        raise ValueError(f"temperature must be a positive finite number (got {temperature!r})")
    ln_b = log_base(base)
    y = int(target)
    q = softmax(z, t)
    loss = -log_softmax(z, t)[:, y] / ln_b
    gradient = q.copy()
    gradient[:, y] -= 1.0
    gradient /= t * ln_b
    return LogitTable(grid=np.asarray(grid, dtype=float), logits=z, q=q, loss=loss, gradient=gradient)


class WeightTable(NamedTuple):
    """The class-weights lesson at every row of a bar table of the weights w_c.

    Per sample n (true class y_n): ``per_sample[n] = -log_b q_n[y_n]`` (the same in every row),
    ``target_weight[r, n] = w_r[y_n]`` and ``weighted[r, n] = w_r[y_n] * per_sample[n]``.
    The means: ``index_mean = Σ weighted / Σ w[y]`` (PyTorch with class-index targets; NaN when
    every target weight is 0), ``probability_mean = Σ weighted / N`` (PyTorch with probability
    targets) and ``sklearn_mean`` (scikit-learn's log_loss with ``sample_weight = w[y]``, after
    its clip of the probabilities).
    """

    grid: np.ndarray
    weights: np.ndarray  # (C G + 1, C)
    per_sample: np.ndarray  # (N,)
    target_weight: np.ndarray  # (C G + 1, N)
    weighted: np.ndarray  # (C G + 1, N)
    weighted_sum: np.ndarray  # (C G + 1,)
    index_denominator: np.ndarray  # (C G + 1,)
    index_mean: np.ndarray  # (C G + 1,)
    probability_mean: np.ndarray  # (C G + 1,)
    sklearn_mean: np.ndarray  # (C G + 1,)


def class_weight_table(
    logits: object, targets: object, weights: object, grid: object, base: float = math.e
) -> WeightTable:
    """Per-sample losses and the three means for every class weight at every grid position.

    Parameters
    ----------
    logits : array_like
        The batch's logits, shape (N, C).
    targets : array_like
        The true class of each sample, N integers in ``0..C-1``.
    weights : array_like
        The current class weights, C non-negative finite numbers.
    grid : array_like
        The positions one weight can take (strictly increasing, non-negative).
    base : float, default e
        Log base of every loss.

    Raises
    ------
    ValueError
        For logits that are not (N, C) with C >= 2, targets that are not N class indices,
        weights that are not C non-negative numbers, a bad grid or a bad base.

    Examples
    --------
    >>> table = class_weight_table([[0.0, 0.0], [0.0, 0.0]], [0, 1], [1.0, 1.0], [0.0, 1.0, 2.0], base=2)
    >>> table.index_mean[-1], table.probability_mean[-1]
    (np.float64(1.0), np.float64(1.0))
    """
    from ce_core.losses import clipped_log_loss, softmax_cross_entropy
    from ce_core.softmax import softmax

    z = as_float_array(logits, "logits")
    if z.ndim != 2 or z.shape[1] < 2 or z.shape[0] == 0:
        raise ValueError(f"logits must have shape (N, C) with N >= 1 and C >= 2 (got {z.shape})")
    n, c = z.shape
    y = np.asarray(targets)
    if y.dtype.kind not in "iu" or y.shape != (n,) or y.min() < 0 or y.max() >= c:
        raise ValueError(f"targets must be {n} class indices from 0 to {c - 1}")
    w = as_float_array(weights, "weights")
    if w.shape != (c,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be {c} non-negative finite numbers (got {w!r})")
    g = as_float_array(grid, "grid")
    if g.ndim != 1 or (g.size and np.min(g) < 0):
        raise ValueError("grid must hold non-negative weights")
    ln_b = log_base(base)
    rows = bar_rows(w, g)
    per_sample = np.asarray(softmax_cross_entropy(z, y, reduction="none"), dtype=float)
    proba = softmax(z)
    clipped = np.asarray(clipped_log_loss(proba[np.arange(n), y], "sklearn"), dtype=float)
    w_y = rows[:, y]
    weighted = w_y * per_sample[None, :]
    total = weighted.sum(axis=1)
    denominator = w_y.sum(axis=1)
    positive = denominator > 0
    safe = np.where(positive, denominator, 1.0)
    index_mean = np.where(positive, total / safe, np.nan)
    sklearn_mean = np.where(positive, (w_y * clipped[None, :]).sum(axis=1) / safe, np.nan)
    return WeightTable(
        grid=g,
        weights=rows,
        per_sample=per_sample / ln_b,
        target_weight=w_y,
        weighted=weighted / ln_b,
        weighted_sum=total / ln_b,
        index_denominator=denominator,
        index_mean=index_mean / ln_b,
        probability_mean=total / n / ln_b,
        sklearn_mean=sklearn_mean / ln_b,
    )
