"""Property tests: the identities and inequalities that define the quantities.

Each test is named after the property it checks. Counterexamples that
Hypothesis found are pinned as ``parametrize`` cases next to the property (see
``PINNED_*``), so they are checked on every run whatever Hypothesis draws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import ce_core
from tests import strategies as cs

# A generous but meaningful tolerance: the identities hold to rounding.
RTOL = 1e-9
ATOL = 1e-12


def close(a, b, rtol=RTOL, atol=ATOL) -> bool:
    a, b = np.asarray(a, float), np.asarray(b, float)
    same_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
    with np.errstate(invalid="ignore"):
        ok = np.abs(a - b) <= atol + rtol * np.abs(b)
    return bool(np.all(same_inf | ok))


# --------------------------------------------------------------------------- information


@given(cs.distribution_pairs())
@example((np.array([1.0, 0.0]), np.array([0.9, 0.1])))  # REFERENCE.md's Gibbs counterexample
@example((np.array([0.5, 0.5]), np.array([1.0, 0.0])))  # q = 0 < p: inf = finite + inf
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    assert close(ce_core.cross_entropy(p, q), ce_core.entropy(p) + ce_core.kl_divergence(p, q))


@given(cs.distribution_pairs())
def test_cross_entropy_at_least_entropy(pq):
    """Gibbs' inequality H(p, q) >= H(p)."""
    p, q = pq
    assert ce_core.cross_entropy(p, q) >= ce_core.entropy(p) - ATOL


@given(cs.distribution_pairs())
def test_cross_entropy_equals_entropy_iff_p_equals_q(pq):
    """Equality at q = p; otherwise the gap KL is at least Pinsker's bound ||p - q||_1^2 / 2."""
    p, q = pq
    assert close(ce_core.cross_entropy(p, p), ce_core.entropy(p))
    gap = ce_core.cross_entropy(p, q) - ce_core.entropy(p)
    l1 = float(np.abs(p - q).sum())
    assert gap >= 0.5 * l1**2 - 1e-9
    if l1 > 1e-6:
        assert gap > 0


def test_cross_entropy_can_be_below_entropy_of_q():
    """The seed's claim 'CE >= both entropies' is false: only CE >= H(p) holds."""
    p, q = [1.0, 0.0], [0.9, 0.1]
    assert ce_core.cross_entropy(p, q) < ce_core.entropy(q)


@given(cs.distribution_pairs())
def test_kl_divergence_non_negative(pq):
    assert ce_core.kl_divergence(*pq) >= 0.0


@given(cs.distributions())
def test_kl_divergence_of_distribution_with_itself_is_zero(p):
    assert ce_core.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)


@given(cs.distribution_pairs(), cs.bases)
def test_base_conversion(pq, base):
    """value in base b = value in nats / ln b, for every measure."""
    p, q = pq
    ln_b = math.log(base)
    for func, args in (
        (ce_core.entropy, (p,)),
        (ce_core.cross_entropy, (p, q)),
        (ce_core.kl_divergence, (p, q)),
        (ce_core.surprisal, (q,)),
        (ce_core.binary_entropy, (q,)),
    ):
        assert close(func(*args, base=base), np.asarray(func(*args)) / ln_b), func.__name__
    assert close(ce_core.convert_units(ce_core.entropy(p), math.e, base), ce_core.entropy(p, base=base))


@given(cs.distributions())
def test_entropy_in_bits_is_minus_sum_p_log2_p(p):
    nz = p[p > 0]
    assert close(ce_core.entropy(p, base=2), -np.sum(nz * np.log2(nz)))


@given(cs.distributions())
def test_entropy_between_zero_and_log_k(p):
    h = ce_core.entropy(p)
    assert -ATOL <= h <= math.log(p.size) + ATOL


@given(cs.distributions())
def test_perplexity_does_not_depend_on_unit(p):
    assert close(ce_core.perplexity(p), 2.0 ** ce_core.entropy(p, base=2))


@given(st.integers(1, 64))
def test_entropy_base_uniform_is_log2_k_bits(k):
    """16 equal outcomes give 4 bits (scipy's test_entropy_base), for every k."""
    assert ce_core.entropy(np.full(k, 1.0 / k), base=2) == pytest.approx(math.log2(k), rel=1e-12, abs=1e-12)


