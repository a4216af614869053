"""ce_core.calibration: ECE and reliability bins, the log-loss decomposition, temperature scaling.

Reference values from torchmetrics and SciPy are checked in tests/test_reference_values.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core.calibration import _uniform_bin_index
from ce_core.losses import softmax_cross_entropy
from ce_core.softmax import softmax
from tests.strategies import classification_batches, labelled_probability_batches


def _model(seed: int, n: int, k: int, *, scale: float = 3.0, sharpen: float = 2.0):
    """Logits and labels drawn from softmax(logits / sharpen): sharpen > 1 is an overconfident model."""
    rng = np.random.default_rng(seed)
    z = scale * rng.standard_normal((n, k))
    truth = softmax(z / sharpen)
    y = (truth.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1)
    return z, np.minimum(y, k - 1)


def _mean_nll(z, y, t):
    return softmax_cross_entropy(np.asarray(z) / t, np.asarray(y))


# --------------------------------------------------------------------------- bins


@pytest.mark.parametrize("n_bins", [1, 2, 3, 7, 10, 15, 100])
def test_uniform_bin_index_is_bucketize_right(n_bins):
    """floor(v M) with one correction equals searchsorted(m/M, v, side='right') - 1 (torch.bucketize right=True)."""
    edges = np.arange(n_bins + 1) / n_bins
    rng = np.random.default_rng(n_bins)
    values = np.concatenate(
        [
            rng.random(10_000),
            edges,
            np.nextafter(edges, -1.0)[1:],
            np.nextafter(edges, 2.0)[:-1],
            [0.2, 1 / 3, 0.4, 2 / 3, 0.8, 1.0, 0.0],
        ]
    )
    np.testing.assert_array_equal(
        _uniform_bin_index(values, n_bins), np.searchsorted(edges, values, side="right") - 1
    )


def test_bins_are_closed_on_the_left_and_confidence_one_has_its_own_bin():
    probs = [[0.2] * 5, [1 / 3, 1 / 3, 1 / 3, 0, 0], [1.0, 0, 0, 0, 0], [0.4, 0.3, 0.3, 0, 0]]
    bins = ce_core.reliability_bins(probs, [0, 1, 0, 0])
    assert bins.counts.size == 16
    assert bins.counts.nonzero()[0].tolist() == [3, 5, 6, 15]  # 0.2 = 3/15, 1/3 = 5/15, 0.4 = 6/15, 1
    assert bins.lower[3] == 0.2
    assert bins.upper[2] == 0.2
    assert (bins.lower[15], bins.upper[15]) == (1.0, 1.0)
    assert bins.accuracy[5] == 0.0  # the tie [1/3, 1/3, 1/3] predicts class 0, the lowest index
    assert np.isnan(bins.confidence[0])


def test_reliability_bins_against_a_loop_over_masks():
    z, y = _model(1, 3000, 6)
    probs = softmax(z)
    bins = ce_core.reliability_bins(probs, y, n_bins=10)
    confidence, prediction = probs.max(axis=1), probs.argmax(axis=1)
    ece = 0.0
    for b in range(10):
        inside = (confidence >= b / 10) & (confidence < (b + 1) / 10)
        assert bins.counts[b] == inside.sum()
        if inside.any():
            assert bins.confidence[b] == pytest.approx(confidence[inside].mean(), rel=1e-14)
            assert bins.accuracy[b] == pytest.approx((prediction == y)[inside].mean(), rel=1e-14)
            ece += inside.mean() * abs((prediction == y)[inside].mean() - confidence[inside].mean())
    assert ce_core.expected_calibration_error(probs, y, n_bins=10) == pytest.approx(ece, rel=1e-12)


def test_quantile_bins_have_equal_mass():
    rng = np.random.default_rng(2)
    p1 = rng.uniform(0.5, 0.999, 150)
    probs = np.stack([p1, 1 - p1], axis=1)
    bins = ce_core.reliability_bins(probs, np.zeros(150, dtype=int), binning="quantile")
    assert bins.counts.tolist() == [10] * 15 + [0]
    assert np.all(np.diff(bins.lower) >= 0)


def test_quantile_bins_keep_ties_together():
    probs = [[0.6, 0.4]] * 7 + [[0.9, 0.1]] * 3
    bins = ce_core.reliability_bins(probs, [0] * 10, n_bins=4, binning="quantile")
    assert sorted(bins.counts.tolist()) == [0, 0, 0, 3, 7]


def test_ece_constant_confidence_is_the_gap_to_accuracy():
    probs = [[0.7, 0.2, 0.1]] * 10
    y = [0] * 4 + [1] * 6
    assert ce_core.expected_calibration_error(probs, y) == pytest.approx(0.3, abs=1e-15)
    assert ce_core.expected_calibration_error(probs, y, binning="quantile") == pytest.approx(0.3, abs=1e-15)


def test_ece_of_a_calibrated_model_falls_toward_zero():
    """Labels drawn from the model's own probabilities: only sampling noise is left, ~ 1/sqrt(N)."""
    rng = np.random.default_rng(3)
    eces = []
    for n in (300, 3_000, 30_000, 300_000):
        probs = softmax(2.0 * rng.standard_normal((n, 4)))
        y = np.minimum((probs.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1), 3)
        eces.append(ce_core.expected_calibration_error(probs, y))
    assert eces == sorted(eces, reverse=True)
    assert eces[-1] < 0.005 < eces[0]


