"""The numbers behind the loss-variant lessons: label smoothing, focal loss,
class weights and clipping.

Everything is computed by the loss functions of :mod:`ce_core.losses` (natural
log, PyTorch semantics) and converted to the requested unit once, at the end
(``value / ln(base)``). This module only arranges their inputs the way the
lessons need: probabilities turned into logits, curves over a grid, a small
imbalanced batch, the clipping policies side by side.

A model's probabilities ``q`` are valid logits once logged, because
``softmax(log q) = q / sum(q) = q``. A class with ``q = 0`` would need the
logit ``-inf``, which :func:`ce_core.softmax_cross_entropy` rejects; the
functions here treat that case explicitly instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ce_core._validation import (
    _describe,
    as_float_array,
    check_distribution,
    check_num_classes,
    check_positive,
    check_probabilities,
    check_unit_interval,
    log_base,
)
from ce_core.losses import (
    clipped_log_loss,
    clipped_log_loss_gradient,
    sklearn_epsilon,
    smooth_targets,
    smoothed_loss_floor,
    softmax,
    softmax_cross_entropy,
)

# --------------------------------------------------------------------------- shared


def _in_unit(value: np.ndarray | float, base: float) -> np.ndarray | float:
    out = np.asarray(value, dtype=float) / log_base(base)
    return float(out) if out.ndim == 0 else out


def _check_class(index: object, num_classes: int, name: str = "true_class") -> int:
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise ValueError(f"{name} must be an integer class index (got {index!r})")
    if not 0 <= int(index) < num_classes:
        raise ValueError(f"{name} must be between 0 and {num_classes - 1} (got {index!r})")
    return int(index)


def logits_from_probabilities(q: object) -> np.ndarray:
    """Logits whose softmax is ``q``: simply ``log q``.

    .. math:: \\operatorname{softmax}(\\log q)_i = \\frac{q_i}{\\sum_j q_j} = q_i

    Parameters
    ----------
    q : array_like
        A distribution with every entry positive (classes on the last axis).

    Raises
    ------
    ValueError
        If some ``q_i = 0``: its logit would be ``-inf``, which is not a valid logit.

    Examples
    --------
    >>> logits_from_probabilities([0.5, 0.5]).round(4).tolist()
    [-0.6931, -0.6931]
    """
    qa = check_distribution(q, "q")
    if (qa == 0).any():
        raise ValueError(f"q must be positive to have finite logits (got {qa[qa == 0][0]!r})")
    return np.log(qa)


# --------------------------------------------------------------------------- label smoothing

#: Values of epsilon drawn side by side on the loss-versus-q(true) chart.
SMOOTHING_SHOWCASE = (0.0, 0.1, 0.2, 0.4)
#: Default positions of the smoothing sweep: epsilon = 0.00, 0.02, ..., 1.00.
SMOOTHING_FRAMES = np.round(np.linspace(0.0, 1.0, 51), 2)
#: Probabilities of the true class on the loss curves (open interval: the curves diverge at 0 and, smoothed, at 1).
CURVE_GRID = np.linspace(0.002, 0.998, 250)


def smoothed_loss(q: object, true_class: int, label_smoothing: float, base: float = math.e) -> float:
    """Cross-entropy loss with label smoothing of a model that predicts ``q``.

    .. math:: \\ell = -\\sum_c t'_c \\log q_c,\\quad t' = (1-\\varepsilon)\\,\\mathrm{onehot}(y) + \\varepsilon / C

    Computed as ``softmax_cross_entropy(log q, y, label_smoothing=e)``, which is
    exactly this sum, since ``log_softmax(log q) = log q``.

    Classes with ``q_c = 0`` have no finite logit. Their cost is what the formula
    says: ``inf`` when the target gives them weight (the true class, or any
    class once ``e > 0``, since smoothing puts ``e / C`` on every class);
    otherwise they are left out, which does not change the softmax of the others.

    Parameters
    ----------
    q : array_like, shape (C,)
        The model's distribution.
    true_class : int
    label_smoothing : float in [0, 1]
    base : float, default e

    Examples
    --------
    >>> round(smoothed_loss([0.8, 0.1, 0.1], 0, 0.0), 6)  # -ln 0.8
    0.223144
    >>> smoothed_loss([0.9, 0.1, 0.0], 0, 0.1)
    inf
    >>> round(smoothed_loss([0.9, 0.1, 0.0], 0, 0.0), 6)  # -ln 0.9
    0.105361
    """
    qa = check_distribution(q, "q")
    if qa.ndim != 1:
        raise ValueError(f"q must be one distribution, shape (C,) (got shape {qa.shape})")
    y = _check_class(true_class, qa.size)
    e = check_unit_interval(label_smoothing, "label_smoothing")
    zero = qa == 0
    if zero[y] or (e > 0 and zero.any()):
        return math.inf
    kept = ~zero
    y_kept = int(np.count_nonzero(kept[:y]))
    logits = np.log(qa[kept])
    if e > 0:  # every class kept: the smoothing term sums over all C classes
        return _in_unit(softmax_cross_entropy(logits, np.array(y_kept), label_smoothing=e), base)
    return _in_unit(softmax_cross_entropy(logits, np.array(y_kept)), base)


def spread_evenly(prob_true: object, num_classes: int) -> np.ndarray:
    """Distributions giving ``prob_true`` to class 0 and the rest evenly to the others.

    Examples
    --------
    >>> spread_evenly(0.6, 3).round(2).tolist()
    [0.6, 0.2, 0.2]
    """
    p = check_probabilities(prob_true, "prob_true")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer of at least 2 (got {num_classes!r})")
    rest = (1.0 - p) / (num_classes - 1)
    out = np.repeat(rest[..., None], num_classes, axis=-1)
    out[..., 0] = p
    return out


def smoothed_loss_curve(
    prob_true: object, num_classes: int, label_smoothing: float, base: float = math.e
) -> np.ndarray:
    """The smoothed loss when the true class gets ``prob_true`` and the rest is spread evenly.

    .. math:: \\ell(x) = -t'_y \\log x - (1 - t'_y) \\log \\frac{1 - x}{C - 1}

    With the mass spread evenly the curve touches its floor ``H(t')`` at
    ``x = t'_y = 1 - e + e / C``, where ``q`` equals the smoothed target.
    Computed by :func:`ce_core.softmax_cross_entropy` on the logits ``log q``, so
    ``prob_true`` must lie strictly between 0 and 1.

    Examples
    --------
    >>> round(float(smoothed_loss_curve([0.5], 2, 0.0)[0]), 6)
    0.693147
    """
    x = check_probabilities(prob_true, "prob_true")
    if ((x <= 0) | (x >= 1)).any():
        raise ValueError(f"prob_true must lie strictly between 0 and 1 (got {x[(x <= 0) | (x >= 1)][0]!r})")
    q = spread_evenly(np.atleast_1d(x), num_classes)
    target = np.zeros(q.shape[0], dtype=np.intp)
    nats = softmax_cross_entropy(np.log(q), target, label_smoothing=label_smoothing, reduction="none")
    return _in_unit(np.asarray(nats).reshape(np.shape(x)), base)


def best_prob_true(num_classes: int, label_smoothing: float) -> float:
    """Where the smoothed loss is smallest: the smoothed target's weight on the true class.

    Examples
    --------
    >>> round(best_prob_true(3, 0.3), 6)
    0.8
    """
    return float(smooth_targets(0, num_classes, label_smoothing)[0])


@dataclass(frozen=True)
class SmoothingFrames:
    """Precomputed label-smoothing curves, one row per epsilon (the live ε control's rows)."""

    epsilons: np.ndarray  # (F,)
    grid: np.ndarray  # (X,) probability of the true class
    losses: np.ndarray  # (F, X) loss curve per epsilon, in the unit of ``base``
    floors: np.ndarray  # (F,) H(smoothed target)
    best_x: np.ndarray  # (F,) where each curve touches its floor


def smoothing_frames(
    num_classes: int, base: float = math.e, epsilons: object = None, grid: object = None
) -> SmoothingFrames:
    """Loss curves and floors for every epsilon, in one batched computation.

    Examples
    --------
    >>> f = smoothing_frames(3)
    >>> f.losses.shape, float(f.floors[0])
    ((51, 250), 0.0)
    """
    eps = as_float_array(SMOOTHING_FRAMES if epsilons is None else epsilons, "epsilons")
    x = as_float_array(CURVE_GRID if grid is None else grid, "grid")
    # The smoothed loss is affine in epsilon: (1 - e) * NLL + e * (mean over classes of -log q).
    # Two calls give every frame, with the same operations softmax_cross_entropy uses.
    nll = smoothed_loss_curve(x, num_classes, 0.0, base=base)
    uniform = smoothed_loss_curve(x, num_classes, 1.0, base=base)
    losses = (1.0 - eps)[:, None] * nll[None, :] + eps[:, None] * uniform[None, :]
    floors = np.array([smoothed_loss_floor(0, num_classes, float(e), base=base) for e in eps])
    best = np.array([best_prob_true(num_classes, float(e)) for e in eps])
    return SmoothingFrames(eps, x, losses, floors, best)


# --------------------------------------------------------------------------- focal loss

#: Values of gamma drawn side by side on the focal charts.
FOCAL_SHOWCASE = (0.0, 0.5, 1.0, 2.0, 5.0)
#: Default positions of the focal sweep: gamma = 0.0, 0.1, ..., 5.0.
FOCAL_FRAMES = np.round(np.linspace(0.0, 5.0, 51), 1)
#: Probabilities of the true class on the focal charts.
FOCAL_GRID = np.linspace(0.002, 1.0, 250)


def focal_loss(p_true: object, gamma: float, alpha: float | None = None, base: float = math.e):
    """Focal loss of an example whose true class has probability ``p_true``.

    .. math:: \\mathrm{FL}(p_t) = -\\alpha_t\\,(1 - p_t)^{\\gamma} \\log p_t

    This is the multi-class form of the focal-loss paper and, for a positive
    label, torchvision's ``sigmoid_focal_loss`` (where ``alpha_t = alpha`` for
    ``t = 1`` and ``1 - alpha`` for ``t = 0``). ``gamma = 0`` and no alpha give
    back cross-entropy, ``-log p_t``.

    Parameters
    ----------
    p_true : array_like
        Probabilities of the true class, in [0, 1]; 0 costs ``inf`` (unless alpha is 0).
    gamma : float >= 0
    alpha : float in [0, 1], optional
        The class-balancing weight ``alpha_t``; ``None`` means no weighting (1).
    base : float, default e

    Examples
    --------
    >>> round(focal_loss(0.9, 2.0), 8)  # (0.1)^2 * -ln 0.9
    0.00105361
    >>> focal_loss(0.5, 0.0) == math.log(2)
    True
    """
    p = check_probabilities(p_true, "p_true")
    g = check_positive(gamma, "gamma", allow_zero=True)
    a = 1.0 if alpha is None else check_unit_interval(alpha, "alpha")
    with np.errstate(divide="ignore"):
        nll = -np.log(p)
    factor = (1.0 - p) ** g
    loss = np.where(nll == 0, 0.0, a * factor * np.where(np.isinf(nll) & (a == 0), 0.0, nll))
    return _in_unit(loss + 0.0, base)


@dataclass(frozen=True)
class FocalFrames:
    """Precomputed focal-loss curves, one row per gamma (the live γ control's rows)."""

    gammas: np.ndarray  # (F,)
    grid: np.ndarray  # (X,) probability of the true class
    losses: np.ndarray  # (F, X)
    cross_entropy: np.ndarray  # (X,) gamma = 0, no alpha
    point_x: float
    point_losses: np.ndarray  # (F,) the loss at point_x for each gamma


def focal_frames(
    point_x: float,
    alpha: float | None = None,
    base: float = math.e,
    gammas: object = None,
    grid: object = None,
) -> FocalFrames:
    """Focal-loss curves for every gamma, and the point ``point_x``, in one batched computation.

    Examples
    --------
    >>> f = focal_frames(0.5)
    >>> f.losses.shape, bool(np.allclose(f.losses[0], f.cross_entropy))
    ((51, 250), True)
    """
    gs = as_float_array(FOCAL_FRAMES if gammas is None else gammas, "gammas")
    x = as_float_array(FOCAL_GRID if grid is None else grid, "grid")
    losses = np.array([focal_loss(x, float(g), alpha, base=base) for g in gs])
    ce = np.asarray(focal_loss(x, 0.0, None, base=base))
    points = np.array([focal_loss(point_x, float(g), alpha, base=base) for g in gs])
    return FocalFrames(gs, x, losses, ce, float(point_x), points)


# --------------------------------------------------------------------------- class weights

#: A small imbalanced batch: 8 samples, 3 classes, 6 of them class 0.
BATCH_TARGETS = np.array([0, 0, 0, 0, 0, 0, 1, 2])
#: Fixed logits per sample: the majority class is mostly easy, the two rare samples are hard.
BATCH_LOGITS = np.array(
    [
        [2.0, 0.5, -1.0],
        [1.5, 1.0, -0.5],
        [2.5, 0.0, 0.0],
        [1.0, 0.8, 0.2],
        [3.0, -0.5, 0.5],
        [0.2, 1.2, -0.3],
        [1.2, 0.6, -0.2],
        [0.8, 0.3, 0.1],
    ]
)
BATCH_CLASSES = 3

#: REFERENCE.md's worked example for PyTorch's weighted mean.
REFERENCE_LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
REFERENCE_TARGETS = np.array([0, 2])
REFERENCE_WEIGHT = np.array([1.0, 2.0, 3.0])


@dataclass(frozen=True)
class WeightedBatch:
    """Per-sample and averaged weighted losses, in the unit of ``base``.

    ``index_mean`` is PyTorch's "mean" for class-index targets (divided by the
    sum of the target classes' weights), ``probability_mean`` its "mean" for
    (one-hot) probability targets (divided by N), ``sklearn_mean`` scikit-learn's
    ``log_loss`` with ``sample_weight = w[y]`` (sum w l / sum w, after its clip).
    ``index_mean`` is ``nan`` when the target classes' weights sum to 0.
    """

    targets: np.ndarray
    probabilities: np.ndarray  # softmax of the logits, (N, C)
    per_sample: np.ndarray  # -log p[y], unweighted
    target_weight: np.ndarray  # w[y]
    weighted: np.ndarray  # w[y] * -log p[y]
    weighted_sum: float
    index_denominator: float  # sum of w[y]
    index_mean: float
    probability_denominator: int  # N
    probability_mean: float
    sklearn_mean: float


def weighted_batch(logits: object, targets: object, weight: object, base: float = math.e) -> WeightedBatch:
    """The averages PyTorch and scikit-learn compute for a batch with class weights.

    .. math:: \\text{index targets: } \\frac{\\sum_n w_{y_n} \\ell_n}{\\sum_n w_{y_n}}, \\qquad
              \\text{probability targets: } \\frac{\\sum_n w_{y_n} \\ell_n}{N}

    Every number comes from :func:`ce_core.softmax_cross_entropy` (per-sample,
    the weighted mean for index targets, the mean for one-hot probability
    targets) or :func:`ce_core.clipped_log_loss` (scikit-learn's clip).

    Examples
    --------
    >>> b = weighted_batch(REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT)
    >>> round(b.index_mean, 10), round(b.probability_mean, 10)
    (1.9192946463, 3.8385892927)
    """
    z = as_float_array(logits, "logits")
    y = np.asarray(targets)
    w = as_float_array(weight, "weight")
    per_sample = np.asarray(softmax_cross_entropy(z, y, reduction="none"))
    weighted = np.asarray(softmax_cross_entropy(z, y, weight=w, reduction="none"))
    w_y = w[y]
    try:
        index_mean = softmax_cross_entropy(z, y, weight=w)
    except ValueError:
        if w_y.sum() != 0:
            raise
        index_mean = math.nan  # PyTorch returns nan: 0 / 0
    one_hot = np.eye(z.shape[-1])[y]
    probability_mean = softmax_cross_entropy(z, one_hot, weight=w)
    proba = softmax(z)
    clipped = np.asarray(clipped_log_loss(proba[np.arange(y.size), y], "sklearn"))
    total = float(w_y.sum())
    sklearn_mean = float((w_y * clipped).sum() / total) if total > 0 else math.nan
    return WeightedBatch(
        targets=y,
        probabilities=proba,
        per_sample=_in_unit(per_sample, base),
        target_weight=w_y,
        weighted=_in_unit(weighted, base),
        weighted_sum=_in_unit(float(weighted.sum()), base),
        index_denominator=total,
        index_mean=_in_unit(index_mean, base),
        probability_denominator=int(y.size),
        probability_mean=_in_unit(probability_mean, base),
        sklearn_mean=_in_unit(sklearn_mean, base),
    )


def balanced_weights(targets: object, num_classes: int) -> np.ndarray:
    """scikit-learn's ``class_weight="balanced"``: ``N / (C * count_c)``.

    Examples
    --------
    >>> balanced_weights([0, 0, 0, 1], 2).tolist()
    [0.6666666666666666, 2.0]
    """
    num_classes = check_num_classes(num_classes)
    y = np.asarray(targets)
    if y.dtype.kind not in "iu" or y.ndim != 1 or y.size == 0 or y.min() < 0 or y.max() >= num_classes:
        raise ValueError(
            f"targets must be a non-empty 1-D array of class indices 0..{num_classes - 1} "
            f"(got {_describe(y)})"
        )
    counts = np.bincount(y, minlength=num_classes).astype(float)
    if (counts == 0).any():
        raise ValueError(f"targets must contain every class (got counts {counts.tolist()})")
    return y.size / (num_classes * counts)


# --------------------------------------------------------------------------- clipping


def _probability_steps() -> tuple[float, ...]:
    steps = [0.0]
    for exponent in range(-50, -2):
        steps += [float(f"{m}e{exponent}") for m in (1, 2, 5)]
    steps += [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0]
    return tuple(steps)


#: The values the clipping lab's probability slider offers: 0, then 1e-50 ... 1 on a 1-2-5 log scale.
PROBABILITY_STEPS = _probability_steps()
#: Probabilities on the clipping charts (log axis).
CLIP_GRID = np.geomspace(1e-50, 1.0, 251)


@dataclass(frozen=True)
class ClipPolicy:
    """One way of computing -log q: its label, ce_core policy and settings."""

    label: str
    policy: str
    dtype: str = "float64"
    epsilon: float | None = None
    rule: str = ""

    def loss(self, q: object, base: float = math.e):
        kwargs = {"epsilon": self.epsilon} if self.policy == "epsilon" else {}
        return _in_unit(clipped_log_loss(q, self.policy, dtype=np.dtype(self.dtype), **kwargs), base)

    def gradient(self, q: object, base: float = math.e):
        kwargs = {"epsilon": self.epsilon} if self.policy == "epsilon" else {}
        return _in_unit(clipped_log_loss_gradient(q, self.policy, dtype=np.dtype(self.dtype), **kwargs), base)

    def cap(self, base: float = math.e) -> float:
        """The largest value this policy can report (``inf`` for the exact one)."""
        return self.loss(0.0, base)


def clip_policies(epsilon: float) -> tuple[ClipPolicy, ...]:
    """The exact value, PyTorch's clamp, scikit-learn's clip (float64, float32) and a chosen epsilon.

    Examples
    --------
    >>> [p.policy for p in clip_policies(1e-7)]
    ['exact', 'pytorch', 'sklearn', 'sklearn', 'epsilon']
    """
    eps = check_positive(epsilon, "epsilon")
    if eps >= 0.5:
        raise ValueError(f"epsilon must be below 0.5 (got {epsilon!r})")
    return (
        ClipPolicy("exact −log q", "exact", rule="none: ∞ at q = 0"),
        ClipPolicy("PyTorch BCELoss", "pytorch", rule="log clamped at −100"),
        ClipPolicy(
            "scikit-learn, float64",
            "sklearn",
            "float64",
            rule=f"q clipped to [{sklearn_epsilon(np.float64):.3g}, 1 − {sklearn_epsilon(np.float64):.3g}]",
        ),
        ClipPolicy(
            "scikit-learn, float32",
            "sklearn",
            "float32",
            rule=f"q clipped to [{sklearn_epsilon(np.float32):.3g}, 1 − {sklearn_epsilon(np.float32):.3g}]",
        ),
        ClipPolicy(
            f"your ε = {eps:.2g}".replace("e-0", "e-"), "epsilon", epsilon=eps, rule="q clipped to [ε, 1 − ε]"
        ),
    )
