"""ce_core.bar_tables: every row of a bar table equals ce_core's one-point functions at that state."""

import math

import numpy as np
import pytest

from ce_core.bar_tables import bar_rows, class_weight_table, logit_table
from ce_core.live import parameter_grid
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss
from ce_core.variants import BATCH_LOGITS, BATCH_TARGETS, balanced_weights, weighted_batch

LOGITS = parameter_grid(-10.0, 10.0, 0.1)
WEIGHTS = parameter_grid(0.0, 10.0, 0.05)


def test_rows_set_one_bar_to_each_grid_position():
    values = [0.5, -2.0, 3.0]
    grid = [-1.0, 0.0, 2.5, 4.0]
    rows = bar_rows(values, grid)
    assert rows.shape == (3 * 4 + 1, 3)
    for b in range(3):
        for g, v in enumerate(grid):
            expected = list(values)
            expected[b] = v
            assert rows[b * 4 + g].tolist() == expected
    assert rows[-1].tolist() == values


@pytest.mark.parametrize(
    ("values", "grid"),
    [
        ([], [0.0, 1.0]),
        ([[1.0]], [0.0, 1.0]),
        ([math.nan], [0.0, 1.0]),
        ([1.0], [0.0]),
        ([1.0], [1.0, 0.0]),
        ([1.0], [0.0, math.inf]),
    ],
)
def test_rows_reject_bad_input(values, grid):
    with pytest.raises(ValueError, match=r"values|grid"):
        bar_rows(values, grid)


@pytest.mark.parametrize(
    ("logits", "target", "temperature", "base"),
    [
        ((2.0, 1.0, 0.1), 0, 1.0, 2),
        ((2.0, 1.0, 0.1, 0.0, -0.5), 3, 0.4, math.e),
        ((10.0, -10.0), 1, 0.1, 10),
        ((0.0, 0.0, 0.0), 2, 5.0, 2),
    ],
)
def test_logit_table_rows_equal_the_one_point_functions(logits, target, temperature, base):
    table = logit_table(logits, target, temperature, LOGITS, base)
    k, size = len(logits), LOGITS.size
    assert table.q.shape == (k * size + 1, k)
    for b in range(k):
        for g in (0, 1, 57, 100, 163, 200):
            z = list(logits)
            z[b] = float(LOGITS[g])
            r = b * size + g
            np.testing.assert_array_equal(table.logits[r], z)
            np.testing.assert_allclose(table.q[r], softmax(z, temperature), rtol=1e-12, atol=1e-300)
            assert table.loss[r] == pytest.approx(
                tempered_loss(z, target, temperature, base), rel=1e-12, abs=1e-15
            )
            np.testing.assert_allclose(
                table.gradient[r], tempered_gradient(z, target, temperature, base), rtol=1e-12, atol=1e-14
            )
    np.testing.assert_allclose(table.q[-1], softmax(list(logits), temperature), rtol=1e-12)
    assert table.loss[-1] == pytest.approx(tempered_loss(list(logits), target, temperature, base), rel=1e-12)


@pytest.mark.parametrize(
    ("logits", "target", "temperature", "match"),
    [
        ((1.0,), 0, 1.0, "at least 2"),
        ((1.0, 2.0), 2, 1.0, "target"),
        ((1.0, 2.0), True, 1.0, "target"),
        ((1.0, 2.0), 0, 0.0, "temperature"),
        ((1.0, 2.0), 0, math.nan, "temperature"),
    ],
)
def test_logit_table_rejects_bad_input(logits, target, temperature, match):
    with pytest.raises(ValueError, match=match):
        logit_table(logits, target, temperature, LOGITS)


@pytest.mark.parametrize(
    "weights",
    [
        (1.0, 3.0, 3.0),
        (1.0, 1.0, 1.0),
        (0.0, 0.0, 0.0),
        (0.0, 2.5, 10.0),
        tuple(balanced_weights(BATCH_TARGETS, 3)),
    ],
)
@pytest.mark.parametrize("base", [2, math.e])
def test_class_weight_table_rows_equal_weighted_batch(weights, base):
    table = class_weight_table(BATCH_LOGITS, BATCH_TARGETS, weights, WEIGHTS, base)
    size = WEIGHTS.size
    for b in range(3):
        for g in (0, 1, 20, 60, 133, 200):
            w = list(weights)
            w[b] = float(WEIGHTS[g])
            r = b * size + g
            one = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, w, base=base)
            np.testing.assert_array_equal(table.weights[r], w)
            np.testing.assert_allclose(table.per_sample, one.per_sample, rtol=1e-12)
            np.testing.assert_array_equal(table.target_weight[r], one.target_weight)
            np.testing.assert_allclose(table.weighted[r], one.weighted, rtol=1e-12)
            assert table.weighted_sum[r] == pytest.approx(one.weighted_sum, rel=1e-12, abs=1e-300)
            assert table.index_denominator[r] == pytest.approx(one.index_denominator, rel=1e-12)
            for name in ("index_mean", "probability_mean", "sklearn_mean"):
                want = getattr(one, name)
                got = getattr(table, name)[r]
                if math.isnan(want):
                    assert math.isnan(got), name
                else:
                    assert got == pytest.approx(want, rel=1e-12, abs=1e-300), name
    current = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, list(weights), base=base)
    assert (math.isnan(table.index_mean[-1]) and math.isnan(current.index_mean)) or table.index_mean[
        -1
    ] == pytest.approx(current.index_mean, rel=1e-12)


def test_all_target_weights_zero_is_nan_only_for_the_weighted_means():
    table = class_weight_table(BATCH_LOGITS, BATCH_TARGETS, (0.0, 0.0, 0.0), WEIGHTS)
    assert math.isnan(table.index_mean[-1])
    assert math.isnan(table.sklearn_mean[-1])
    assert table.probability_mean[-1] == 0.0


@pytest.mark.parametrize(
    ("logits", "targets", "weights", "match"),
    [
        ([1.0, 2.0], [0], [1.0, 1.0], "logits"),
        ([[1.0, 2.0]], [2], [1.0, 1.0], "targets"),
        ([[1.0, 2.0]], [0.0], [1.0, 1.0], "targets"),
        ([[1.0, 2.0]], [0], [1.0], "weights"),
        ([[1.0, 2.0]], [0], [1.0, -1.0], "weights"),
        ([[1.0, 2.0]], [0], [1.0, math.inf], "weights"),
    ],
)
def test_class_weight_table_rejects_bad_input(logits, targets, weights, match):
    with pytest.raises(ValueError, match=match):
        class_weight_table(logits, targets, weights, WEIGHTS)
