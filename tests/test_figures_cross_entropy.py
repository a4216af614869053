"""Figure builders of the cross-entropy lessons, tested on their trace data against ce_core."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.decomposition import kl_terms
from lab.figures.cross_entropy import (
    make_code_length_blocks,
    make_entropy_kl_bar,
    make_kl_directions,
    make_one_hot_loss_curve,
)

NAMES = ["cat", "dog", "bird"]
CASES = [
    ([0.5, 0.3, 0.2], [0.2, 0.5, 0.3]),  # ordinary
    ([0.0, 1.0, 0.0], [0.228, 0.619, 0.153]),  # the seed's one-hot example
    ([0.3, 0.7, 0.0], [0.5, 0.0, 0.5]),  # q = 0 < p for dog: infinite
    ([1.0, 0.0, 0.0], [0.9, 0.1, 0.0]),  # q = 0 = p for bird: costs nothing
]
BASES = [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")]


def trace(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def values(seq):
    """Trace data with None (a gap or an infinite bar) as NaN, for comparison."""
    return np.array([np.nan if v is None else v for v in seq], dtype=float)


def expect(arr):
    """ce_core values with inf as NaN: infinite values must not be drawn as numbers."""
    arr = np.asarray(arr, dtype=float).copy()
    arr[np.isinf(arr)] = np.nan
    return arr


def assert_no_nan_in_json(fig):
    text = fig.to_json()
    assert "NaN" not in text
    assert "Infinity" not in text


@pytest.mark.parametrize(("p", "q"), CASES)
@pytest.mark.parametrize(("base", "unit"), BASES)
def test_code_length_blocks_are_p_wide_and_minus_log_q_tall(p, q, base, unit):
    fig = make_code_length_blocks(NAMES, p, q, base=base, unit=unit)
    pa, qa = np.array(p), np.array(q)
    shown = pa > 0
    bars = trace(fig, "code length −log q")
    np.testing.assert_allclose(values(bars.y), expect(ce_core.surprisal(qa[shown], base=base)))
    np.testing.assert_allclose(bars.width, pa[shown])
    np.testing.assert_allclose(np.asarray(bars.x), (np.cumsum(pa) - pa / 2)[shown])
    steps = values(trace(fig, "ideal length −log p").y)
    np.testing.assert_allclose(steps[0::3], ce_core.surprisal(pa[shown], base=base))
    assert unit in fig.layout.yaxis.title.text
    infinite = shown & (qa == 0)
    if infinite.any():
        arrows = values(trace(fig, "no code word (∞)").x)
        np.testing.assert_allclose(arrows[0::3], (np.cumsum(pa) - pa / 2)[infinite])
        assert any(a.text == "∞" for a in fig.layout.annotations)
    else:
        assert all(t.name != "no code word (∞)" for t in fig.data)
    assert_no_nan_in_json(fig)


@pytest.mark.parametrize(("p", "q"), CASES)
@pytest.mark.parametrize(("base", "unit"), BASES)
def test_entropy_kl_bar_stacks_entropy_and_kl(p, q, base, unit):
    fig = make_entropy_kl_bar(p, q, base=base, unit=unit)
    assert [t.name for t in fig.data][:3] == ["H(p)", "KL(p ‖ q)", "H(q)"]
    assert trace(fig, "H(p)").x[0] == pytest.approx(ce_core.entropy(p, base=base))
    assert trace(fig, "H(q)").x[0] == pytest.approx(ce_core.entropy(q, base=base))
    kl = ce_core.kl_divergence(p, q, base=base)
    if math.isinf(kl):
        assert trace(fig, "KL(p ‖ q)").x[0] is None
        arrow = trace(fig, "KL = ∞")
        assert arrow.x[0] == pytest.approx(ce_core.entropy(p, base=base))
        assert arrow.x[1] >= fig.layout.xaxis.range[1] * 0.9
    else:
        assert trace(fig, "KL(p ‖ q)").x[0] == pytest.approx(kl)
        assert trace(fig, "H(p)").x[0] + trace(fig, "KL(p ‖ q)").x[0] == pytest.approx(
            ce_core.cross_entropy(p, q, base=base)
        )
    assert fig.layout.barmode == "stack"
    assert unit in fig.layout.xaxis.title.text
    assert_no_nan_in_json(fig)


@pytest.mark.parametrize(("p", "q"), CASES)
@pytest.mark.parametrize(("base", "unit"), BASES)
def test_kl_directions_show_both_sets_of_terms(p, q, base, unit):
    fig = make_kl_directions(NAMES, p, q, base=base, unit=unit)
    forward = kl_terms(p, q, base=base)
    reverse = kl_terms(q, p, base=base)
    np.testing.assert_allclose(values(trace(fig, "KL(p ‖ q) terms").y), expect(forward))
    np.testing.assert_allclose(values(trace(fig, "KL(q ‖ p) terms").y), expect(reverse))
    assert list(fig.layout.xaxis.ticktext) == NAMES
    n_inf = int(np.isinf(forward).sum() + np.isinf(reverse).sum())
    if n_inf:
        arrows = values(trace(fig, "∞ term").x)
        idx = np.arange(3)
        expected = np.concatenate([(idx - 0.2)[np.isinf(forward)], (idx + 0.2)[np.isinf(reverse)]])
        np.testing.assert_allclose(arrows[0::3], expected)
        assert sum(a.text == "∞" for a in fig.layout.annotations) == n_inf
    else:
        assert all(t.name != "∞ term" for t in fig.data)
    assert_no_nan_in_json(fig)


@pytest.mark.parametrize("q_true", [0.619, 0.003, 1.0, 0.0])
@pytest.mark.parametrize(("base", "unit"), BASES)
def test_one_hot_loss_curve_marks_the_model(q_true, base, unit):
    fig = make_one_hot_loss_curve(q_true, base=base, unit=unit, class_name="dog")
    curve = trace(fig, "−log q")
    np.testing.assert_allclose(curve.y, ce_core.surprisal(np.asarray(curve.x), base=base))
    assert min(curve.x) <= max(q_true, 1e-9) or q_true == 0
    if q_true > 0:
        point = trace(fig, "this model")
        assert point.x[0] == q_true
        assert point.y[0] == pytest.approx(ce_core.surprisal(q_true, base=base))
    else:
        assert trace(fig, "this model: ∞").text[0].strip().endswith("∞")
    assert unit in fig.layout.yaxis.title.text
    assert "dog" in fig.layout.xaxis.title.text
    assert_no_nan_in_json(fig)


def test_builders_refuse_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        make_code_length_blocks(["a", "b"], [0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="same length"):
        make_kl_directions(["a"], [0.5, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="q_true"):
        make_one_hot_loss_curve(1.5)


@pytest.mark.parametrize(
    ("p", "q", "base"),
    [
        ([0.5, 0.3, 0.2], [0.2, 0.5, 0.3], 2.0),
        ([0.7, 0.0, 0.3], [0.1, 0.6, 0.3], math.e),
        ([0.25, 0.25, 0.5], [0.25, 0.25, 0.5], 10.0),
    ],
)
def test_kl_gap_areas_are_entropy_and_kl(p, q, base):
    """Colah's picture: the blocks of p's code enclose H(p); the signed gap to q's code encloses KL(p ‖ q)."""
    from lab.figures.cross_entropy import make_kl_gap

    fig = make_kl_gap(["a", "b", "c"], p, q, base=base, unit="u")
    traces = {t.name: t for t in fig.data}
    ideal, gap = traces["code for p: −log p"], traces["gap: −log q − (−log p)"]
    width = np.asarray(ideal.width, dtype=float)
    assert np.sum(width * np.asarray(ideal.y, dtype=float)) == pytest.approx(ce_core.entropy(p, base=base))
    assert np.sum(width * np.asarray(gap.y, dtype=float)) == pytest.approx(
        ce_core.kl_divergence(p, q, base=base), abs=1e-12
    )
    np.testing.assert_allclose(gap.base, ideal.y)  # the gap starts where p's code word ends
    ends = np.asarray(gap.base, dtype=float) + np.asarray(gap.y, dtype=float)
    shown = [i for i, v in enumerate(p) if v > 0]
    np.testing.assert_allclose(ends, ce_core.surprisal(np.asarray(q)[shown], base=base))


def test_kl_gap_with_q_zero_where_p_happens_is_an_arrow_not_a_bar():
    from lab.figures.cross_entropy import make_kl_gap

    fig = make_kl_gap(["a", "b"], [0.5, 0.5], [1.0, 0.0], base=2.0, unit="bits")
    traces = {t.name: t for t in fig.data}
    assert traces["gap: −log q − (−log p)"].y[1] is None
    assert "no code word (∞)" in traces
    assert "∞" in fig.layout.annotations[-1].text
