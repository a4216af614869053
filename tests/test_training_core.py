"""ce_core.training additions for the training lesson: wrong start, runs, plateau test, extent."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ce_core.training import (
    Model,
    ToyData,
    accuracy,
    confidently_wrong_model,
    continue_run,
    data_extent,
    gradient_norm,
    has_plateaued,
    init_model,
    learning_rate_sweep,
    loss_and_gradient,
    make_blobs,
    plateau_start,
    predict_proba,
    start_run,
    step_outcomes,
    train,
)


@pytest.mark.parametrize("num_classes", [2, 3, 4])
def test_confidently_wrong_model_predicts_the_next_class(num_classes):
    data = make_blobs(num_classes, 30, spread=0.5, seed=3)
    model = confidently_wrong_model(data, 1.0)
    means = np.stack([data.x[data.y == c].mean(axis=0) for c in range(num_classes)])
    predicted = predict_proba(model, means).argmax(axis=1)
    np.testing.assert_array_equal(predicted, (np.arange(num_classes) + 1) % num_classes)
    assert accuracy(model, data) < 0.05


def test_confidently_wrong_model_strength_sets_confidence():
    data = make_blobs(3, 30, spread=0.5, seed=3)
    weak = predict_proba(confidently_wrong_model(data, 0.1), data.x).max(axis=1).mean()
    strong = predict_proba(confidently_wrong_model(data, 1.0), data.x).max(axis=1).mean()
    assert weak < 0.7 < 0.95 < strong


@pytest.mark.parametrize("strength", [0, -1.0, math.inf, "x"])
def test_confidently_wrong_model_rejects_bad_strength(strength):
    with pytest.raises(ValueError, match="strength"):
        confidently_wrong_model(make_blobs(2, 5, seed=0), strength)


def test_cross_entropy_gradient_survives_confident_mistakes():
    """The lesson's claim: from a confidently wrong start MSE's gradient all but vanishes, CE's does not."""
    data = make_blobs(3, 40, spread=1.0, seed=0)
    model = confidently_wrong_model(data, 1.0)
    assert gradient_norm(model, data, "cross_entropy") > 50 * gradient_norm(model, data, "mse")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_gradient_norm_matches_finite_differences(loss):
    data = make_blobs(3, 10, spread=1.0, seed=2)
    rng = np.random.default_rng(0)
    model = Model(weights=rng.normal(size=(2, 3)), bias=rng.normal(size=3))
    params = np.concatenate([model.weights.ravel(), model.bias])
    h = 1e-6
    numeric = np.empty_like(params)
    for i in range(params.size):
        plus, minus = params.copy(), params.copy()
        plus[i] += h
        minus[i] -= h
        f = [loss_and_gradient(Model(v[:6].reshape(2, 3), v[6:]), data, loss)[0] for v in (plus, minus)]
        numeric[i] = (f[0] - f[1]) / (2 * h)
    assert gradient_norm(model, data, loss) == pytest.approx(np.linalg.norm(numeric), rel=1e-6)


@pytest.mark.parametrize("num_classes", [2, 3, 4])
def test_start_run_from_zero_weights_costs_log_k(num_classes):
    data = make_blobs(num_classes, 10, seed=1)
    run = start_run(init_model(num_classes), data)
    assert run.steps == 0
    assert run.current_loss == pytest.approx(math.log(num_classes))


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("chunks", [[15], [1, 1, 13], [3, 7, 0, 5]])
def test_continue_run_in_chunks_equals_one_train_call(loss, chunks):
    data = make_blobs(3, 20, seed=4)
    start = confidently_wrong_model(data, 0.5)
    run = start_run(start, data, loss)
    for n in chunks:
        run = continue_run(run, data, n, 0.3)
    model, before = train(start, data, sum(chunks), 0.3, loss)
    assert run.steps == sum(chunks)
    assert run.losses == (*before, loss_and_gradient(model, data, loss)[0])
    np.testing.assert_array_equal(run.model.weights, model.weights)


@pytest.mark.parametrize("steps", [-1, 1.5, True])
def test_continue_run_rejects_bad_steps(steps):
    data = make_blobs(2, 5, seed=0)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        continue_run(start_run(init_model(2), data), data, steps, 0.1)


def test_has_plateaued_flat_tail_and_falling_curve():
    assert has_plateaued([2.0] + [1.0] * 60, window=50)
    assert not has_plateaued([1.0 / (1 + t) for t in range(60)], window=50)
    assert not has_plateaued([1.0] * 50, window=50)  # not enough steps to judge


