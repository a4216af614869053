"""The p/q editor's rule (set_probability), its look-up table (drag_table) and its edits."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core.decomposition import cross_entropy_terms
from ce_core.editing import (
    DRAG_STEPS,
    RECORD_BLOCKS,
    RECORD_SCALARS,
    drag_table,
    parse_distribution,
    record_length,
    set_probability,
)
from ce_core.entropy_parts import entropy_terms
from lab.components.pq_editor import editor_data, offsets
from lab.workspace import apply_edit, resize
from tests.strategies import distributions


def _dist_pair(k):
    return st.tuples(distributions(k), distributions(k))


# ---- the rule ---------------------------------------------------------------------------------


@given(
    st.integers(2, 10).flatmap(lambda k: st.tuples(distributions(k), st.integers(0, k - 1))), st.floats(0, 1)
)
def test_set_probability_keeps_a_distribution_and_the_value(case, value):
    dist, index = case
    out = set_probability(dist, index, value)
    assert out[index] == value
    assert math.isclose(out.sum(), 1.0, abs_tol=1e-12)
    assert (out >= 0).all()


@given(
    st.integers(3, 10).flatmap(lambda k: st.tuples(distributions(k), st.integers(0, k - 1))),
    st.floats(0, 0.99),
)
def test_set_probability_keeps_the_ratios_of_the_other_classes(case, value):
    dist, index = case
    dist = np.asarray(dist)
    others = np.delete(dist, index)
    if others.sum() == 0:
        return
    new = np.delete(set_probability(dist, index, value), index)
    # Every other class is scaled by the same factor (1 - v) / (1 - d_i).
    np.testing.assert_allclose(new * others.sum(), others * (1 - value), rtol=1e-9, atol=1e-15)


def test_a_bar_at_one_can_come_back():
    np.testing.assert_allclose(set_probability([0, 1, 0, 0], 1, 0.4), [0.2, 0.4, 0.2, 0.2])
    # and a bar at 0 can rise, taking its share from the others in proportion
    np.testing.assert_allclose(set_probability([0.5, 0.5, 0.0], 2, 0.5), [0.25, 0.25, 0.5])


def test_set_probability_batch_equals_single_calls():
    grid = np.array([0.0, 0.3, 1.0])
    batch = set_probability([0.2, 0.3, 0.5], 1, grid)
    for row, v in zip(batch, grid, strict=True):
        np.testing.assert_array_equal(row, set_probability([0.2, 0.3, 0.5], 1, float(v)))


@pytest.mark.parametrize(
    ("dist", "index", "value", "match"),
    [
        ([0.5, 0.6], 0, 0.1, "dist must sum to 1"),
        ([1.0], 0, 0.5, "at least 2 classes"),
        ([[0.5, 0.5]], 0, 0.5, "one distribution"),
        ([0.5, 0.5], 2, 0.5, "index must be a whole number from 0 to 1"),
        ([0.5, 0.5], True, 0.5, "index"),
        ([0.5, 0.5], 0, 1.5, r"value must lie in \[0, 1\]"),
        ([0.5, 0.5], 0, float("nan"), r"value must lie in \[0, 1\]"),
    ],
)
def test_set_probability_rejects_bad_input(dist, index, value, match):
    with pytest.raises(ValueError, match=match):
        set_probability(dist, index, value)


# ---- the table --------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [2.0, math.e, 10.0])
@given(
    pair=st.integers(2, 6).flatmap(_dist_pair), bar_seed=st.integers(0, 10_000), g=st.integers(0, DRAG_STEPS)
)
def test_every_record_equals_ce_core_for_that_state(base, pair, bar_seed, g):
    p, q = (np.asarray(d) for d in pair)
    k = p.size
    table = drag_table(p, q, base=base)
    bar = bar_seed % (2 * k)
    rec = table.records[bar, g]
    new_p = set_probability(p, bar, g / DRAG_STEPS) if bar < k else p
    new_q = set_probability(q, bar - k, g / DRAG_STEPS) if bar >= k else q
    off = offsets(k)
    expected = {
        "entropy_p": ce_core.entropy(new_p, base=base),
        "entropy_q": ce_core.entropy(new_q, base=base),
        "cross_entropy": ce_core.cross_entropy(new_p, new_q, base=base),
        "kl": ce_core.kl_divergence(new_p, new_q, base=base),
    }
    for name, value in expected.items():
        assert rec[off[name]] == pytest.approx(value, rel=1e-12, abs=1e-15)
    with np.errstate(divide="ignore"):
        blocks = {
            "p": new_p,
            "q": new_q,
            "surprisal_p": ce_core.surprisal(new_p, base=base),
            "surprisal_q": ce_core.surprisal(new_q, base=base),
            "entropy_terms": entropy_terms(new_p, base=base),
            "cross_entropy_terms": cross_entropy_terms(new_p, new_q, base=base),
        }
    for name, values in blocks.items():
        np.testing.assert_allclose(rec[off[name] : off[name] + k], values, rtol=1e-12, atol=1e-15)


def test_table_shape_layout_and_current_state():
    p, q = [0.6, 0.3, 0.1], [0.25, 0.45, 0.3]
    table = drag_table(p, q, base=2)
    assert table.records.shape == (6, DRAG_STEPS + 1, record_length(3))
    assert record_length(3) == len(RECORD_SCALARS) + 3 * len(RECORD_BLOCKS)
    off = offsets(3)
    assert table.current[off["cross_entropy"]] == pytest.approx(ce_core.cross_entropy(p, q, base=2))
    # bar 4 is q's second class: at grid position 45 it is q itself
    np.testing.assert_allclose(table.records[4, 45], table.current, rtol=1e-12)


def test_infinities_stay_infinite_in_the_table_and_its_bytes():
    """q = 0 where p > 0: cross-entropy, KL and a term are inf; base64 float64 keeps them."""
    data = editor_data(["a", "b"], np.array([0.5, 0.5]), np.array([1.0, 0.0]), base=2, unit="bits")
    values = np.frombuffer(base64.b64decode(data["table"]), "<f8")
    current = values[-data["record_length"] :]
    off = data["offsets"]
    assert math.isinf(current[off["cross_entropy"]])
    assert math.isinf(current[off["kl"]])
    assert math.isinf(current[off["cross_entropy_terms"] + 1])
    assert not np.isnan(values).any()


def test_drag_table_rejects_bad_input():
    with pytest.raises(ValueError, match="same classes"):
        drag_table([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="steps"):
        drag_table([0.5, 0.5], [0.5, 0.5], steps=0)
    with pytest.raises(ValueError, match="q must sum to 1"):
        drag_table([0.5, 0.5], [0.5, 0.6])


# ---- typed values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.228, 0.619, 0.153", [0.228, 0.619, 0.153]),
        ("0 1 0", [0.0, 1.0, 0.0]),
        ("1/3; 1/3; 1/3", [1 / 3, 1 / 3, 1 / 3]),
        ("50% 25% 25%", [0.5, 0.25, 0.25]),
    ],
)
def test_parse_distribution_reads_what_a_learner_types(text, expected):
    np.testing.assert_allclose(parse_distribution(text, 3), expected)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0.5, 0.5", "needs 3 numbers"),
        ("0.2, 0.3, 0.4", r"must sum to 1 \(got 0.9\)"),
        ("a, b, c", "'a' is not a number"),
        ("1/0, 0, 0", "is not a number"),
        ("1.5, -0.5, 0", r"in \[0, 1\]"),
        ("nan, 0, 1", r"in \[0, 1\]"),
    ],
)
def test_parse_distribution_says_what_is_wrong(text, match):
    with pytest.raises(ValueError, match=match):
        parse_distribution(text, 3)


def test_apply_edit_drag_and_type():
    state = {"k": 3, "p": (0.6, 0.3, 0.1), "q": (0.25, 0.45, 0.3), "error": None}
    apply_edit(state, {"kind": "drag", "bar": 3, "g": 80})  # q's first class to 0.8
    np.testing.assert_allclose(state["q"], set_probability([0.25, 0.45, 0.3], 0, 0.8))
    apply_edit(state, {"kind": "type", "dist": "q", "text": "0.228, 0.619, 0.153"})
    assert state["q"] == (0.228, 0.619, 0.153)
    assert state["error"] is None
    apply_edit(state, {"kind": "type", "dist": "p", "text": "0.5, 0.4"})
    assert state["p"] == (0.6, 0.3, 0.1)
    assert "p needs 3 numbers" in state["error"]
    assert "kept as it was" in state["error"]
    before = dict(state)
    apply_edit(state, {"kind": "drag", "bar": 6, "g": 10})  # no such bar: ignored
    apply_edit(state, {"kind": "drag", "bar": 0, "g": 101})
    assert state["p"] == before["p"]
    assert state["q"] == before["q"]


@given(st.integers(2, 10).flatmap(distributions), st.integers(2, 10))
def test_resize_gives_a_distribution(dist, k):
    out = resize(dist, k)
    assert out.shape == (k,)
    assert math.isclose(out.sum(), 1.0, abs_tol=1e-9)