def test_ece_of_an_overconfident_model_drops_after_temperature_scaling():
    z, y = _model(4, 20_000, 10, sharpen=2.5)
    t = ce_core.fit_temperature(z, y)
    assert t > 1.5
    assert ce_core.expected_calibration_error(softmax(z / t), y) < 0.3 * ce_core.expected_calibration_error(
        softmax(z), y
    )


def test_classwise_reliability_is_one_vs_rest():
    z, y = _model(5, 2000, 4)
    probs = softmax(z)
    bins = ce_core.classwise_reliability(probs, y, 2, n_bins=5)
    inside = (probs[:, 2] >= 0.2) & (probs[:, 2] < 0.4)
    assert bins.counts[1] == inside.sum()
    assert bins.accuracy[1] == pytest.approx((y[inside] == 2).mean(), rel=1e-14)
    assert bins.confidence[1] == pytest.approx(probs[inside, 2].mean(), rel=1e-14)


@given(labelled_probability_batches())
def test_ece_is_a_probability_and_ignores_sample_order(batch):
    probs, y = batch
    ece = ce_core.expected_calibration_error(probs, y)
    assert 0.0 <= ece <= 1.0 + 1e-12
    order = np.arange(len(y))[::-1]
    assert ce_core.expected_calibration_error(probs[order], y[order]) == pytest.approx(ece, abs=1e-12)
    bins = ce_core.reliability_bins(probs, y, binning="quantile")
    assert bins.counts.sum() == len(y)


# --------------------------------------------------------------------------- decomposition


def _binary(seed: int, n: int = 5000):
    rng = np.random.default_rng(seed)
    f = 1.0 / (1.0 + np.exp(-2.0 * rng.standard_normal(n)))
    y = (rng.random(n) < np.clip(0.8 * f + 0.1, 0, 1)).astype(np.int64)
    return np.stack([1.0 - f, f], axis=1), y


@pytest.mark.parametrize("seed", [10, 11, 12])
@pytest.mark.parametrize("n_bins", [1, 5, 15, 50])
def test_decomposition_adds_up_to_mean_cross_entropy(seed, n_bins):
    probs, y = _binary(seed)
    d = ce_core.log_loss_decomposition(probs, y, n_bins=n_bins)
    mean_ce = float(np.mean(-np.log(probs[np.arange(len(y)), y])))
    assert abs(d.uncertainty - d.resolution + d.reliability + d.within_bin - mean_ce) <= 1e-12
    assert d.total == pytest.approx(mean_ce, abs=1e-12)
    assert d.uncertainty >= 0
    assert d.resolution >= 0
    assert d.reliability >= 0
    assert d.resolution <= d.uncertainty + 1e-15