def test_has_plateaued_band_is_relative_to_the_starting_loss():
    # The last 6 values move by 0.004: flat against a start of 10 (0.04 %), not against a start of 1 (0.4 %).
    tail = [0.5, 0.499, 0.498, 0.497, 0.4965, 0.496]
    assert has_plateaued([10.0, *tail], window=5, tolerance=1e-3)
    assert not has_plateaued([1.0, *tail], window=5, tolerance=1e-3)


def test_has_plateaued_catches_a_separable_problem():
    """On separable data the loss never stops falling, yet the test calls a plateau."""
    data = make_blobs(2, 40, spread=0.5, seed=0)
    run = continue_run(start_run(init_model(2), data), data, 1000, 0.5)
    assert run.current_loss > 0
    assert has_plateaued(run.losses)
    assert plateau_start(run.losses) < 1000


def test_oscillating_loss_is_not_a_plateau():
    losses = [1.0] + [0.5, 0.6] * 40
    assert not has_plateaued(losses, window=10)


@pytest.mark.parametrize(
    ("window", "tolerance", "match"),
    [
        (0, 1e-3, "window"),
        (2.5, 1e-3, "window"),
        (True, 1e-3, "window"),
        (5, 0, "tolerance"),
        (5, -1, "tolerance"),
    ],
)
def test_plateau_arguments_are_checked(window, tolerance, match):
    with pytest.raises(ValueError, match=match):
        has_plateaued([1.0] * 10, window=window, tolerance=tolerance)
    with pytest.raises(ValueError, match=match):
        plateau_start([1.0] * 10, window=window, tolerance=tolerance)


