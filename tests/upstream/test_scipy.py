"""SciPy's own tests of entropy, logsumexp, softmax and log_softmax, ported to ce_core.

Sources: ``scipy/stats/tests/test_entropy.py`` (class TestEntropy) and
``scipy/special/tests/test_logsumexp.py`` (classes TestLogSumExp, TestSoftmax, TestLogSoftmax;
SciPy keeps its softmax and log_softmax tests in that file). Expected values are the upstream
test's own (mpmath figures, or the formula the upstream test compares with).

ce_core takes the classes on the last axis (SciPy's ``entropy`` defaults to axis 0, ``softmax``
to the whole array), so ``axis=`` cases are ported by transposing or flattening. Deliberate
differences, asserted as ce_core's documented ValueError: ``entropy`` does not renormalise (SciPy
divides pk and qk by their sums), does not broadcast pk against qk, and the log-sum-exp family
takes finite logits with a class axis (SciPy returns -inf for an empty array, inf/NaN for
infinite or NaN entries, and accepts scalars and complex numbers).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import ce_core

ENTROPY = "scipy/stats/tests/test_entropy.py::TestEntropy"
LSE = "scipy/special/tests/test_logsumexp.py"


# --------------------------------------------------------------------------- scipy.stats.entropy


def test_entropy_positive():
    # scipy/stats/tests/test_entropy.py::TestEntropy::test_entropy_positive (ticket #497)
    pk = [0.5, 0.2, 0.3]
    qk = [0.1, 0.25, 0.65]
    assert abs(ce_core.kl_divergence(pk, pk)) <= 1e-16
    assert ce_core.kl_divergence(pk, qk) > 0


def test_entropy_base():
    # ...::test_entropy_base: 16 equal outcomes are 4 bits; the KL ratio between bases is ln 2
    pk = ce_core.normalize(np.ones(16))  # SciPy normalises ones(16) itself; ce_core needs a distribution
    assert abs(ce_core.entropy(pk, base=2.0) - 4.0) < 1e-5
    qk = ce_core.normalize(np.where(np.arange(16) < 8, 2.0, 1.0))
    s, s2 = ce_core.kl_divergence(pk, qk), ce_core.kl_divergence(pk, qk, base=2.0)
    assert abs(s / s2 - math.log(2.0)) < 1e-5


def test_entropy_zero():
    # ...::test_entropy_zero (PR-479): pk = [0, 1, 2] normalised by SciPy, 0 log 0 = 0
    assert ce_core.entropy(ce_core.normalize([0.0, 1.0, 2.0])) == pytest.approx(
        0.63651416829481278, rel=1e-12
    )
    # deliberate difference: ce_core does not renormalise silently
    with pytest.raises(ValueError, match="p must sum to 1"):
        ce_core.entropy([0.0, 1.0, 2.0])


PK = np.array([[0.1, 0.2], [0.6, 0.3], [0.3, 0.5]])
QK = np.array([[0.2, 0.1], [0.3, 0.6], [0.5, 0.3]])


def test_entropy_2d():
    # ...::test_entropy_2d: SciPy's default axis=0, i.e. the columns are the distributions
    np.testing.assert_allclose(ce_core.kl_divergence(PK.T, QK.T), [0.1933259, 0.18609809], rtol=1e-7)


def test_entropy_2d_zero():
    # ...::test_entropy_2d_zero: q = 0 where p > 0 is inf; p = 0 where q > 0 costs nothing
    qk = np.array([[0.0, 0.1], [0.3, 0.6], [0.5, 0.3]])
    np.testing.assert_allclose(
        ce_core.kl_divergence(ce_core.normalize(PK.T), ce_core.normalize(qk.T)),
        [math.inf, 0.18609809],
        rtol=1e-7,
    )
    pk = np.array([[0.0, 0.2], [0.6, 0.3], [0.3, 0.5]])
    np.testing.assert_allclose(
        ce_core.kl_divergence(ce_core.normalize(pk.T), ce_core.normalize(qk.T)),
        [0.17403988, 0.18609809],
        rtol=1e-7,
    )


def test_entropy_base_2d_nondefault_axis():
    # ...::test_entropy_base_2d_nondefault_axis: axis=1, rows normalised by SciPy
    np.testing.assert_allclose(
        ce_core.entropy(ce_core.normalize(PK)), [0.63651417, 0.63651417, 0.66156324], rtol=1e-7
    )


def test_entropy_2d_nondefault_axis():
    # ...::test_entropy_2d_nondefault_axis
    np.testing.assert_allclose(
        ce_core.kl_divergence(ce_core.normalize(PK), ce_core.normalize(QK)),
        [0.23104906, 0.23104906, 0.12770641],
        rtol=1e-7,
    )


def test_entropy_raises_value_error():
    # ...::test_entropy_raises_value_error: shapes (3, 2) and (2, 2)
    with pytest.raises(ValueError, match=r"p and q must have matching shapes \(got \(3, 2\) and \(2, 2\)\)"):
        ce_core.kl_divergence(ce_core.normalize(PK), ce_core.normalize(QK[:2]))


def test_base_entropy_with_axis_0_is_equal_to_default_and_transposed():
    # ...::test_base_entropy_with_axis_0_is_equal_to_default, test_entropy_with_axis_0_is_equal_to_default,
    # test_base_entropy_transposed, test_entropy_transposed: the class axis is what counts
    np.testing.assert_array_equal(
        ce_core.entropy(PK.T), [ce_core.entropy(PK[:, 0]), ce_core.entropy(PK[:, 1])]
    )
    np.testing.assert_array_equal(
        ce_core.kl_divergence(PK.T, QK.T), [ce_core.kl_divergence(PK[:, j], QK[:, j]) for j in range(2)]
    )


def test_entropy_broadcasting():
    # ...::test_entropy_broadcasting: SciPy broadcasts x (3,) against y (2, 1); ce_core refuses
    # (documented: no silent broadcast), the rows given explicitly agree row by row
    rng = np.random.default_rng(74187315492831452)
    x = ce_core.normalize(rng.random(3))
    y = rng.random((2, 1))
    with pytest.raises(ValueError, match=r"must have matching shapes \(got \(3,\) and \(2, 1\)\)"):
        ce_core.kl_divergence(x, ce_core.normalize(y))
    ys = ce_core.normalize(np.broadcast_to(y, (2, 3)))
    res = ce_core.kl_divergence(np.broadcast_to(x, (2, 3)), ys)
    np.testing.assert_array_equal(res, [ce_core.kl_divergence(x, ys[0]), ce_core.kl_divergence(x, ys[1])])


def test_entropy_shape_mismatch():
    # ...::test_entropy_shape_mismatch: (10, 1, 12) against (11, 2)
    with pytest.raises(ValueError, match="must have matching shapes"):
        ce_core.kl_divergence(np.full((10, 1, 12), 1 / 12), np.full((11, 2), 0.5))


def test_input_validation():
    # ...::test_input_validation: base=-2
    with pytest.raises(ValueError, match=r"base must be a positive number other than 1 \(got -2\)"):
        ce_core.entropy(np.full(10, 0.1), base=-2)


# --------------------------------------------------------------------------- scipy.special.logsumexp


def test_logsumexp():
    # scipy/special/tests/test_logsumexp.py::TestLogSumExp::test_logsumexp
    a = np.arange(200.0)
    assert ce_core.logsumexp(a) == pytest.approx(np.log(np.sum(np.exp(a))), rel=1e-13)
    assert ce_core.logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert ce_core.logsumexp(np.full(1000, 10000.0)) == pytest.approx(10000.0 + math.log(1000), rel=1e-15)
    x = np.full(1_000_000, 1e-40)
    log_x = np.stack([np.log(x), np.log(x)])
    np.testing.assert_allclose(np.exp(ce_core.logsumexp(log_x)), x.reshape(2, -1).sum(axis=1) * 2, rtol=1e-10)
    np.testing.assert_allclose(np.exp(ce_core.logsumexp(log_x.T)), [2e-40] * 1_000_000, rtol=1e-13)
    np.testing.assert_allclose(np.exp(ce_core.logsumexp(log_x.reshape(-1))), 2e-34, rtol=1e-10)
    # different magnitudes on the axes: [1e10, 1e-10] -> 1e10 (the row with -inf is a difference below)
    assert ce_core.logsumexp([1e10, 1e-10]) == 1e10


@pytest.mark.parametrize(
    ("logits", "scipy_gives", "message"),
    [
        ([], -math.inf, "logits must have at least one class"),  # the log of an empty sum
        ([math.inf], math.inf, "logits must be finite"),
        ([-math.inf], -math.inf, "logits must be finite"),
        ([math.nan], math.nan, "logits must not contain NaN"),
        ([-math.inf, -math.inf], -math.inf, "logits must be finite"),
        ([-1e10, -math.inf], -1e10, "logits must be finite"),  # a masked class
    ],
)
def test_logsumexp_special_values_are_refused(logits, scipy_gives, message):
    # ...::TestLogSumExp::test_logsumexp (zero-size array, special values) and test_gh22601_infinite_elements:
    # SciPy returns scipy_gives; ce_core's logits are finite scores with at least one class (documented)
    with pytest.raises(ValueError, match=message):
        ce_core.logsumexp(logits)


def test_gh18295():
    # ...::TestLogSumExp::test_gh18295: precision when one element is much larger than the rest
    assert ce_core.logsumexp([0.0, -40.0]) == pytest.approx(np.logaddexp(0.0, -40.0), rel=1e-15)
    assert ce_core.logsumexp([0.0, -40.0]) == 4.248354255291589e-18  # not 0.0
    # ... and log_softmax, which the docstring says is exact
    assert ce_core.log_softmax([0.0, -40.0])[0] == -np.logaddexp(0.0, -40.0)
    assert ce_core.log_softmax([[-40.0, 0.0, -40.0]])[0, 1] == -np.log1p(2 * np.exp(-40.0))


def test_xp_invalid_input_and_array_like():
    # ...::test_xp_invalid_input (scalar 1 and [1, 2, 3]), test_array_like ([1000, 1000])
    assert ce_core.logsumexp([1, 2, 3]) == pytest.approx(np.log(np.exp(1) + np.exp(2) + np.exp(3)), rel=1e-15)
    assert ce_core.logsumexp([1000, 1000]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    with pytest.raises(ValueError, match="logits must have a class axis"):  # SciPy: logsumexp(1) == 1
        ce_core.logsumexp(1)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_dtypes_a(dtype):
    # ...::test_dtypes_a: ce_core computes in float64 whatever the input dtype
    assert ce_core.logsumexp(np.array([1000.0, 1000.0]).astype(dtype)) == pytest.approx(
        1000.0 + math.log(2.0), rel=1e-15
    )


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_input_is_refused(dtype):
    # ...::test_dtypes_a (complex dtypes), test_logsumexp_complex_sign, test_gh21610, test_gh21709_small_imaginary:
    # SciPy computes a complex log-sum-exp; ce_core refuses complex logits by name (no ComplexWarning)
    with pytest.raises(ValueError, match="logits must be real, not complex"):
        ce_core.logsumexp(np.array([1 + 1j, 2 - 1j, -2 + 3j], dtype=dtype))


def test_no_writeback():
    # ...::test_no_writeback
    a = np.array([5.0, 4.0])
    ce_core.logsumexp(a)
    ce_core.log_softmax(a)
    np.testing.assert_array_equal(a, [5.0, 4.0])


def test_logsumexp_shape():
    # ...::test_logsumexp_shape (axis=2 of ones((1, 2, 3, 4)): ce_core reduces the last axis)
    assert ce_core.logsumexp(np.ones((1, 2, 4, 3))).shape == (1, 2, 4)


# --------------------------------------------------------------------------- scipy.special.softmax


def test_softmax_fixtures():
    # scipy/special/tests/test_logsumexp.py::TestSoftmax::test_softmax_fixtures (mpmath values)
    np.testing.assert_allclose(ce_core.softmax([1000.0, 0.0, 0.0, 0.0]), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)
    np.testing.assert_allclose(ce_core.softmax([1.0, 1.0]), [0.5, 0.5], rtol=1e-13)
    np.testing.assert_allclose(ce_core.softmax([0.0, 1.0]), np.array([1.0, np.e]) / (1 + np.e), rtol=1e-13)
    expected = [0.03205860328008499, 0.08714431874203256, 0.23688281808991013, 0.6439142598879722]
    x = np.arange(4.0)
    np.testing.assert_allclose(ce_core.softmax(x), expected, rtol=1e-13)
    np.testing.assert_allclose(ce_core.softmax(x + 100), expected, rtol=1e-13)  # translation
    # axis=None on a (2, 2) array: the whole array is one distribution (flattened here)
    np.testing.assert_allclose(
        ce_core.softmax(x.reshape(2, 2).reshape(-1)).reshape(2, 2), np.reshape(expected, (2, 2)), rtol=1e-13
    )


def test_softmax_multi_axes():
    # ...::TestSoftmax::test_softmax_multi_axes (mpmath values; axis=0 ported by transposing)
    np.testing.assert_allclose(ce_core.softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]]).T).T, 0.5, rtol=1e-13)
    np.testing.assert_allclose(
        ce_core.softmax([[1000.0, 0.0], [1000.0, 0.0]]), [[1.0, 0.0], [1.0, 0.0]], rtol=1e-13
    )
    x = np.array([[-25.0, 0.0, 25.0, 50.0], [1.0, 325.0, 749.0, 750.0]])
    expected = np.array(
        [
            [2.678636961770877e-33, 1.9287498479371314e-22, 1.3887943864771144e-11, 0.999999999986112],
            [0.0, 1.9444526359919372e-185, 0.2689414213699951, 0.7310585786300048],
        ]
    )
    np.testing.assert_allclose(ce_core.softmax(x), expected, rtol=1e-13)
    np.testing.assert_allclose(ce_core.softmax(x.T.T), expected, rtol=1e-13)
    # 3-d input with axis=(1, 2): each (2, 2) block flattened
    np.testing.assert_allclose(
        ce_core.softmax(x.reshape(2, 4)).reshape(2, 2, 2), expected.reshape(2, 2, 2), rtol=1e-13
    )


def test_softmax_int_array_and_array_like():
    # ...::TestSoftmax::test_softmax_int_array, test_softmax_array_like
    np.testing.assert_allclose(ce_core.softmax(np.array([1000, 0, 0, 0])), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)
    np.testing.assert_allclose(ce_core.softmax([1000, 0, 0, 0]), [1.0, 0.0, 0.0, 0.0], rtol=1e-13)


def test_softmax_scalar():
    # ...::TestSoftmax::test_softmax_scalar: SciPy gives softmax(1000) = 1; ce_core needs a class axis
    np.testing.assert_allclose(ce_core.softmax([1000.0]), [1.0], rtol=1e-13)
    with pytest.raises(ValueError, match="logits must have a class axis"):
        ce_core.softmax(1000.0)


# --------------------------------------------------------------------------- scipy.special.log_softmax

LOG_SOFTMAX_1D = [-3.4401896985611953, -2.4401896985611953, -1.4401896985611953, -0.44018969856119533]


def test_log_softmax_basic_int_and_array_like():
    # ...::TestLogSoftmax::test_log_softmax_basic, test_log_softmax_int_array, test_log_softmax_array_like
    for x in (np.array([1000.0, 1.0]), np.array([1000, 1]), [1000, 1]):
        np.testing.assert_allclose(ce_core.log_softmax(x), [0.0, -999.0], rtol=1e-13)


def test_log_softmax_scalar():
    # ...::TestLogSoftmax::test_log_softmax_scalar: log_softmax(1.0) = 0 in SciPy; ce_core needs a class axis
    assert ce_core.log_softmax([1.0]).tolist() == [0.0]
    with pytest.raises(ValueError, match="logits must have a class axis"):
        ce_core.log_softmax(1.0)


@pytest.mark.parametrize("offset", [0, 100])
def test_log_softmax_translation(offset):
    # ...::TestLogSoftmax::test_log_softmax_translation (mpmath values)
    np.testing.assert_allclose(ce_core.log_softmax(np.arange(4.0) + offset), LOG_SOFTMAX_1D, rtol=1e-13)


def test_log_softmax_noneaxis_2d_and_3d():
    # ...::TestLogSoftmax::test_log_softmax_noneaxis, test_log_softmax_2d_axis1, test_log_softmax_2d_axis0,
    # test_log_softmax_3d (axis=None and axis=(1, 2) as flattened blocks, axis=0 as the transpose)
    x = np.arange(4.0)
    np.testing.assert_allclose(
        ce_core.log_softmax(x).reshape(2, 2), np.reshape(LOG_SOFTMAX_1D, (2, 2)), rtol=1e-13
    )
    x2 = np.arange(8.0).reshape(2, 4)
    np.testing.assert_allclose(ce_core.log_softmax(x2), [LOG_SOFTMAX_1D] * 2, rtol=1e-13)
    np.testing.assert_allclose(ce_core.log_softmax(x2.T.T), [LOG_SOFTMAX_1D] * 2, rtol=1e-13)
    np.testing.assert_allclose(
        ce_core.log_softmax(x2).reshape(2, 2, 2), np.reshape([LOG_SOFTMAX_1D] * 2, (2, 2, 2)), rtol=1e-13
    )


def test_log_softmax_axes():
    # ...::TestLogSoftmax::test_axes: axis 0 gives log(0.5) everywhere, axis 1 [0, -999]
    x = np.array([[1000.0, 1.0], [1000.0, 1.0]])
    np.testing.assert_allclose(ce_core.log_softmax(x.T).T, np.log(0.5) * np.ones((2, 2)), rtol=1e-13)
    np.testing.assert_allclose(ce_core.log_softmax(x), [[0.0, -999.0], [0.0, -999.0]], rtol=1e-13)