def test_decomposition_terms_by_their_definitions():
    probs, y = _binary(13, 2000)
    d = ce_core.log_loss_decomposition(probs, y, n_bins=15, base=2)
    f = probs[:, 1]
    o = y.mean()

    def h(p):  # binary entropy in bits
        return -sum(x * math.log2(x) for x in (p, 1 - p) if x > 0)

    def kl(a, b):
        return sum(x * math.log2(x / r) for x, r in ((a, b), (1 - a, 1 - b)) if x > 0)

    res = rel = ce_bins = 0.0
    for b in range(16):
        inside = (f >= b / 15) & (f < (b + 1) / 15) if b < 15 else f == 1
        if inside.any():
            w, o_b, f_b = inside.mean(), y[inside].mean(), f[inside].mean()
            res += w * kl(o_b, o)
            rel += w * kl(o_b, f_b)
            ce_bins += w * (h(o_b) + kl(o_b, f_b))
    mean_ce = float(np.mean(-np.log2(probs[np.arange(len(y)), y])))
    assert d.uncertainty == pytest.approx(h(o), rel=1e-13)
    assert d.resolution == pytest.approx(res, rel=1e-10)
    assert d.reliability == pytest.approx(rel, rel=1e-10)
    assert d.within_bin == pytest.approx(mean_ce - ce_bins, abs=1e-12)  # the closed form is the remainder


def test_within_bin_is_zero_when_every_bin_holds_one_forecast():
    probs = [[0.9, 0.1]] * 5 + [[0.5, 0.5]] * 4 + [[0.2, 0.8]] * 6
    y = [0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1]
    d = ce_core.log_loss_decomposition(probs, y)
    assert abs(d.within_bin) <= 1e-15


def test_within_bin_is_negative_when_higher_forecasts_come_true_inside_a_bin():
    d = ce_core.log_loss_decomposition([[0.45, 0.55], [0.4, 0.6]], [0, 1], n_bins=1)
    assert d.within_bin < 0


def test_decomposition_with_a_forecast_of_zero_that_happens_is_infinite():
    d = ce_core.log_loss_decomposition([[1.0, 0.0], [0.5, 0.5], [0.2, 0.8]], [1, 0, 1])
    assert d.total == math.inf
    assert d.reliability == math.inf


@given(labelled_probability_batches(num_classes=2, max_rows=30, positive=True), st.integers(1, 20))
def test_decomposition_adds_up_for_any_binary_forecast(batch, n_bins):
    probs, y = batch
    d = ce_core.log_loss_decomposition(probs, y, n_bins=n_bins)
    mean_ce = float(np.mean(-np.log(probs[np.arange(len(y)), y])))
    assert abs(d.total - mean_ce) <= 1e-12 * max(1.0, mean_ce)
    assert min(d.uncertainty, d.resolution, d.reliability) >= -1e-15


# --------------------------------------------------------------------------- temperature


@pytest.mark.parametrize(("seed", "k", "sharpen"), [(20, 3, 2.0), (21, 10, 0.5), (22, 5, 1.0), (23, 2, 4.0)])
def test_fitted_temperature_is_a_true_minimum(seed, k, sharpen):
    z, y = _model(seed, 4000, k, sharpen=sharpen)
    t = ce_core.fit_temperature(z, y)
    best = _mean_nll(z, y, t)
    assert _mean_nll(z, y, t * (1 - 1e-3)) >= best
    assert _mean_nll(z, y, t * (1 + 1e-3)) >= best
    # d NLL / d(1/T) = mean(E_p[z] - z_y) with p = softmax(z / T): zero at the minimum.
    p = softmax(z / t)
    slope = np.mean((p * z).sum(axis=1) - z[np.arange(len(y)), y])
    assert abs(slope) <= 1e-12 * np.abs(z).max()


