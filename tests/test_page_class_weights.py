"""AppTest of the class-weights lesson: the table, the three "mean" numbers and the chart follow the weights."""

import math

import numpy as np
import pytest

from ce_core.information import UNITS
from ce_core.losses import softmax_cross_entropy
from ce_core.variants import BATCH_LOGITS, BATCH_TARGETS
from lab.lesson_keys import CW_WEIGHT, CW_WEIGHT_DEFAULTS
from tests.apptest_utils import (
    SHORT_UNITS,
    assert_link_reported,
    bar_data,
    bar_layer,
    bar_readouts,
    drag_bar,
    metrics,
    run_page,
)

KEYS = [CW_WEIGHT.format(c) for c in range(3)]
WEIGHTS = "cw_weights"


def _fmt(value: float, unit: str) -> str:
    return "undefined" if math.isnan(value) else f"{value:.4f} {unit}"


def _state(at):
    data = bar_data(at, WEIGHTS)
    assert data["keys"] == KEYS
    w = np.array([at.session_state[k] for k in KEYS])
    np.testing.assert_array_equal([data["values"][g] for g in data["current"]], w)
    return w, at.segmented_control(key="unit").value


def _check(at) -> None:
    w, unit = _state(at)
    ln_base = math.log(UNITS[unit])
    per_sample = np.asarray(softmax_cross_entropy(BATCH_LOGITS, BATCH_TARGETS, reduction="none"))
    weighted = w[BATCH_TARGETS] * per_sample
    total = w[BATCH_TARGETS].sum()
    index_mean = weighted.sum() / total / ln_base if total > 0 else math.nan
    probability_mean = weighted.sum() / BATCH_TARGETS.size / ln_base
    if total > 0:  # ce_core's PyTorch semantics agree with the formula written out here
        assert index_mean == pytest.approx(
            softmax_cross_entropy(BATCH_LOGITS, BATCH_TARGETS, weight=w) / ln_base
        )
    table = at.dataframe[0].value
    short = SHORT_UNITS[unit]
    np.testing.assert_allclose(table[f"loss −log q[y] ({short})"], per_sample / ln_base, rtol=1e-12)
    np.testing.assert_allclose(table["weight w[y]"], w[BATCH_TARGETS])
    np.testing.assert_allclose(table[f"weighted loss ({short})"], weighted / ln_base, rtol=1e-12)
    shown = metrics(at)
    assert shown["PyTorch, class-index targets"] == _fmt(index_mean, unit)
    assert shown["PyTorch, one-hot probability targets"] == _fmt(probability_mean, unit)
    assert shown["scikit-learn log_loss"] == _fmt(index_mean, unit)  # no clip bites in this batch
    # the bars' chart and readouts: the current row, and rows of dragged weights
    data = bar_data(at, WEIGHTS)
    grid = data["values"]
    after = bar_layer(at, WEIGHTS, "after: w[y] · (−log q[y])")
    np.testing.assert_allclose(after[-1], weighted / ln_base, rtol=1e-12)
    np.testing.assert_allclose(bar_layer(at, WEIGHTS, "before: −log q[y]"), per_sample / ln_base, rtol=1e-12)
    index_line = bar_layer(at, WEIGHTS, "mean, index targets (÷ Σ w[y])")
    assert math.isnan(index_line[-1]) == (total == 0)
    assert bar_readouts(at, WEIGHTS) == {
        "PyTorch, class-index targets (÷ Σ w[y])": _fmt(index_mean, unit),
        "PyTorch, probability targets (÷ N)": _fmt(probability_mean, unit),
        "scikit-learn log_loss": _fmt(index_mean, unit),
        "Σ w[y]": f"{total:.4g}",
    }
    texts = data["readouts"][1]["text"]
    for b in range(3):
        for g in (0, 41, len(grid) - 1):
            v = w.copy()
            v[b] = grid[g]
            r = b * len(grid) + g
            np.testing.assert_allclose(after[r], v[BATCH_TARGETS] * per_sample / ln_base, rtol=1e-12)
            assert texts[r] == _fmt(
                (v[BATCH_TARGETS] * per_sample).sum() / BATCH_TARGETS.size / ln_base, unit
            )


def test_defaults_show_two_different_denominators():
    at = run_page("class_weights")
    w, unit = _state(at)
    assert tuple(w) == CW_WEIGHT_DEFAULTS
    assert unit == "bits"
    _check(at)
    captions = " ".join(c.value for c in at.caption)
    assert "÷ Σ w[y] = 12" in captions
    assert "÷ N = 8" in captions


def test_editing_a_weight():
    at = run_page("class_weights")
    drag_bar(at, WEIGHTS, 2, 7.5)
    assert _state(at)[0][2] == 7.5
    _check(at)


def test_balanced_weights_make_the_two_pytorch_means_agree():
    at = run_page("class_weights")
    next(b for b in at.button if b.label.startswith("Balanced")).click().run()
    assert not at.exception
    np.testing.assert_allclose(_state(at)[0], [8 / 18, 8 / 3, 8 / 3])
    _check(at)
    shown = metrics(at)
    assert shown["PyTorch, class-index targets"] == shown["PyTorch, one-hot probability targets"]


def test_all_weights_zero_is_undefined_not_nan():
    at = run_page("class_weights")
    for key in KEYS:
        at.session_state[key] = 0.0
    at.run()
    assert not at.exception
    _check(at)
    assert any("0 / 0" in i.value for i in at.info)


def test_an_old_link_opens_the_same_weights_and_a_bad_one_is_reported():
    at = run_page("class_weights", query_params={"cw_w0": "2.5", "cw_w1": "0.444", "cw_w2": "12"})
    w, _ = _state(at)
    assert tuple(w) == (2.5, CW_WEIGHT_DEFAULTS[1], CW_WEIGHT_DEFAULTS[2])
    assert_link_reported(at, "cw_w1", "cw_w2", kept=("cw_w0",))
    _check(at)


def test_balanced_weights_in_a_link():
    balanced = 8 / 18
    at = run_page("class_weights", query_params={"cw_w0": repr(balanced)})
    assert _state(at)[0][0] == balanced
    assert not at.warning
    _check(at)


def test_reference_example_numbers():
    at = run_page("class_weights", query_params={"unit": "nats"})
    shown = metrics(at)
    expected_index = softmax_cross_entropy([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2], weight=[1, 2, 3])
    expected_probability = softmax_cross_entropy(
        [[2, 1, 0.1], [0.5, 2.5, 0.3]], np.eye(3)[[0, 2]], weight=[1, 2, 3]
    )
    assert shown["Index targets: ÷ (1 + 3)"] == f"{expected_index:.10f} nats" == "1.9192946463 nats"
    assert (
        shown["One-hot probability targets: ÷ 2"]
        == f"{expected_probability:.10f} nats"
        == "3.8385892927 nats"
    )
    _check(at)
