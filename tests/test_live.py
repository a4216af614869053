"""ce_core.live: the sweeps behind the live lesson controls equal ce_core's one-point functions."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from ce_core.binary_point import binary_point, tangent_segment
from ce_core.examples import describe_event
from ce_core.figures.binary import y_top
from ce_core.live import (
    bag_sweep,
    binary_sweep,
    grid_index,
    message_sweep,
    parameter_grid,
    rare_event_sweep,
    surprisal_sweep,
)

UNITS = [2.0, math.e, 10.0]


def test_parameter_grid_is_rounded_to_the_step():
    g = parameter_grid(0.0, 1.0, 0.01)
    assert g.size == 101
    assert g[70] == 0.7
    assert g[29] == 0.29
    assert grid_index(g, 0.7) == 70


@pytest.mark.parametrize(("args", "match"), [
    ((1.0, 0.0, 0.1), "lower < upper"), ((0.0, 1.0, 0.0), "step > 0"), ((0.0, 1.0, 0.3), "whole number"),
    ((0.0, math.inf, 0.1), "finite"),
])
def test_parameter_grid_rejects_bad_ranges(args, match):
    with pytest.raises(ValueError, match=match):
        parameter_grid(*args)


@pytest.mark.parametrize("value", ["abc", math.nan, math.inf, 0.705, 1.5, None])
def test_grid_index_rejects_values_off_the_grid(value):
    with pytest.raises(ValueError, match=r"must be a number|must be finite|not one of the control's positions"):
        grid_index(parameter_grid(0.0, 1.0, 0.01), value)


@pytest.mark.parametrize("base", UNITS)
@pytest.mark.parametrize("y", [0, 1])
def test_binary_sweep_equals_binary_point_at_every_position(y, base):
    grid = parameter_grid(0.0, 1.0, 0.01)
    top = y_top(base)
    s = binary_sweep(y, grid, base, y_top=top)
    for i, x in enumerate(grid):
        pt = binary_point(y, float(x), base)
        for name, want in (("loss", pt.loss), ("slope", pt.slope), ("logit_gradient", pt.logit_gradient),
                           ("squared", pt.squared), ("absolute", pt.absolute)):
            got = s[name][i]
            assert got == pytest.approx(want, rel=1e-12, abs=1e-15) if math.isfinite(want) else got == want, (name, x)
        if math.isfinite(pt.slope) and pt.loss <= top:
            tx, ty = tangent_segment(float(x), pt.loss, pt.slope, 0.12, y_lower=0.0, y_upper=top)
            np.testing.assert_allclose([s["tangent_x0"][i], s["tangent_x1"][i]], tx, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose([s["tangent_y0"][i], s["tangent_y1"][i]], ty, rtol=1e-9, atol=1e-9)
        else:
            assert np.isnan([s[f"tangent_{c}"][i] for c in ("x0", "y0", "x1", "y1")]).all(), x


@given(hs.floats(0.0, 1.0), hs.sampled_from(UNITS), hs.sampled_from([0, 1]))
def test_binary_sweep_at_any_prediction(x, base, y):
    s = binary_sweep(y, [x], base)
    pt = binary_point(y, x, base)
    assert s["loss"][0] == pytest.approx(pt.loss, rel=1e-12) if math.isfinite(pt.loss) else s["loss"][0] == pt.loss


def test_binary_sweep_rejects_soft_labels_and_bad_grids():
    with pytest.raises(ValueError, match="y must be 0 or 1"):
        binary_sweep(0.5, [0.5])
    with pytest.raises(ValueError, match="grid"):
        binary_sweep(1, [0.5, 1.2])


@pytest.mark.parametrize("base", UNITS)
def test_surprisal_sweep_equals_describe_event(base):
    grid = parameter_grid(0.0, 1.0, 0.01)
    s = surprisal_sweep(grid, base)
    for i, p in enumerate(grid):
        r = describe_event(float(p), base=base)
        assert s["surprisal"][i] == (pytest.approx(r.surprisal, rel=1e-12, abs=1e-15) if p > 0 else math.inf)
        assert s["one_in"][i] == (pytest.approx(r.one_in, rel=1e-12) if p > 0 else math.inf)


@pytest.mark.parametrize("base", UNITS)
def test_bag_sweep_equals_bag_surprisal_row_by_row(base):
    from ce_core.examples import bag_surprisal

    counts = [[1, n] for n in range(1, 200, 7)] + [[n, 0] for n in (1, 5, 100)]
    s = bag_sweep(counts, base)
    for i, row in enumerate(counts):
        draw = bag_surprisal(row, base=base)
        np.testing.assert_allclose(s["probabilities"][i], draw.probabilities, rtol=1e-12)
        np.testing.assert_array_equal(np.isinf(s["surprisals"][i]), np.isinf(draw.surprisals))
        finite = np.isfinite(draw.surprisals)
        np.testing.assert_allclose(s["surprisals"][i][finite], draw.surprisals[finite], rtol=1e-12, atol=1e-15)
        assert s["entropy"][i] == pytest.approx(draw.entropy, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("counts", [[[0, 0]], [[1, -1]], [[1.5, 1]], [1, 2]])
def test_bag_sweep_rejects_bad_bags(counts):
    with pytest.raises(ValueError, match=r"count|bag"):
        bag_sweep(counts)


@pytest.mark.parametrize("base", UNITS)
def test_rare_event_sweep_equals_rare_event(base):
    from ce_core.examples import rare_event

    every = np.arange(2, 1001)
    s = rare_event_sweep(every, base)
    for i, n in enumerate(every):
        r = rare_event(int(n), base=base)
        for name in ("p_routine", "p_rare", "h_routine", "h_rare", "routine_days_per_rare"):
            assert s[name][i] == pytest.approx(getattr(r, name), rel=1e-12), (name, n)


@pytest.mark.parametrize("every", [[1], [2.5], [math.inf]])
def test_rare_event_sweep_rejects_bad_counts(every):
    with pytest.raises(ValueError, match="whole numbers of at least 2"):
        rare_event_sweep(every)


@pytest.mark.parametrize("seed", [0, 7, 4321])
def test_message_sweep_equals_a_message_of_each_length(seed):
    from ce_core.coding import code_lengths, running_bits_per_symbol, sample_message

    p, q = [0.6, 0.3, 0.1], [0.25, 0.45, 0.3]
    lengths = parameter_grid(10, 5000, 10)
    s = message_sweep(p, q, lengths, seed=seed)
    for i in range(0, lengths.size, 37):
        message = sample_message(p, int(lengths[i]), seed=seed)
        np.testing.assert_array_equal(s["message"][:message.size], message)
        assert s["rate_ideal"][i] == running_bits_per_symbol(message, code_lengths(q))[-1]
        assert s["rate_whole"][i] == running_bits_per_symbol(message, code_lengths(q, whole_bits=True))[-1]


def test_message_sweep_is_infinite_after_a_symbol_without_a_code_word():
    s = message_sweep([0.5, 0.5], [1.0, 0.0], [1, 50], seed=3)
    assert s["rate_ideal"][-1] == math.inf
    with pytest.raises(ValueError, match="whole numbers"):
        message_sweep([0.5, 0.5], [0.5, 0.5], [0], seed=0)