def test_temperature_of_a_known_case():
    # Identical rows [2, 0], right 2 times in 3: softmax([2, 0] / T)[0] = 2/3 at T = 2 / ln 2.
    assert ce_core.fit_temperature([[2.0, 0.0]] * 3, [0, 0, 1]) == pytest.approx(2 / math.log(2), rel=1e-14)


def test_temperature_invariances():
    z, y = _model(24, 3000, 7)
    t = ce_core.fit_temperature(z, y)
    shift = np.random.default_rng(0).normal(0, 50, (len(y), 1))
    assert ce_core.fit_temperature(z + shift, y) == pytest.approx(t, rel=1e-12)
    order = np.random.default_rng(1).permutation(len(y))
    assert ce_core.fit_temperature(z[order], y[order]) == pytest.approx(t, rel=1e-12)
    for c in (1e-3, 0.5, 7.0, 1e4):
        assert ce_core.fit_temperature(c * z, y) == pytest.approx(c * t, rel=1e-12)


@pytest.mark.parametrize("scale", [1e-290, 1e-10, 1.0, 1e10, 1e300])
def test_temperature_scales_with_logits_across_the_float_range(scale):
    # Top class right 4 times in 5 with a gap s: 1 / (1 + e^(-s/T)) = 4/5 at T = s / ln 4.
    z = np.array([[1.0, 0.0], [0.0, 1.0]] * 2 + [[0.0, 1.0]]) * scale
    assert ce_core.fit_temperature(z, [0, 1, 0, 1, 0]) == pytest.approx(scale / math.log(4), rel=1e-14)


def test_temperature_below_float_range_is_an_error():
    with pytest.raises(ValueError, match="beyond float64's range"):
        ce_core.fit_temperature(
            np.array([[1.0, 0.0], [0.0, 1.0]] * 2 + [[0.0, 1.0]]) * 1e-300, [0, 1, 0, 1, 0]
        )


def test_equal_logits_give_temperature_one():
    assert ce_core.fit_temperature([[3.0, 3.0, 3.0], [-1.0, -1.0, -1.0]], [0, 2]) == 1.0
    assert ce_core.fit_temperature([[5.0], [2.0]], [0, 0]) == 1.0
    assert ce_core.fit_temperature(0.5 * np.array([[0.0, 0.0]]), [0]) == 1.0  # Hypothesis: not 0.5 * 1.0


def test_separable_data_has_no_best_temperature():
    with pytest.raises(ValueError, match=r"keeps falling as T -> 0.*perfectly separated"):
        ce_core.fit_temperature([[3.0, 0.0], [0.0, 1.0], [2.0, 2.0]], [0, 1, 0])


def test_worse_than_uniform_has_its_best_temperature_at_infinity():
    with pytest.raises(ValueError, match=r"smallest as T -> infinity"):
        ce_core.fit_temperature([[3.0, 0.0], [0.0, 1.0]], [1, 0])


@given(classification_batches(max_rows=8, magnitude=20.0), st.integers(-50, 50), st.floats(0.01, 100))
def test_temperature_invariances_hold_for_any_batch(batch, shift, scale):
    z, y = batch
    z = np.round(z * 2.0**20) / 2.0**20  # on a grid: z + shift is exact (a shift of 1 would absorb 1e-308)
    try:
        t = ce_core.fit_temperature(z, y)
    except ValueError as err:
        with pytest.raises(
            ValueError, match=str(err).split(":")[1][:30].replace("(", r"\(").replace(")", r"\)")
        ):
            ce_core.fit_temperature(z + shift, y)
        return
    assert t > 0
    assert ce_core.fit_temperature(z + shift, y) == t  # the same gaps to the row maxima, bit for bit
    if (z == z[:, :1]).all():  # equal logits in every row: any T will do, 1.0 at every scale
        assert t == 1.0
        return
    assert ce_core.fit_temperature(scale * z, y) == pytest.approx(scale * t, rel=1e-6)
    best = _mean_nll(z, y, t)
    tolerance = 1e-12 * max(1.0, best)
    assert _mean_nll(z, y, t * (1 - 1e-3)) >= best - tolerance
    assert _mean_nll(z, y, t * (1 + 1e-3)) >= best - tolerance


