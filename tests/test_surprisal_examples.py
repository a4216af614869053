"""ce_core.events (bags, a rare trip, one event) and ce_core.entropy_parts."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core.entropy_parts import entropy_fraction, entropy_terms, max_entropy, uniform
from ce_core.events import bag_surprisal, describe_event, rare_event

distributions = (
    st.lists(st.floats(0, 10), min_size=2, max_size=10)
    .filter(lambda w: sum(w) > 0)
    .map(lambda w: np.asarray(w) / np.sum(w))
)


# --- bags -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zeros", [1, 10, 1000])
def test_bag_of_only_zeros_tells_nothing(zeros):
    draw = bag_surprisal([zeros, 0], base=2)
    assert draw.surprisals[0] == 0.0
    assert draw.surprisals[1] == math.inf
    assert draw.entropy == 0.0


@pytest.mark.parametrize("ones", [1, 3, 9, 99, 999])
@pytest.mark.parametrize("base", [2, math.e, 10])
def test_rare_zero_surprisal_is_log_n(ones, base):
    draw = bag_surprisal([1, ones], base=base)
    n = ones + 1
    assert draw.probabilities[0] == pytest.approx(1 / n)
    assert draw.surprisals[0] == pytest.approx(math.log(n) / math.log(base))
    assert draw.surprisals[1] == pytest.approx(-math.log(ones / n) / math.log(base))
    assert draw.entropy == pytest.approx(ce_core.binary_entropy(1 / n, base=base))


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([0, 0], "must not all be zero"),
        ([-1, 3], "whole, non-negative"),
        ([1.5, 2], "whole, non-negative"),
        ([], "non-empty"),
        ([[1, 2]], "non-empty"),
    ],
)
def test_bag_rejects_bad_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        bag_surprisal(counts)


# --- routine versus a trip --------------------------------------------------------------------------


@pytest.mark.parametrize("every", [2, 7, 365, 1000, 10**9])
def test_routine_days_add_up_to_one_trip(every):
    r = rare_event(every, base=2)
    assert r.p_rare + r.p_routine == pytest.approx(1.0)
    assert r.h_rare == pytest.approx(math.log2(every))
    # Surprisals of independent days add: that many routine days carry one trip's surprisal.
    assert r.routine_days_per_rare * r.h_routine == pytest.approx(r.h_rare, rel=1e-9)


def test_rare_event_ratio_does_not_depend_on_the_unit():
    assert rare_event(365, base=2).routine_days_per_rare == rare_event(365, base=10).routine_days_per_rare


@pytest.mark.parametrize("every", [1, 0, 2.5, "7", True])
def test_rare_event_rejects_bad_periods(every):
    with pytest.raises(ValueError, match="every must be a whole number >= 2"):
        rare_event(every)


# --- one event --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "h", "n"), [(1.0, 0.0, 1.0), (0.5, 1.0, 2.0), (0.125, 3.0, 8.0), (0.0, math.inf, math.inf)]
)
def test_describe_event(p, h, n):
    r = describe_event(p, base=2)
    assert r.surprisal == h
    assert r.one_in == n


@pytest.mark.parametrize("p", [-0.1, 1.5, [0.2, 0.3]])
def test_describe_event_rejects_non_probabilities(p):
    with pytest.raises(ValueError, match="p must"):
        describe_event(p)


# --- entropy parts ----------------------------------------------------------------------------------


@given(distributions, st.sampled_from([2, math.e, 10]))
def test_entropy_terms_add_up_to_entropy(p, base):
    terms = entropy_terms(p, base=base)
    assert (terms >= 0).all()
    assert terms.sum() == pytest.approx(ce_core.entropy(p, base=base), abs=1e-12)


def test_entropy_terms_zero_probability_costs_nothing():
    np.testing.assert_array_equal(entropy_terms([0.0, 1.0]), [0.0, 0.0])


@given(distributions)
def test_entropy_never_exceeds_log_k(p):
    k = p.size
    gap = ce_core.kl_divergence(p, uniform(k), base=2)
    assert ce_core.entropy(p, base=2) <= max_entropy(k, base=2) + 1e-12
    assert ce_core.entropy(p, base=2) == pytest.approx(max_entropy(k, base=2) - gap, abs=1e-9)
    assert 0.0 <= entropy_fraction(p) <= 1.0


@pytest.mark.parametrize("k", [1, 2, 3, 10, 16])
def test_uniform_reaches_log_k(k):
    assert ce_core.entropy(uniform(k), base=2) == pytest.approx(max_entropy(k, base=2), abs=1e-12)
    assert max_entropy(k, base=2) == pytest.approx(math.log2(k))


@pytest.mark.parametrize("k", [0, -1, 2.0, True, "3"])
def test_max_entropy_rejects_bad_k(k):
    with pytest.raises(ValueError, match="k must be a whole number >= 1"):
        max_entropy(k)
    with pytest.raises(ValueError, match="k must be a whole number >= 1"):
        uniform(k)


def test_entropy_fraction_needs_two_classes():
    with pytest.raises(ValueError, match="at least 2 classes"):
        entropy_fraction([1.0])
