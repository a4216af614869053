"""Calibration: do a model's probabilities mean what they say?

A model is calibrated when, among the samples it gives confidence ``c``, a
fraction ``c`` is right. These functions measure the gap (the expected
calibration error and the reliability bins behind it), take the mean
cross-entropy of a binary forecast apart (uncertainty, resolution, reliability
and what binning hides), and fit the one temperature ``T`` that rescales the
logits to the smallest mean cross-entropy (temperature scaling, Guo et al. 2017).

Binning, as torchmetrics' ``multiclass_calibration_error`` does it (checked on
torchmetrics 1.9.0): with ``n_bins = M`` the uniform bins are ``[m/M, (m+1)/M)``,
closed on the left (``torch.bucketize(..., right=True) - 1``), and a value of
exactly 1 falls past the last edge into a bin of its own, ``[1, 1]``. So every
binning here returns ``M + 1`` bins, the last one holding the certain
predictions. Edges are the correctly rounded ``m / M`` (``0.2`` and ``1/3`` are
edges exactly as written). "Exactly 1" means the float64 value 1.0: a top class
whose rivals together weigh less than about 1e-16 of it rounds to 1. Two
computations of the same probability that round differently (``softmax``'s
``exp(0) / sum`` against the sweep's ``1 / (1 + sum of the others)``) can put
such a sample, or one within a float64 step of an edge, in neighbouring bins.

Differences from the frameworks
-------------------------------
confidences within a float32 step of an edge, or of 1
    ce_core: works in float64 with the edges ``m / M``: a confidence of exactly 0.2 is in the bin [0.2, 4/15).
    frameworks: torchmetrics rounds the confidences to float32 and makes its edges with float32 ``torch.linspace``, whose
    edges 3/15, 6/15, ..., 10/15 are one float32 step off ``m / M``: 0.2 lands in [2/15, 0.2); every confidence above
    1 - 3e-8 rounds to 1.0 and joins the bin of certain predictions.
    why: the bins are the mathematics' bins; a float32 rounding is not a rule of calibration.
empty bins
    ce_core: mean confidence and accuracy are NaN (the mean of no samples); they weigh 0 in the error.
    frameworks: torchmetrics reports 0 for both.
    why: 0 would draw a point at (0, 0) on a reliability diagram; NaN leaves a gap.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ce_core._validation import (
    check_binning,
    check_class_labels,
    check_n_bins,
    check_probability_rows,
    check_sample_logits,
    check_temperatures,
    log_base,
)

_EPS = float(np.finfo(np.float64).eps)


# --------------------------------------------------------------------------- results


class ReliabilityBins(NamedTuple):
    """Per-bin summary of confidences against outcomes (``n_bins + 1`` bins, the last ``[1, 1]``).

    Attributes
    ----------
    lower, upper : numpy.ndarray
        Each bin's edges: a value ``v`` is in bin ``b`` when ``lower[b] <= v < upper[b]``;
        the last bin holds ``v == 1`` (``lower = upper = 1``).
    counts : numpy.ndarray of int
        Samples per bin.
    confidence : numpy.ndarray
        Mean predicted probability in the bin (NaN where empty).
    accuracy : numpy.ndarray
        Fraction of the bin's samples whose outcome happened: top-label accuracy,
        or the class's observed frequency for :func:`classwise_reliability` (NaN where empty).
    """

    lower: np.ndarray
    upper: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def calibration_error(self) -> float:
        """``sum_b (n_b / N) |accuracy_b - confidence_b|`` over the non-empty bins."""
        return _calibration_error(self.counts, self.confidence, self.accuracy)


class LogLossDecomposition(NamedTuple):
    """The mean cross-entropy of a binary forecast in four parts (in the unit of ``base``).

    ``uncertainty - resolution + reliability + within_bin`` is the mean cross-entropy.
    """

    uncertainty: float
    resolution: float
    reliability: float
    within_bin: float

    @property
    def total(self) -> float:
        """``uncertainty - resolution + reliability + within_bin``: the mean cross-entropy."""
        return self.uncertainty - self.resolution + self.reliability + self.within_bin


class TemperatureSweep(NamedTuple):
    """What ``softmax(logits / T)`` gives at every temperature of a grid.

    Row ``i`` of the 2-D arrays belongs to ``temperatures[i]``; columns are the
    ``n_bins + 1`` uniform bins of :func:`reliability_bins` (edges ``lower``, ``upper``).
    """

    temperatures: np.ndarray
    mean_cross_entropy: np.ndarray
    calibration_error: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


# --------------------------------------------------------------------------- binning


def _calibration_error(
    counts: np.ndarray, confidence: np.ndarray, accuracy: np.ndarray
) -> float | np.ndarray:
    """``sum_b (n_b / N) |acc_b - conf_b|`` along the last axis; empty bins (NaN means) weigh 0."""
    counts = np.asarray(counts)
    total = counts.sum(axis=-1)
    gap = np.where(counts > 0, np.abs(np.nan_to_num(accuracy) - np.nan_to_num(confidence)), 0.0)
    out = (counts * gap).sum(axis=-1) / total
    return float(out) if np.ndim(out) == 0 else out


def _uniform_edges(n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    edges = np.arange(n_bins + 1) / n_bins  # correctly rounded m / M: 3/15 == 0.2, 5/15 == 1/3
    return np.append(edges[:-1], 1.0), np.append(edges[1:], 1.0)


def _uniform_bin_index(values: np.ndarray, n_bins: int) -> np.ndarray:
    """Bin of each value in [0, 1]: ``m`` for ``m/M <= v < (m+1)/M``, ``M`` for ``v == 1``.

    The same as ``np.searchsorted(np.arange(M + 1) / M, v, side="right") - 1``
    (torch.bucketize with right=True), computed as ``floor(v M)`` and one
    correction step, since the rounded product is off by at most one bin.
    """
    edges = np.arange(n_bins + 2) / n_bins  # edges[M + 1] > 1: nothing reaches past bin M
    index = np.minimum((values * n_bins).astype(np.intp), n_bins)
    index -= values < edges[index]
    index += values >= edges[index + 1]
    return index


def _quantile_inner_edges(values: np.ndarray, n_bins: int) -> np.ndarray:
    """Edges between equal-mass bins of the values below 1: the order statistics at ``m N' / M``."""
    below = np.sort(values[values < 1.0])
    if below.size == 0:
        return np.ones(n_bins - 1)
    return below[(np.arange(1, n_bins) * below.size) // n_bins]


def _bin_values(values: np.ndarray, outcomes: np.ndarray, n_bins: int, binning: str) -> ReliabilityBins:
    if binning == "uniform":
        lower, upper = _uniform_edges(n_bins)
        index = _uniform_bin_index(values, n_bins)
    else:
        inner = _quantile_inner_edges(values, n_bins)
        lower = np.concatenate(([0.0], inner, [1.0]))
        upper = np.concatenate((inner, [1.0, 1.0]))
        index = np.where(values < 1.0, np.searchsorted(inner, values, side="right"), n_bins)
    size = n_bins + 1
    counts = np.bincount(index, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):  # empty bins: 0 / 0 = NaN, by design
        confidence = np.bincount(index, weights=values, minlength=size) / counts
        accuracy = np.bincount(index, weights=outcomes, minlength=size) / counts
    return ReliabilityBins(lower, upper, counts, confidence, accuracy)


def _top_label(probs: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    prediction = probs.argmax(axis=1)  # ties: the lowest class index, as numpy and torch argmax
    confidence = probs[np.arange(probs.shape[0]), prediction]
    return confidence, (prediction == target).astype(np.float64)


def _probs_and_target(probs: object, target: object) -> tuple[np.ndarray, np.ndarray]:
    p = check_probability_rows(probs, "probs")
    y = check_class_labels(target, p.shape[0], p.shape[1], "target")
    return p, y


def reliability_bins(
    probs: object, target: object, *, n_bins: int = 15, binning: str = "uniform"
) -> ReliabilityBins:
    """Top-label reliability bins: mean confidence against accuracy, bin by bin.

    Each sample's confidence is its largest probability and it counts as right
    when that class (the lowest index among ties) is the target.

    Parameters
    ----------
    probs : array_like, shape (N, K)
        Predicted probabilities, each row summing to 1.
    target : array_like of int, shape (N,)
        True class indices.
    n_bins : int, default 15
        Number of bins below 1 (Guo et al. 2017 use 15).
    binning : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: ``[m/M, (m+1)/M)``. ``"quantile"``: equal-mass bins,
        edges at the order statistics ``c_(floor(m N'/M))`` of the N' confidences
        below 1 (tied confidences stay in one bin, so bins can be unequal or empty).
        Either way a confidence of exactly 1 has the last bin, ``[1, 1]``, to itself.

    Returns
    -------
    ReliabilityBins
        ``n_bins + 1`` bins; ``.calibration_error`` is the ECE.

    Examples
    --------
    >>> bins = reliability_bins([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> bins.counts.tolist(), bins.confidence.round(2).tolist(), bins.accuracy.tolist()
    ([0, 3, 0], [nan, 0.8, nan], [nan, 0.6666666666666666, nan])
    """
    m = check_n_bins(n_bins)
    kind = check_binning(binning)
    p, y = _probs_and_target(probs, target)
    confidence, correct = _top_label(p, y)
    return _bin_values(confidence, correct, m, kind)


def classwise_reliability(
    probs: object, target: object, class_index: int, *, n_bins: int = 15, binning: str = "uniform"
) -> ReliabilityBins:
    """One-vs-rest reliability bins for one class: ``probs[:, c]`` against how often ``target == c``.

    Parameters
    ----------
    probs : array_like, shape (N, K)
    target : array_like of int, shape (N,)
    class_index : int
        The class ``c`` in 0..K-1.
    n_bins, binning
        As in :func:`reliability_bins`.

    Returns
    -------
    ReliabilityBins
        ``accuracy`` is the observed frequency of class ``c`` in each bin. For
        ``K = 2`` and ``c = 1`` its ``calibration_error`` is torchmetrics'
        ``binary_calibration_error(probs[:, 1], target)``.

    Examples
    --------
    >>> bins = classwise_reliability([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], 1, n_bins=2)
    >>> bins.counts.tolist(), bins.accuracy.tolist()
    ([2, 1, 0], [0.5, 1.0, nan])
    """
    m = check_n_bins(n_bins)
    kind = check_binning(binning)
    p, y = _probs_and_target(probs, target)
    k = p.shape[1]
    if (
        isinstance(class_index, bool)
        or not isinstance(class_index, (int, np.integer))
        or not 0 <= class_index < k
    ):
        raise ValueError(f"class_index must be a class index in 0..{k - 1} (got {class_index!r})")
    return _bin_values(p[:, class_index], (y == class_index).astype(np.float64), m, kind)


def expected_calibration_error(
    probs: object, target: object, *, n_bins: int = 15, binning: str = "uniform"
) -> float:
    """Expected calibration error (ECE) of the top label.

    .. math:: \\mathrm{ECE} = \\sum_b \\frac{n_b}{N} \\left| \\mathrm{acc}_b - \\mathrm{conf}_b \\right|

    Parameters
    ----------
    probs, target, n_bins, binning
        As in :func:`reliability_bins` (the bins used here).

    Returns
    -------
    float
        Between 0 and 1; a probability, so it has no unit.

    Notes
    -----
    With uniform bins this is torchmetrics'
    ``multiclass_calibration_error(preds, target, num_classes, n_bins, norm="l1")``
    up to its float32 arithmetic (see the module's notes for the confidences it
    bins differently). ECE is 0 for a model that predicts the base accuracy with
    one constant confidence, so a small ECE alone is not a good model.

    Examples
    --------
    A model 90% sure that is right 9 times in 10 is calibrated:

    >>> probs = [[0.9, 0.1]] * 10
    >>> round(expected_calibration_error(probs, [0] * 9 + [1]), 12)
    0.0
    >>> round(expected_calibration_error(probs, [0] * 5 + [1] * 5), 12)
    0.4
    """
    return reliability_bins(probs, target, n_bins=n_bins, binning=binning).calibration_error


# --------------------------------------------------------------------------- decomposition


def _xlogy_ratio(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x log(a / b)`` elementwise: 0 where ``x = 0`` or ``a = b``, ``inf`` where ``x > 0 = b < a``."""
    x, a, b = np.broadcast_arrays(x, a, b)
    out = np.zeros(x.shape)
    use = (x > 0) & (a != b)
    with np.errstate(divide="ignore"):
        out[use] = x[use] * (np.log(a[use]) - np.log(b[use]))
    return out


def _binary_kl(o: np.ndarray, r0: np.ndarray, r1: np.ndarray) -> np.ndarray:
    """KL([1 - o, o] || [r0, r1]) with 0 log 0 = 0."""
    return _xlogy_ratio(o, o, r1) + _xlogy_ratio(1.0 - o, 1.0 - o, r0)


def log_loss_decomposition(
    probs: object, target: object, *, n_bins: int = 15, base: float = math.e
) -> LogLossDecomposition:
    """Mean cross-entropy of a binary forecast = uncertainty - resolution + reliability + within-bin.

    The forecasts ``f = probs[:, 1]`` are put in the uniform bins of
    :func:`reliability_bins`. With ``w_b = n_b / N`` the bin's share of the
    samples, ``o_b`` its observed frequency of class 1, ``f_b`` its mean forecast
    and ``o`` the overall base rate:

    .. math::

        \\mathrm{UNC} = H(o), \\quad
        \\mathrm{RES} = \\sum_b w_b\\, \\mathrm{KL}(o_b \\| o), \\quad
        \\mathrm{REL} = \\sum_b w_b\\, \\mathrm{KL}(o_b \\| f_b),

        \\mathrm{WB} = \\sum_b w_b \\Big( \\frac{1}{n_b} \\sum_{i \\in b} H(y_i, f_i) - H(o_b, f_b) \\Big)
                  = \\sum_b \\frac{1}{N} \\sum_{i \\in b}
                    \\Big( y_i \\log \\frac{f_b}{f_i} + (1 - y_i) \\log \\frac{1 - f_b}{1 - f_i} \\Big).

    Parameters
    ----------
    probs : array_like, shape (N, 2)
        Predicted probabilities of class 0 and class 1, rows summing to 1.
    target : array_like of int, shape (N,)
        0 or 1.
    n_bins : int, default 15
    base : float, default e
        Log base of every term: 2 gives bits, e nats.

    Returns
    -------
    LogLossDecomposition
        ``(uncertainty, resolution, reliability, within_bin)``; ``.total`` is their
        signed sum, the mean cross-entropy ``-mean log probs[i, y_i]``.

    Notes
    -----
    Why it adds up: per bin ``H(o_b, f_b) = H(o_b) + KL(o_b || f_b)`` (cross-entropy
    is entropy plus KL), and ``sum_b w_b H(o_b) = H(o) - sum_b w_b KL(o_b || o)``
    because the ``o_b`` average to ``o``. So ``UNC - RES + REL`` is the cross-entropy
    of the bin-mean forecasts against the bins' frequencies, and ``WB`` is what
    replacing each forecast by its bin's mean changed. ``UNC``, ``RES`` and ``REL``
    are >= 0 and ``RES <= UNC``. ``WB`` has either sign: it is a within-bin
    variance term (>= 0, Jensen) minus a within-bin covariance of outcome and
    log-odds (positive when, inside a bin, the higher forecasts do come true more
    often). Where a forecast of 0 meets its outcome, the mean cross-entropy is
    ``inf``, and so is ``REL`` or ``WB``. ``probs[:, 0]`` is used as ``1 - f``
    (exact for the given rows; rows may be off 1 by the tolerance 1e-6).

    Examples
    --------
    One bin, forecasts 0.6 and 0.8 of which one comes true:

    >>> d = log_loss_decomposition([[0.4, 0.6], [0.2, 0.8]], [1, 0], n_bins=1, base=2)
    >>> round(d.uncertainty, 12), round(d.resolution, 12)
    (1.0, 0.0)
    >>> round(d.total, 12) == round((-math.log2(0.6) - math.log2(0.2)) / 2, 12)
    True
    """
    m = check_n_bins(n_bins)
    lb = log_base(base)
    p, y = _probs_and_target(probs, target)
    if p.shape[1] != 2:
        raise ValueError(
            f"probs must have 2 columns (class 0, class 1) for log_loss_decomposition (got shape {p.shape})"
        )
    n = p.shape[0]
    f0, f1 = p[:, 0], p[:, 1]
    outcome = y.astype(np.float64)
    index = _uniform_bin_index(f1, m)
    size = m + 1
    counts = np.bincount(index, minlength=size)
    filled = counts > 0
    c = counts[filled]
    w = c / n
    o_b = np.bincount(index, weights=outcome, minlength=size)[filled] / c
    f1_b = np.bincount(index, weights=f1, minlength=size)[filled] / c
    f0_b = np.bincount(index, weights=f0, minlength=size)[filled] / c
    o = float(outcome.mean())
    uncertainty = float(_xlogy_ratio(np.array([o, 1.0 - o]), 1.0, np.array([o, 1.0 - o])).sum())
    resolution = float(w @ _binary_kl(o_b, np.full_like(o_b, 1.0 - o), np.full_like(o_b, o)))
    reliability = float(w @ _binary_kl(o_b, f0_b, f1_b))
    slot = np.cumsum(filled) - 1  # bin number -> position among the filled bins
    per_sample = _xlogy_ratio(outcome, f1_b[slot[index]], f1) + _xlogy_ratio(
        1.0 - outcome, f0_b[slot[index]], f0
    )
    within = float(per_sample.sum() / n)
    return LogLossDecomposition(
        uncertainty / lb + 0.0, resolution / lb + 0.0, reliability / lb + 0.0, within / lb + 0.0
    )


# --------------------------------------------------------------------------- temperature


class _Relative(NamedTuple):
    """Logits relative to each row's maximum, laid out for fast sums over the classes.

    ``rest`` (K - 1, N) holds ``z_j - max z`` (<= 0) for every class but one
    maximum (the lowest index among ties), in no particular class order; the
    maximum's own ``exp`` is 1. So
    ``sum_j exp(z_j / T - max z / T) = 1 + sum exp(rest / T)``.
    """

    rest: np.ndarray
    target_gap: np.ndarray  # z_y - max z <= 0, shape (N,)
    correct: np.ndarray  # argmax == target, as 0.0 / 1.0


def _relative_logits(logits: object, target: object) -> _Relative:
    z = check_sample_logits(logits, "logits")
    y = check_class_labels(target, z.shape[0], z.shape[1], "target")
    n, k = z.shape
    rows = np.arange(n)
    prediction = z.argmax(axis=1)
    top = z[rows, prediction]
    by_class = z.T.copy()  # (K, N): sums over the classes add whole rows of N
    by_class[prediction, rows] = by_class[k - 1]  # the last class moves into the maximum's slot
    rest = by_class[: k - 1]
    with np.errstate(over="ignore"):
        rest -= top
    if not np.isfinite(rest).all():
        raise ValueError(
            "logits: the gap between two logits of a row overflows float64 "
            f"(logits range from {z.min()!r} to {z.max()!r})"
        )
    return _Relative(rest, z[rows, y] - top, (prediction == y).astype(np.float64))


def _nll_slope(beta: float, rel: _Relative) -> tuple[float, float]:
    """First and second derivative in ``beta = 1/T`` of the mean NLL of ``softmax(beta z)``.

    ``f'(beta) = mean(E_p[z] - z_y)`` and ``f''(beta) = mean(Var_p[z])`` with
    ``p = softmax(beta z)``; both are shift-invariant, so they use ``rest``.
    """
    # Gaps near 1e300 overflow the squares (the curvature is then inf or NaN and bisection takes over).
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.multiply(rel.rest, beta)
        np.exp(w, out=w)
        s = 1.0 + w.sum(axis=0)
        mean_z = np.einsum("kn,kn->n", w, rel.rest) / s
        second = np.einsum("kn,kn,kn->n", w, rel.rest, rel.rest) / s
        slope = float(np.mean(mean_z) - np.mean(rel.target_gap))
        curvature = float(np.mean(np.maximum(second - mean_z * mean_z, 0.0)))
    return slope, curvature


def fit_temperature(logits: object, target: object) -> float:
    """The temperature ``T > 0`` that minimises the mean NLL of ``softmax(logits / T)``.

    .. math:: T^* = \\arg\\min_{T > 0} \\; \\frac{1}{N} \\sum_n -\\log \\operatorname{softmax}(z_n / T)_{y_n}

    In ``beta = 1/T`` the mean NLL is convex (its second derivative is the mean
    variance of the logits under ``softmax(beta z)``), so the minimum is the one
    root of ``f'(beta) = mean(E_p[z] - z_y)``. It is found by Newton's method on
    ``beta``, kept inside a bracket ``[lo, hi]`` with ``f'(lo) < 0 < f'(hi)``
    (bisection or doubling whenever a Newton step leaves it), to machine precision:
    a Newton step below 1e-9 relative is the last (the next would be ~1e-18).

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Finite logits, one row per sample.
    target : array_like of int, shape (N,)
        True class indices.

    Returns
    -------
    float
        ``T* > 0``. ``T > 1`` softens an overconfident model; dividing by ``T`` never
        changes a row's largest class, so accuracy is the same at every ``T``.

    Raises
    ------
    ValueError
        For bad input, and where no finite ``T > 0`` minimises the NLL:

        - every target already has its row's largest logit (ties included):
          the NLL keeps falling as ``T -> 0`` (perfectly separated data);
        - ``f'(0) >= 0``, i.e. on average the target's logit is not above its
          row's mean logit: the NLL is smallest as ``T -> infinity`` (uniform
          probabilities);
        - the best ``T`` is below 1e-300 (logit gaps that small), beyond float64.

    Notes
    -----
    If every row's logits are all equal, the probabilities are uniform at every
    ``T`` and the NLL does not depend on ``T``: the function returns 1.0 (leave
    the logits as they are). Adding a constant to a row changes nothing; scaling
    all logits by ``c > 0`` scales ``T*`` by ``c``.

    Examples
    --------
    Three samples, two right: the best temperature is where the mean probability
    of the right class matches the data.

    >>> t = fit_temperature([[2.0, 0.0], [2.0, 0.0], [2.0, 0.0]], [0, 0, 1])
    >>> round(t, 10) == round(2 / math.log(2), 10)   # softmax([2, 0] / T)[0] = 2/3
    True
    """
    rel = _relative_logits(logits, target)
    reason = _why_no_minimum(rel)
    if reason == "flat":
        return 1.0
    if reason == "infinity":
        raise ValueError(
            "fit_temperature: the mean NLL is smallest as T -> infinity (uniform probabilities), "
            "so no finite temperature minimises it: on average the target's logit is not above "
            "its row's mean logit"
        )
    if reason == "zero":
        raise ValueError(
            "fit_temperature: the mean NLL keeps falling as T -> 0, so no temperature minimises it: "
            "every target already has its row's largest logit (perfectly separated data)"
        )
    largest = -float(
        rel.rest.min()
    )  # > 0; scaled, the root mean square neither overflows nor underflows to 0
    beta = min(1.0 / (largest * math.sqrt(float(np.mean(np.square(rel.rest / largest))))), _BETA_MAX)
    n = rel.target_gap.size
    if n >= 4 * _WARM_START_ROWS:  # solve on every k-th sample first: a start ~1% off saves full iterations
        stride = n // _WARM_START_ROWS
        sample = _Relative(
            np.ascontiguousarray(rel.rest[:, ::stride]), rel.target_gap[::stride], rel.correct[::stride]
        )
        if not _why_no_minimum(sample):
            beta = _solve_beta(sample, beta)
    beta = _solve_beta(rel, beta)
    if not 0.0 < beta < math.inf or not 1.0 / beta > 0.0:
        raise ValueError(
            "fit_temperature: the best temperature is beyond float64's range for these logits "
            f"(the largest gap to a row's maximum is {largest!r})"
        )
    return 1.0 / beta


#: The largest 1 / T tried; logits whose gaps are below 1e-300 need more and cannot be fitted.
_BETA_MAX = 1e300
#: fit_temperature warms up on about this many samples when it has at least four times as many.
_WARM_START_ROWS = 4096


def _why_no_minimum(rel: _Relative) -> str:
    """'' when the mean NLL has its minimum at a finite ``T > 0``; else 'flat', 'infinity' or 'zero'.

    ``f'(0) = mean(mean_j z_j - z_y)`` must be < 0 (else the minimum is at ``beta <= 0``,
    ``T = infinity``) and ``f'(infinity) = mean(max z - z_y)`` > 0 (else it falls forever as ``T -> 0``).
    """
    if not rel.rest.any():
        return "flat"
    target_gap = float(np.mean(rel.target_gap))
    k = rel.rest.shape[0] + 1
    if float(np.mean(rel.rest.sum(axis=0) / k)) - target_gap >= 0:
        return "infinity"
    if target_gap == 0:
        return "zero"
    return ""


def _solve_beta(rel: _Relative, beta: float) -> float:
    """The root of ``f'(beta)``: Newton steps inside a bracket, bisection or doubling when a step leaves it."""
    lo, hi = 0.0, math.inf
    for _ in range(200):
        slope, curvature = _nll_slope(beta, rel)
        if slope == 0.0:
            return beta
        if slope < 0:
            lo = beta
        else:
            hi = beta
        step = beta - slope / curvature if curvature > 0 else math.nan
        if lo < step < hi:
            if abs(step - beta) <= 1e-9 * beta:  # quadratic convergence: the next step would be below 1e-17
                return step
            new = step
        elif math.isinf(hi):
            new = 2.0 * beta
            if new > _BETA_MAX:  # T* < 1e-300: outside what is fitted here
                return math.inf
        elif lo > 0 and hi > 2.0 * lo:
            new = math.sqrt(lo * hi)
        else:
            new = 0.5 * (lo + hi)
        if abs(new - beta) <= 2.0 * _EPS * beta or (hi - lo <= 2.0 * _EPS * hi < math.inf):
            return new
        beta = new
    return beta


def temperature_sweep(
    logits: object,
    target: object,
    temperatures: object,
    *,
    n_bins: int = 15,
    base: float = math.e,
    fast: bool = False,
) -> TemperatureSweep:
    """Mean cross-entropy, ECE and reliability bins of ``softmax(logits / T)`` for a grid of ``T``.

    One call for a whole grid, to feed a live temperature control. Dividing by
    ``T`` keeps each row's largest class, so which samples are right is worked
    out once; per ``T`` only the top-label confidence
    ``1 / sum_j exp((z_j - max z) / T)`` and the log-sum-exp change:

    .. math:: \\mathrm{CE}_n(T) = \\log \\sum_j e^{(z_{nj} - \\max z_n)/T} - (z_{n y_n} - \\max z_n) / T

    Parameters
    ----------
    logits : array_like, shape (N, K)
    target : array_like of int, shape (N,)
    temperatures : array_like, shape (n_T,)
        Positive, finite.
    n_bins : int, default 15
        Uniform bins, as :func:`reliability_bins` (so ``n_bins + 1`` columns).
    base : float, default e
        Log base of the mean cross-entropy.
    fast : bool, default False
        Take the exponentials of the classes other than the top one in float32
        (about 2.5 times faster; the exponentials are nearly all the work) and
        everything else in float64. Each of those terms is then off by up to
        1e-7 of itself, so a confidence ``c`` by up to about ``1e-7 (1 - c)`` and
        the mean cross-entropy by up to about 1e-7 nats: enough for a chart, but a
        sample that close to a bin edge may be counted in the neighbouring bin.

    Returns
    -------
    TemperatureSweep
        ``mean_cross_entropy`` and ``calibration_error`` of shape (n_T,);
        ``counts``, ``confidence``, ``accuracy`` of shape (n_T, n_bins + 1).
        Row ``i`` equals what :func:`expected_calibration_error` and
        :func:`reliability_bins` give for ``softmax(logits / T_i)`` (to rounding).

    Examples
    --------
    >>> sweep = temperature_sweep([[2.0, 0.0], [0.0, 1.0]], [0, 0], [0.5, 1.0, 2.0], n_bins=4)
    >>> sweep.calibration_error.round(4).tolist()
    [0.4314, 0.4251, 0.1768]
    >>> sweep.counts[0].tolist()
    [0, 0, 0, 2, 0]
    """
    m = check_n_bins(n_bins)
    lb = log_base(base)
    rel = _relative_logits(logits, target)
    temps = check_temperatures(temperatures)
    size = m + 1
    mean_gap = float(np.mean(rel.target_gap))
    right_offset = np.where(rel.correct > 0, size, 0)
    n_t = temps.size
    mean_ce = np.empty(n_t)
    counts = np.empty((n_t, size), dtype=np.int64)
    conf_sum = np.empty((n_t, size))
    right_sum = np.empty((n_t, size))
    rest32 = rel.rest.astype(np.float32) if fast else None
    w64 = np.empty_like(rel.rest)
    w32 = np.empty_like(rest32) if fast else None
    for i, t in enumerate(temps):
        # Divide, not multiply by 1/T: a tie with the top (0) stays 0 when 1/T overflows, and -x/T -> -inf.
        with np.errstate(over="ignore"):
            if fast and 1e-30 < t < 1e30:  # float32 holds T and 1/T comfortably
                w = np.divide(rest32, np.float32(t), out=w32)
            else:
                w = np.divide(rel.rest, t, out=w64)
            np.exp(w, out=w)
            s = w.sum(axis=0, dtype=np.float64)
            s += 1.0
            confidence = 1.0 / s
            mean_ce[i] = np.mean(np.log(s)) - mean_gap / t  # +inf as T -> 0 when some top class is wrong
        index = _uniform_bin_index(confidence, m)
        split = np.bincount(index + right_offset, minlength=2 * size)  # wrong ones, then right ones, per bin
        counts[i] = split[:size] + split[size:]
        right_sum[i] = split[size:]
        conf_sum[i] = np.bincount(index, weights=confidence, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf_mean = conf_sum / counts
        accuracy = right_sum / counts
    lower, upper = _uniform_edges(m)
    return TemperatureSweep(
        temps,
        mean_ce / lb + 0.0,
        _calibration_error(counts, conf_mean, accuracy),
        counts,
        conf_mean,
        accuracy,
        lower,
        upper,
    )