@given(
    st.lists(st.floats(min_value=0.0, max_value=5.0), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([1e-3, 0.05, 0.5]),
)
def test_plateau_start_agrees_with_has_plateaued_on_every_prefix(losses, window, tolerance):
    flags = [has_plateaued(losses[: t + 1], window, tolerance) for t in range(len(losses))]
    start = plateau_start(losses, window, tolerance)
    if not flags[-1]:
        assert start is None
    else:
        assert all(flags[start:])
        assert start == 0 or not flags[start - 1]


def test_data_extent_is_a_square_around_every_point():
    data = make_blobs(4, 30, spread=1.3, seed=9)
    x0, x1, y0, y1 = data_extent(data, margin=0.5)
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert (data.x[:, 0] >= x0 + 0.5 - 1e-12).all()
    assert (data.x[:, 0] <= x1 - 0.5 + 1e-12).all()
    assert (data.x[:, 1] >= y0 + 0.5 - 1e-12).all()
    assert (data.x[:, 1] <= y1 - 0.5 + 1e-12).all()
    # the wider axis is tight: exactly the margin on both sides
    gaps = [data.x[:, 0].min() - x0, data.x[:, 1].min() - y0]
    assert min(gaps) == pytest.approx(0.5)


def test_data_extent_rejects_negative_margin():
    data = ToyData(x=np.zeros((2, 2)), y=np.array([0, 1]), num_classes=2)
    with pytest.raises(ValueError, match="margin"):
        data_extent(data, margin=-1)


# ---- learning_rate_sweep: every learning rate's next steps in one batched call -------------------

SWEEP_RATES = (0.01, 0.05, 0.2, 1.0, 2.5, 10.0)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize(
    ("num_classes", "points", "spread", "start", "done"),
    [
        (3, 40, 1.0, "zero", 0),
        (4, 25, 1.5, "wrong", 12),
        (2, 10, 0.3, "zero", 40),
        (4, 100, 2.0, "wrong", 3),
    ],
)
def test_learning_rate_sweep_equals_continue_run_per_rate(loss, num_classes, points, spread, start, done):
    data = make_blobs(num_classes, points, spread, seed=5)
    model = init_model(num_classes) if start == "zero" else confidently_wrong_model(data, 1.0)
    run = continue_run(start_run(model, data, loss), data, done, 0.5)
    out = learning_rate_sweep(run, data, SWEEP_RATES, 30)
    assert out.shape == (len(SWEEP_RATES), 31)
    for row, rate in zip(out, SWEEP_RATES, strict=True):
        want = np.array(continue_run(run, data, 30, rate).losses[done:])
        assert want[0] == run.current_loss
        # the same formulas summed in another order: equal to rounding (a diverging run amplifies it)
        np.testing.assert_allclose(row, want, rtol=1e-7, atol=0)


def test_learning_rate_sweep_of_zero_steps_is_the_current_loss():
    data = make_blobs(3, 20, seed=1)
    run = continue_run(start_run(init_model(3), data), data, 4, 0.3)
    out = learning_rate_sweep(run, data, [0.1, 3.0], 0)
    assert out.shape == (2, 1)
    assert out[:, 0].tolist() == pytest.approx([run.current_loss] * 2, rel=1e-14)


@pytest.mark.parametrize(
    ("rates", "steps", "match"),
    [
        ([], 5, "non-empty"),
        ([0.1, 0.0], 5, "positive and finite"),
        ([math.inf], 5, "positive and finite"),
        ([-1.0], 5, "positive and finite"),
        ([[0.1, 0.2]], 5, "non-empty list"),
        ([0.1], -1, "non-negative integer"),
        ([0.1], 2.5, "non-negative integer"),
        ([0.1], True, "non-negative integer"),
        ([math.nan], 5, "NaN"),
    ],
)
def test_learning_rate_sweep_rejects_bad_arguments(rates, steps, match):
    data = make_blobs(2, 10, seed=0)
    with pytest.raises(ValueError, match=match):
        learning_rate_sweep(start_run(init_model(2), data), data, rates, steps)


def test_a_huge_learning_rate_diverges_and_the_sweep_says_so():
    data = make_blobs(4, 30, 2.0, seed=2)
    run = start_run(confidently_wrong_model(data, 1.0), data)
    out = learning_rate_sweep(run, data, [0.05, 1e6], 20)
    assert step_outcomes(out).tolist()[1] == "diverges"
    assert out[1, -1] > out[1, 0] or not np.isfinite(out[1]).all()


@pytest.mark.parametrize(
    ("row", "tolerance", "reference", "want"),
    [
        ([1.0, 0.8, 0.6], 1e-3, None, "falls"),
        ([1.0, 0.9995, 0.9992], 1e-3, None, "stalls"),  # moved by 0.08 % of the first loss
        ([1.0, 0.9995, 0.9992], 1e-3, 0.5, "falls"),  # a smaller reference: a narrower band
        ([1.0, 0.9995, 0.9992], 1e-4, None, "falls"),
        ([1.0, 0.5, 0.7, 0.4], 1e-3, None, "oscillates"),
        ([1.0, 0.5, 0.5004, 0.4], 1e-3, None, "falls"),  # a rise inside the band is not a zigzag
        ([1.0, 0.5, 1.2], 1e-3, None, "diverges"),
        ([1.0, 0.5, math.nan], 1e-3, None, "diverges"),
        ([1.0, math.inf, 0.5], 1e-3, None, "diverges"),
        ([0.1, 0.1002], 1e-3, 1.0, "stalls"),  # the band is 0.001 of the reference 1.0
        ([0.1, 0.1002], 1e-3, None, "diverges"),
        ([0.7], 1e-3, None, "stalls"),
    ],
)
def test_step_outcomes_classify_by_the_band(row, tolerance, reference, want):
    assert step_outcomes(row, tolerance, reference).tolist() == [want]


def test_step_outcomes_work_row_by_row_and_check_arguments():
    assert step_outcomes([[1.0, 0.5], [1.0, 2.0]]).tolist() == ["falls", "diverges"]
    with pytest.raises(ValueError, match="one row of losses per run"):
        step_outcomes(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="tolerance"):
        step_outcomes([1.0, 0.5], tolerance=0.0)


def test_training_run_helpers_report_what_ce_core_computes():
    """lab.training_run.progress, finished and first_gradient_norms: the page's numbers, from ce_core."""
    from lab import training_run as run

    data = make_blobs(3, 20, spread=1.0, seed=1)
    state = run.fresh_state(data, zero_start=False, key=())
    run.advance(state, data, 40, 0.5)
    ce, mse = state["ce"], state["mse"]
    shown, plateau, ce_acc, mse_acc = run.progress(state, data, 2.0)
    np.testing.assert_allclose(shown, np.asarray(ce.losses) / math.log(2))
    assert plateau == plateau_start(ce.losses, run.PLATEAU_WINDOW, run.PLATEAU_TOLERANCE)
    assert (ce_acc, mse_acc) == (accuracy(ce.model, data), accuracy(mse.model, data))
    assert run.finished(state) == has_plateaued(ce.losses, run.PLATEAU_WINDOW, run.PLATEAU_TOLERANCE)
    assert run.first_gradient_norms(state, data) == (
        gradient_norm(state["start"], data, "cross_entropy"),
        gradient_norm(state["start"], data, "mse"),
    )