@given(cs.distribution_pairs(), st.data())
def test_measures_invariant_under_permuting_classes(pq, data):
    p, q = pq
    perm = np.asarray(data.draw(st.permutations(range(p.size))))
    assert close(ce_core.entropy(p[perm]), ce_core.entropy(p))
    assert close(ce_core.cross_entropy(p[perm], q[perm]), ce_core.cross_entropy(p, q))
    assert close(ce_core.kl_divergence(p[perm], q[perm]), ce_core.kl_divergence(p, q))


@given(cs.distribution_batches())
def test_batch_rows_equal_single_rows(batch):
    rows = ce_core.entropy(batch)
    assert np.array_equal(rows, [ce_core.entropy(row) for row in batch])


# --------------------------------------------------------------------------- softmax


@given(cs.logits(5, batch=3, magnitude=100.0), st.floats(-1e3, 1e3))
def test_softmax_unchanged_by_adding_a_constant(z, c):
    shifted = z + c
    assert close(ce_core.softmax(shifted), ce_core.softmax(z), rtol=1e-9, atol=1e-10)
    # log_softmax moves by the rounding of z + c, about eps * |c|.
    assert close(ce_core.log_softmax(shifted), ce_core.log_softmax(z), rtol=1e-9, atol=1e-12 * (1 + abs(c)))


PINNED_LARGE_LOGITS = [
    [1e300, -1e300],
    [1e4, -1e4, 0.0],
    [-1e300, -1e300],
    [5e-324, 0.0],
]


@pytest.mark.parametrize("z", PINNED_LARGE_LOGITS, ids=str)
def test_softmax_finite_for_large_logits_pinned(z):
    _check_softmax_finite(np.asarray(z))


@given(st.integers(1, 8).flatmap(lambda k: cs.logits(k, batch=2, magnitude=1e300)))
def test_softmax_finite_for_large_logits(z):
    """No NaN, no inf, rows summing to 1, for finite logits up to 1e300 in magnitude."""
    _check_softmax_finite(z)


