"""The running bits-per-symbol figure of "Bits on the wire", tested on its trace data."""

import numpy as np
import pytest

import ce_core
from ce_core.coding import code_lengths, running_bits_per_symbol, sample_message
from ce_core.figures.coding import make_running_rate
from ce_core.prefix_code import expected_length

NAMES = ["cat", "dog", "bird"]
IDEAL = "ideal code (−log₂ q)"
WHOLE = "whole-bit code (⌈−log₂ q⌉)"


def trace(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def names(fig):
    return [t.name for t in fig.data]


@pytest.mark.parametrize(("p", "q"), [
    ([0.5, 0.3, 0.2], [0.2, 0.5, 0.3]),
    ([0.5, 0.3, 0.2], [0.5, 0.3, 0.2]),
    ([0.0, 1.0, 0.0], [0.228, 0.619, 0.153]),
])
@pytest.mark.parametrize("seed", [0, 7])
def test_running_lines_follow_the_message(p, q, seed):
    message = sample_message(p, 500, seed=seed)
    fig = make_running_rate(NAMES, p, q, message)
    np.testing.assert_allclose(trace(fig, IDEAL).y, running_bits_per_symbol(message, code_lengths(q)))
    np.testing.assert_allclose(trace(fig, WHOLE).y, running_bits_per_symbol(message, code_lengths(q, whole_bits=True)))
    np.testing.assert_array_equal(trace(fig, IDEAL).x, np.arange(1, 501))
    h_pq = ce_core.cross_entropy(p, q, base=2)
    assert list(trace(fig, "H(p, q)").y) == pytest.approx([h_pq, h_pq])
    assert list(trace(fig, "H(p)").y) == pytest.approx([ce_core.entropy(p, base=2)] * 2)
    whole = expected_length(p, code_lengths(q, whole_bits=True))
    assert list(trace(fig, "expected whole-bit length").y) == pytest.approx([whole, whole])
    assert fig.layout.xaxis.type == "log"
    assert "bits" in fig.layout.yaxis.title.text
    assert "NaN" not in fig.to_json()


def test_with_q_equal_to_p_the_two_references_coincide():
    p = [0.5, 0.25, 0.25]
    fig = make_running_rate(NAMES, p, p, sample_message(p, 2000, seed=1))
    assert trace(fig, "H(p, q)").y[0] == pytest.approx(trace(fig, "H(p)").y[0])
    # Dyadic p: the whole-bit code is the ideal code, and both equal H(p) = 1.5 bits on average.
    assert trace(fig, "expected whole-bit length").y[0] == pytest.approx(1.5)
    assert trace(fig, IDEAL).y[-1] == pytest.approx(1.5, abs=0.05)


def test_long_messages_settle_near_the_cross_entropy():
    p, q = [0.5, 0.3, 0.2], [0.2, 0.5, 0.3]
    fig = make_running_rate(NAMES, p, q, sample_message(p, 5000, seed=3))
    assert trace(fig, IDEAL).y[-1] == pytest.approx(ce_core.cross_entropy(p, q, base=2), abs=0.05)


def test_a_symbol_without_code_word_stops_the_lines_and_says_so():
    p, q = [0.3, 0.7, 0.0], [0.5, 0.0, 0.5]
    message = sample_message(p, 300, seed=0)
    stop = int(np.flatnonzero(message == 1)[0])
    fig = make_running_rate(NAMES, p, q, message)
    if stop:
        np.testing.assert_allclose(trace(fig, IDEAL).y, running_bits_per_symbol(message[:stop], code_lengths(q)))
    else:
        assert IDEAL not in names(fig)
    assert "H(p, q)" not in names(fig)  # infinite: no reference line
    assert "expected whole-bit length" not in names(fig)
    text = " ".join(a.text for a in fig.layout.annotations)
    assert f"symbol {stop + 1} is 'dog'" in text
    assert "cannot be encoded" in text
    assert "NaN" not in fig.to_json()


def test_an_impossible_symbol_not_yet_drawn_is_announced():
    p, q = [0.999, 0.001, 0.0], [1.0, 0.0, 0.0]
    message = np.zeros(20, dtype=np.int64)  # a sample that has not hit 'dog' yet
    fig = make_running_rate(NAMES, p, q, message)
    np.testing.assert_allclose(trace(fig, IDEAL).y, np.zeros(20))
    assert "H(p, q)" not in names(fig)
    assert any("H(p, q) = ∞" in a.text for a in fig.layout.annotations)


def test_builder_refuses_bad_input():
    with pytest.raises(ValueError, match="same length"):
        make_running_rate(["a"], [0.5, 0.5], [0.5, 0.5], [0, 1])
    with pytest.raises(ValueError, match="non-empty"):
        make_running_rate(["a", "b"], [0.5, 0.5], [0.5, 0.5], [])