# --------------------------------------------------------------------------- sweep


def test_sweep_agrees_with_the_single_temperature_functions():
    # Moderate logits: no confidence within a few float64 steps of an edge or of 1, where the sweep's
    # 1 / (1 + sum of the others) and softmax's exp(0) / sum may round to different sides.
    z, y = _model(30, 3000, 6, scale=1.0)
    temps = np.geomspace(0.2, 10, 13)
    sweep = ce_core.temperature_sweep(z, y, temps)
    assert sweep.counts.shape == (13, 16)
    for i, t in enumerate(temps):
        probs = softmax(z / t)
        bins = ce_core.reliability_bins(probs, y)
        np.testing.assert_array_equal(sweep.counts[i], bins.counts)
        np.testing.assert_allclose(sweep.confidence[i], bins.confidence, rtol=1e-13)
        np.testing.assert_allclose(sweep.accuracy[i], bins.accuracy, rtol=1e-13)
        assert sweep.calibration_error[i] == pytest.approx(
            ce_core.expected_calibration_error(probs, y), abs=1e-13
        )
        assert sweep.mean_cross_entropy[i] == pytest.approx(_mean_nll(z, y, t), rel=1e-13)


def test_sweep_never_changes_which_samples_are_right():
    z, y = _model(31, 2000, 5)
    sweep = ce_core.temperature_sweep(z, y, np.geomspace(0.01, 100, 30))
    right = np.nansum(sweep.accuracy * sweep.counts, axis=1)
    np.testing.assert_allclose(right, (z.argmax(axis=1) == y).sum(), rtol=1e-12)


def test_fast_sweep_is_close_to_the_exact_one():
    z, y = _model(34, 5000, 10)
    temps = np.geomspace(0.1, 10, 25)
    exact = ce_core.temperature_sweep(z, y, temps)
    fast = ce_core.temperature_sweep(z, y, temps, fast=True)
    np.testing.assert_allclose(fast.mean_cross_entropy, exact.mean_cross_entropy, rtol=0, atol=1e-6)
    np.testing.assert_allclose(fast.calibration_error, exact.calibration_error, rtol=0, atol=1e-6)
    assert np.abs(fast.counts - exact.counts).sum() <= 4  # a sample within ~1e-7 of an edge may move


@pytest.mark.parametrize("fast", [False, True])
def test_sweep_at_extreme_temperatures_has_limits_not_nan(fast):
    z = [[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]]  # a tie for the top, and a wrong top class
    sweep = ce_core.temperature_sweep(z, [0, 2], [1e-310, 1e-40, 1.0, 1e300], fast=fast)
    assert sweep.mean_cross_entropy[0] == math.inf  # T -> 0: the wrong sample costs ever more
    assert sweep.mean_cross_entropy[-1] == pytest.approx(math.log(3), rel=1e-12)  # T -> inf: uniform
    assert sweep.counts[0].tolist() == [0] * 7 + [1] + [0] * 7 + [1]  # the tie at 1/2, the other certain
    assert not np.isnan(sweep.calibration_error).any()


def test_sweep_base_two_is_bits():
    z, y = _model(32, 100, 3)
    nats = ce_core.temperature_sweep(z, y, [0.5, 2.0]).mean_cross_entropy
    bits = ce_core.temperature_sweep(z, y, [0.5, 2.0], base=2).mean_cross_entropy
    np.testing.assert_allclose(bits, nats / math.log(2), rtol=1e-15)


