"""ce_core.coding (bits on the wire) and ce_core.training (a softmax classifier).

Coding: a message drawn from p and sent with a code built for q costs H(p, q)
bits per symbol with ideal lengths -log2 q, and between H(p, q) and H(p, q) + 1
with whole-bit (Shannon) lengths, which satisfy Kraft's inequality.
Training: gradient descent lowers the loss, the analytic gradients agree with
finite differences, and well-separated blobs end up classified correctly.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core import training
from tests import strategies as cs

P = np.array([0.5, 0.25, 0.125, 0.125])
Q = np.array([0.1, 0.2, 0.3, 0.4])

# --------------------------------------------------------------------------- coding


def test_running_bits_per_symbol_converges_to_cross_entropy_in_bits():
    n = 200_000
    message = ce_core.sample_message(P, n, seed=7)
    lengths = ce_core.code_lengths(Q)
    running = ce_core.running_bits_per_symbol(message, lengths)
    target = ce_core.cross_entropy(P, Q, base=2)
    # Standard error of a mean of n code lengths drawn from p; allow 5 of them.
    spread = math.sqrt(float(P @ (lengths - target) ** 2) / n)
    assert abs(running[-1] - target) < 5 * spread
    assert spread < 0.01  # the bound above is tight enough to mean something
    # Far from the start the running average moves little.
    assert abs(running[n // 2] - target) < 5 * math.sqrt(2) * spread


def test_running_bits_with_code_built_for_p_converges_to_entropy():
    message = ce_core.sample_message(P, 100_000, seed=3)
    running = ce_core.running_bits_per_symbol(message, ce_core.code_lengths(P))
    assert running[-1] == pytest.approx(ce_core.entropy(P, base=2), abs=0.02)


def test_running_bits_per_symbol_is_cumulative_mean():
    message = np.array([0, 2, 1, 2])
    lengths = np.array([1.0, 2.0, 4.0])
    assert ce_core.running_bits_per_symbol(message, lengths).tolist() == [1.0, 2.5, 7 / 3, 2.75]


def test_sample_message_frequencies_follow_p():
    n = 100_000
    counts = np.bincount(ce_core.sample_message(P, n, seed=1), minlength=P.size)
    expected = n * P
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 20  # 3 degrees of freedom: P(chi2 > 20) < 2e-4


def test_sample_message_is_seeded():
    a = ce_core.sample_message(P, 50, seed=5)
    assert np.array_equal(a, ce_core.sample_message(P, 50, seed=5))
    assert not np.array_equal(a, ce_core.sample_message(P, 50, seed=6))


@pytest.mark.parametrize("p", [[0.0, 1.0], [0.5, 0.5, 0.0], [0.0, 0.3, 0.0, 0.7, 0.0]], ids=str)
def test_sample_message_never_emits_impossible_symbols(p):
    message = ce_core.sample_message(p, 5_000, seed=2)
    assert set(np.unique(message)) <= set(np.flatnonzero(np.asarray(p) > 0))


def test_ideal_code_lengths_are_minus_log2_q():
    assert np.allclose(ce_core.code_lengths(Q), -np.log2(Q), rtol=1e-15, atol=0)
    assert ce_core.code_lengths([0.5, 0.5, 0.0])[2] == math.inf


def test_dyadic_code_needs_no_rounding():
    """-log2(0.125) is 3.0000000000000004 in floats; the whole-bit code must still say 3."""
    assert ce_core.code_lengths(P, whole_bits=True).tolist() == [1.0, 2.0, 3.0, 3.0]
    assert ce_core.kraft_sum(ce_core.code_lengths(P, whole_bits=True)) == 1.0


def test_impossible_symbol_costs_infinite_bits():
    message = np.array([0, 1, 0])
    running = ce_core.running_bits_per_symbol(message, ce_core.code_lengths([1.0, 0.0]))
    assert running.tolist() == [0.0, math.inf, math.inf]


@given(cs.distribution_pairs(positive_q=True))
def test_whole_bit_code_within_one_bit_of_cross_entropy(pq):
    """Expected Shannon-code length lies in [H(p, q), H(p, q) + 1)."""
    p, q = pq
    expected_length = float(p @ ce_core.code_lengths(q, whole_bits=True))
    h = ce_core.cross_entropy(p, q, base=2)
    assert h - 1e-9 <= expected_length < h + 1 + 1e-9
    assert float(p @ ce_core.code_lengths(q)) == pytest.approx(h, rel=1e-9, abs=1e-12)


@given(cs.distributions(positive=True))
def test_kraft_sum_at_most_one(q):
    assert ce_core.kraft_sum(ce_core.code_lengths(q, whole_bits=True)) <= 1.0 + 1e-12
    assert ce_core.kraft_sum(ce_core.code_lengths(q)) == pytest.approx(1.0, rel=1e-12)


def test_kraft_sum_of_a_non_prefix_code_exceeds_one():
    assert ce_core.kraft_sum([1, 1, 2]) == 1.25


# --------------------------------------------------------------------------- training


def finite_difference_gradient(model: training.Model, data: training.ToyData, loss: str, h: float = 1e-6):
    def value(w, b):
        return training.loss_and_gradient(training.Model(w, b), data, loss)[0]

    gw = np.zeros_like(model.weights)
    for index in np.ndindex(gw.shape):
        up, down = model.weights.copy(), model.weights.copy()
        up[index] += h
        down[index] -= h
        gw[index] = (value(up, model.bias) - value(down, model.bias)) / (2 * h)
    gb = np.zeros_like(model.bias)
    for index in np.ndindex(gb.shape):
        up, down = model.bias.copy(), model.bias.copy()
        up[index] += h
        down[index] -= h
        gb[index] = (value(model.weights, up) - value(model.weights, down)) / (2 * h)
    return gw, gb


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_finite_differences(loss, seed):
    rng = np.random.default_rng(seed)
    data = training.make_blobs(3, 15, spread=1.5, seed=seed)
    model = training.Model(weights=rng.normal(size=(2, 3)), bias=rng.normal(size=3))
    _, gw, gb = training.loss_and_gradient(model, data, loss)
    nw, nb = finite_difference_gradient(model, data, loss)
    assert np.allclose(gw, nw, rtol=1e-6, atol=1e-8)
    assert np.allclose(gb, nb, rtol=1e-6, atol=1e-8)


def test_loss_values_are_what_they_say():
    rng = np.random.default_rng(4)
    data = training.make_blobs(4, 10, seed=4)
    model = training.Model(weights=rng.normal(size=(2, 4)), bias=rng.normal(size=4))
    probs = training.predict_proba(model, data.x)
    onehot = np.eye(4)[data.y]
    ce_value = training.loss_and_gradient(model, data, "cross_entropy")[0]
    mse_value = training.loss_and_gradient(model, data, "mse")[0]
    assert ce_value == pytest.approx(float(np.mean(ce_core.cross_entropy(onehot, probs))), rel=1e-12)
    assert mse_value == pytest.approx(float(np.mean(np.sum((probs - onehot) ** 2, axis=1))), rel=1e-12)


def test_initial_model_predicts_uniform_and_costs_log_k():
    data = training.make_blobs(4, 10, seed=0)
    model = training.init_model(4)
    assert np.allclose(training.predict_proba(model, data.x), 0.25)
    assert training.loss_and_gradient(model, data)[0] == pytest.approx(math.log(4), rel=1e-12)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_training_decreases_loss(loss):
    data = training.make_blobs(3, 30, spread=1.0, seed=0)
    _, history = training.train(training.init_model(3), data, steps=200, learning_rate=0.5, loss=loss)
    assert len(history) == 200
    assert history[-1] < 0.5 * history[0]
    # Full-batch descent with a small step never goes up (beyond rounding).
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(history))


def test_training_zero_steps_returns_the_model():
    data = training.make_blobs(2, 5, seed=0)
    model = training.init_model(2)
    new, history = training.train(model, data, steps=0, learning_rate=0.1)
    assert history == []
    assert np.array_equal(new.weights, model.weights)
    assert np.array_equal(new.bias, model.bias)


@pytest.mark.parametrize("num_classes", [2, 3, 6])
def test_well_separated_blobs_are_learnt(num_classes):
    data = training.make_blobs(num_classes, 40, spread=0.3, seed=1)
    model, _ = training.train(training.init_model(num_classes), data, steps=300, learning_rate=1.0)
    assert training.accuracy(model, data) >= 0.98
    assert training.accuracy(training.init_model(num_classes), data) <= 1 / num_classes + 1e-12


def test_make_blobs_is_seeded_and_shaped():
    a = training.make_blobs(3, 12, seed=9)
    assert a.x.shape == (36, 2)
    assert a.y.shape == (36,)
    assert a.num_classes == 3
    assert np.bincount(a.y).tolist() == [12, 12, 12]
    assert np.array_equal(a.x, training.make_blobs(3, 12, seed=9).x)
    assert not np.array_equal(a.x, training.make_blobs(3, 12, seed=10).x)


def test_predict_proba_rows_are_distributions():
    rng = np.random.default_rng(0)
    model = training.Model(weights=rng.normal(size=(2, 3)) * 50, bias=rng.normal(size=3))
    probs = training.predict_proba(model, rng.normal(size=(20, 2)) * 100)
    assert np.isfinite(probs).all()
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_decision_grid_matches_predict_proba():
    data = training.make_blobs(3, 20, seed=0)
    model, _ = training.train(training.init_model(3), data, steps=50, learning_rate=0.5)
    xs, ys, classes, confidence = training.decision_grid(model, (-4.0, 4.0, -3.0, 3.0), resolution=11)
    assert xs.shape == (11,)
    assert ys.shape == (11,)
    assert classes.shape == (11, 11)
    probs = training.predict_proba(model, [[xs[3], ys[7]]])[0]
    assert classes[7, 3] == probs.argmax()
    assert confidence[7, 3] == pytest.approx(probs.max())


@given(st.integers(0, 2**32 - 1))
def test_gradient_of_cross_entropy_is_mean_of_softmax_minus_onehot(seed):
    """The bias gradient is the mean over points of softmax - onehot (ce_core.cross_entropy_gradient)."""
    rng = np.random.default_rng(seed)
    data = training.make_blobs(3, 5, seed=seed % 1000)
    model = training.Model(weights=rng.normal(size=(2, 3)), bias=rng.normal(size=3))
    logits = data.x @ model.weights + model.bias
    _, gw, gb = training.loss_and_gradient(model, data)
    per_sample = ce_core.cross_entropy_gradient(logits, data.y)
    assert np.allclose(gb, per_sample.mean(axis=0), rtol=1e-12, atol=1e-15)
    assert np.allclose(gw, data.x.T @ per_sample / data.y.size, rtol=1e-12, atol=1e-15)
