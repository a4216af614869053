"""Figure builders of the loss-variant lessons, tested through their trace data."""

import math

import numpy as np
import pytest

from ce_core.figures import variants as fv
from ce_core.information import surprisal
from ce_core.live import focal_sweep, smoothing_sweep
from ce_core.losses import (
    clipped_log_loss_gradient,
    focal_modulation,
    smooth_targets,
    smoothed_loss_floor,
    softmax_cross_entropy,
)
from ce_core.variants import (
    CLIP_GRID,
    CURVE_GRID,
    FOCAL_GRID,
    clip_policies,
    focal_loss,
    smoothed_loss_curve,
    smoothing_frames,
    spread_evenly,
)

NAMES = ("cat", "dog", "bird")
Q = np.array([0.2, 0.5, 0.3])


def by_name(fig, name):
    for t in fig.data:
        if t.name == name:
            return t
    raise KeyError(f"{name!r} not in {[t.name for t in fig.data]}")


# --------------------------------------------------------------------------- label smoothing


def test_smoothing_bars_show_one_hot_smoothed_and_q():
    fig = fv.make_smoothing_bars(NAMES, 1, 0.3, Q)
    assert [t.name for t in fig.data] == [fv.ONE_HOT, fv.SMOOTHED, fv.MODEL]
    np.testing.assert_allclose(fig.data[0].y, [0, 1, 0])
    np.testing.assert_allclose(fig.data[1].y, [0.1, 0.8, 0.1])  # (1 - 0.3) onehot + 0.3 / 3
    np.testing.assert_allclose(fig.data[2].y, Q)


def test_smoothing_bars_reject_mismatched_names():
    with pytest.raises(ValueError, match="names and q"):
        fv.make_smoothing_bars(NAMES[:2], 0, 0.1, Q)


@pytest.mark.parametrize("base", [2.0, math.e])
def test_smoothing_sweep_equals_the_library_form_at_every_epsilon(base):
    """The table behind the live ε control (pages/label_smoothing.py): one row per ε."""
    eps = np.round(np.arange(0, 101) / 100, 2)
    q = np.array([0.5, 0.3, 0.2])
    s = smoothing_sweep(q, 0, eps, base=base)
    spread = spread_evenly(CURVE_GRID, 3)
    for i in range(0, 101, 7):
        e = float(eps[i])
        # independent: cross-entropy of the smoothed target against the evenly spread q, via logits log q
        expected = np.asarray(softmax_cross_entropy(np.log(spread), np.zeros(len(CURVE_GRID), dtype=int),
                                                    label_smoothing=e, reduction="none")) / math.log(base)
        np.testing.assert_allclose(s["curves"][i], expected, rtol=1e-12)
        assert s["floors"][i] == pytest.approx(smoothed_loss_floor(0, 3, e, base=base))
        assert s["best_x"][i] == pytest.approx(1 - e + e / 3)
        mine = float(softmax_cross_entropy(np.log(q)[None, :], np.array([0]), label_smoothing=e)) / math.log(base)
        assert s["loss"][i] == pytest.approx(mine, rel=1e-12)
        assert s["kl"][i] == pytest.approx(mine - s["floors"][i], rel=1e-9, abs=1e-12)


def test_smoothing_sweep_is_infinite_where_smoothing_reaches_a_class_q_rules_out():
    s = smoothing_sweep([0.6, 0.4, 0.0], 0, [0.0, 0.1])
    assert math.isfinite(s["loss"][0])
    assert s["loss"][1] == math.inf
    assert s["kl"][1] == math.inf


def test_smoothing_curve_never_goes_below_its_floor_and_touches_it_where_q_equals_the_target():
    for e in (0.05, 0.3, 0.9):
        fine = np.linspace(0.01, 0.99, 2000)
        y = smoothed_loss_curve(fine, 4, e)
        floor = smoothed_loss_floor(0, 4, e)
        assert (y >= floor - 1e-12).all()
        best = float(smooth_targets(0, 4, e)[0])
        assert float(smoothed_loss_curve(np.array([best]), 4, e)[0]) == pytest.approx(floor, abs=1e-12)


def test_smoothing_scrub_floor_runs_from_zero_to_log_c():
    frames = smoothing_frames(5, base=2.0)
    assert frames.floors[0] == 0.0
    assert frames.floors[-1] == pytest.approx(math.log2(5))