def _check_softmax_finite(z):
    s = ce_core.softmax(z)
    ls = ce_core.log_softmax(z)
    assert np.isfinite(s).all()
    assert np.isfinite(ls).all()
    assert (s >= 0).all()
    assert (ls <= 0).all()
    assert np.allclose(s.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert np.isfinite(ce_core.logsumexp(z)).all()


@given(cs.logits(6, batch=4, magnitude=30.0))
def test_log_softmax_is_log_of_softmax(z):
    assert close(ce_core.log_softmax(z), np.log(ce_core.softmax(z)))


@given(cs.logits(6, batch=4, magnitude=30.0))
def test_naive_softmax_agrees_for_small_logits(z):
    assert close(ce_core.naive_softmax(z), ce_core.softmax(z))


@given(cs.logits(4, batch=3, magnitude=30.0), st.floats(0.05, 20.0))
def test_temperature_divides_logits(z, temperature):
    assert close(ce_core.softmax(z, temperature=temperature), ce_core.softmax(z / temperature))


# --------------------------------------------------------------------------- softmax CE


@given(cs.classification_batches(), st.sampled_from(["none", "mean", "sum"]))
def test_label_smoothing_zero_equals_plain_cross_entropy(zy, reduction):
    z, y = zy
    plain = ce_core.softmax_cross_entropy(z, y, reduction=reduction)
    assert np.array_equal(
        ce_core.softmax_cross_entropy(z, y, label_smoothing=0.0, reduction=reduction), plain
    )
    onehot = np.eye(z.shape[1])[y]
    per_sample = ce_core.cross_entropy(onehot, ce_core.softmax(z))
    expected = {"none": per_sample, "mean": per_sample.mean(), "sum": per_sample.sum()}[reduction]
    assert close(plain, expected)


@given(cs.probability_target_batches())
def test_probability_targets_are_cross_entropy_of_softmax(zt):
    z, t = zt
    per_sample = ce_core.softmax_cross_entropy(z, t, reduction="none")
    assert close(per_sample, ce_core.cross_entropy(t, ce_core.softmax(z)))


@given(cs.classification_batches(), cs.label_smoothings)
def test_label_smoothing_equals_smoothed_probability_targets(zy, e):
    """Without weights, index targets with smoothing e = probability targets (1-e) onehot + e/C."""
    z, y = zy
    smoothed = ce_core.smooth_targets(y, z.shape[1], e)
    assert close(
        ce_core.softmax_cross_entropy(z, y, label_smoothing=e), ce_core.softmax_cross_entropy(z, smoothed)
    )


# Found by Hypothesis: e = 5e-324 makes e / C underflow to 0, so log(smoothed target) is -inf
# and cannot serve as logits; the floor is then H(one-hot) = 0.
PINNED_SMOOTHING_FLOOR = [
    ((np.array([[0.0, 0.0]]), np.array([0])), 5e-324),
    ((np.array([[0.0, 0.0]]), np.array([0])), 1.0),
]


@pytest.mark.parametrize(("zy", "e"), PINNED_SMOOTHING_FLOOR, ids=["e=5e-324", "e=1"])
def test_smoothed_loss_at_least_its_floor_pinned(zy, e):
    _check_smoothing_floor(zy, e)


@given(cs.classification_batches(), st.floats(0.0, 1.0))
def test_smoothed_loss_at_least_its_floor(zy, e):
    _check_smoothing_floor(zy, e)


def _check_smoothing_floor(zy, e):
    z, y = zy
    losses = ce_core.softmax_cross_entropy(z, y, label_smoothing=e, reduction="none")
    floors = ce_core.smoothed_loss_floor(y, z.shape[1], e)
    assert (losses >= floors - 1e-9).all()
    # The floor is reached at logits = log(smoothed target), where that is finite.
    smoothed = ce_core.smooth_targets(y, z.shape[1], e)
    if (smoothed > 0).all():
        best = np.log(smoothed)
        assert close(ce_core.softmax_cross_entropy(best, y, label_smoothing=e, reduction="none"), floors)


@given(cs.classification_batches(), st.data())
def test_softmax_cross_entropy_invariant_under_permuting_classes(zy, data):
    z, y = zy
    k = z.shape[1]
    perm = np.asarray(data.draw(st.permutations(range(k))))
    weight = data.draw(cs.class_weights(k))
    e = data.draw(cs.label_smoothings)
    inverse = np.argsort(perm)  # class c moves to column inverse[c]
    original = ce_core.softmax_cross_entropy(z, y, weight=weight, label_smoothing=e, reduction="none")
    permuted = ce_core.softmax_cross_entropy(
        z[:, perm], inverse[y], weight=weight[perm], label_smoothing=e, reduction="none"
    )
    assert close(permuted, original)


@given(cs.classification_batches(), st.data())
def test_weighted_mean_divides_by_target_weights(zy, data):
    z, y = zy
    weight = data.draw(cs.class_weights(z.shape[1]))
    e = data.draw(cs.label_smoothings)
    total = ce_core.softmax_cross_entropy(z, y, weight=weight, label_smoothing=e, reduction="sum")
    mean = ce_core.softmax_cross_entropy(z, y, weight=weight, label_smoothing=e, reduction="mean")
    assert close(mean, total / weight[y].sum())


@given(cs.classification_batches(), st.data())
def test_ignored_samples_are_left_out(zy, data):
    z, y = zy
    ignored = np.asarray(data.draw(st.lists(st.booleans(), min_size=y.size, max_size=y.size)))
    if ignored.all():
        ignored[0] = False
    y_ign = np.where(ignored, -100, y)
    kept = ~ignored
    assert close(
        ce_core.softmax_cross_entropy(z, y_ign, ignore_index=-100),
        ce_core.softmax_cross_entropy(z[kept], y[kept]),
    )
    per_sample = ce_core.softmax_cross_entropy(z, y_ign, ignore_index=-100, reduction="none")
    assert (per_sample[ignored] == 0).all()


# --------------------------------------------------------------------------- focal


@given(cs.classification_batches(magnitude=50.0), st.sampled_from(["none", "mean", "sum"]))
def test_softmax_focal_gamma_zero_equals_cross_entropy(zy, reduction):
    z, y = zy
    assert close(
        ce_core.softmax_focal_loss(z, y, gamma=0.0, reduction=reduction),
        ce_core.softmax_cross_entropy(z, y, reduction=reduction),
    )


@given(cs.classification_batches(magnitude=50.0), cs.gammas)
def test_softmax_focal_at_most_cross_entropy(zy, gamma):
    """(1 - p_t)**gamma <= 1: focusing only ever scales the loss down."""
    z, y = zy
    focal = ce_core.softmax_focal_loss(z, y, gamma=gamma, reduction="none")
    plain = ce_core.softmax_cross_entropy(z, y, reduction="none")
    assert (focal <= plain * (1 + 1e-12) + 1e-300).all()


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            cs.logits(n, magnitude=10.0), st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)
        )
    ),
    st.sampled_from(["none", "mean", "sum"]),
)
def test_sigmoid_focal_gamma_zero_alpha_off_equals_bce(xt, reduction):
    """gamma = 0, alpha = -1 is binary cross-entropy on sigmoid(x) (|x| <= 10 keeps 1 - sigmoid accurate)."""
    x, t = xt
    focal = ce_core.sigmoid_focal_loss(x, t, gamma=0.0, alpha=-1.0, reduction=reduction)
    bce = ce_core.binary_cross_entropy(t, ce_core.sigmoid(x), reduction=reduction)
    assert close(focal, bce, rtol=1e-8, atol=1e-12)


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            cs.logits(n, magnitude=800.0), st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)
        )
    ),
    cs.gammas,
    st.one_of(st.just(-1.0), st.floats(0.0, 1.0)),
)
def test_sigmoid_focal_finite_and_non_negative(xt, gamma, alpha):
    x, t = xt
    loss = ce_core.sigmoid_focal_loss(x, t, gamma=gamma, alpha=alpha)
    assert np.isfinite(loss).all()
    assert (loss >= 0).all()


