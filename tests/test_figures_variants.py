"""The sweeps behind the loss-variant lessons' live charts (ce_core.live), against ce_core's one-point forms."""

import math

import numpy as np
import pytest

from ce_core.information import surprisal
from ce_core.live import focal_sweep, smoothing_sweep
from ce_core.losses import (
    focal_modulation,
    smooth_targets,
    smoothed_loss_floor,
    softmax_cross_entropy,
)
from ce_core.variants import (
    CURVE_GRID,
    FOCAL_GRID,
    focal_loss,
    smoothed_loss_curve,
    smoothing_frames,
    spread_evenly,
)

NAMES = ("cat", "dog", "bird")
Q = np.array([0.2, 0.5, 0.3])


# --------------------------------------------------------------------------- label smoothing


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
        expected = np.asarray(
            softmax_cross_entropy(
                np.log(spread), np.zeros(len(CURVE_GRID), dtype=int), label_smoothing=e, reduction="none"
            )
        ) / math.log(base)
        np.testing.assert_allclose(s["curves"][i], expected, rtol=1e-12)
        assert s["floors"][i] == pytest.approx(smoothed_loss_floor(0, 3, e, base=base))
        assert s["best_x"][i] == pytest.approx(1 - e + e / 3)
        mine = float(softmax_cross_entropy(np.log(q)[None, :], np.array([0]), label_smoothing=e)) / math.log(
            base
        )
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


@pytest.mark.parametrize("alpha", [None, 0.75])
def test_focal_sweep_equals_ce_core_at_every_gamma(alpha):
    """The table behind the live γ control (pages/focal_loss.py): one row per γ."""
    gammas = np.round(np.arange(0, 51) / 10, 1)
    s = focal_sweep(0.4, alpha, gammas, base=math.e)
    a = 1.0 if alpha is None else alpha
    np.testing.assert_allclose(s["cross_entropy"], surprisal(FOCAL_GRID), rtol=1e-12)
    for i, g in enumerate(gammas):
        np.testing.assert_allclose(s["curves"][i], focal_loss(FOCAL_GRID, g, alpha), rtol=1e-12)
        assert s["loss"][i] == pytest.approx(a * 0.6**g * -math.log(0.4))
        assert s["factor"][i] == pytest.approx(focal_modulation(0.4, g))
    if alpha is None:  # gamma = 0 without alpha gives back cross-entropy
        np.testing.assert_allclose(s["curves"][0], s["cross_entropy"])


# --------------------------------------------------------------------------- clipping


# --------------------------------------------------------------------------- focal loss live charts


def _layer(spec, name):
    (layer,) = [layer for layer in spec["layers"] if layer["name"] == name]
    return layer


@pytest.mark.parametrize(("alpha", "base", "unit"), [(None, 2.0, "bits"), (0.25, math.e, "nats")])
def test_focal_charts_draw_ce_cores_focal_loss(alpha, base, unit):
    from ce_core.live import focal_alpha_sweep, parameter_grid
    from ce_core.variants import FOCAL_SHOWCASE
    from lab.figures.live import decode_table
    from lab.figures.variants import (
        focal_against_gamma_chart,
        focal_alpha_chart,
        focal_factor_chart,
        focal_gamma_chart,
    )

    gammas = parameter_grid(0.0, 5.0, 0.1)
    q_t = 0.3
    s = focal_sweep(q_t, alpha, gammas, base=base, factor_grid=parameter_grid(0.0, 1.0, 0.01))
    expected = [focal_loss(q_t, g, alpha, base=base) for g in gammas]
    spec, readouts = focal_gamma_chart(s, gammas, q_t, alpha, unit=unit)
    np.testing.assert_allclose(decode_table(_layer(spec, "your example")["y"]), expected, rtol=1e-12)
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["focal"][20] == f"{expected[20]:.4f} {unit}"
    assert len(spec["caption"]) == gammas.size

    spec = focal_against_gamma_chart(s, gammas, q_t, alpha, unit=unit)
    np.testing.assert_allclose(decode_table(_layer(spec, "focal loss against γ")["y"]), expected, rtol=1e-12)
    spec = focal_factor_chart(s, gammas, FOCAL_SHOWCASE)
    two = _layer(spec, "γ = 2")
    np.testing.assert_allclose(
        decode_table(two["y"]), focal_modulation(decode_table(two["x"]), 2.0), atol=1e-12
    )

    alphas = parameter_grid(0.0, 1.0, 0.01)
    s = focal_alpha_sweep(q_t, 2.0, alphas, base=base)
    spec, readouts = focal_alpha_chart(s, alphas, q_t, 2.0, unit=unit)
    np.testing.assert_allclose(
        decode_table(_layer(spec, "your example")["y"]),
        [focal_loss(q_t, 2.0, a, base=base) for a in alphas],
        rtol=1e-12,
    )
    assert {r["name"] for r in readouts} == {"alpha_pos", "alpha_neg", "focal"}


