"""Every ValueError of the ce_core API, checked by its message.

A message must name the argument and show the offending value, so that a page
can show it to a learner as it is. Nothing is renormalised silently.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import ce_core
from ce_core import SUM_TOLERANCE, training

LOGITS = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]


def raises(pattern: str):
    """pytest.raises(ValueError) matching a literal message fragment."""
    return pytest.raises(ValueError, match=re.escape(pattern))


# --------------------------------------------------------------------------- probabilities


PROBABILITY_ERRORS = {
    "negative-p": (lambda: ce_core.entropy([0.5, -0.1, 0.6]), "p must be non-negative (got -0.1)"),
    "negative-q": (
        lambda: ce_core.cross_entropy([0.5, 0.5], [1.1, -0.1]),
        "q must be non-negative (got -0.1)",
    ),
    "negative-p-kl": (
        lambda: ce_core.kl_divergence([1.5, -0.5], [0.5, 0.5]),
        "p must be non-negative (got -0.5)",
    ),
    "nan-p": (lambda: ce_core.entropy([0.5, math.nan]), "p must not contain NaN (got [0.5, nan])"),
    "nan-q": (lambda: ce_core.cross_entropy([0.5, 0.5], [math.nan, 1.0]), "q must not contain NaN"),
    "inf-p": (lambda: ce_core.entropy([math.inf, 0.5]), "p must be finite (got inf)"),
    "surprisal-negative": (lambda: ce_core.surprisal(-0.25), "p must lie in [0, 1] (got -0.25)"),
    "surprisal-above-1": (lambda: ce_core.surprisal([0.5, 1.5]), "p must lie in [0, 1] (got 1.5)"),
    "surprisal-nan": (lambda: ce_core.surprisal(math.nan), "p must not contain NaN (got nan)"),
    "binary-entropy-above-1": (lambda: ce_core.binary_entropy(2.0), "p must lie in [0, 1] (got 2.0)"),
    "bce-y-hat-above-1": (
        lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 1.2]),
        "y_hat must lie in [0, 1] (got 1.2)",
    ),
    "bce-y-above-1": (
        lambda: ce_core.binary_cross_entropy([2, 0], [0.5, 0.5]),
        "y must lie in [0, 1] (got 2.0)",
    ),
    "bce-nan": (lambda: ce_core.binary_cross_entropy([1, 0], [0.5, math.nan]), "y_hat must not contain NaN"),
    "clipped-negative": (lambda: ce_core.clipped_log_loss(-0.1), "prob_true must lie in [0, 1] (got -0.1)"),
    "focal-modulation-above-1": (
        lambda: ce_core.focal_modulation(1.5, 2.0),
        "p_true must lie in [0, 1] (got 1.5)",
    ),
    "non-numeric": (lambda: ce_core.entropy(["a", "b"]), "p must be numeric (got ['a', 'b'])"),
    "ragged": (lambda: ce_core.entropy([[1.0], [0.5, 0.5]]), "p must be numeric"),
    "scalar": (lambda: ce_core.entropy(0.5), "p must have at least one axis (got the scalar 0.5)"),
    "empty": (lambda: ce_core.entropy([]), "p must have at least one class (got shape (0,))"),
}


@pytest.mark.parametrize(
    "func",
    [ce_core.entropy, lambda p: ce_core.cross_entropy(p, p), lambda p: ce_core.kl_divergence([0.5, 0.5], p)],
    ids=["entropy", "cross_entropy", "kl_divergence"],
)
def test_distribution_must_sum_to_one(func):
    with raises("must sum to 1 (got 0.93)"):
        func([0.5, 0.43])
    with raises("must sum to 1 (got 1.1)"):
        func([0.6, 0.5])


@pytest.mark.parametrize("sign", [1, -1], ids=["above", "below"])
def test_sum_tolerance_boundary(sign):
    """Sums within SUM_TOLERANCE are accepted as they are; just outside they are refused."""
    inside = [0.5, 0.5 + sign * 0.9 * SUM_TOLERANCE]
    outside = [0.5, 0.5 + sign * 1.1 * SUM_TOLERANCE]
    assert ce_core.entropy(inside) == pytest.approx(math.log(2), rel=1e-5)
    assert ce_core.cross_entropy(inside, inside) == pytest.approx(math.log(2), rel=1e-5)
    with raises(f"p must sum to 1 (got {1 + sign * 1.1 * SUM_TOLERANCE:.6g})"):
        ce_core.entropy(outside)
    with raises("q must sum to 1"):
        ce_core.kl_divergence([0.5, 0.5], outside)
    with raises("target must sum to 1"):
        ce_core.softmax_cross_entropy([[0.0, 0.0]], np.array([outside]))


def test_sum_tolerance_is_documented_value():
    assert SUM_TOLERANCE == 1e-6


def test_batch_row_not_summing_to_one_named():
    with raises("p must sum to 1 (got 0.8)"):
        ce_core.entropy([[0.5, 0.5], [0.4, 0.4]])


def test_nothing_is_renormalised_silently():
    """scipy.stats.entropy would renormalise [1, 3]; ce_core refuses it and offers normalize."""
    with raises("p must sum to 1 (got 4)"):
        ce_core.entropy([1.0, 3.0])
    assert ce_core.normalize([1.0, 3.0]).tolist() == [0.25, 0.75]


# --------------------------------------------------------------------------- shapes


def _three_labels_two_predictions(loss, message: str) -> tuple:
    """A SHAPE_ERRORS case: ``loss`` given 3 labels and 2 predictions."""
    return lambda: loss([1, 0, 1], [0.5, 0.5]), message


SHAPE_ERRORS = {
    "ce-classes": (
        lambda: ce_core.cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]),
        "p and q must have matching shapes (got (2,) and (3,))",
    ),
    "kl-batch": (
        lambda: ce_core.kl_divergence([[0.5, 0.5]] * 2, [[0.5, 0.5]] * 3),
        "p and q must have matching shapes (got (2, 2) and (3, 2))",
    ),
    "ce-one-class-vs-three": (
        lambda: ce_core.cross_entropy([[1.0], [1.0]], [[0.2, 0.3, 0.5]] * 2),
        "p and q must have matching shapes (got (2, 1) and (2, 3)): they have different numbers of classes, 1 and 3",
    ),
    "bce": _three_labels_two_predictions(
        ce_core.binary_cross_entropy, "y and y_hat must have matching shapes (got (3,) and (2,))"
    ),
    "bce-gradient": _three_labels_two_predictions(
        ce_core.binary_cross_entropy_gradient, "y and y_hat must have matching shapes (got (3,) and (2,))"
    ),
    "squared-error": _three_labels_two_predictions(
        ce_core.squared_error, "y and y_hat must have matching shapes"
    ),
    "absolute-error": _three_labels_two_predictions(
        ce_core.absolute_error, "y and y_hat must have matching shapes"
    ),
    "bce-weight": (
        lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], weight=[1, 2, 3]),
        "weight must broadcast against y without changing its shape (2,) (got shape (3,))",
    ),
    "index-target-shape": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [0, 1, 2]),
        "target must have shape (2,) for class-index targets (got (3,))",
    ),
    "probability-target-shape": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [[0.5, 0.5], [0.5, 0.5]]),
        "target must have the logits' shape (2, 3) for probability targets (got (2, 2))",
    ),
    "class-weight-shape": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [0, 1], weight=[1.0, 2.0]),
        "weight must have one entry per class, shape (3,) (got shape (2,))",
    ),
    "gradient-probability-shape": (
        lambda: ce_core.cross_entropy_gradient(LOGITS, [[0.5, 0.5]]),
        "target must have the logits' shape (2, 3) for probability targets (got (1, 2))",
    ),
    "gradient-index-shape": (
        lambda: ce_core.cross_entropy_gradient(LOGITS, [0]),
        "target must have shape (2,) for class-index targets (got (1,))",
    ),
    "sigmoid-focal": (
        lambda: ce_core.sigmoid_focal_loss([1.0, 2.0], [1.0]),
        "logits and target must have the same shape (got (2,) and (1,))",
    ),
    "softmax-focal": (
        lambda: ce_core.softmax_focal_loss(LOGITS, [0]),
        "target must have shape (2,) for class-index targets (got (1,))",
    ),
    "smooth-targets-classes": (
        lambda: ce_core.smooth_targets([[0.5, 0.5]], 3, 0.1),
        "target must have 3 classes (got 2)",
    ),
    "softmax-scalar": (lambda: ce_core.softmax(5.0), "logits must have a class axis (got the scalar 5.0)"),
    "log-softmax-no-class": (
        lambda: ce_core.log_softmax(np.zeros((2, 0))),
        "logits must have at least one class (got shape (2, 0))",
    ),
    "sample-message-2d": (
        lambda: ce_core.sample_message([[0.5, 0.5]] * 2, 3),
        "p must be a single distribution (got shape (2, 2))",
    ),
    "message-2d": (
        lambda: ce_core.running_bits_per_symbol([[0, 1]], [1.0, 1.0]),
        "message must be a non-empty 1-D array of class indices",
    ),
    "message-empty": (
        lambda: ce_core.running_bits_per_symbol([], [1.0, 1.0]),
        "message must be a non-empty 1-D array of class indices",
    ),
}


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.0, 0.0, 0.0], "weights must not all be zero (got a sum of 0)"),
        ([[1.0, 1.0], [0.0, 0.0]], "weights must not all be zero (got a sum of 0)"),
        ([1.0, -1.0], "weights must be non-negative (got -1.0)"),
        ([1.0, math.inf], "weights must be finite (got inf)"),
        ([1.0, math.nan], "weights must not contain NaN"),
        ([], "weights must have at least one class (got shape (0,))"),
        (3.0, "weights must have at least one class (got shape ())"),
        (["x"], "weights must be numeric (got ['x'])"),
    ],
    ids=["all-zero", "one-row-all-zero", "negative", "inf", "nan", "empty", "scalar", "non-numeric"],
)
def test_normalize_errors(weights, message):
    with raises(message):
        ce_core.normalize(weights)


# --------------------------------------------------------------------------- base


@pytest.mark.parametrize(
    "base", [0, -2, 1, 1.0, math.inf, math.nan, -math.inf, "2", None, True, [2]], ids=repr
)
@pytest.mark.parametrize(
    "func",
    [
        lambda base: ce_core.entropy([0.5, 0.5], base=base),
        lambda base: ce_core.cross_entropy([0.5, 0.5], [0.5, 0.5], base=base),
        lambda base: ce_core.kl_divergence([0.5, 0.5], [0.5, 0.5], base=base),
        lambda base: ce_core.surprisal(0.5, base=base),
        lambda base: ce_core.binary_entropy(0.5, base=base),
        lambda base: ce_core.convert_units(1.0, 2, base),
        lambda base: ce_core.smoothed_loss_floor(0, 3, 0.1, base=base),
    ],
    ids=[
        "entropy",
        "cross_entropy",
        "kl_divergence",
        "surprisal",
        "binary_entropy",
        "convert_units",
        "smoothed_loss_floor",
    ],
)
def test_bad_base(func, base):
    with raises(f"base must be a positive number other than 1 (got {base!r})"):
        func(base)


def test_base_below_one_is_allowed():
    """Any positive base other than 1 is a unit; below 1 the values change sign."""
    assert ce_core.entropy([0.5, 0.5], base=0.5) == pytest.approx(-1.0)


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("value", [-0.1, 1.1, math.nan, math.inf, -1e-12], ids=repr)
def test_label_smoothing_outside_unit_interval(value):
    with raises(f"label_smoothing must be in [0, 1] (got {value!r})"):
        ce_core.softmax_cross_entropy(LOGITS, [0, 2], label_smoothing=value)
    with raises(f"label_smoothing must be in [0, 1] (got {value!r})"):
        ce_core.smooth_targets(0, 3, value)
    with raises(f"label_smoothing must be in [0, 1] (got {value!r})"):
        ce_core.cross_entropy_gradient(LOGITS, [0, 2], label_smoothing=value)


def test_label_smoothing_not_a_number():
    with raises("label_smoothing must be a number in [0, 1] (got 'a lot')"):
        ce_core.softmax_cross_entropy(LOGITS, [0, 2], label_smoothing="a lot")


@pytest.mark.parametrize("index", [3, -1, 7], ids=lambda i: f"index{i}")
def test_class_index_out_of_range(index):
    with raises(f"target holds class index {index}, out of range for 3 classes"):
        ce_core.softmax_cross_entropy(LOGITS, [0, index])
    with raises(f"target holds class index {index}, out of range for 3 classes"):
        ce_core.softmax_focal_loss(LOGITS, [index, 0])
    with raises(f"target holds class index {index}, out of range for 3 classes"):
        ce_core.cross_entropy_gradient(LOGITS, [index, 0])
    with raises(f"target holds class index {index}, out of range for 3 classes"):
        ce_core.smooth_targets([index], 3, 0.0)


def test_pytorch_default_ignore_index_is_out_of_range_unless_asked():
    """ce_core ignores nothing by default: -100 is an index error unless ignore_index=-100 is given."""
    with raises("target holds class index -100, out of range for 3 classes"):
        ce_core.softmax_cross_entropy(LOGITS, [0, -100])
    assert ce_core.softmax_cross_entropy(LOGITS, [0, -100], ignore_index=-100) == pytest.approx(0.4170300163)


@pytest.mark.parametrize("reduction", ["avg", "MEAN", None, "batchmean", ""], ids=repr)
@pytest.mark.parametrize(
    "func",
    [
        lambda r: ce_core.softmax_cross_entropy(LOGITS, [0, 2], reduction=r),
        lambda r: ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], reduction=r),
        lambda r: ce_core.sigmoid_focal_loss([1.0], [1.0], reduction=r),
        lambda r: ce_core.softmax_focal_loss(LOGITS, [0, 2], reduction=r),
    ],
    ids=["softmax_cross_entropy", "binary_cross_entropy", "sigmoid_focal_loss", "softmax_focal_loss"],
)
def test_bad_reduction(func, reduction):
    with raises(f"reduction must be one of 'none', 'mean', 'sum' (got {reduction!r})"):
        func(reduction)


def test_all_targets_ignored_with_mean():
    with raises("target: every sample equals ignore_index=-100, so the mean is undefined"):
        ce_core.softmax_cross_entropy(LOGITS, [-100, -100], ignore_index=-100)
    # "sum" and "none" are defined: zero.
    assert ce_core.softmax_cross_entropy(LOGITS, [-100, -100], ignore_index=-100, reduction="sum") == 0.0


def test_target_weights_summing_to_zero_with_mean():
    with raises("weight: the target classes' weights sum to 0, so the weighted mean is undefined"):
        ce_core.softmax_cross_entropy(LOGITS, [0, 0], weight=[0.0, 1.0, 1.0])


@pytest.mark.parametrize(
    ("weight", "shown"), [([1.0, -2.0, 1.0], "-2.0"), ([1.0, math.inf, 1.0], "inf")], ids=["negative", "inf"]
)
def test_bad_class_weight(weight, shown):
    with raises(f"weight must be finite and non-negative (got {shown})"):
        ce_core.softmax_cross_entropy(LOGITS, [0, 2], weight=weight)


@pytest.mark.parametrize(
    ("weight", "shown"), [([1.0, -3.0], "-3.0"), ([math.inf, 1.0], "inf")], ids=["negative", "inf"]
)
def test_bad_bce_weight(weight, shown):
    with raises(f"weight must be finite and non-negative (got {shown})"):
        ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], weight=weight)


OPTION_ERRORS = {
    "ignore-index-float": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [0, 2], ignore_index=1.5),
        "ignore_index must be an integer (got 1.5)",
    ),
    "ignore-index-bool": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [0, 2], ignore_index=True),
        "ignore_index must be an integer (got True)",
    ),
    "target-bool": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, [True, False]),
        "target must hold integer class indices or float probabilities (got dtype bool)",
    ),
    "target-str": (
        lambda: ce_core.softmax_cross_entropy(LOGITS, ["a", "b"]),
        "target must hold integer class indices or float probabilities (got dtype <U1)",
    ),
    "focal-float-target": (
        lambda: ce_core.softmax_focal_loss(LOGITS, [0.0, 2.0]),
        "target must hold integer class indices (got dtype float64)",
    ),
    "focal-alpha-shape": (
        lambda: ce_core.softmax_focal_loss(LOGITS, [0, 2], alpha=[0.5, 0.5]),
        "alpha must be a non-negative number or one per class (got shape (2,)",
    ),
    "focal-alpha-negative": (
        lambda: ce_core.softmax_focal_loss(LOGITS, [0, 2], alpha=-0.25),
        "alpha must be a non-negative number or one per class (got shape (3,)",
    ),
    "focal-gamma": (
        lambda: ce_core.softmax_focal_loss(LOGITS, [0, 2], gamma=-1.0),
        "gamma must be finite and non-negative (got -1.0)",
    ),
    "sigmoid-focal-gamma": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.0], gamma=-0.5),
        "gamma must be finite and non-negative (got -0.5)",
    ),
    "sigmoid-focal-gamma-str": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.0], gamma="two"),
        "gamma must be a number (got 'two')",
    ),
    "sigmoid-focal-alpha-above-1": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.0], alpha=1.5),
        "alpha must be at most 1 (negative turns it off) (got 1.5)",
    ),
    "sigmoid-focal-alpha-array": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.0], alpha=[0.25, 0.75]),
        "alpha must be a single number (got shape (2,))",
    ),
    "sigmoid-focal-alpha-nan": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.0], alpha=math.nan),
        "alpha must not contain NaN",
    ),
    "sigmoid-focal-target": (
        lambda: ce_core.sigmoid_focal_loss([1.0], [1.5]),
        "target must lie in [0, 1] (got 1.5)",
    ),
    "sigmoid-focal-logits-inf": (
        lambda: ce_core.sigmoid_focal_loss([math.inf], [1.0]),
        "logits must be finite (got inf)",
    ),
    "focal-modulation-gamma": (
        lambda: ce_core.focal_modulation(0.5, -2.0),
        "gamma must be finite and non-negative (got -2.0)",
    ),
    "softmax-inf": (lambda: ce_core.softmax([1.0, math.inf]), "logits must be finite (got inf)"),
    "softmax-nan": (lambda: ce_core.softmax([1.0, math.nan]), "logits must not contain NaN"),
    "ce-logits-inf": (
        lambda: ce_core.softmax_cross_entropy([[1.0, -math.inf]], [0]),
        "logits must be finite (got -inf)",
    ),
    "logsumexp-inf": (lambda: ce_core.logsumexp([math.inf]), "logits must be finite (got inf)"),
    "sigmoid-inf": (lambda: ce_core.sigmoid(math.inf), "x must be finite (got inf)"),
    "temperature-zero": (
        lambda: ce_core.softmax([1.0, 2.0], temperature=0),
        "temperature must be finite and positive (got 0)",
    ),
    "temperature-negative": (
        lambda: ce_core.softmax([1.0, 2.0], temperature=-1.0),
        "temperature must be finite and positive (got -1.0)",
    ),
    "temperature-inf": (
        lambda: ce_core.log_softmax([1.0, 2.0], temperature=math.inf),
        "temperature must be finite and positive (got inf)",
    ),
    "temperature-str": (
        lambda: ce_core.softmax([1.0, 2.0], temperature="hot"),
        "temperature must be a number (got 'hot')",
    ),
    "temperature-overflow": (
        lambda: ce_core.softmax([1.0, 2.0], temperature=1e-310),
        "temperature is too small for these logits (got 1e-310)",
    ),
    "naive-temperature-zero": (
        lambda: ce_core.naive_softmax([1.0, 2.0], temperature=0),
        "temperature must be finite and positive (got 0)",
    ),
}


# --------------------------------------------------------------------------- clipping


CLIPPING_ERRORS = {
    "policy": (
        lambda: ce_core.clipped_log_loss(0.5, "torch"),
        "policy must be one of 'exact', 'pytorch', 'sklearn', 'epsilon' (got 'torch')",
    ),
    "policy-gradient": (
        lambda: ce_core.clipped_log_loss_gradient(0.5, "keras"),
        "policy must be one of 'exact', 'pytorch', 'sklearn', 'epsilon' (got 'keras')",
    ),
    "epsilon-missing": (
        lambda: ce_core.clipped_log_loss(0.5, "epsilon"),
        "epsilon must be given with policy='epsilon' (got None)",
    ),
    "epsilon-zero": (
        lambda: ce_core.clipped_log_loss(0.5, "epsilon", epsilon=0.0),
        "epsilon must be finite and positive (got 0.0)",
    ),
    "epsilon-half": (
        lambda: ce_core.clipped_log_loss(0.5, "epsilon", epsilon=0.5),
        "epsilon must be below 0.5 (got 0.5)",
    ),
    "dtype-int": (
        lambda: ce_core.clipped_log_loss(0.5, "sklearn", dtype="int32"),
        "dtype must be a floating dtype (got 'int32')",
    ),
    "dtype-unknown": (
        lambda: ce_core.sklearn_epsilon("not a dtype"),
        "dtype must be a floating dtype (got 'not a dtype')",
    ),
}


# --------------------------------------------------------------------------- coding and training


def _message_of_two_classes(message, text: str) -> tuple:
    """A case: running_bits_per_symbol of ``message`` over 2 classes (q uniform) fails with ``text``."""
    return lambda: ce_core.running_bits_per_symbol(message, [1.0, 1.0]), text


CODING_AND_TRAINING_ERRORS = {
    "length-zero": (
        lambda: ce_core.sample_message([0.5, 0.5], 0),
        "length must be finite and positive (got 0)",
    ),
    "length-fraction": (
        lambda: ce_core.sample_message([0.5, 0.5], 2.5),
        "length must be a whole number (got 2.5)",
    ),
    "p-sum": (lambda: ce_core.sample_message([0.5, 0.6], 3), "p must sum to 1 (got 1.1)"),
    "q-negative": (lambda: ce_core.code_lengths([0.5, -0.5, 1.0]), "q must be non-negative (got -0.5)"),
    "message-index": _message_of_two_classes(
        [0, 2], "message holds a class index out of range for 2 classes"
    ),
    "message-float": _message_of_two_classes(
        [0.0, 1.0], "message must be a non-empty 1-D array of class indices"
    ),
    "kraft-non-numeric": (lambda: ce_core.kraft_sum(["a"]), "lengths must be numeric (got ['a'])"),
    "blobs-classes": (lambda: training.make_blobs(7), "num_classes must be between 2 and 6 (got 7)"),
    "blobs-points": (
        lambda: training.make_blobs(3, 0),
        "points_per_class must be finite and positive (got 0)",
    ),
    "blobs-spread": (
        lambda: training.make_blobs(3, 10, spread=-1.0),
        "spread must be finite and positive (got -1.0)",
    ),
    "training-loss": (
        lambda: training.loss_and_gradient(training.init_model(2), training.make_blobs(2, 5), loss="hinge"),
        "loss must be one of ('cross_entropy', 'mse') (got 'hinge')",
    ),
    "learning-rate": (
        lambda: training.train(training.init_model(2), training.make_blobs(2, 5), 3, learning_rate=0.0),
        "learning_rate must be finite and positive (got 0.0)",
    ),
}


ERRORS = {
    **PROBABILITY_ERRORS,
    **SHAPE_ERRORS,
    **OPTION_ERRORS,
    **CLIPPING_ERRORS,
    **CODING_AND_TRAINING_ERRORS,
}


def test_every_error_table_names_its_cases_once():
    tables = (PROBABILITY_ERRORS, SHAPE_ERRORS, OPTION_ERRORS, CLIPPING_ERRORS, CODING_AND_TRAINING_ERRORS)
    assert len(ERRORS) == sum(len(t) for t in tables)


@pytest.mark.parametrize(("call", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_error_message(call, message):
    with raises(message):
        call()