# --------------------------------------------------------------------------- gradients


def central_differences(func, z: np.ndarray, h: float = 1e-5) -> np.ndarray:
    grad = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (func(up) - func(down)) / (2 * h)
    return grad


@given(cs.classification_batches(max_rows=4, magnitude=10.0), cs.label_smoothings)
def test_gradient_matches_central_differences(zy, e):
    z, y = zy
    numeric = central_differences(
        lambda v: ce_core.softmax_cross_entropy(v, y, label_smoothing=e, reduction="sum"), z
    )
    assert np.allclose(ce_core.cross_entropy_gradient(z, y, label_smoothing=e), numeric, rtol=1e-6, atol=1e-7)


@given(cs.probability_target_batches(max_rows=4, magnitude=10.0))
def test_gradient_matches_central_differences_probability_targets(zt):
    z, t = zt
    numeric = central_differences(lambda v: ce_core.softmax_cross_entropy(v, t, reduction="sum"), z)
    assert np.allclose(ce_core.cross_entropy_gradient(z, t), numeric, rtol=1e-6, atol=1e-7)


@given(cs.classification_batches(magnitude=100.0))
def test_gradient_rows_sum_to_zero(zy):
    z, y = zy
    assert np.allclose(ce_core.cross_entropy_gradient(z, y).sum(axis=1), 0.0, atol=1e-12)


@given(st.floats(0.0, 1.0), st.floats(1e-3, 1 - 1e-3))
def test_bce_gradient_matches_central_differences(y, x):
    h = 1e-7 * min(x, 1 - x)
    numeric = (ce_core.binary_cross_entropy(y, x + h) - ce_core.binary_cross_entropy(y, x - h)) / (2 * h)
    assert ce_core.binary_cross_entropy_gradient(y, x) == pytest.approx(numeric, rel=1e-5, abs=1e-6)


# --------------------------------------------------------------------------- clipping


