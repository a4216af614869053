"""ce_core.live: the sweeps behind the live lesson controls equal ce_core's one-point functions."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from ce_core.binary_point import binary_point, tangent_segment
from ce_core.events import describe_event
from ce_core.live import (
    FOCAL_BINARY_GRID,
    bag_sweep,
    binary_sweep,
    clip_epsilon_sweep,
    focal_alpha_sweep,
    grid_index,
    message_sweep,
    parameter_grid,
    rare_event_sweep,
    surprisal_sweep,
)
from lab.figures.binary import y_top

UNITS = [2.0, math.e, 10.0]


def test_parameter_grid_is_rounded_to_the_step():
    g = parameter_grid(0.0, 1.0, 0.01)
    assert g.size == 101
    assert g[70] == 0.7
    assert g[29] == 0.29
    assert grid_index(g, 0.7) == 70


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((1.0, 0.0, 0.1), "lower < upper"),
        ((0.0, 1.0, 0.0), "step > 0"),
        ((0.0, 1.0, 0.3), "whole number"),
        ((0.0, math.inf, 0.1), "finite"),
    ],
)
def test_parameter_grid_rejects_bad_ranges(args, match):
    with pytest.raises(ValueError, match=match):
        parameter_grid(*args)


@pytest.mark.parametrize("value", ["abc", math.nan, math.inf, 0.705, 1.5, None])
def test_grid_index_rejects_values_off_the_grid(value):
    with pytest.raises(
        ValueError, match=r"must be a number|must be finite|not one of the control's positions"
    ):
        grid_index(parameter_grid(0.0, 1.0, 0.01), value)


@pytest.mark.parametrize("base", UNITS)
@pytest.mark.parametrize("y", [0, 1])
def test_binary_sweep_equals_binary_point_at_every_position(y, base):
    grid = parameter_grid(0.0, 1.0, 0.01)
    top = y_top(base)
    s = binary_sweep(y, grid, base, y_top=top)
    for i, x in enumerate(grid):
        pt = binary_point(y, float(x), base)
        for name, want in (
            ("loss", pt.loss),
            ("slope", pt.slope),
            ("logit_gradient", pt.logit_gradient),
            ("squared", pt.squared),
            ("absolute", pt.absolute),
        ):
            got = s[name][i]
            assert got == pytest.approx(want, rel=1e-12, abs=1e-15) if math.isfinite(want) else got == want, (
                name,
                x,
            )
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
    assert (
        s["loss"][0] == pytest.approx(pt.loss, rel=1e-12)
        if math.isfinite(pt.loss)
        else s["loss"][0] == pt.loss
    )


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
    from ce_core.events import bag_surprisal

    counts = [[1, n] for n in range(1, 200, 7)] + [[n, 0] for n in (1, 5, 100)]
    s = bag_sweep(counts, base)
    for i, row in enumerate(counts):
        draw = bag_surprisal(row, base=base)
        np.testing.assert_allclose(s["probabilities"][i], draw.probabilities, rtol=1e-12)
        np.testing.assert_array_equal(np.isinf(s["surprisals"][i]), np.isinf(draw.surprisals))
        finite = np.isfinite(draw.surprisals)
        np.testing.assert_allclose(
            s["surprisals"][i][finite], draw.surprisals[finite], rtol=1e-12, atol=1e-15
        )
        assert s["entropy"][i] == pytest.approx(draw.entropy, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("counts", [[[0, 0]], [[1, -1]], [[1.5, 1]], [1, 2]])
def test_bag_sweep_rejects_bad_bags(counts):
    with pytest.raises(ValueError, match=r"count|bag"):
        bag_sweep(counts)


@pytest.mark.parametrize("base", UNITS)
def test_rare_event_sweep_equals_rare_event(base):
    from ce_core.events import rare_event

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
        np.testing.assert_array_equal(s["message"][: message.size], message)
        assert s["rate_ideal"][i] == running_bits_per_symbol(message, code_lengths(q))[-1]
        assert s["rate_whole"][i] == running_bits_per_symbol(message, code_lengths(q, whole_bits=True))[-1]


def test_message_sweep_is_infinite_after_a_symbol_without_a_code_word():
    s = message_sweep([0.5, 0.5], [1.0, 0.0], [1, 50], seed=3)
    assert s["rate_ideal"][-1] == math.inf
    with pytest.raises(ValueError, match="whole numbers"):
        message_sweep([0.5, 0.5], [0.5, 0.5], [0], seed=0)


def _same(got: float, want: float) -> bool:
    return got == pytest.approx(want, rel=1e-12, abs=1e-15) if math.isfinite(want) else got == want


@pytest.mark.parametrize("base", UNITS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("q_true", [0.0, 0.003, 0.3, 0.9, 1.0])
def test_focal_alpha_sweep_equals_focal_loss_at_every_alpha(q_true, gamma, base):
    from ce_core.variants import focal_loss

    alphas = parameter_grid(0.0, 1.0, 0.01)
    s = focal_alpha_sweep(q_true, gamma, alphas, base=base)
    grid = s["grid"]
    np.testing.assert_array_equal(grid, FOCAL_BINARY_GRID)
    for i, a in enumerate(alphas):
        a = float(a)
        assert s["alpha_positive"][i] == a
        assert s["alpha_negative"][i] == pytest.approx(1 - a, abs=1e-15)
        np.testing.assert_allclose(
            s["positive"][i], focal_loss(grid, gamma, a, base=base), rtol=1e-12, atol=1e-15
        )
        np.testing.assert_allclose(
            s["negative"][i], focal_loss(1 - grid, gamma, 1 - a, base=base), rtol=1e-12, atol=1e-15
        )
        assert _same(s["loss"][i], focal_loss(q_true, gamma, a, base=base)), (a, q_true)
    assert _same(float(s["loss_unweighted"]), focal_loss(q_true, gamma, None, base=base))


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.7, 1.0])
def test_focal_alpha_sweep_is_torchvision_sigmoid_focal_loss(alpha):
    """The curves are the binary library form on logits: a positive and a negative at every q."""
    from ce_core.losses import sigmoid_focal_loss

    s = focal_alpha_sweep(0.4, 2.0, [alpha])
    q = s["grid"]
    z = np.log(q) - np.log1p(-q)  # the logit whose sigmoid is q
    for target, name in ((1.0, "positive"), (0.0, "negative")):
        want = sigmoid_focal_loss(z, np.full_like(q, target), alpha=alpha, gamma=2.0)
        np.testing.assert_allclose(s[name][0], want, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0.5, 2.0, [0.2, 1.5]), r"alphas must lie in \[0, 1\]"),
        ((0.5, 2.0, [-0.1]), r"alphas must lie"),
        ((0.5, -1.0, [0.25]), "gamma"),
        ((1.5, 2.0, [0.25]), r"\[0, 1\]"),
        ((0.5, 2.0, []), "non-empty"),
    ],
)
def test_focal_alpha_sweep_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        focal_alpha_sweep(*args)


@pytest.mark.parametrize("base", UNITS)
@pytest.mark.parametrize("q", [0.0, 1e-45, 1e-20, 3.1e-8, 1e-7, 0.05, 0.95, 1.0])
def test_clip_epsilon_sweep_equals_clipped_log_loss_at_every_epsilon(q, base):
    from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient

    log_eps = parameter_grid(-30.0, -1.0, 0.5)
    s = clip_epsilon_sweep(log_eps, q, base=base)
    grid = s["grid"]
    ln_b = math.log(base)
    np.testing.assert_allclose(s["exact"][grid > 0], -np.log(grid[grid > 0]) / ln_b, rtol=1e-12)
    for i, x in enumerate(log_eps):
        eps = 10.0 ** float(x)
        assert s["epsilon"][i] == eps
        assert eps in grid  # the corners of the curve are drawn exactly
        assert 1 - eps in grid
        want = clipped_log_loss(grid, "epsilon", epsilon=eps) / ln_b
        np.testing.assert_allclose(s["curves"][i], want, rtol=1e-12, atol=1e-15)
        assert _same(s["cap"][i], clipped_log_loss(0.0, "epsilon", epsilon=eps) / ln_b)
        assert _same(s["loss"][i], clipped_log_loss(q, "epsilon", epsilon=eps) / ln_b), (x, q)
        assert _same(s["gradient"][i], clipped_log_loss_gradient(q, "epsilon", epsilon=eps) / ln_b), (x, q)


def test_clip_epsilon_sweep_adds_the_corners_to_a_given_grid():
    from ce_core.losses import clipped_log_loss

    s = clip_epsilon_sweep([-7.5, -1.0], 0.5, base=2, grid=[1e-50, 1e-10, 1.0])
    np.testing.assert_array_equal(s["grid"], sorted({1e-50, 1e-10, 1.0, 10**-7.5, 0.1, 1 - 10**-7.5, 0.9}))
    for i, eps in enumerate((10**-7.5, 0.1)):
        np.testing.assert_allclose(
            s["curves"][i], clipped_log_loss(s["grid"], "epsilon", epsilon=eps) / math.log(2), rtol=1e-12
        )


def test_clip_epsilon_sweep_silences_the_gradient_below_epsilon():
    s = clip_epsilon_sweep([-8.0, -7.0, -6.0], 1e-7)
    assert s["gradient"][0] == pytest.approx(-1e7)  # inside [1e-8, 1 - 1e-8]
    assert s["gradient"][1:].tolist() == [0.0, 0.0]  # at the clip and below it
    assert s["loss"][2] == s["cap"][2]


@pytest.mark.parametrize(
    ("log_eps", "match"),
    [
        ([-400.0], "positive in float64"),
        ([0.0], "below 0.5"),
        ([400.0], "below 0.5"),
        ([math.nan], "NaN|finite"),
        ([math.inf], "finite"),
        ([], "non-empty"),
    ],
)
def test_clip_epsilon_sweep_rejects_bad_epsilons(log_eps, match):
    with pytest.raises(ValueError, match=match):
        clip_epsilon_sweep(log_eps, 0.5)


# ---- the further charts of the focal, smoothing and clipping controls ------------------------------


@pytest.mark.parametrize("base", UNITS)
def test_focal_sweep_factor_curves_equal_focal_modulation_point_by_point(base):
    from ce_core.live import focal_sweep
    from ce_core.losses import focal_modulation

    gammas = [0.0, 0.5, 2.0, 4.7]
    grid = [0.0, 0.1, 0.55, 0.9, 1.0]
    s = focal_sweep(0.3, 0.25, gammas, base=base, grid=grid)
    assert s["factor_curves"].shape == (len(gammas), len(grid))
    for i, g in enumerate(gammas):
        for j, x in enumerate(grid):
            assert s["factor_curves"][i, j] == pytest.approx(float(focal_modulation(x, g)), rel=1e-12, abs=0)
    s = focal_sweep(0.3, None, gammas, base=base, marks=[0.1, 0.9])
    for i, g in enumerate(gammas):
        assert s["factor_marks"][i].tolist() == pytest.approx(
            [float(focal_modulation(0.1, g)), float(focal_modulation(0.9, g))], rel=1e-12
        )
    s = focal_sweep(0.3, 0.25, gammas, base=base, grid=grid)
    fine = [0.0, 0.25, 1.0]
    s2 = focal_sweep(0.3, None, gammas, base=base, grid=grid, factor_grid=fine)
    assert s2["factor_grid"].tolist() == fine
    for i, g in enumerate(gammas):
        assert s2["factor_curves"][i].tolist() == pytest.approx(
            [float(focal_modulation(x, g)) for x in fine], rel=1e-12
        )
    # the factor at gamma 0 is 1 everywhere (0^0 = 1 at q_t = 1 included)
    assert s["factor_curves"][0].tolist() == [1.0] * len(grid)


def test_smoothing_sweep_targets_equal_smooth_targets_at_every_epsilon():
    from ce_core.live import smoothing_sweep
    from ce_core.losses import smooth_targets

    eps = [0.0, 0.1, 0.37, 1.0]
    s = smoothing_sweep([0.5, 0.3, 0.2, 0.0], 2, eps)
    assert s["targets"].shape == (len(eps), 4)
    for i, e in enumerate(eps):
        np.testing.assert_array_equal(s["targets"][i], smooth_targets(2, 4, e))
        assert s["targets"][i].sum() == pytest.approx(1.0)
    assert s["targets"][0].tolist() == [0.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("base", UNITS)
def test_clipping_sweep_gradient_curves_equal_the_one_point_gradient(base):
    from ce_core.live import clipping_sweep
    from ce_core.losses import clipped_log_loss_gradient
    from ce_core.variants import clip_policies

    grid = [1e-50, 1e-20, 1e-8, 1e-7, 0.3, 1.0]
    s = clipping_sweep(clip_policies(1e-7), [0.5], base=base, grid=grid)
    settings = [
        ("exact", {}),
        ("pytorch", {}),
        ("sklearn", {}),
        ("sklearn", {"dtype": np.dtype("float32")}),
        ("epsilon", {"epsilon": 1e-7}),
    ]
    assert s["gradient_curves"].shape == (5, len(grid))
    for i, (policy, kw) in enumerate(settings):
        for j, q in enumerate(grid):
            want = float(clipped_log_loss_gradient(q, policy, **kw)) / math.log(base)
            assert s["gradient_curves"][i, j] == pytest.approx(want, rel=1e-12), (policy, q)
            assert s["gradient_size_curves"][i, j] == pytest.approx(abs(want), rel=1e-12), (policy, q)
        want = float(clipped_log_loss_gradient(0.5, policy, **kw)) / math.log(base)
        assert s["gradient_size"][i, 0] == pytest.approx(abs(want), rel=1e-12)
    # below the clip epsilon = 1e-7 the gradient is silenced; exact keeps -1/q
    assert s["gradient_curves"][4, 0] == 0.0
    assert s["gradient_curves"][0, 0] == pytest.approx(-1e50 / math.log(base), rel=1e-12)