def test_sweep_minimum_is_at_the_fitted_temperature():
    z, y = _model(33, 2000, 4)
    t = ce_core.fit_temperature(z, y)
    sweep = ce_core.temperature_sweep(z, y, t * np.array([0.9, 0.99, 1.0, 1.01, 1.1]))
    assert int(np.argmin(sweep.mean_cross_entropy)) == 2


# --------------------------------------------------------------------------- errors


GOOD_PROBS = [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: ce_core.expected_calibration_error([[0.5, math.nan, 0.5]], [0]),
            "probs must not contain NaN",
        ),
        (
            lambda: ce_core.expected_calibration_error([[0.5, math.inf]], [0]),
            r"probs must be finite \(got inf in row 0\)",
        ),
        (
            lambda: ce_core.expected_calibration_error([[1.2, -0.2]], [0]),
            r"probs must be non-negative \(got -0.2",
        ),
        (
            lambda: ce_core.expected_calibration_error([[1, 0]] * 3 + [[0.5, 0.43]], [0] * 4),
            r"probs must sum to 1 in every row \(row 3 sums to 0.93\)",
        ),
        (
            lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0, 3]),
            r"target holds class index 3 at sample 1, outside 0..2 for 3 classes",
        ),
        (lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0, -1]), "target holds class index -1"),
        (
            lambda: ce_core.expected_calibration_error(np.zeros((0, 3)), []),
            r"probs must hold at least one sample",
        ),
        (
            lambda: ce_core.expected_calibration_error([0.5, 0.5], [0]),
            r"probs must be a 2-D array of shape \(N, K\)",
        ),
        (lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0]), r"target must have shape \(2,\)"),
        (
            lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0.0, 1.0]),
            "target must hold integer class indices",
        ),
        (
            lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0, 1], n_bins=0),
            r"n_bins must be a whole number >= 1 \(got 0\)",
        ),
        (lambda: ce_core.expected_calibration_error(GOOD_PROBS, [0, 1], n_bins=2.5), r"n_bins .*\(got 2.5\)"),
        (
            lambda: ce_core.reliability_bins(GOOD_PROBS, [0, 1], binning="log"),
            r"binning must be 'uniform' or 'quantile' \(got 'log'\)",
        ),
        (
            lambda: ce_core.classwise_reliability(GOOD_PROBS, [0, 1], 3),
            r"class_index must be a class index in 0..2 \(got 3\)",
        ),
        (lambda: ce_core.log_loss_decomposition(GOOD_PROBS, [0, 1]), r"probs must have 2 columns"),
        (lambda: ce_core.log_loss_decomposition([[0.5, 0.5]], [0], n_bins=-1), "n_bins must be"),
        (lambda: ce_core.fit_temperature([[0.0, math.nan]], [0]), "logits must not contain NaN"),
        (lambda: ce_core.fit_temperature([[0.0, math.inf]], [0]), "logits must be finite"),
        (lambda: ce_core.fit_temperature(np.zeros((0, 2)), []), "logits must hold at least one sample"),
        (lambda: ce_core.fit_temperature([1.0, 2.0], [0]), r"logits must be a 2-D array"),
        (lambda: ce_core.fit_temperature([[1e308, -1e308]], [0]), "overflows float64"),
        (
            lambda: ce_core.temperature_sweep([[1.0, 0.0]], [0], [1.0, 0.0]),
            r"temperatures must be finite and positive \(got 0.0\)",
        ),
        (
            lambda: ce_core.temperature_sweep([[1.0, 0.0]], [0], []),
            "temperatures must be a non-empty 1-D array",
        ),
        (lambda: ce_core.temperature_sweep([[1.0, 0.0]], [0], [1.0], base=1), "base must be"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
