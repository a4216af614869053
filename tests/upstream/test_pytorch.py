"""PyTorch's own loss tests, ported to ce_core.

Sources (PyTorch 2.14.1): ``torch/testing/_internal/common_nn.py`` (the loss reference functions
and the ``*_no_reduce_test`` criterion tests), ``torch/testing/_internal/common_modules.py``
(``module_inputs_*`` and ``module_error_inputs_*`` of CrossEntropyLoss, NLLLoss, BCELoss),
``torch/testing/_internal/common_methods_invocations.py`` (``sample_inputs_*`` of cross_entropy,
nll_loss, binary_cross_entropy(_with_logits), logsumexp) and ``test/test_nn.py`` (the
cross-entropy, NLL and BCE tests). Each test names the upstream file and test it ports.

Layout: PyTorch puts the classes on axis 1, ce_core on the last axis; the stored cases are moved
accordingly. NLL takes log-probabilities: with ``log_softmax`` inputs (as the module inputs use)
``nll_loss(log_softmax(z), y)`` is ce_core's ``softmax_cross_entropy(log_softmax(z), y)``.
The values come from the real library via ``scripts/make_reference_values.py``.

Deliberate differences (each asserted here as ce_core's documented ValueError, see the
docstring of :func:`ce_core.softmax_cross_entropy` and :func:`ce_core.binary_cross_entropy`):
negative class weights, "mean" of an empty or all-ignored batch or of zero total weight (PyTorch:
NaN), probability targets that are not distributions (PyTorch takes any real numbers), targets
of another shape (no broadcasting), a scalar in logsumexp, an empty or infinite logsumexp.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import ce_core
from ce_core.binary_point import binary_logit_gradient
from tests.upstream.fixture import cases, check, ids

CN = "torch/testing/_internal/common_nn.py"
CM = "torch/testing/_internal/common_modules.py"
CMI = "torch/testing/_internal/common_methods_invocations.py"
TNN = "test/test_nn.py"

# --------------------------------------------------------------------------- stored cases (real torch values)

#: The upstream tests whose cases are stored with torch's values (by file::test prefix); each case
#: must agree at its rtol, or raise the ValueError ce_core documents (tests/upstream/fixture.check).
STORED_TESTS = (
    # common_modules.py::module_inputs_torch_nn_CrossEntropyLoss with common_nn.py::cross_entropy_loss_reference
    f"{CM}::module_inputs_torch_nn_CrossEntropyLoss",
    # common_modules.py::module_inputs_torch_nn_NLLLoss with common_nn.py::nllloss_reference / nlllossNd_reference
    f"{CM}::module_inputs_torch_nn_NLLLoss",
    # common_modules.py::module_inputs_torch_nn_BCELoss (its bce_loss_reference_fn)
    f"{CM}::module_inputs_torch_nn_BCELoss",
    # common_nn.py::bceloss_no_reduce_test, bceloss_no_reduce_scalar_test, bceloss_weights_no_reduce_test,
    # bceloss_weights_no_reduce_scalar_test and bce_with_logistic_no_reduce_test (their reference_fn)
    f"{CN}::bce",
    # common_methods_invocations.py::sample_inputs_cross_entropy
    f"{CMI}::sample_inputs_cross_entropy",
    # common_methods_invocations.py::sample_inputs_nll_loss
    f"{CMI}::sample_inputs_nll_loss",
    # common_methods_invocations.py::sample_inputs_binary_cross_entropy and ..._with_logits
    f"{CMI}::sample_inputs_binary_cross_entropy",
    # common_methods_invocations.py::sample_inputs_logsumexp and reference_inputs_logsumexp
    f"{CMI}::sample_inputs_logsumexp",
    f"{CMI}::reference_inputs_logsumexp",
    # test/test_nn.py::test_cross_entropy_loss_prob_target_all_reductions (reference cross_entropy_loss_reference)
    f"{TNN}::test_cross_entropy_loss_prob_target_all_reductions",
    # test/test_nn.py::test_cross_entropy_label_smoothing_with_probs
    f"{TNN}::test_cross_entropy_label_smoothing_with_probs",
)
STORED = [case for upstream in STORED_TESTS for case in cases(upstream)]


@pytest.mark.parametrize("case", STORED, ids=ids(STORED))
def test_stored_cases_agree_with_torch(case):
    check(case)


def test_label_smoothing_with_probs_equals_smoothing_by_hand():
    # test/test_nn.py::test_cross_entropy_label_smoothing_with_probs: the option equals
    # t (1 - e) + e / C given as the target
    rng = np.random.default_rng(11)
    z = rng.standard_normal((10, 3, 4))
    t = ce_core.softmax(rng.standard_normal((10, 3, 4)))
    for e in (0.05, 0.15):
        for reduction in ("none", "mean", "sum"):
            by_option = ce_core.softmax_cross_entropy(z, t, label_smoothing=e, reduction=reduction)
            by_hand = ce_core.softmax_cross_entropy(z, t * (1 - e) + e / 4, reduction=reduction)
            np.testing.assert_allclose(by_option, by_hand, rtol=1e-13)


# --------------------------------------------------------------------------- error inputs (no values needed)

LOGITS_2x3 = np.array([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # common_modules.py::module_error_inputs_torch_nn_CrossEntropyLoss: integer target with the
        # input's shape (PyTorch: "Expected floating point type for target with class probabilities")
        (
            lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, np.zeros((2, 3), dtype=int)),
            "target must have shape (2,) for class-index targets (got (2, 3))",
        ),
        # ... float target of another shape (PyTorch: "expected target dtype to be Long or Byte")
        (
            lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, np.array([0.0, 1.0])),
            "target must have the logits' shape (2, 3) for probability targets (got (2,))",
        ),
        # ... batch size mismatch (PyTorch: "Expected input batch_size ... to match target batch_size")
        (lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, [0, 1, 2]), "target must have shape (2,)"),
        # ... weight of the wrong shape (PyTorch: "weight tensor should be defined either for all ... classes")
        (
            lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, [0, 1], weight=[1.0, 2.0]),
            "weight must have one entry per class, shape (3,) (got shape (2,))",
        ),
        # ... probability target with ignore_index (PyTorch: "ignore_index is not supported for floating point target")
        (
            lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, ce_core.softmax(LOGITS_2x3), ignore_index=1),
            "ignore_index is only for class-index targets",
        ),
        # ... label_smoothing out of range (PyTorch: "label_smoothing must be between 0.0 and 1.0")
        (
            lambda: ce_core.softmax_cross_entropy(LOGITS_2x3, [0, 1], label_smoothing=1.5),
            "label_smoothing must be in [0, 1] (got 1.5)",
        ),
        # ... target spatial size mismatch, input (2, 3, 5) [classes last: (2, 5, 3)], target (2, 4)
        (
            lambda: ce_core.softmax_cross_entropy(np.zeros((2, 5, 3)), np.zeros((2, 4), dtype=int)),
            "target must have shape (2, 5) for class-index targets (got (2, 4))",
        ),
        # test/test_nn.py::test_cross_entropy_label_smoothing_errors (index and probability targets)
        (
            lambda: ce_core.softmax_cross_entropy(np.zeros((3, 4)), np.arange(3), label_smoothing=1.2),
            "label_smoothing must be in [0, 1] (got 1.2)",
        ),
        (
            lambda: ce_core.softmax_cross_entropy(
                np.zeros((3, 4)), np.full((3, 4), 0.25), label_smoothing=1.2
            ),
            "label_smoothing must be in [0, 1] (got 1.2)",
        ),
        # test/test_nn.py::test_nll_loss_mismatched_batch: input (10, 3), target (3,)
        (
            lambda: ce_core.softmax_cross_entropy(np.zeros((10, 3)), np.zeros(3, dtype=int)),
            "target must have shape (10,) for class-index targets (got (3,))",
        ),
        # test/test_nn.py::test_nll_loss_invalid_target_dim: target (10, 2) for input (10, 3)
        (
            lambda: ce_core.softmax_cross_entropy(np.zeros((10, 3)), np.zeros((10, 2), dtype=int)),
            "target must have shape (10,) for class-index targets (got (10, 2))",
        ),
        # test/test_nn.py::test_nll_loss_invalid_weights: weights (4,) and (1, 3) for 3 classes
        (
            lambda: ce_core.softmax_cross_entropy(
                np.zeros((10, 3)), np.zeros(10, dtype=int), weight=np.ones(4)
            ),
            "weight must have one entry per class, shape (3,) (got shape (4,))",
        ),
        (
            lambda: ce_core.softmax_cross_entropy(
                np.zeros((10, 3)), np.zeros(10, dtype=int), weight=np.ones((1, 3))
            ),
            "weight must have one entry per class, shape (3,) (got shape (1, 3))",
        ),
        # test/test_nn.py::test_bce_loss_size_mismatch: (25,) against (25, 1) (PyTorch: "Using a target size")
        (
            lambda: ce_core.binary_cross_entropy(np.full((25, 1), 0.5), np.full(25, 0.5)),
            "y and y_hat must have matching shapes (got (25, 1) and (25,))",
        ),
        (
            lambda: ce_core.binary_cross_entropy(np.full(25, 0.5), np.full((25, 1), 0.5)),
            "y and y_hat must have matching shapes (got (25,) and (25, 1))",
        ),
        # test/test_nn.py::test_bce_with_logits_raises_if_target_and_input_are_different_size
        (
            lambda: ce_core.sigmoid_focal_loss(np.zeros((5, 1)), np.full(5, 0.5), alpha=-1, gamma=0),
            "logits and target must have the same shape (got (5, 1) and (5,))",
        ),
        (
            lambda: ce_core.sigmoid_focal_loss(np.zeros(5), np.full((5, 1), 0.5), alpha=-1, gamma=0),
            "logits and target must have the same shape (got (5,) and (5, 1))",
        ),
        # test/test_nn.py::test_bce_loss_input_range: predictions below 0 and above 1 (PyTorch: "between 0 and 1")
        (
            lambda: ce_core.binary_cross_entropy(np.full((25, 25), 0.5), np.full((25, 25), 0.5) - 1.0),
            "y_hat must lie in [0, 1] (got -0.5)",
        ),
        (
            lambda: ce_core.binary_cross_entropy(np.full((25, 25), 0.5), np.full((25, 25), 0.5) + 1.0),
            "y_hat must lie in [0, 1] (got 1.5)",
        ),
    ],
)
def test_error_inputs(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


# --------------------------------------------------------------------------- test/test_nn.py properties


def test_bce_loss_always_nonnegative():
    # test/test_nn.py::test_bce_loss_always_nonnegative
    assert ce_core.binary_cross_entropy(np.ones(5), np.ones(5)) == 0.0
    assert ce_core.binary_cross_entropy(np.zeros(5), np.zeros(5)) == 0.0


def test_bce_with_logits_gives_same_result_as_sigmoid_and_bce_loss():
    # test/test_nn.py::test_bce_with_logits_gives_same_result_as_sigmoid_and_bce_loss
    rng = np.random.default_rng(1)
    target = rng.random((64, 4))
    output = rng.random((64, 4)) - 0.5
    with_logits = ce_core.sigmoid_focal_loss(output, target, alpha=-1, gamma=0, reduction="mean")
    assert with_logits == pytest.approx(
        ce_core.binary_cross_entropy(target, ce_core.sigmoid(output)), rel=1e-13
    )
    target, output = np.zeros((4, 1)), np.full((4, 1), -100.0)
    np.testing.assert_allclose(
        ce_core.sigmoid_focal_loss(output, target, alpha=-1, gamma=0),
        ce_core.binary_cross_entropy(target, ce_core.sigmoid(output), reduction="none"),
        rtol=1e-13,
    )


def test_bce_with_logits_has_correct_grad_at_zero():
    # test/test_nn.py::test_bce_with_logits_has_correct_grad_at_zero: d/dz BCE(sigmoid(0), 0) = 0.5
    grad = binary_logit_gradient(np.zeros((3, 1)), ce_core.sigmoid(np.zeros((3, 1))))
    np.testing.assert_array_equal(grad, np.full((3, 1), 0.5))


def test_bce_loss_broadcasts_weights():
    # test/test_nn.py::test_bce_loss_broadcasts_weights: weight (4,) or (16, 1) equals the expanded (16, 4)
    rng = np.random.default_rng(2)
    target = rng.random((16, 4))
    prob = ce_core.sigmoid(rng.random((16, 4)) - 0.5)
    for weight in (rng.random(4), rng.random((16, 1))):
        expanded = np.broadcast_to(weight, (16, 4)).copy()
        assert ce_core.binary_cross_entropy(target, prob, weight=weight) == pytest.approx(
            ce_core.binary_cross_entropy(target, prob, weight=expanded), rel=1e-15
        )
    # a weight that would add samples is refused (ce_core's no-broadcast rule)
    with pytest.raises(ValueError, match="without changing its shape"):
        ce_core.binary_cross_entropy(target, prob, weight=rng.random((2, 16, 4)))


def test_bce_with_logits_stability():
    # test/test_nn.py::test_bce_with_logits_stability: logits [0, -120], targets [0, 1] stay finite
    out = ce_core.sigmoid_focal_loss([0.0, -120.0], [0.0, 1.0], alpha=-1, gamma=0)
    assert np.isfinite(out).all()
    assert out[1] == pytest.approx(120.0, rel=1e-15)  # -log sigmoid(-120) = 120 + log1p(e^-120)


def test_nll_loss_out_of_bounds_ignore_index():
    # test/test_nn.py::test_nll_loss_out_of_bounds_ignore_index: 255 is ignored, not out of range
    z = np.random.default_rng(3).standard_normal((6, 3))
    t = np.array([0, 1, 255, 0, 1, 2])
    none = ce_core.softmax_cross_entropy(z, t, ignore_index=255, reduction="none")
    assert none[2] == 0.0
    assert ce_core.softmax_cross_entropy(z, t, ignore_index=255) == pytest.approx(none.sum() / 5, rel=1e-15)


@pytest.mark.parametrize("shape", [(0, 3), (0, 3, 5, 7), (2, 3, 0, 7), (2, 3, 5, 0), (2, 3, 5, 7, 0)])
def test_nll_loss_empty_tensor_reductions(shape):
    # test/test_nn.py::test_nll_loss_empty_tensor_reduction_none / _mean / _sum (classes moved last)
    z = np.zeros((shape[0], *shape[2:], shape[1]))
    t = np.zeros((shape[0], *shape[2:]), dtype=int)
    assert ce_core.softmax_cross_entropy(z, t, reduction="none").shape == t.shape
    assert ce_core.softmax_cross_entropy(z, t, reduction="sum") == 0.0
    # PyTorch returns NaN for "mean"; ce_core raises (documented difference), naming the empty batch
    with pytest.raises(ValueError, match=r"target must not be empty with reduction='mean'"):
        ce_core.softmax_cross_entropy(z, t, reduction="mean")


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 5, 7), (2, 3, 5, 7, 9)])
def test_nll_loss_total_weight_is_zero(shape):
    # test/test_nn.py::test_nll_loss_total_weight_is_zero: weight zeros, target zeros
    z = np.ones((shape[0], *shape[2:], shape[1]))
    t = np.zeros((shape[0], *shape[2:]), dtype=int)
    w = np.zeros(shape[1])
    assert ce_core.softmax_cross_entropy(z, t, weight=w, reduction="sum") == 0.0
    np.testing.assert_array_equal(
        ce_core.softmax_cross_entropy(z, t, weight=w, reduction="none"), np.zeros(t.shape)
    )
    with pytest.raises(ValueError, match="the target classes' weights sum to 0"):  # PyTorch: NaN
        ce_core.softmax_cross_entropy(z, t, weight=w, reduction="mean")


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 5, 7), (2, 3, 5, 7, 9)])
def test_nll_loss_all_ignored(shape):
    # test/test_nn.py::test_nll_loss_all_ignored: ignore_index=0 with zero targets
    z = np.ones((shape[0], *shape[2:], shape[1]))
    t = np.zeros((shape[0], *shape[2:]), dtype=int)
    assert ce_core.softmax_cross_entropy(z, t, ignore_index=0, reduction="sum") == 0.0
    np.testing.assert_array_equal(
        ce_core.softmax_cross_entropy(z, t, ignore_index=0, reduction="none"), np.zeros(t.shape)
    )
    with pytest.raises(ValueError, match="every sample equals ignore_index=0"):  # PyTorch: NaN
        ce_core.softmax_cross_entropy(z, t, ignore_index=0, reduction="mean")


def test_nll_loss_byte_target_matches_long():
    # test/test_nn.py::test_nll_loss_byte_target_matches_long
    rng = np.random.default_rng(4)
    z = rng.standard_normal((10, 4))
    t = rng.integers(0, 4, 10)
    for reduction in ("none", "mean", "sum"):
        np.testing.assert_array_equal(
            ce_core.softmax_cross_entropy(z, t.astype(np.uint8), reduction=reduction),
            ce_core.softmax_cross_entropy(z, t.astype(np.int64), reduction=reduction),
        )


def _k_dim_batch(rng, k, n=5, c=4):
    other = tuple(int(v) for v in rng.integers(2, 5, k))
    return rng.standard_normal((n, *other, c)), other


@pytest.mark.parametrize("k", range(5))
def test_cross_entropy_loss_unit_weights(k):
    # test/test_nn.py::test_cross_entropy_loss_prob_target_unit_weights and
    # test_cross_entropy_loss_index_target_unit_weights: unit class weights change nothing
    rng = np.random.default_rng(10 + k)
    z, other = _k_dim_batch(rng, k)
    index = rng.integers(0, 4, (5, *other))
    prob = ce_core.softmax(rng.standard_normal(z.shape))
    for target in (index, prob):
        for reduction in ("none", "mean", "sum"):
            np.testing.assert_array_equal(
                ce_core.softmax_cross_entropy(z, target, reduction=reduction),
                ce_core.softmax_cross_entropy(z, target, weight=np.ones(4), reduction=reduction),
            )


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_loss_prob_target_no_batch_dim(reduction, weighted):
    # test/test_nn.py::test_cross_entropy_loss_prob_target_no_batch_dim (upstream weights are randn;
    # ce_core refuses negative class weights, so their absolute values here)
    rng = np.random.default_rng(5)
    z = ce_core.log_softmax(rng.standard_normal(5))
    t = ce_core.softmax(rng.standard_normal(5))
    w = np.abs(rng.standard_normal(5)) if weighted else None
    single = ce_core.softmax_cross_entropy(z, t, weight=w, reduction=reduction)
    batch = ce_core.softmax_cross_entropy(z[None], t[None], weight=w, reduction=reduction)
    np.testing.assert_array_equal(single, batch[0] if reduction == "none" else batch)


@pytest.mark.parametrize("k", range(5))
def test_cross_entropy_loss_one_hot_target(k):
    # test/test_nn.py::test_cross_entropy_loss_one_hot_target (mean with weights skipped upstream, issue #61309:
    # index targets divide by the target weights, probability targets by N)
    rng = np.random.default_rng(20 + k)
    z, other = _k_dim_batch(rng, k)
    t = rng.integers(0, 4, (5, *other))
    one_hot = np.eye(4)[t]
    w = np.abs(rng.standard_normal(4))
    for reduction in ("none", "mean", "sum"):
        for weight in (None, w):
            if reduction == "mean" and weight is not None:
                continue
            np.testing.assert_allclose(
                ce_core.softmax_cross_entropy(z, t, weight=weight, reduction=reduction),
                ce_core.softmax_cross_entropy(z, one_hot, weight=weight, reduction=reduction),
                rtol=1e-13,
            )


@pytest.mark.parametrize("k", range(5))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("label_smoothing", [0.05, 0.15])
def test_cross_entropy_label_smoothing_consistent_index_target_and_probs(k, reduction, label_smoothing):
    # test/test_nn.py::test_cross_entropy_label_smoothing_consistent_index_target_and_probs
    rng = np.random.default_rng(30 + k)
    z, other = _k_dim_batch(rng, k, n=10)
    t = rng.integers(0, 4, (10, *other))
    proba = np.where(np.eye(4)[t] == 1, 1 - label_smoothing + label_smoothing / 4, label_smoothing / 4)
    np.testing.assert_allclose(
        ce_core.softmax_cross_entropy(z, proba, reduction=reduction),
        ce_core.softmax_cross_entropy(z, t, label_smoothing=label_smoothing, reduction=reduction),
        rtol=1e-7,
        atol=1e-12,
    )


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("label_smoothing", [0.05, 0.15])
@pytest.mark.parametrize("weight", [None, [0.3, 0.6]])
def test_cross_entropy_label_smoothing_weight_ignore_indices(reduction, label_smoothing, weight):
    # test/test_nn.py::test_cross_entropy_label_smoothing_weight_ignore_indices: the ignored row
    # (here the first) changes nothing, and "mean" does not count it in the denominator
    inp1 = np.array([[0.3, 0.4], [1.0, 2.0]])
    inp2 = np.array([[0.3, 0.6], [1.0, 2.0]])
    for ignore, target in ((-100, [-100, 1]), (-2, [-2, 1]), (2, [2, 1])):
        kw = {
            "reduction": reduction,
            "label_smoothing": label_smoothing,
            "weight": weight,
            "ignore_index": ignore,
        }
        l1 = ce_core.softmax_cross_entropy(inp1, np.array(target), **kw)
        np.testing.assert_array_equal(l1, ce_core.softmax_cross_entropy(inp2, np.array(target), **kw))
        if reduction != "none":
            assert l1 == pytest.approx(
                ce_core.softmax_cross_entropy(inp2[1:], np.array(target[1:]), **kw), rel=1e-15
            )


def test_cross_entropy_reference_functions_agree_on_the_worked_example():
    # common_nn.py::cross_entropy_loss_indices_target_reference and cross_entropy_loss_prob_target_reference:
    # weighted mean over index targets divides by the target weights, over one-hot targets by N.
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    w = np.array([1.0, 2.0, 3.0])
    per_sample = ce_core.softmax_cross_entropy(z, [0, 2], reduction="none")
    assert ce_core.softmax_cross_entropy(z, [0, 2], weight=w) == pytest.approx(
        (1.0 * per_sample[0] + 3.0 * per_sample[1]) / 4.0, rel=1e-15
    )
    assert ce_core.softmax_cross_entropy(z, np.eye(3)[[0, 2]], weight=w) == pytest.approx(
        (1.0 * per_sample[0] + 3.0 * per_sample[1]) / 2.0, rel=1e-15
    )
    assert math.isclose(ce_core.softmax_cross_entropy(z, [0, 2], weight=w), 1.9192946463, rel_tol=1e-10)
