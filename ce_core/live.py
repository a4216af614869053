"""Sweeps of one lesson parameter over its grid, for controls that follow the pointer.

A lesson control that moves one number (a predicted probability, a point on the
surprisal curve, ...) is drawn in the browser from a table computed here in one
batched NumPy call: every value the picture and the readouts show, for every
position of the control's grid. The browser only looks a row up while the pointer
moves; these functions are the only place where those numbers are computed.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core._validation import as_float_array, check_probabilities, log_base
from ce_core.binary_point import binary_loss_curves
from ce_core.information import surprisal
from ce_core.losses import binary_cross_entropy_gradient


def parameter_grid(lower: float, upper: float, step: float) -> np.ndarray:
    """The positions of a control: ``lower, lower + step, ..., upper``, rounded to the step.

    Raises
    ------
    ValueError
        If the bounds are not finite, ``upper <= lower``, ``step <= 0``, or the range is not a
        whole number of steps.

    Examples
    --------
    >>> parameter_grid(0.0, 1.0, 0.25).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    lo, hi, st = (
        float(as_float_array(v, n)) for v, n in ((lower, "lower"), (upper, "upper"), (step, "step"))
    )
    if not all(math.isfinite(v) for v in (lo, hi, st)):
        raise ValueError(f"grid bounds and step must be finite (got {lower!r}, {upper!r}, {step!r})")
    if hi <= lo or st <= 0:
        raise ValueError(f"need lower < upper and step > 0 (got {lower!r}, {upper!r}, {step!r})")
    count = (hi - lo) / st
    n = round(count)
    if abs(count - n) > 1e-9 * max(1.0, count):
        raise ValueError(f"the range {lo}..{hi} is not a whole number of steps of {st}")
    decimals = max(0, -math.floor(math.log10(st)) + 2)
    return np.round(lo + st * np.arange(n + 1), decimals)


def grid_index(grid: object, value: object, *, tolerance: float = 1e-9) -> int:
    """Index of the grid position equal to ``value`` (within a relative ``tolerance``).

    Raises
    ------
    ValueError
        If ``value`` is not a finite number on the grid.

    Examples
    --------
    >>> grid_index([0.0, 0.5, 1.0], 0.5)
    1
    """
    g = np.asarray(grid, dtype=float)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"value must be a number (got {value!r})") from None
    if not math.isfinite(v):
        raise ValueError(f"value must be finite (got {value!r})")
    i = int(np.argmin(np.abs(g - v)))
    if abs(g[i] - v) > tolerance * max(abs(v), abs(g[i])):  # relative: grids may span 1e-50 to 1
        raise ValueError(
            f"{v!r} is not one of the control's positions ({g.size} from {g[0]:g} to {g[-1]:g}, "
            f"the nearest is {g[i]:g})"
        )
    return i