@pytest.mark.parametrize(("base", "unit"), [(2.0, "bits"), (math.e, "nats")])
def test_smoothing_charts_draw_ce_cores_smoothed_loss(base, unit):
    from ce_core.live import parameter_grid
    from ce_core.variants import smoothed_loss
    from lab.figures.live import decode_table
    from lab.figures.variants import smoothing_chart, smoothing_targets_chart

    eps = parameter_grid(0.0, 1.0, 0.01)
    s = smoothing_sweep(Q, 1, eps, base=base)
    spec, readouts = smoothing_chart(s, eps, 0.1, float(Q[1]), Q.size, unit=unit)
    (mine,) = [layer for layer in spec["layers"] if layer["name"] == "your q"]
    np.testing.assert_allclose(
        decode_table(mine["y"]), [smoothed_loss(Q, 1, e, base=base) for e in eps], rtol=1e-12
    )
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["floor"][10] == f"{smoothed_loss_floor(1, Q.size, 0.1, base=base):.4f} {unit}"
    assert len(spec["caption"]) == eps.size

    spec = smoothing_targets_chart(s, eps, 1, NAMES, Q)
    (target,) = [layer for layer in spec["layers"] if layer["name"] == "smoothed target t′"]
    np.testing.assert_allclose(
        decode_table(target["y"]).reshape(eps.size, Q.size),
        [smooth_targets(1, Q.size, e) for e in eps],
        atol=1e-12,
    )
    assert spec["x_ticks"][1][1] == "dog ✓"


def test_class_weights_chart_draws_the_table_of_ce_core():
    from ce_core.bar_tables import class_weight_table
    from ce_core.live import parameter_grid
    from ce_core.variants import BATCH_LOGITS, BATCH_TARGETS, weighted_batch
    from lab.figures.live import decode_table
    from lab.figures.variants import class_weights_chart

    grid = parameter_grid(0.0, 10.0, 0.5)
    weight = (1.0, 3.0, 3.0)
    table = class_weight_table(BATCH_LOGITS, BATCH_TARGETS, weight, grid, base=2.0)
    spec, readouts = class_weights_chart(table, [NAMES[int(c)] for c in BATCH_TARGETS], unit="bits")
    batch = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, weight, base=2.0)
    (before,) = [layer for layer in spec["layers"] if layer["name"] == "before: −log q[y]"]
    np.testing.assert_allclose(decode_table(before["y"]), batch.per_sample, rtol=1e-12)
    (index,) = [layer for layer in spec["layers"] if layer["name"] == "mean, index targets (÷ Σ w[y])"]
    assert index["label_readout"] == "index"
    assert index["below"]
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["index"][-1] == f"{table.index_mean[-1]:.4f} bits"
    assert [t[1] for t in spec["x_ticks"]] == [NAMES[int(c)] for c in BATCH_TARGETS]


@pytest.mark.parametrize(("base", "unit", "short"), [(2.0, "bits", "bits"), (math.e, "nats", "nats")])
def test_clipping_charts_draw_each_policys_loss(base, unit, short):
    from ce_core.live import clip_epsilon_sweep, clipping_sweep, parameter_grid
    from ce_core.variants import PROBABILITY_STEPS, clip_policies
    from lab.figures.live import decode_table
    from lab.figures.variants import clip_epsilon_chart, clip_gradient_chart, clip_loss_chart, gradient_text

    policies = clip_policies(1e-7)
    s = clipping_sweep(policies, PROBABILITY_STEPS, base=base)
    spec, readouts = clip_loss_chart(policies, s, PROBABILITY_STEPS, unit=unit)
    for p in policies:
        (at,) = [layer for layer in spec["layers"] if layer["name"] == f"at q: {p.label}"]
        np.testing.assert_allclose(decode_table(at["y"]), [p.loss(q, base) for q in PROBABILITY_STEPS])
    assert len(readouts) == len(policies)
    assert len(spec["caption"]) == len(PROBABILITY_STEPS)
    gradient = clip_gradient_chart(policies, s, PROBABILITY_STEPS, unit_short=short)
    assert gradient["y_log"]
    assert gradient_text(0.0) == "0 (silenced)"
    assert gradient_text(-math.inf) == "−∞"

    log_eps = parameter_grid(-30.0, -1.0, 0.5)
    es = clip_epsilon_sweep(log_eps, 1e-40, base=base, grid=np.logspace(-50, 0, 51))
    labels = [f"{v:g}" for v in log_eps]
    spec, readouts = clip_epsilon_chart(es, 1e-40, labels, unit=unit, unit_short=short)
    (cap,) = [layer for layer in spec["layers"] if layer["name"] == "its cap −log ε"]
    np.testing.assert_allclose(decode_table(cap["y"]), -np.log(10.0**log_eps) / math.log(base), rtol=1e-12)
    assert {r["name"] for r in readouts} == {"cap", "loss", "gradient"}
