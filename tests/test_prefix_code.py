"""ce_core.prefix_code: a canonical prefix code from whole-bit lengths, and message costs."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ce_core
from ce_core.coding import code_lengths, sample_message
from ce_core.prefix_code import canonical_code, encode, expected_length, first_unencodable
from tests.strategies import distribution_pairs, distributions


def decode(stream: str, words: list[str | None]) -> list[int]:
    """Read a bit stream back into symbols, one bit at a time (works only for a prefix code)."""
    lookup = {w: i for i, w in enumerate(words) if w is not None}
    out, current = [], ""
    for bit in stream:
        current += bit
        if current in lookup:
            out.append(lookup[current])
            current = ""
    assert current == "", f"left-over bits {current!r}"
    return out


def kraft_exact(lengths) -> Fraction:
    return sum((Fraction(1, 2 ** int(v)) for v in lengths if math.isfinite(v)), Fraction(0))


def code_for(q):
    """The canonical code of q's Shannon lengths, or None when float rounding broke Kraft.

    That happens only for degenerate q such as [1, 2e-313] (sum 1 + 2e-313, lengths 0 and 1039).
    """
    lengths = code_lengths(q, whole_bits=True)
    if kraft_exact(lengths) > 1:
        with pytest.raises(ValueError, match="Kraft"):
            canonical_code(lengths)
        return None
    return canonical_code(lengths)


@given(distributions(min_classes=2))
def test_shannon_lengths_give_a_prefix_code_with_exactly_those_lengths(q):
    lengths = code_lengths(q, whole_bits=True)
    words = code_for(q)
    assume(words is not None)
    for word, length in zip(words, lengths, strict=True):
        if math.isinf(length):
            assert word is None
        else:
            assert len(word) == length
            assert set(word) <= {"0", "1"}
    finite = [w for w in words if w is not None]
    for a in finite:
        for b in finite:
            assert a is b or not b.startswith(a), (a, b)


@given(distribution_pairs(min_classes=2), st.integers(0, 2**16))
def test_a_message_encoded_with_the_code_decodes_back(pair, seed):
    p, q = pair
    words = code_for(q)
    assume(words is not None)
    message = sample_message(p, 40, seed=seed)
    encoded = encode(message, words)
    stop = first_unencodable(message, code_lengths(q))
    if stop is None and "" in encoded:
        # q = 1 for one symbol: its word is empty, the message is certain and costs 0 bits.
        assert "".join(encoded) == ""
        assert set(message.tolist()) == {words.index("")}
    elif stop is None:
        assert decode("".join(encoded), words) == message.tolist()
    else:
        assert encoded[stop] is None
        assert all(w is not None for w in encoded[:stop])


def test_canonical_code_counts_up_in_binary():
    assert canonical_code([2, 1, 3, 3]) == ["10", "0", "110", "111"]
    assert canonical_code([0]) == [""]
    assert canonical_code([0, float("inf")]) == ["", None]


def test_kraft_is_checked_exactly():
    with pytest.raises(ValueError, match="Kraft"):
        canonical_code([0, 1039])  # 1 + 2**-1039 rounds to 1.0 in floating point


@pytest.mark.parametrize(
    ("lengths", "message"),
    [
        ([1, 1, 1], "Kraft"),
        ([1.5, 2], "whole numbers"),
        ([-1, 1], "non-negative"),
        ([], "non-empty"),
    ],
)
def test_impossible_lengths_are_refused(lengths, message):
    with pytest.raises(ValueError, match=message):
        canonical_code(lengths)


@given(distribution_pairs())
def test_expected_ideal_length_is_the_cross_entropy_in_bits(pair):
    p, q = pair
    ideal = expected_length(p, code_lengths(q))
    h = ce_core.cross_entropy(p, q, base=2)
    if math.isinf(h):
        assert math.isinf(ideal)
    else:
        assert ideal == pytest.approx(h, rel=1e-9, abs=1e-12)


@given(distribution_pairs())
def test_expected_whole_bit_length_is_within_one_bit_of_the_cross_entropy(pair):
    p, q = pair
    whole = expected_length(p, code_lengths(q, whole_bits=True))
    h = ce_core.cross_entropy(p, q, base=2)
    if math.isinf(h):
        assert math.isinf(whole)
    else:
        assert h - 1e-9 <= whole < h + 1


def test_first_unencodable_finds_the_first_symbol_without_a_code_word():
    lengths = code_lengths([0.5, 0.0, 0.5])
    assert first_unencodable(np.array([0, 2, 1, 1]), lengths) == 2
    assert first_unencodable(np.array([0, 2, 0]), lengths) is None
    with pytest.raises(ValueError, match="out of range"):
        first_unencodable(np.array([3]), lengths)
