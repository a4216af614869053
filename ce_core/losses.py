"""Cross-entropy as a training loss, with the options the frameworks expose.

The functions follow PyTorch's semantics (``torch.nn.functional``) and
torchvision's focal loss exactly, with one deliberate difference: by default
they compute the true mathematics, so a true class given probability 0 costs
``inf``. The clamps and clips that the frameworks apply are available as named
policies (:func:`clipped_log_loss`), so the lab can show what each one hides.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core._validation import (
    as_float_array,
    check_distribution,
    check_logits,
    check_num_classes,
    check_positive,
    check_probabilities,
    check_reduction,
    check_same_shape,
    check_unit_interval,
    reduce,
)
from ce_core.information import _neg_xlogy, entropy
from ce_core.softmax import _row_blocks, log_softmax, sigmoid, softmax

#: PyTorch's ``binary_cross_entropy`` clamps each log term at this value.
TORCH_LOG_CLAMP = -100.0
#: PyTorch's BCE backward divides by ``max(x (1 - x), TORCH_GRAD_EPS)``. Its constant is
#: 1e-12 rounded to single precision (9.99999996e-13), also in float64 arithmetic.
TORCH_GRAD_EPS = float(np.float32(1e-12))
#: The clipping policies of :func:`clipped_log_loss`.
CLIP_POLICIES = ("exact", "pytorch", "sklearn", "epsilon")


def _float_or_array(x: np.ndarray | float) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


def _class_weight(weight: object, num_classes: int) -> np.ndarray | None:
    if weight is None:
        return None
    w = as_float_array(weight, "weight")
    if w.shape != (num_classes,):
        raise ValueError(
            f"weight must have one entry per class, shape ({num_classes},) (got shape {w.shape})"
        )
    if not np.isfinite(w).all() or (w < 0).any():
        bad = float(w[~np.isfinite(w) | (w < 0)][0])
        raise ValueError(f"weight must be finite and non-negative (got {bad!r})")
    return w


# --------------------------------------------------------------------------- binary


def _neg_xlog1m(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise ``-x log(1 - y)`` computed with ``log1p``, ``0`` where ``x = 0``."""
    out = np.zeros(np.shape(x))
    pos = x > 0
    with np.errstate(divide="ignore"):
        out[pos] = -x[pos] * np.log1p(-y[pos])
    return out


