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
    loss_and_gradient,
    make_blobs,
    plateau_start,
    predict_proba,
    start_run,
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


@pytest.mark.parametrize(("window", "tolerance", "match"), [
    (0, 1e-3, "window"), (2.5, 1e-3, "window"), (True, 1e-3, "window"), (5, 0, "tolerance"), (5, -1, "tolerance"),
])
def test_plateau_arguments_are_checked(window, tolerance, match):
    with pytest.raises(ValueError, match=match):
        has_plateaued([1.0] * 10, window=window, tolerance=tolerance)
    with pytest.raises(ValueError, match=match):
        plateau_start([1.0] * 10, window=window, tolerance=tolerance)


@given(st.lists(st.floats(min_value=0.0, max_value=5.0), min_size=1, max_size=40),
       st.integers(min_value=1, max_value=6), st.sampled_from([1e-3, 0.05, 0.5]))
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
