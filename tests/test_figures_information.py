"""Figure builders of the surprisal and entropy lessons, checked through their trace data."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.entropy_parts import entropy_terms
from lab.figures import information as fi

NAMES = ("cat", "dog", "bird")
P = np.array([0.5, 0.3, 0.2])
Q = np.array([0.2, 0.7, 0.1])
BASES = [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")]


def by_name(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


# --- the surprisal curve with the workspace's classes ----------------------------------------------


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_surprisal_curve_marks_p_and_q_at_their_surprisal(base, unit):
    fig = fi.make_surprisal_curve(NAMES, P, Q, base=base, unit=unit)
    assert [t.name for t in fig.data] == [fi.CURVE, fi.P_EVENTS, fi.Q_EVENTS]
    curve = by_name(fig, fi.CURVE)
    np.testing.assert_allclose(curve.y, ce_core.surprisal(np.asarray(curve.x), base=base))
    assert min(curve.x) > 0
    assert max(curve.x) == 1.0
    for name, dist in ((fi.P_EVENTS, P), (fi.Q_EVENTS, Q)):
        t = by_name(fig, name)
        np.testing.assert_allclose(t.x, dist)
        np.testing.assert_allclose(t.y, ce_core.surprisal(dist, base=base))
        assert list(t.customdata) == list(NAMES)
        assert list(t.text) == list(NAMES)  # far apart: each class keeps its own label
    assert unit in fig.layout.yaxis.title.text


def test_surprisal_curve_p_circles_q_diamonds():
    fig = fi.make_surprisal_curve(NAMES, P, Q, base=2, unit="bits")
    assert by_name(fig, fi.P_EVENTS).marker.symbol == "circle"
    assert by_name(fig, fi.Q_EVENTS).marker.symbol == "diamond"


def test_surprisal_curve_leaves_out_impossible_classes():
    p = np.array([0.0, 0.6, 0.4])
    fig = fi.make_surprisal_curve(NAMES, p, base=2, unit="bits")
    assert [t.name for t in fig.data] == [fi.CURVE, fi.P_EVENTS]
    t = by_name(fig, fi.P_EVENTS)
    assert list(t.customdata) == ["dog", "bird"]
    np.testing.assert_allclose(t.y, ce_core.surprisal(p[1:], base=2))
    assert np.isfinite(np.asarray(t.y)).all()


def test_classes_on_top_of_each_other_share_one_label():
    names = ("a", "b", "c", "d", "e")
    p = np.array([0.4, 0.15, 0.15, 0.15, 0.15])
    fig = fi.make_surprisal_curve(names, p, base=2, unit="bits")
    t = by_name(fig, fi.P_EVENTS)
    assert list(t.customdata) == list(names)  # every class keeps its marker and hover name
    assert list(t.text) == ["a", "b, c, d<br>e", "", "", ""]


def test_surprisal_curve_makes_room_for_labels_at_the_edges():
    fig = fi.make_surprisal_curve(NAMES, P, P[::-1], base=2, unit="bits")  # all in [0.2, 0.5]
    assert tuple(fig.layout.xaxis.range) == (0.0, 1.04)
    fig = fi.make_surprisal_curve(NAMES, [0.9, 0.05, 0.05], [0.05, 0.9, 0.05], base=2, unit="bits")
    low, high = fig.layout.xaxis.range
    assert low < 0
    assert high > 1.1
    assert tuple(fig.layout.xaxis.tickvals) == (0, 0.2, 0.4, 0.6, 0.8, 1.0)


def test_surprisal_curve_reaches_tiny_probabilities():
    p = np.array([1e-5, 0.5, 0.5 - 1e-5])
    fig = fi.make_surprisal_curve(NAMES, p, base=2, unit="bits")
    curve = by_name(fig, fi.CURVE)
    assert min(curve.x) <= 1e-5
    assert fig.layout.yaxis.range[1] > ce_core.surprisal(1e-5, base=2)


def test_surprisal_curve_rejects_mismatched_names():
    with pytest.raises(ValueError, match="same length"):
        fi.make_surprisal_curve(("a", "b"), P, Q, base=2, unit="bits")


# --- entropy figures --------------------------------------------------------------------------------


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_probability_and_surprisal_bars(base, unit):
    fig = fi.make_probability_and_surprisal(NAMES, P, base=base, unit=unit)
    assert [t.name for t in fig.data] == [fi.P_BARS, fi.SURPRISAL_BARS]
    np.testing.assert_allclose(by_name(fig, fi.P_BARS).y, P)
    np.testing.assert_allclose(by_name(fig, fi.SURPRISAL_BARS).y, ce_core.surprisal(P, base=base))
    assert unit in fig.layout.yaxis2.title.text


def test_probability_and_surprisal_shows_infinity_as_text():
    p = np.array([0.0, 0.75, 0.25])
    fig = fi.make_probability_and_surprisal(NAMES, p, base=2, unit="bits")
    bars = by_name(fig, fi.SURPRISAL_BARS)
    assert bars.text[0] == "∞"
    assert bars.y[0] == 0.0
    np.testing.assert_allclose(bars.y[1:], ce_core.surprisal(p[1:], base=2))


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_weighted_surprisal_areas_add_up_to_entropy(base, unit):
    p = np.array([0.5, 0.0, 0.3, 0.2])
    fig = fi.make_weighted_surprisal(("a", "b", "c", "d"), p, base=base, unit=unit)
    bars = by_name(fig, fi.WEIGHTED_BARS)
    np.testing.assert_allclose(bars.width, [0.5, 0.3, 0.2])
    np.testing.assert_allclose(bars.x, [0.25, 0.65, 0.9])
    np.testing.assert_allclose(bars.y, ce_core.surprisal([0.5, 0.3, 0.2], base=base))
    assert list(bars.hovertext) == ["a", "c", "d"]
    assert list(bars.text) == ["a", "c", "d"]
    h = ce_core.entropy(p, base=base)
    assert float(np.sum(np.asarray(bars.width) * np.asarray(bars.y))) == pytest.approx(h)
    np.testing.assert_allclose(np.asarray(bars.customdata)[:, 1], entropy_terms(p, base=base)[[0, 2, 3]])
    line = by_name(fig, fi.ENTROPY_LINE)
    np.testing.assert_allclose(line.y, [h, h])


def test_weighted_surprisal_leaves_thin_bars_unlabelled():
    fig = fi.make_weighted_surprisal(("a", "b", "c"), [0.49, 0.01, 0.5], base=2, unit="bits")
    bars = by_name(fig, fi.WEIGHTED_BARS)
    assert list(bars.text) == ["a", "", "c"]
    assert list(bars.hovertext) == ["a", "b", "c"]


def test_entropy_ceiling_stacks_up_to_log_k():
    h, h_max = ce_core.entropy(P, base=2), math.log2(3)
    fig = fi.make_entropy_ceiling(h, h_max, base=2, unit="bits", k=3)
    assert by_name(fig, fi.ENTROPY_BAR).x == (h,)
    assert by_name(fig, fi.GAP_BAR).x[0] == pytest.approx(h_max - h)
    assert fig.layout.barmode == "stack"
    assert "log₂ 3 = 1.585" in fig.layout.annotations[0].text


def test_entropy_ceiling_rejects_entropy_above_the_ceiling():
    with pytest.raises(ValueError, match="h must lie in"):
        fi.make_entropy_ceiling(2.0, 1.0, base=2, unit="bits", k=2)


@pytest.mark.parametrize(("base", "name"), [(2, "log₂"), (math.e, "ln"), (10, "log₁₀"), (3, "log_3")])
def test_log_name(base, name):
    assert fi.log_name(base) == name


# --- live-chart specs of the surprisal lesson ------------------------------------------------------


def _layer(spec, name):
    (layer,) = [layer for layer in spec["layers"] if layer["name"] == name]
    return layer


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_surprisal_point_chart_puts_the_point_at_minus_log_p(base, unit):
    from lab.figures.live import decode_table

    grid = np.array([0.01, 0.25, 0.5, 1.0])
    spec, readouts = fi.surprisal_point_chart(grid, np.linspace(0.01, 1.0, 20), base=base, unit=unit)
    point = _layer(spec, "the event")
    np.testing.assert_allclose(decode_table(point["x"]), grid)
    np.testing.assert_allclose(decode_table(point["y"]), ce_core.surprisal(grid, base=base))
    curve = spec["layers"][0]
    np.testing.assert_allclose(
        decode_table(curve["y"]), ce_core.surprisal(decode_table(curve["x"]), base=base)
    )
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["surprisal"][2] == f"{ce_core.surprisal(0.5, base=base):.4f} {unit}"
    assert texts["one_in"] == ["1 in 100", "1 in 4", "1 in 2", "1 in 1"]
    assert len(spec["caption"]) == grid.size
    assert unit in spec["y_label"]


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_the_story_charts_mark_each_outcome_at_its_surprisal(base, unit):
    from ce_core.events import bag_surprisal, rare_event
    from lab.figures.live import decode_table

    counts = np.array([1.0, 9.0, 99.0])
    spec, readouts = fi.bag_of_zeros_chart(counts, base=base, unit=unit)
    spoiled = [bag_surprisal([n, 1], base=base) for n in counts]
    np.testing.assert_allclose(decode_table(_layer(spec, "draw a 0")["y"]), 0.0)
    np.testing.assert_allclose(
        decode_table(_layer(spec, "the added 1")["y"]), [b.surprisals[1] for b in spoiled]
    )
    assert {r["name"] for r in readouts} == {"zero", "spoiled_zero", "spoiled_one"}

    spec, readouts = fi.rare_zero_chart(counts, base=base, unit=unit)
    rare = [bag_surprisal([1, n], base=base) for n in counts]
    np.testing.assert_allclose(decode_table(_layer(spec, "the 0")["y"]), [b.surprisals[0] for b in rare])
    assert next(r for r in readouts if r["name"] == "p_zero")["text"] == ["1/2", "1/10", "1/100"]

    days = np.array([2.0, 365.0])
    spec, readouts = fi.trip_chart(days, base=base, unit=unit)
    trips = [rare_event(d, base=base) for d in days]
    np.testing.assert_allclose(decode_table(_layer(spec, "trip")["y"]), [t.h_rare for t in trips])
    assert len(spec["caption"]) == days.size


@pytest.mark.parametrize(("base", "unit"), BASES)
def test_binary_entropy_chart_puts_each_coin_on_the_curve(base, unit):
    from lab.figures.live import decode_table

    grid = np.array([0.0, 0.3, 0.5, 1.0])
    spec, readouts = fi.binary_entropy_chart(
        grid, np.linspace(0.0, 1.0, 11), "cat", 0.2, base=base, unit=unit
    )
    coin = _layer(spec, "your coin")
    np.testing.assert_allclose(decode_table(coin["y"]), ce_core.binary_entropy(grid, base=base))
    first = _layer(spec, "cat or not")
    np.testing.assert_allclose(decode_table(first["y"]), ce_core.binary_entropy(0.2, base=base))
    texts = {r["name"]: r["text"] for r in readouts}
    assert texts["coin"][2] == f"{ce_core.binary_entropy(0.5, base=base):.4f} {unit}"
    assert texts["first"] == [f"{ce_core.binary_entropy(0.2, base=base):.4f} {unit}"] * grid.size
    assert len(spec["caption"]) == grid.size