@given(
    st.lists(st.floats(math.exp(-100), 1.0), min_size=1, max_size=6),
    st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6),
)
def test_torch_clamp_changes_nothing_above_e_minus_100(q, y):
    """The -100 clamp only acts where a log term is below -100."""
    q = np.asarray(q)
    y = np.asarray(y[: q.size])
    exact = ce_core.binary_cross_entropy(y, q, reduction="none")
    clamped = ce_core.binary_cross_entropy(y, q, reduction="none", log_clamp=ce_core.TORCH_LOG_CLAMP)
    one_minus_ok = (1 - q) >= math.exp(-100)
    assert close(clamped[one_minus_ok | (y == 1)], exact[one_minus_ok | (y == 1)])
    assert (clamped <= exact + 1e-12).all()


# Found by Hypothesis: at q = 1 scikit-learn's clip to 1 - eps costs -log(1 - eps) = 2.2e-16, not 0.
PINNED_CLIP_TOP = [(1.0, "sklearn"), (1.0 - 2.0**-53, "sklearn"), (1.0, "pytorch"), (0.0, "sklearn")]


@pytest.mark.parametrize(("q", "policy"), PINNED_CLIP_TOP)
def test_clipping_policies_cap_the_exact_loss_pinned(q, policy):
    _check_clip_caps(q, policy)


@given(st.floats(0.0, 1.0), st.sampled_from(["exact", "pytorch", "sklearn"]))
def test_clipping_policies_cap_the_exact_loss(q, policy):
    """A clip lowers the loss of a confident mistake, and raises a perfect answer's by at most -log(1 - eps)."""
    _check_clip_caps(q, policy)


def _check_clip_caps(q, policy):
    exact = ce_core.clipped_log_loss(q, "exact")
    value = ce_core.clipped_log_loss(q, policy)
    top = -math.log(1.0 - ce_core.sklearn_epsilon())  # 2.2e-16, computed as scikit-learn does
    assert value <= max(exact, top if policy == "sklearn" else 0.0)
    assert value <= {"exact": math.inf, "pytorch": 100.0, "sklearn": 36.04365338911715}[policy]
    assert ce_core.clipped_log_loss(q, "sklearn") <= ce_core.clipped_log_loss(q, "pytorch") + top


# --------------------------------------------------------------------------- blocked kernels


def _whole_array_log_softmax(z: np.ndarray) -> np.ndarray:
    """The stable formula on the whole array at once, with log1p of the terms other than one maximum.

    log(1 + s) for the sum s of the other terms, as SciPy's logsumexp (gh-18295): log of the
    whole sum would round a term below eps/2 away.
    """
    shifted = z - z.max(axis=-1, keepdims=True)
    is_max = shifted == 0
    others = np.where(is_max, 0.0, np.exp(shifted)).sum(axis=-1)
    return shifted - np.log1p(others + (is_max.sum(axis=-1) - 1))[..., None]


@pytest.mark.parametrize(
    ("rows", "classes"),
    [(1, 1), (7000, 10), (3277, 10), (50, 32), (50, 33), (2100, 16), (3, 129), (2, 5000), (40000, 2)],
    ids=lambda v: str(v),
)
def test_blocked_softmax_equals_whole_array_formula_bit_for_bit(rows, classes):
    """ce_core works in cache-sized row blocks (transposed below 33 classes); the values must not change."""
    z = 20.0 * np.random.default_rng(rows * 1000 + classes).standard_normal((rows, classes))
    y = np.random.default_rng(classes).integers(0, classes, rows)
    expected = _whole_array_log_softmax(z)
    assert np.array_equal(ce_core.log_softmax(z), expected)
    assert np.array_equal(
        ce_core.softmax(z),
        np.exp(z - z.max(axis=-1, keepdims=True))
        / np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
    )
    nll = -np.take_along_axis(expected, y[:, None], axis=-1)[:, 0]
    assert np.array_equal(ce_core.softmax_cross_entropy(z, y, reduction="none"), nll + 0.0)
    assert ce_core.softmax_cross_entropy(z, y) == float(nll.sum() / rows)


@given(st.integers(1, 40).flatmap(lambda k: cs.logits(k, batch=3, magnitude=1e4)))
def test_blocked_log_softmax_equals_whole_array_formula(z):
    assert np.array_equal(ce_core.log_softmax(z), _whole_array_log_softmax(z))
