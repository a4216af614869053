"""ce_core.decomposition: per-class shares of cross-entropy and KL, and the lesson's summary."""

import math

import numpy as np
import pytest
from hypothesis import given

import ce_core
from ce_core.decomposition import cross_entropy_terms, kl_terms, one_hot_index, summarize
from tests.strategies import bases, distribution_pairs, distributions


def assert_terms_add_up(terms, total, *, rtol, atol, at_least=-math.inf):
    """The per-class terms are never NaN and sum to ``total`` (``max(sum, at_least)``);
    an infinite total comes from an infinite term."""
    assert not np.isnan(terms).any()
    if math.isinf(total):
        assert np.isinf(terms).any()
    else:
        np.testing.assert_allclose(max(terms.sum(), at_least), total, rtol=rtol, atol=atol)


@given(distribution_pairs(), bases)
def test_cross_entropy_terms_sum_to_cross_entropy(pair, base):
    p, q = pair
    assert_terms_add_up(
        cross_entropy_terms(p, q, base=base), ce_core.cross_entropy(p, q, base=base), rtol=1e-9, atol=1e-12
    )


@given(distribution_pairs(), bases.filter(lambda b: b > 1))
def test_kl_terms_sum_to_kl_divergence(pair, base):
    p, q = pair
    assert_terms_add_up(
        kl_terms(p, q, base=base), ce_core.kl_divergence(p, q, base=base), rtol=1e-7, atol=1e-9, at_least=0.0
    )


def test_a_class_that_never_happens_costs_nothing_even_without_a_code_word():
    assert cross_entropy_terms([1.0, 0.0], [1.0, 0.0]).tolist() == [0.0, 0.0]
    assert kl_terms([1.0, 0.0], [1.0, 0.0]).tolist() == [0.0, 0.0]


def test_a_class_that_happens_without_a_code_word_costs_infinity():
    assert cross_entropy_terms([0.5, 0.5], [1.0, 0.0], base=2).tolist() == [0.0, math.inf]
    assert kl_terms([0.5, 0.5], [1.0, 0.0], base=2).tolist() == [-0.5, math.inf]


def test_terms_of_the_seed_example():
    terms = cross_entropy_terms([0, 1, 0], [0.228, 0.619, 0.153])
    assert terms[0] == 0.0
    assert terms[2] == 0.0
    assert terms[1] == pytest.approx(0.47965000629754095, rel=1e-12)


@given(distribution_pairs(), bases)
def test_summary_splits_cross_entropy_into_entropy_plus_kl(pair, base):
    p, q = pair
    s = summarize(p, q, base=base)
    if math.isinf(s.cross_entropy):
        assert math.isinf(s.kl_forward)
    else:
        assert s.cross_entropy == pytest.approx(s.entropy_p + s.kl_forward, rel=1e-7, abs=1e-9)


@given(distribution_pairs(), bases.filter(lambda b: b > 1))
def test_gibbs_inequality_bounds_cross_entropy_by_the_entropy_of_p(pair, base):
    p, q = pair
    s = summarize(p, q, base=base)
    assert s.cross_entropy >= s.entropy_p - 1e-9


@given(distributions(), bases.filter(lambda b: b > 1))
def test_equality_in_gibbs_when_q_equals_p(p, base):
    s = summarize(p, p, base=base)
    assert s.q_equals_p
    assert s.kl_forward == 0.0
    assert s.kl_reverse == 0.0
    assert s.cross_entropy == pytest.approx(s.entropy_p, abs=1e-12)


def test_cross_entropy_can_be_below_the_entropy_of_q():
    """The seed 000 claim is wrong: p = [1, 0], q = [0.9, 0.1] (REFERENCE.md)."""
    s = summarize([1.0, 0.0], [0.9, 0.1])
    assert s.cross_entropy == pytest.approx(-math.log(0.9), rel=1e-12)
    assert s.entropy_q == pytest.approx(0.3250829733914482, rel=1e-12)
    assert s.below_entropy_q
    assert not summarize([0.5, 0.5], [0.9, 0.1]).below_entropy_q


def test_forward_and_reverse_kl_differ_and_blow_up_in_different_places():
    s = summarize([1.0, 0.0], [0.9, 0.1])
    assert s.kl_forward == pytest.approx(-math.log(0.9))
    assert math.isinf(s.kl_reverse)  # q puts mass where p has none
    s = summarize([0.5, 0.5], [1.0, 0.0])
    assert math.isinf(s.kl_forward)  # q rules out what p allows
    assert s.kl_reverse == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        ([0.0, 1.0, 0.0], 1),
        ([1.0], 0),
        ([0.5, 0.5], None),
        ([1.0 - 1e-9, 1e-9], None),
    ],
)
def test_one_hot_index(p, expected):
    assert one_hot_index(p) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cross_entropy_terms([0.5, 0.5], [0.2, 0.7]), "q must sum to 1"),
        (lambda: kl_terms([0.5, 0.6], [0.5, 0.5]), "p must sum to 1"),
        (lambda: cross_entropy_terms([0.5, 0.5], [0.2, 0.3, 0.5]), "matching shapes"),
        (lambda: cross_entropy_terms([0.5, 0.5], [0.5, 0.5], base=1), "base must be"),
        (lambda: one_hot_index([[1.0, 0.0]]), "single distribution"),
        (lambda: summarize([[1.0, 0.0]], [[0.5, 0.5]]), "single distributions"),
    ],
)
def test_bad_input_is_named_in_the_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