def _label_and_prediction(y: object, y_hat: object) -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities in [0, 1], of the same shape (never broadcast)."""
    ya = check_probabilities(y, "y")
    pa = check_probabilities(y_hat, "y_hat")
    check_same_shape(ya, pa, ("y", "y_hat"))
    return ya, pa


def binary_cross_entropy(
    y: object,
    y_hat: object,
    *,
    weight: object = None,
    reduction: str = "mean",
    log_clamp: float | None = None,
):
    """Binary cross-entropy between labels and predicted probabilities.

    .. math:: \\ell = -w\\,[\\,y \\log \\hat y + (1 - y) \\log (1 - \\hat y)\\,]

    Parameters
    ----------
    y : array_like
        Targets in [0, 1] (hard labels 0/1 or soft labels).
    y_hat : array_like
        Predicted probabilities of the positive class, in [0, 1], of the same
        shape as ``y``: shapes (25, 1) and (25,) raise ValueError, as in PyTorch,
        instead of broadcasting to 625 elements.
    weight : array_like, optional
        Per-element weights, broadcast against ``y`` as PyTorch does (e.g. one
        weight per column), but only when the result keeps the shape of ``y``.
    reduction : {"mean", "sum", "none"}
        "mean" is the plain mean over elements, weights or not (as PyTorch).
    log_clamp : float, optional
        ``None`` (default) gives the exact value, ``inf`` when the label has
        probability 0. ``TORCH_LOG_CLAMP`` (-100) reproduces PyTorch's ``BCELoss``,
        which clamps each log term, so that no element costs more than 100.

    Differences from the frameworks
    -------------------------------
    a label given probability 0 (y = 1, y_hat = 0)
        ce_core: inf, the true value (log_clamp=TORCH_LOG_CLAMP gives PyTorch's 100).
        frameworks: PyTorch's BCELoss clamps each log at -100 and returns 100; scikit-learn clips y_hat to [eps, 1 - eps].
        why: the lab shows what the clamp hides; the policy is there by name.
    negative weights
        ce_core: ValueError "weight must be finite and non-negative".
        frameworks: PyTorch accepts them and can return a negative loss.
        why: a negative weight rewards a mistake.
    empty input with reduction "mean"
        ce_core: ValueError "y must not be empty with reduction='mean'".
        frameworks: PyTorch returns NaN.
        why: the mean of no samples is undefined.

    Examples
    --------
    >>> round(binary_cross_entropy([1, 0], [0.7, 0.2], weight=[1, 3]), 10)
    0.5130527989
    >>> binary_cross_entropy(1, 0.0)
    inf
    >>> binary_cross_entropy(1, 0.0, log_clamp=TORCH_LOG_CLAMP)
    100.0
    """
    reduction = check_reduction(reduction)
    ya, pa = _label_and_prediction(y, y_hat)
    if log_clamp is not None and (
        isinstance(log_clamp, bool) or not isinstance(log_clamp, (int, float)) or not -np.inf < log_clamp <= 0
    ):
        raise ValueError(
            f"log_clamp must be None or a number <= 0, such as TORCH_LOG_CLAMP (got {log_clamp!r})"
        )
    if log_clamp is None:
        # log1p(-y_hat), not log(1 - y_hat): 1 - 3.7e-44 rounds to 1, and the loss of a label 0
        # given y_hat = sigmoid(-100) would come out 0 instead of 3.7e-44.
        loss = _neg_xlogy(ya, pa) + _neg_xlog1m(1.0 - ya, pa)
    else:
        with np.errstate(divide="ignore"):
            loss = -(
                ya * np.maximum(np.log(pa), log_clamp) + (1.0 - ya) * np.maximum(np.log1p(-pa), log_clamp)
            )
    if weight is not None:
        w = as_float_array(weight, "weight")
        if not np.isfinite(w).all() or (w < 0).any():
            bad = float(w[~np.isfinite(w) | (w < 0)][0])
            raise ValueError(f"weight must be finite and non-negative (got {bad!r})")
        try:
            shape = np.broadcast_shapes(w.shape, loss.shape)
        except ValueError:
            shape = None
        if shape != loss.shape:  # the weight may repeat along y, never add samples to it
            raise ValueError(
                f"weight must broadcast against y without changing its shape {loss.shape} "
                f"(got shape {w.shape})"
            )
        with np.errstate(invalid="ignore", over="ignore"):  # a product beyond the largest float is inf
            loss = np.where(w == 0, 0.0, w * loss)  # a zero weight drops even an inf
    return _float_or_array(reduce(loss + 0.0, reduction, "y"))


def binary_cross_entropy_gradient(y: object, y_hat: object) -> np.ndarray | float:
    """Derivative of the binary cross-entropy with respect to the probability.

    .. math:: \\frac{\\partial \\ell}{\\partial \\hat y} = -\\frac{y}{\\hat y} + \\frac{1 - y}{1 - \\hat y}

    ``-inf`` at ``y_hat = 0`` when ``y > 0``: a confident mistake pulls without
    bound. (With respect to the logit the gradient is simply ``y_hat - y``.)

    Examples
    --------
    >>> binary_cross_entropy_gradient(1, 0.5)
    -2.0
    """
    ya, pa = _label_and_prediction(y, y_hat)
    out = np.zeros(ya.shape)
    # y / y_hat for a subnormal y_hat exceeds the largest float: -inf is the correctly rounded answer.
    with np.errstate(divide="ignore", over="ignore"):
        a = ya > 0
        out[a] -= ya[a] / pa[a]
        b = ya < 1
        out[b] += (1.0 - ya[b]) / (1.0 - pa[b])
    return _float_or_array(out)


def squared_error(y: object, y_hat: object) -> np.ndarray | float:
    """``(y - y_hat)**2``, for comparison with cross-entropy (bounded by 1)."""
    ya, pa = _label_and_prediction(y, y_hat)
    return _float_or_array((ya - pa) ** 2)


def absolute_error(y: object, y_hat: object) -> np.ndarray | float:
    """``|y - y_hat|``, for comparison with cross-entropy (bounded by 1)."""
    ya, pa = _label_and_prediction(y, y_hat)
    return _float_or_array(np.abs(ya - pa))


# --------------------------------------------------------------------------- clipping


def sklearn_epsilon(dtype: object = np.float64) -> float:
    """The clip scikit-learn's ``log_loss`` uses: machine epsilon of the dtype.

    Examples
    --------
    >>> sklearn_epsilon() == 2.0 ** -52
    True
    """
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):  # np.dtype(",") raises SyntaxError
        raise ValueError(f"dtype must be a floating dtype (got {dtype!r})") from None
    if dt.kind != "f":
        raise ValueError(f"dtype must be a floating dtype (got {dtype!r})")
    return float(np.finfo(dt).eps)


def _clip_bounds(policy: str, epsilon: float | None, dtype: object) -> float | None:
    if policy not in CLIP_POLICIES:
        raise ValueError(f"policy must be one of {', '.join(map(repr, CLIP_POLICIES))} (got {policy!r})")
    if policy == "sklearn":
        return sklearn_epsilon(dtype)
    if policy == "epsilon":
        if epsilon is None:
            raise ValueError("epsilon must be given with policy='epsilon' (got None)")
        eps = check_positive(epsilon, "epsilon")
        if eps >= 0.5:
            raise ValueError(f"epsilon must be below 0.5 (got {epsilon!r})")
        return eps
    return None


def clipped_log_loss(
    prob_true: object, policy: str = "exact", *, epsilon: float | None = None, dtype: object = np.float64
) -> np.ndarray | float:
    """``-log`` of the true class's probability under a clipping policy.

    Parameters
    ----------
    prob_true : array_like
        Probability the model gave to the true class, in [0, 1].
    policy : {"exact", "pytorch", "sklearn", "epsilon"}
        - "exact": ``-log q``, ``inf`` at ``q = 0``.
        - "pytorch": ``min(-log q, 100)``, as ``BCELoss`` clamps the log at -100.
        - "sklearn": ``-log clip(q, eps, 1 - eps)`` with ``eps`` the machine
          epsilon of ``dtype``, as ``log_loss``: at most 36.04 (float64), 15.94 (float32).
        - "epsilon": the same clip with a chosen ``epsilon``.

    Examples
    --------
    >>> clipped_log_loss(0.0, "pytorch")
    100.0
    >>> clipped_log_loss(0.0, "sklearn")
    36.04365338911715
    """
    q = check_probabilities(prob_true, "prob_true")
    eps = _clip_bounds(policy, epsilon, dtype)
    with np.errstate(divide="ignore"):
        if policy == "exact":
            out = -np.log(q)
        elif policy == "pytorch":
            out = -np.maximum(np.log(q), TORCH_LOG_CLAMP)
        else:
            out = -np.log(np.clip(q, eps, 1.0 - eps))
    return _float_or_array(out + 0.0)


def clipped_log_loss_gradient(
    prob_true: object, policy: str = "exact", *, epsilon: float | None = None, dtype: object = np.float64
):
    """Derivative of :func:`clipped_log_loss` with respect to the probability.

    - "exact": ``-1/q``, ``-inf`` at 0.
    - "pytorch": PyTorch's BCE backward for a positive label,
      ``(q - 1) / max(q (1 - q), 1e-12)``: about ``-1e12`` near 0 (PyTorch's
      1e-12 is rounded to single precision, so exactly -1.000000004e12 at 0).
    - "sklearn" / "epsilon": ``-1/q`` inside the clip, 0 outside it: the clip
      silences the gradient exactly where the model is most wrong.

    Examples
    --------
    >>> clipped_log_loss_gradient(0.5)
    -2.0
    >>> clipped_log_loss_gradient(0.0, "pytorch")
    -1000000003995.8029
    """
    q = check_probabilities(prob_true, "prob_true")
    eps = _clip_bounds(policy, epsilon, dtype)
    with np.errstate(divide="ignore", over="ignore"):  # -1/q is -inf at 0 and beyond float range near it
        if policy == "exact":
            out = -1.0 / q
        elif policy == "pytorch":
            out = (q - 1.0) / np.maximum(q * (1.0 - q), TORCH_GRAD_EPS)
        else:
            inside = (q > eps) & (q < 1.0 - eps)
            out = np.where(inside, -1.0 / np.where(inside, q, 1.0), 0.0)
    return _float_or_array(out + 0.0)


# --------------------------------------------------------------------------- softmax CE


def _index_targets(
    target: np.ndarray, batch_shape: tuple[int, ...], num_classes: int, ignore_index: int | None
) -> tuple[np.ndarray, np.ndarray]:
    if target.shape != batch_shape:
        raise ValueError(f"target must have shape {batch_shape} for class-index targets (got {target.shape})")
    if ignore_index is None and (target.size == 0 or (target.min() >= 0 and target.max() < num_classes)):
        return target.astype(np.intp, copy=False), np.zeros(batch_shape, bool)  # fast path: all valid
    ignored = np.zeros(batch_shape, bool) if ignore_index is None else target == ignore_index
    bad = ~ignored & ((target < 0) | (target >= num_classes))
    if bad.any():
        raise ValueError(
            f"target holds class index {int(target[bad].ravel()[0])}, out of range for {num_classes} classes"
        )
    return np.where(ignored, 0, target).astype(np.intp), ignored


def _index_target_terms(
    z: np.ndarray, idx: np.ndarray, weight: np.ndarray | None, with_smoothing: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """``-log p[target]`` per sample and, with smoothing, ``-sum_c w_c log p_c``.

    Computed in row blocks (:func:`ce_core.softmax._row_blocks`) without an (N, C)
    temporary; the values equal those taken from ``log_softmax(z)``, bit for bit.
    """
    num_classes = z.shape[-1]
    flat_idx = idx.reshape(-1)
    nll = np.empty(flat_idx.size)
    smooth = np.empty(flat_idx.size) if with_smoothing else None
    for rows, shifted, _, log_norm, _ in _row_blocks(z.reshape(-1, num_classes), log_norm=True):
        shifted_target = np.take_along_axis(shifted, flat_idx[rows, None], axis=-1)[:, 0]
        nll[rows] = log_norm - shifted_target  # -(log p[target]), log p = shifted - log_norm
        if smooth is not None:
            logp = np.ascontiguousarray(shifted) - log_norm[:, None]
            smooth[rows] = -(logp if weight is None else logp * weight).sum(axis=-1)
    return nll.reshape(idx.shape), None if smooth is None else smooth.reshape(idx.shape)


def smooth_targets(target: object, num_classes: int, label_smoothing: float) -> np.ndarray:
    """Targets after label smoothing: ``(1 - e) t + e / C``.

    ``target`` is a class index (or an array of them) or a probability target.

    Examples
    --------
    >>> smooth_targets(1, 3, 0.3).round(3).tolist()
    [0.1, 0.8, 0.1]
    """
    e = check_unit_interval(label_smoothing, "label_smoothing")
    num_classes = check_num_classes(num_classes)
    t = np.asarray(target)
    if t.dtype.kind in "iu":
        _, _ = _index_targets(t, t.shape, num_classes, None)
        onehot = np.zeros((*t.shape, num_classes))
        np.put_along_axis(onehot, t[..., None].astype(np.intp), 1.0, axis=-1)
        t = onehot
    else:
        t = check_distribution(t, "target")
        if t.shape[-1] != num_classes:
            raise ValueError(f"target must have {num_classes} classes (got {t.shape[-1]})")
    return (1.0 - e) * t + e / num_classes


def smoothed_loss_floor(
    target: object, num_classes: int, label_smoothing: float, base: float = math.e
) -> np.ndarray | float:
    """The smallest loss reachable with label smoothing: ``H`` of the smoothed target.

    Examples
    --------
    >>> smoothed_loss_floor(0, 2, 0.0)
    0.0
    """
    return entropy(smooth_targets(target, num_classes, label_smoothing), base=base)


def softmax_cross_entropy(
    logits: object,
    target: object,
    *,
    weight: object = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
):
    """Cross-entropy of softmax(logits) against targets, as ``torch.nn.CrossEntropyLoss``.

    Class-index targets (integer dtype, shape = logits' batch shape):

    .. math:: \\ell_n = (1-\\varepsilon)\\, w_{y_n} (-\\log p_{n,y_n})
              + \\frac{\\varepsilon}{C} \\sum_c w_c (-\\log p_{n,c})

    and "mean" divides the sum by :math:`\\sum_n w_{y_n}` over samples not ignored
    (a weighted mean). Probability targets (float dtype, same shape as logits):

    .. math:: \\ell_n = -\\sum_c w_c\\, t'_{n,c} \\log p_{n,c},\\quad
              t' = (1-\\varepsilon)\\, t + \\varepsilon / C

    and "mean" divides by N, not by the weights.

    Parameters
    ----------
    logits : array_like, shape (..., C)
        Classes on the LAST axis (PyTorch puts them on axis 1).
    target : array_like
        Integer class indices of shape (...), or float distributions of shape (..., C).
    weight : array_like, shape (C,), optional
        Per-class weights.
    ignore_index : int, optional
        Index targets equal to it contribute 0 and are left out of the mean's
        denominator. ``None`` (default) ignores nothing; PyTorch's default is -100.
    label_smoothing : float in [0, 1]
    reduction : {"mean", "sum", "none"}

    Raises
    ------
    ValueError
        For invalid input, and where ce_core deliberately differs from PyTorch
        (listed below).

    Differences from the frameworks
    -------------------------------
    empty batch with reduction "mean"
        ce_core: ValueError "target must not be empty with reduction='mean'".
        frameworks: PyTorch returns NaN.
        why: the mean of no samples is undefined; NaN would travel silently into the next number.
    every sample ignored, reduction "mean"
        ce_core: ValueError "every sample equals ignore_index=...".
        frameworks: PyTorch returns NaN (0 / 0).
        why: no sample is left to average over.
    target classes' weights sum to 0, reduction "mean"
        ce_core: ValueError "the target classes' weights sum to 0".
        frameworks: PyTorch returns NaN (0 / 0).
        why: the weighted mean divides by the sum of the target classes' weights.
    negative class weights
        ce_core: ValueError "weight must be finite and non-negative".
        frameworks: PyTorch accepts them and can return a negative loss.
        why: a negative weight rewards a mistake; a loss below 0 is no cross-entropy.
    non-finite logits (-inf for a masked class, inf, NaN)
        ce_core: ValueError "logits must be finite".
        frameworks: PyTorch masks the class (inf with label smoothing or when it is the target), NaN for +inf.
        why: a logit is a finite score; mask a class by leaving it out, not with -inf.
    probability targets that are not distributions
        ce_core: ValueError "target must sum to 1" (or "must be non-negative").
        frameworks: PyTorch applies the formula to any real numbers (its own tests pass randn targets).
        why: the cross-entropy is defined between distributions; nothing is renormalised silently.
    ignore_index with probability targets
        ce_core: ValueError "ignore_index is only for class-index targets".
        frameworks: PyTorch raises for ignore_index >= 0 and ignores its negative default (-100).
        why: no probability target can equal an index; a given ignore_index is always a mistake there.
    ignore_index default
        ce_core: None (nothing ignored; -100 is an out-of-range index).
        frameworks: PyTorch's default is -100.
        why: a silent default that drops samples surprises a learner; pass ignore_index=-100 to get it.

    Examples
    --------
    >>> logits = [[2, 1, 0.1], [0.5, 2.5, 0.3]]
    >>> round(softmax_cross_entropy(logits, [0, 2]), 10)
    1.4185397696
    >>> round(softmax_cross_entropy(logits, [0, 2], weight=[1, 2, 3]), 10)
    1.9192946463
    """
    reduction = check_reduction(reduction)
    z = check_logits(logits)
    e = check_unit_interval(label_smoothing, "label_smoothing")
    num_classes = z.shape[-1]
    w = _class_weight(weight, num_classes)
    t = np.asarray(target)

    if t.dtype.kind in "iu":
        if ignore_index is not None and (
            isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer))
        ):
            raise ValueError(f"ignore_index must be an integer (got {ignore_index!r})")
        idx, ignored = _index_targets(t, z.shape[:-1], num_classes, ignore_index)
        nll, smooth = _index_target_terms(z, idx, w, e > 0)
        any_ignored = bool(ignored.any())
        if w is None and not any_ignored:
            # Every sample has weight 1: the general formulas below with w_target = 1,
            # without the (N,) arrays of ones (1 * x == x exactly).
            loss = nll if e == 0 else (1.0 - e) * nll
            if e > 0:
                loss = loss + (e / num_classes) * smooth
            denominator = float(idx.size)
        else:
            w_target = np.ones(idx.shape) if w is None else w[idx]
            w_target = np.where(ignored, 0.0, w_target)
            loss = (1.0 - e) * w_target * nll
            if e > 0:
                loss = loss + np.where(ignored, 0.0, (e / num_classes) * smooth)
            denominator = w_target.sum()
        if reduction == "mean":
            if idx.size == 0:
                raise ValueError(
                    f"target must not be empty with reduction='mean' (got shape {t.shape}): "
                    "the mean of no samples is undefined"
                )
            if ignored.all():
                raise ValueError(
                    f"target: every sample equals ignore_index={ignore_index}, so the mean is undefined"
                )
            if denominator == 0:
                raise ValueError(
                    "weight: the target classes' weights sum to 0, so the weighted mean is undefined"
                )
            return float(loss.sum() / denominator)
        return _float_or_array(reduce(loss + 0.0, reduction))

    if t.dtype.kind not in "f":
        raise ValueError(
            f"target must hold integer class indices or float probabilities (got dtype {t.dtype})"
        )
    if ignore_index is not None:
        raise ValueError(
            "ignore_index is only for class-index targets; with probability targets it must be None, "
            f"as PyTorch refuses it (got ignore_index={ignore_index!r})"
        )
    if t.shape != z.shape:
        raise ValueError(
            f"target must have the logits' shape {z.shape} for probability targets (got {t.shape})"
        )
    t = check_distribution(t, "target")
    t = (1.0 - e) * t + e / num_classes
    wt = t if w is None else t * w
    loss = -(wt * log_softmax(z)).sum(axis=-1)
    return _float_or_array(reduce(loss + 0.0, reduction, "target"))


def cross_entropy_gradient(logits: object, target: object, *, label_smoothing: float = 0.0) -> np.ndarray:
    """Gradient of each sample's cross-entropy with respect to its logits.

    .. math:: \\frac{\\partial \\ell_n}{\\partial z_n} = \\operatorname{softmax}(z_n) - t_n

    where ``t_n`` is the one-hot (or probability, or smoothed) target. Each row
    sums to 0: raising one logit must lower the others' share.

    Examples
    --------
    >>> cross_entropy_gradient([0.0, 0.0], 0).tolist()
    [-0.5, 0.5]
    """
    z = check_logits(logits)
    t = np.asarray(target)
    if t.dtype.kind in "iu":
        _index_targets(t, z.shape[:-1], z.shape[-1], None)
    elif t.shape != z.shape:
        raise ValueError(
            f"target must have the logits' shape {z.shape} for probability targets (got {t.shape})"
        )
    return softmax(z) - smooth_targets(t, z.shape[-1], label_smoothing)


# --------------------------------------------------------------------------- focal


def _check_gamma(gamma: object) -> float:
    return check_positive(gamma, "gamma", allow_zero=True)


def sigmoid_focal_loss(
    logits: object, target: object, *, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"
):
    """Binary focal loss on logits, as ``torchvision.ops.sigmoid_focal_loss``.

    .. math:: \\ell = \\alpha_t\\,(1 - p_t)^{\\gamma}\\,\\mathrm{BCE}(x, t),\\quad
              p_t = p t + (1-p)(1-t),\\quad \\alpha_t = \\alpha t + (1-\\alpha)(1-t)

    ``alpha < 0`` switches the alpha weighting off; ``gamma = 0, alpha = -1``
    gives plain binary cross-entropy on logits. Default reduction is "none".

    Differences from the frameworks
    -------------------------------
    a logit far from the label's side, e.g. x = -40 with t = 0
        ce_core: log1p(e^-40) = 4.2e-18, exact.
        frameworks: torchvision (via torch's BCE with logits) returns 0 there: log(1 + e^-40) rounds.
        why: log1p keeps the tiny term; the difference is below float64 eps.
    non-finite logits
        ce_core: ValueError "logits must be finite".
        frameworks: torchvision returns inf or NaN.
        why: a logit is a finite score.
    empty input with reduction "mean"
        ce_core: ValueError "logits must not be empty with reduction='mean'".
        frameworks: torchvision returns NaN.
        why: the mean of no samples is undefined.

    Examples
    --------
    >>> sigmoid_focal_loss([2, -1, 0.5], [1, 1, 0]).round(10).tolist()
    [0.0004508907, 0.1754670759, 0.2830587006]
    """
    reduction = check_reduction(reduction)
    x = check_logits(np.atleast_1d(logits), "logits")
    t = check_probabilities(np.atleast_1d(target), "target")
    if x.shape != t.shape:
        raise ValueError(f"logits and target must have the same shape (got {x.shape} and {t.shape})")
    g = _check_gamma(gamma)
    a_arr = as_float_array(alpha, "alpha")
    if a_arr.ndim != 0:
        raise ValueError(f"alpha must be a single number (got shape {a_arr.shape})")
    a = float(a_arr)
    if a > 1:
        raise ValueError(f"alpha must be at most 1 (negative turns it off) (got {alpha!r})")
    p = sigmoid(x)  # stable: 1 / (1 + exp(-x)) overflows for x below about -709
    # BCE with logits, stable: max(x, 0) - x t + log(1 + exp(-|x|))
    ce = np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))
    p_t = p * t + (1.0 - p) * (1.0 - t)
    loss = ce * (1.0 - p_t) ** g
    if a >= 0:
        loss = loss * (a * t + (1.0 - a) * (1.0 - t))
    out = reduce(loss, reduction, "logits")
    if reduction == "none" and np.ndim(logits) == 0:
        return float(out[0])
    return out


def focal_modulation(p_true: object, gamma: float) -> np.ndarray | float:
    """The focal factor ``(1 - p_t)**gamma`` that scales down easy examples.

    Examples
    --------
    >>> focal_modulation(0.9, 2.0)
    0.009999999999999995
    """
    p = check_probabilities(p_true, "p_true")
    return _float_or_array((1.0 - p) ** _check_gamma(gamma))


def softmax_focal_loss(
    logits: object, target: object, *, gamma: float = 2.0, alpha: object = None, reduction: str = "mean"
):
    """Multi-class focal loss: :math:`-\\alpha_t (1 - p_t)^{\\gamma} \\log p_t`.

    Parameters
    ----------
    logits : array_like, shape (..., C)
    target : array_like of int, shape (...)
        Class indices.
    gamma : float >= 0
        0 gives back cross-entropy.
    alpha : float or array_like of shape (C,), optional
        Class balancing: ``alpha_t = alpha[target]``; a scalar scales every class.
    reduction : {"mean", "sum", "none"}
        "mean" is the plain mean over samples.

    Differences from the frameworks
    -------------------------------
    negative alpha entries
        ce_core: ValueError "alpha must be a non-negative number or one per class".
        frameworks: none of the three libraries has a multi-class focal loss; common implementations multiply by any alpha.
        why: a negative class weight rewards a mistake.

    Examples
    --------
    >>> logits = [[2, 1, 0.1], [0.5, 2.5, 0.3]]
    >>> round(softmax_focal_loss(logits, [0, 2], gamma=0.0), 10)
    1.4185397696
    """
    reduction = check_reduction(reduction)
    z = check_logits(logits)
    g = _check_gamma(gamma)
    t = np.asarray(target)
    if t.dtype.kind not in "iu":
        raise ValueError(f"target must hold integer class indices (got dtype {t.dtype})")
    idx, _ = _index_targets(t, z.shape[:-1], z.shape[-1], None)
    logp_t = np.take_along_axis(log_softmax(z), idx[..., None], axis=-1)[..., 0]
    one_minus_pt = -np.expm1(logp_t)
    loss = -(one_minus_pt**g) * logp_t
    if alpha is not None:
        a = as_float_array(alpha, "alpha")
        if a.ndim == 0:
            a = np.full(z.shape[-1], float(a))
        if a.shape != (z.shape[-1],) or (a < 0).any() or not np.isfinite(a).all():
            raise ValueError(
                f"alpha must be a non-negative number or one per class (got {_describe_alpha(a)})"
            )
        loss = loss * a[idx]
    return _float_or_array(reduce(loss + 0.0, reduction, "target"))


def _describe_alpha(a: np.ndarray) -> str:
    return f"shape {a.shape}, values {np.array2string(a.ravel()[:4], precision=4)}"