# --------------------------------------------------------------------------- focal


def test_focal_factor_curves_equal_focal_modulation():
    fig = fv.make_focal_factor(1.5)
    names = [t.name for t in fig.data]
    assert names == ["γ = 0", "γ = 0.5", "γ = 1", "γ = 1.5 (yours)", "γ = 2", "γ = 5"]
    for t, g in zip(fig.data, (0.0, 0.5, 1.0, 1.5, 2.0, 5.0), strict=True):
        np.testing.assert_allclose(t.y, focal_modulation(FOCAL_GRID, g))
    np.testing.assert_allclose(fig.data[0].y, 1.0)  # gamma 0: nothing is turned down


@pytest.mark.parametrize("alpha", [None, 0.75])
def test_focal_sweep_equals_ce_core_at_every_gamma(alpha):
    """The table behind the live γ control (pages/focal_loss.py): one row per γ."""
    gammas = np.round(np.arange(0, 51) / 10, 1)
    s = focal_sweep(0.4, alpha, gammas, base=math.e)
    a = 1.0 if alpha is None else alpha
    np.testing.assert_allclose(s["cross_entropy"], surprisal(FOCAL_GRID), rtol=1e-12)
    for i, g in enumerate(gammas):
        np.testing.assert_allclose(s["curves"][i], focal_loss(FOCAL_GRID, g, alpha), rtol=1e-12)
        assert s["loss"][i] == pytest.approx(a * 0.6 ** g * -math.log(0.4))
        assert s["factor"][i] == pytest.approx(focal_modulation(0.4, g))
    if alpha is None:  # gamma = 0 without alpha gives back cross-entropy
        np.testing.assert_allclose(s["curves"][0], s["cross_entropy"])


def test_focal_gamma_curve_marks_the_current_gamma():
    gammas = np.round(np.arange(0, 51) / 10, 1)
    s = focal_sweep(0.3, None, gammas, base=2.0)
    fig = fv.make_focal_gamma_curve(s["gamma"], s["loss"], 2.0, p_true=0.3, unit="bits")
    curve, point = by_name(fig, fv.GAMMA_CURVE), by_name(fig, fv.FOCAL_POINT)
    np.testing.assert_allclose(curve.y, [0.7 ** g * -math.log2(0.3) for g in gammas], rtol=1e-12)
    assert point.x == (2.0,)
    assert point.y[0] == pytest.approx(0.7 ** 2 * -math.log2(0.3))


def test_focal_gamma_curve_leaves_an_infinite_point_off():
    s = focal_sweep(0.0, None, [0.0, 1.0, 2.0])
    fig = fv.make_focal_gamma_curve(s["gamma"], s["loss"], 1.0, p_true=0.0, unit="nats")
    assert len(by_name(fig, fv.FOCAL_POINT).x) == 0
    with pytest.raises(ValueError, match="one length"):
        fv.make_focal_gamma_curve([0.0, 1.0], [1.0], 1.0, p_true=0.5, unit="nats")


# --------------------------------------------------------------------------- clipping


def test_clipping_gradients_are_silenced_below_the_clip():
    policies = clip_policies(1e-7)
    fig = fv.make_clipping_gradients(policies, 1e-9, base=math.e, unit="nats")
    assert fig.layout.yaxis.type == "log"
    exact = np.asarray(fig.data[0].y, dtype=float)
    np.testing.assert_allclose(exact, 1 / CLIP_GRID)
    mine = np.asarray(fig.data[4].y, dtype=float)
    assert np.isnan(mine[CLIP_GRID < 1e-7]).all()  # 0 on a log axis: the line stops
    g = np.abs(clipped_log_loss_gradient(CLIP_GRID, "epsilon", epsilon=1e-7))
    np.testing.assert_allclose(mine, np.where(g > 0, g, np.nan))
    assert np.isfinite(mine[(CLIP_GRID > 1.01e-7) & (CLIP_GRID < 0.99)]).all()
    # the marker of a silenced policy is left out at q = 1e-9: exact, pytorch and the two sklearn clips stay
    marker_names = [t.name for t in fig.data[5:]]
    assert marker_names == ["at q: " + p.label for p in policies[:3]]