def binary_sweep(
    y: int, grid: object, base: float = math.e, *, y_top: float | None = None, half_width: float = 0.12
) -> dict[str, np.ndarray]:
    """Binary cross-entropy, its slopes, MSE, MAE and the tangent at every prediction of ``grid``.

    Returns arrays over the grid: ``loss``, ``slope`` (d loss / dx, unit of ``base`` per unit of
    probability), ``logit_gradient`` (x - y divided by ln b), ``squared`` and ``absolute`` (no
    unit), and the tangent's end points ``tangent_x0, tangent_y0, tangent_x1, tangent_y1``: the
    line ``loss + slope (t - x)`` for ``t`` within ``half_width`` of ``x`` and inside ``[0, 1]``,
    cut where it leaves ``[0, y_top]``. The tangent is NaN where the loss is infinite or above
    ``y_top`` (no tangent can be drawn there).

    Examples
    --------
    >>> s = binary_sweep(1, [0.5], base=2)
    >>> float(s["loss"][0]), float(s["slope"][0]), float(s["logit_gradient"][0])
    (1.0, -2.8853900817779268, -0.7213475204444817)
    """
    if y not in (0, 1):
        raise ValueError(f"y must be 0 or 1 (got {y!r})")
    x = np.atleast_1d(check_probabilities(grid, "grid")).astype(float)
    if x.ndim != 1:
        raise ValueError(f"grid must be one-dimensional (got shape {x.shape})")
    ln_b = log_base(base)
    curves = binary_loss_curves(y, x, base)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.asarray(binary_cross_entropy_gradient(np.full_like(x, float(y)), x), dtype=float) / ln_b
    loss = curves["cross_entropy"]
    top = math.inf if y_top is None else float(y_top)
    ok = np.isfinite(loss) & np.isfinite(slope) & (loss <= top)
    left = np.maximum(x - half_width, 0.0)
    right = np.minimum(x + half_width, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Where the line meets y = 0 and y = top (slope 0: never, so the ends stay).
        a = np.where(slope != 0, x + (0.0 - loss) / slope, -np.inf)
        b = np.where(slope != 0, x + (top - loss) / slope, np.inf)
    lo_cut, hi_cut = np.minimum(a, b), np.maximum(a, b)
    left, right = np.maximum(left, lo_cut), np.minimum(right, hi_cut)
    nan = np.full_like(x, np.nan)
    with np.errstate(invalid="ignore"):
        y0 = loss + slope * (left - x)
        y1 = loss + slope * (right - x)
    return {
        "x": x,
        "loss": loss,
        "slope": slope,
        "logit_gradient": (x - float(y)) / ln_b,
        "squared": curves["squared"],
        "absolute": curves["absolute"],
        "tangent_x0": np.where(ok, left, nan),
        "tangent_y0": np.where(ok, y0, nan),
        "tangent_x1": np.where(ok, right, nan),
        "tangent_y1": np.where(ok, y1, nan),
    }


def surprisal_sweep(grid: object, base: float = math.e) -> dict[str, np.ndarray]:
    """Surprisal ``-log_b p`` and the "one in N" odds ``1/p`` at every probability of ``grid``.

    Examples
    --------
    >>> s = surprisal_sweep([0.25, 1.0], base=2)
    >>> s["surprisal"].tolist(), s["one_in"].tolist()
    ([2.0, 0.0], [4.0, 1.0])
    """
    p = np.atleast_1d(check_probabilities(grid, "grid")).astype(float)
    with np.errstate(divide="ignore"):
        one_in = np.where(p > 0, 1.0 / np.where(p > 0, p, 1.0), np.inf)
    return {"p": p, "surprisal": np.asarray(surprisal(p, base=base), dtype=float), "one_in": one_in}


def bag_sweep(counts: object, base: float = math.e) -> dict[str, np.ndarray]:
    """Draws from a bag, one bag per row of ``counts`` (balls of each kind, whole, not all zero).

    Row by row as :func:`ce_core.events.bag_surprisal`: ``probabilities`` and ``surprisals``
    (``inf`` for an absent kind) of shape (rows, kinds), and the ``entropy`` of a draw per row.

    Examples
    --------
    >>> s = bag_sweep([[1, 1], [1, 3]], base=2)
    >>> s["surprisals"][:, 0].tolist(), s["entropy"].round(4).tolist()
    ([1.0, 2.0], [1.0, 0.8113])
    """
    c = np.asarray(as_float_array(counts, "counts"), dtype=float)
    if c.ndim != 2 or c.size == 0:
        raise ValueError(f"counts must be a table, one bag per row (got shape {c.shape})")
    if (c < 0).any() or not np.isfinite(c).all() or (c != np.round(c)).any():
        raise ValueError("counts must be whole, non-negative numbers")
    totals = c.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise ValueError("a bag must not be empty (a row of counts is all zero)")
    p = c / totals
    h = np.asarray(surprisal(p, base=base), dtype=float)
    with np.errstate(invalid="ignore"):
        terms = np.where(p > 0, p * np.where(p > 0, h, 0.0), 0.0)
    return {"probabilities": p, "surprisals": h, "entropy": terms.sum(axis=1)}


def rare_event_sweep(every: object, base: float = math.e) -> dict[str, np.ndarray]:
    """:func:`ce_core.events.rare_event` for every ``n`` of ``every`` (whole numbers >= 2).

    Returns ``p_routine, p_rare, h_routine, h_rare`` and ``routine_days_per_rare``.

    Examples
    --------
    >>> s = rare_event_sweep([2, 4], base=2)
    >>> s["h_rare"].tolist(), s["routine_days_per_rare"].round(4).tolist()
    ([1.0, 2.0], [1.0, 4.8188])
    """
    n = np.atleast_1d(np.asarray(as_float_array(every, "every"), dtype=float))
    if n.ndim != 1 or (n < 2).any() or (n != np.round(n)).any() or not np.isfinite(n).all():
        raise ValueError("every must hold whole numbers of at least 2")
    p_rare = 1.0 / n
    routine_nats = -np.log1p(-p_rare)  # as rare_event: log1p keeps the digits for large n
    return {
        "every": n,
        "p_routine": 1.0 - p_rare,
        "p_rare": p_rare,
        "h_routine": routine_nats / log_base(base),
        "h_rare": np.asarray(surprisal(p_rare, base=base), dtype=float),
        "routine_days_per_rare": np.log(n) / routine_nats,
    }


def focal_sweep(
    p_true: float,
    alpha: float | None,
    gammas: object,
    base: float = math.e,
    grid: object = None,
    marks: object = (0.1, 0.9),
    factor_grid: object = None,
) -> dict[str, np.ndarray]:
    """Focal loss of one example and its curve over p_t, for every gamma of ``gammas``.

    From :func:`ce_core.variants.focal_frames` (one row per gamma): ``curves`` (gammas x grid),
    ``cross_entropy`` over ``grid`` (gamma 0, no alpha), ``loss`` of the example at each gamma,
    and ``factor`` = (1 - p_t)^gamma at each gamma (:func:`ce_core.focal_modulation`); the factor
    as a curve at each gamma: ``factor_curves`` (gammas x ``factor_grid``, default ``grid``; returned as
    ``factor_grid``), and at the
    probabilities ``marks`` (a hard and an easy example): ``factor_marks`` (gammas x marks).

    Examples
    --------
    >>> s = focal_sweep(0.5, None, [0.0, 1.0], base=2)
    >>> s["loss"].tolist(), s["factor"].tolist()
    ([1.0, 0.5], [1.0, 0.5])
    """
    from ce_core.losses import focal_modulation
    from ce_core.variants import focal_frames

    frames = focal_frames(p_true, alpha, base=base, gammas=gammas, grid=grid)
    factor = np.array([focal_modulation(p_true, float(g)) for g in frames.gammas], dtype=float)
    fx = (
        frames.grid
        if factor_grid is None
        else np.atleast_1d(check_probabilities(factor_grid, "factor_grid")).astype(float)
    )
    factor_curves = np.array(
        [np.asarray(focal_modulation(fx, float(g)), dtype=float).reshape(-1) for g in frames.gammas]
    )
    marked = np.atleast_1d(check_probabilities(marks, "marks")).astype(float)
    factor_marks = np.array(
        [np.asarray(focal_modulation(marked, float(g)), dtype=float).reshape(-1) for g in frames.gammas]
    )
    return {
        "gamma": frames.gammas,
        "grid": frames.grid,
        "curves": frames.losses,
        "cross_entropy": frames.cross_entropy,
        "loss": frames.point_losses,
        "factor": factor,
        "factor_grid": fx,
        "factor_curves": factor_curves,
        "marks": marked,
        "factor_marks": factor_marks,
    }


def smoothing_sweep(
    q: object, true_class: int, epsilons: object, base: float = math.e, grid: object = None
) -> dict[str, np.ndarray]:
    """Label smoothing at every epsilon of ``epsilons``: the curves over q(true) and one model ``q``.

    From :func:`ce_core.variants.smoothing_frames` (one row per epsilon): ``curves`` (the loss
    against q(true) with the rest spread evenly), ``floors`` H(t') and ``best_x`` (where each
    curve touches its floor); for the model ``q`` itself: ``loss``
    (:func:`ce_core.variants.smoothed_loss`) and ``kl`` = KL(t' || q) above the floor; and the
    smoothed targets themselves, ``targets`` (epsilons x classes, :func:`ce_core.smooth_targets`).

    Examples
    --------
    >>> s = smoothing_sweep([0.5, 0.25, 0.25], 0, [0.0, 1.0], base=2)
    >>> s["loss"].round(4).tolist(), s["floors"].round(4).tolist()
    ([1.0, 1.6667], [0.0, 1.585])
    """
    from ce_core.information import kl_divergence
    from ce_core.losses import smooth_targets
    from ce_core.variants import smoothed_loss, smoothing_frames

    qa = np.asarray(as_float_array(q, "q"), dtype=float)
    frames = smoothing_frames(qa.size, base=base, epsilons=epsilons, grid=grid)
    loss = np.array([smoothed_loss(qa, true_class, float(e), base=base) for e in frames.epsilons])
    targets = np.array([smooth_targets(true_class, qa.size, float(e)) for e in frames.epsilons], dtype=float)
    kl = np.array([kl_divergence(t, qa, base=base) for t in targets])
    return {
        "epsilon": frames.epsilons,
        "grid": frames.grid,
        "curves": frames.losses,
        "floors": frames.floors,
        "best_x": frames.best_x,
        "loss": loss,
        "kl": kl,
        "targets": targets,
    }


def message_sweep(p: object, q: object, lengths: object, seed: int) -> dict[str, np.ndarray]:
    """Bits per symbol of a random message from ``p`` sent with q's codes, at every length of ``lengths``.

    One message of the longest length is drawn (:func:`ce_core.coding.sample_message` with
    ``seed``); a shorter message with the same random seed is its beginning (inverse-CDF
    sampling draws one uniform number per symbol, in order), so ``rate_ideal[i]`` is the
    running bits per symbol (:func:`ce_core.coding.running_bits_per_symbol`) after
    ``lengths[i]`` symbols under the ideal code ``-log2 q`` and ``rate_whole[i]`` under the
    whole-bit code; ``inf`` once a symbol with q = 0 has been drawn.

    Examples
    --------
    >>> s = message_sweep([0.5, 0.5], [0.5, 0.5], [1, 4], seed=0)
    >>> s["rate_ideal"].tolist(), s["rate_whole"].tolist()
    ([1.0, 1.0], [1.0, 1.0])
    """
    from ce_core.coding import code_lengths, running_bits_per_symbol, sample_message

    n = np.atleast_1d(np.asarray(as_float_array(lengths, "lengths"), dtype=float))
    if n.ndim != 1 or (n < 1).any() or (n != np.round(n)).any() or not np.isfinite(n).all():
        raise ValueError("lengths must be whole numbers of at least 1")
    n = n.astype(int)
    message = sample_message(p, int(n.max()), seed=seed)
    ideal = running_bits_per_symbol(message, code_lengths(q))
    whole = running_bits_per_symbol(message, code_lengths(q, whole_bits=True))
    return {
        "lengths": n,
        "message": message,
        "running_ideal": ideal,
        "running_whole": whole,
        "rate_ideal": ideal[n - 1],
        "rate_whole": whole[n - 1],
    }


def clipping_sweep(policies, q: object, base: float = math.e, grid: object = None) -> dict[str, np.ndarray]:
    """What each clipping policy reports at every probability of ``q`` (and along ``grid``).

    ``policies`` are :class:`ce_core.variants.ClipPolicy` (see :func:`ce_core.variants.clip_policies`).
    Returns ``loss`` and ``gradient`` of shape (policies, len(q)), in the unit of ``base``,
    and ``curves`` and ``gradient_curves`` (policies, len(grid)) of the loss and its gradient
    d loss / dq along ``grid`` (default :data:`ce_core.variants.CLIP_GRID`); the size of the gradient,
    ``gradient_size`` and ``gradient_size_curves``, is ``|d loss / dq|`` (0 where a clip silences it).

    Examples
    --------
    >>> from ce_core.variants import clip_policies
    >>> s = clipping_sweep(clip_policies(1e-7), [0.0, 1.0], base=2)
    >>> s["loss"][0].tolist()
    [inf, 0.0]
    """
    from ce_core.variants import CLIP_GRID

    qa = np.atleast_1d(check_probabilities(q, "q")).astype(float)
    xs = np.asarray(CLIP_GRID if grid is None else grid, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = np.array([np.asarray(pol.loss(qa, base), dtype=float) for pol in policies])
        gradient = np.array([np.asarray(pol.gradient(qa, base), dtype=float) for pol in policies])
        curves = np.array([np.asarray(pol.loss(xs, base), dtype=float) for pol in policies])
        gradient_curves = np.array([np.asarray(pol.gradient(xs, base), dtype=float) for pol in policies])
    return {
        "q": qa,
        "grid": xs,
        "loss": loss,
        "gradient": gradient,
        "curves": curves,
        "gradient_curves": gradient_curves,
        "gradient_size": np.abs(gradient),
        "gradient_size_curves": np.abs(gradient_curves),
    }


#: Probabilities of the positive class on the binary focal chart: symmetric about 1/2 (a negative at
#: q mirrors a positive at 1 - q) and short of 0 and 1, where one of the two losses is infinite.
FOCAL_BINARY_GRID = np.round(np.linspace(0.01, 0.99, 99), 2)


def _weighted(weight: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """``weight * loss`` with a weight of 0 giving 0 also where the loss is infinite (as focal_loss)."""
    with np.errstate(invalid="ignore"):
        return np.where(weight == 0, 0.0, weight * loss)


def focal_alpha_sweep(
    q_true: float, gamma: float, alphas: object, base: float = math.e, grid: object = None
) -> dict[str, np.ndarray]:
    """Binary focal loss (``torchvision.ops.sigmoid_focal_loss``) at one gamma, for every alpha of ``alphas``.

    Along ``grid`` (q, the model's probability of the positive class; default
    :data:`FOCAL_BINARY_GRID`) a positive example (y = 1) costs ``alpha (1 - q)^gamma (-log q)`` and a
    negative one (y = 0) ``(1 - alpha) q^gamma (-log(1 - q))``: :func:`ce_core.variants.focal_loss`
    at ``q_t = q`` with ``alpha_t = alpha`` and at ``q_t = 1 - q`` with ``alpha_t = 1 - alpha``.

    Returns over the alphas: ``alpha``, ``alpha_positive`` (= alpha) and ``alpha_negative``
    (= 1 - alpha), the weights alpha_t; ``positive`` and ``negative`` (alphas x grid); ``loss``,
    the focal loss of one positive example whose true class has probability ``q_true``; and,
    unweighted (alpha_t = 1): ``positive_unweighted`` and ``negative_unweighted`` over the grid and
    ``loss_unweighted`` of the example. In the unit of ``base``.

    Raises
    ------
    ValueError
        If an alpha is outside [0, 1], gamma is negative, or a probability is outside [0, 1].

    Examples
    --------
    >>> s = focal_alpha_sweep(0.5, 1.0, [0.25, 1.0], base=2, grid=[0.5])
    >>> s["loss"].tolist(), s["negative"][:, 0].tolist()
    ([0.125, 0.5], [0.375, 0.0])
    """
    from ce_core.variants import focal_loss

    a = np.atleast_1d(as_float_array(alphas, "alphas")).astype(float)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"alphas must be a non-empty list of numbers (got shape {a.shape})")
    if ((a < 0) | (a > 1)).any():
        raise ValueError(f"alphas must lie in [0, 1] (got {float(a[(a < 0) | (a > 1)][0])!r})")
    q = np.atleast_1d(check_probabilities(FOCAL_BINARY_GRID if grid is None else grid, "grid")).astype(float)
    if q.ndim != 1:
        raise ValueError(f"grid must be one-dimensional (got shape {q.shape})")
    positive = np.asarray(focal_loss(q, gamma, None, base=base), dtype=float)
    negative = np.asarray(focal_loss(1.0 - q, gamma, None, base=base), dtype=float)
    example = float(focal_loss(q_true, gamma, None, base=base))
    col = a[:, None]
    return {
        "alpha": a,
        "alpha_positive": a,
        "alpha_negative": 1.0 - a,
        "grid": q,
        "positive": _weighted(col, positive[None, :]),
        "negative": _weighted(1.0 - col, negative[None, :]),
        "positive_unweighted": positive,
        "negative_unweighted": negative,
        "loss": _weighted(a, np.full_like(a, example)),
        "loss_unweighted": np.float64(example),
    }


def clip_epsilon_sweep(
    log10_epsilons: object, q: float, base: float = math.e, grid: object = None
) -> dict[str, np.ndarray]:
    """The clip ``-log(clip(q, eps, 1 - eps))`` at every ``eps = 10^x`` of ``log10_epsilons``.

    As :func:`ce_core.losses.clipped_log_loss` with ``policy="epsilon"``, in the unit of ``base``.
    Returns over the epsilons: ``epsilon``; ``cap`` = -log eps, the largest value the clip can
    report; ``loss`` and ``gradient`` (d loss / dq, as
    :func:`ce_core.losses.clipped_log_loss_gradient`: -1/q inside [eps, 1 - eps], 0 outside) at
    the one probability ``q``; and along ``grid`` (default :data:`ce_core.variants.CLIP_GRID`),
    with every eps and 1 - eps added so each curve's corners lie on it, returned as ``grid``:
    ``curves`` (epsilons x grid) and ``exact``, the unclipped -log q. On a log axis -log q is a
    straight line, so for a chart with a log q axis a grid of whole powers of ten draws it exactly.

    Raises
    ------
    ValueError
        If a log10 epsilon is not finite or gives an epsilon that is 0 in float64 or not below 0.5.

    Examples
    --------
    >>> s = clip_epsilon_sweep([-3.0, -1.0], 0.05)  # q = 0.05 is inside the first clip, below the second
    >>> s["loss"].round(4).tolist(), s["gradient"].tolist(), s["cap"].round(4).tolist()
    ([2.9957, 2.3026], [-20.0, 0.0], [6.9078, 2.3026])
    """
    from ce_core.variants import CLIP_GRID

    x = np.atleast_1d(as_float_array(log10_epsilons, "log10_epsilons")).astype(float)
    if x.ndim != 1 or x.size == 0 or not np.isfinite(x).all():
        raise ValueError("log10_epsilons must be a non-empty list of finite numbers")
    # C's pow, as Python's 10.0 ** x: NumPy's vectorised power may be an ulp off (1e-30 -> 9.999999999999999e-31)
    eps = np.array([math.pow(10.0, min(v, 0.0)) for v in x])  # (above 0 the check below fails anyway)
    eps = np.where(x > 0, 1.0, eps)
    if (eps <= 0).any() or (eps >= 0.5).any():
        bad = float(x[(eps <= 0) | (eps >= 0.5)][0])
        raise ValueError(f"epsilon = 10^{bad:g} must be positive in float64 and below 0.5")
    qa = float(check_probabilities(q, "q"))
    base_grid = np.atleast_1d(check_probabilities(CLIP_GRID if grid is None else grid, "grid")).astype(float)
    if base_grid.ndim != 1:
        raise ValueError(f"grid must be one-dimensional (got shape {base_grid.shape})")
    xs = np.unique(np.concatenate([base_grid, eps, 1.0 - eps]))
    ln_b = log_base(base)
    lo, hi = eps[:, None], 1.0 - eps[:, None]
    inside = (qa > eps) & (qa < 1.0 - eps)
    with np.errstate(divide="ignore"):
        exact = -np.log(xs) / ln_b + 0.0
    return {
        "log10_epsilon": x,
        "epsilon": eps,
        "grid": xs,
        "exact": exact,
        "curves": -np.log(np.clip(xs[None, :], lo, hi)) / ln_b + 0.0,
        "cap": -np.log(eps) / ln_b + 0.0,
        "loss": -np.log(np.clip(qa, eps, 1.0 - eps)) / ln_b + 0.0,
        "gradient": np.where(inside, -1.0 / (qa if qa > 0 else 1.0), 0.0) / ln_b + 0.0,
    }
