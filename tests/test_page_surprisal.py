"""AppTest of the Surprisal page: every number and trace follows the workspace and the page's sliders."""

import json
import math

import numpy as np
import pytest

import ce_core
from ce_core.events import bag_surprisal, rare_event
from ce_core.information import UNITS
from lab.figures import information as fi
from tests.apptest_utils import (
    assert_link_reported,
    chart_specs,
    chart_titled,
    decode,
    drag,
    editor_data,
    live_data,
    live_layer,
    live_readouts,
    run_page,
    set_live,
    set_slider,
    shown,
    spec_trace,
    workspace_in_unit,
)


def table(at):
    return at.dataframe[0].value


def assert_curve_matches(at):
    p, q, names, unit, base = workspace_in_unit(at)
    spec = chart_titled(at, "Surprisal of each class", prefix=True)
    for name, dist in ((fi.P_EVENTS, p), (fi.Q_EVENTS, q)):
        t = spec_trace(spec, name)
        keep = dist > 0
        np.testing.assert_allclose(decode(t["x"]), dist[keep])
        np.testing.assert_allclose(decode(t["y"]), ce_core.surprisal(dist[keep], base=base))
        assert list(t["customdata"]) == [n for n, k in zip(names, keep, strict=True) if k]
    assert unit in spec["layout"]["yaxis"]["title"]["text"]
    lg = fi.log_name(base)
    df = table(at)
    assert list(df["class"]) == names
    assert list(df[f"−{lg} p"]) == [shown(v, unit) for v in ce_core.surprisal(p, base=base)]
    assert list(df[f"−{lg} q"]) == [shown(v, unit) for v in ce_core.surprisal(q, base=base)]


def test_page_runs_with_the_default_workspace():
    at = run_page("surprisal")
    assert at.title[0].value == "Surprisal"
    assert len(chart_specs(at)) == 1  # the classes on the curve; the other charts are live controls
    assert_curve_matches(at)
    # The common missing minus sign is corrected on the page.
    assert any("minus sign" in c.value for c in at.caption)


@pytest.mark.parametrize(("dist", "index", "value"), [("p", 0, 0.8), ("q", 2, 0.03), ("p", 1, 0.4)])
def test_dragging_a_bar_moves_the_marks_and_the_table(dist, index, value):
    at = run_page("surprisal")
    before = table(at).copy()
    drag(at, dist, index, value)
    assert_curve_matches(at)
    assert not table(at).equals(before)


@pytest.mark.parametrize("unit", ["nats", "hartleys", "bits"])
def test_unit_switch_applies_to_curve_table_and_readouts(unit):
    at = run_page("surprisal")
    at.button_group(key="unit").set_value(unit).run()
    assert not at.exception
    assert_curve_matches(at)
    base = UNITS[unit]
    lg = fi.log_name(base)
    assert live_readouts(at, "sp_point")[f"Surprisal −{lg} p"] == shown(
        ce_core.surprisal(0.25, base=base), unit
    )
    curve = live_layer(at, "sp_point", f"surprisal −{lg} p")
    np.testing.assert_allclose(curve["y"], ce_core.surprisal(curve["x"], base=base), rtol=1e-12)
    assert unit in live_data(at, "sp_point")["chart"]["y_label"]


def test_more_classes_show_up_on_the_curve():
    at = run_page("surprisal")
    set_slider(at, "ws_k", 5)
    assert editor_data(at)["k"] == 5
    assert_curve_matches(at)
    assert (
        len(spec_trace(chart_titled(at, "Surprisal of each class", prefix=True), fi.P_EVENTS)["customdata"])
        == 5
    )


def test_an_impossible_class_shows_infinity_not_nan():
    at = run_page("surprisal")
    drag(at, "p", 2, 0.0)
    assert_curve_matches(at)  # bird is left off the p markers
    p, _, _, unit, _ = workspace_in_unit(at)
    assert p[2] == 0.0
    assert table(at)[f"−{fi.log_name(2.0)} p"][2] == f"∞ {unit}"
    assert any("∞" in i.value for i in at.info)
    assert not any("nan" in str(v).lower() for v in table(at).to_numpy().ravel())


def _unit(at) -> tuple[str, float]:
    unit = at.segmented_control(key="unit").value
    return unit, UNITS[unit]


@pytest.mark.parametrize("point", [0.01, 0.1, 0.5, 0.77, 1.0])
def test_point_control_sets_the_numbers_and_the_live_chart(point):
    """The point is a live control (lab.components.live_chart): driven through session state."""
    at = set_live(run_page("surprisal"), "sp_point", point)
    unit, base = _unit(at)
    h = ce_core.surprisal(point, base=base)
    assert live_readouts(at, "sp_point") == {
        "Surprisal −log₂ p": shown(h, unit),
        "A one-in-N event": f"1 in {1 / point:.3g}",
    }
    data = live_data(at, "sp_point")
    g = data["index"]
    assert data["values"][g] == point
    dot = live_layer(at, "sp_point", "the event")
    assert dot["x"][g] == point
    assert dot["y"][g] == pytest.approx(h, rel=1e-12, abs=1e-15)
    assert f"{h:.2f} bits is as surprising" in " ".join(m.value for m in at.markdown)
    assert not any("Slide the point" in json.dumps(c) for c in chart_specs(at)), "the Plotly twin is gone"


def test_every_position_of_the_point_control_equals_ce_core():
    at = run_page("surprisal")
    at.segmented_control(key="unit").set_value("nats").run()
    data = live_data(at, "sp_point")
    assert data["values"] == pytest.approx(list(np.arange(1, 101) / 100), abs=1e-12)
    dot = live_layer(at, "sp_point", "the event")
    readouts = {r["label"]: r["text"] for r in data["readouts"]}
    for g, p in enumerate(data["values"]):
        h = ce_core.surprisal(p)
        assert dot["y"][g] == pytest.approx(h, rel=1e-12, abs=1e-15)
        assert readouts["Surprisal −ln p"][g] == shown(h, "nats")
    curve = live_layer(at, "sp_point", "surprisal −ln p")
    np.testing.assert_allclose(curve["y"], ce_core.surprisal(curve["x"]), rtol=1e-12)


def test_point_control_is_seeded_from_the_url():
    at = run_page("surprisal", query_params={"sp_point": "0.5"})
    assert at.session_state["sp_point"] == 0.5
    assert live_readouts(at, "sp_point")["Surprisal −log₂ p"] == shown(1.0, "bits")
    assert not at.warning


@pytest.mark.parametrize("bad", ["0", "2", "0.255", "half"])
def test_a_bad_point_in_a_link_warns_and_keeps_the_default(bad):
    at = run_page("surprisal", query_params={"sp_point": bad})
    assert at.session_state["sp_point"] == 0.25
    assert_link_reported(at, "sp_point")


@pytest.mark.parametrize("zeros", [1, 57, 100])
def test_a_bag_of_zeros_never_surprises_but_one_added_1_does(zeros):
    at = set_live(run_page("surprisal"), "sp_zeros", zeros)
    expected = bag_surprisal([zeros, 0], base=2).surprisals[0]
    spoiled = bag_surprisal([zeros, 1], base=2).surprisals
    m = live_readouts(at, "sp_zeros")
    assert m["Drawing a 0 from the bag"] == shown(expected, "bits")
    assert m["…if a single 1 were added: a 0"] == shown(spoiled[0], "bits")
    assert m["…and drawing that 1"] == shown(spoiled[1], "bits")
    g = live_data(at, "sp_zeros")["index"]
    got = [
        live_layer(at, "sp_zeros", name)["y"][g] for name in ("draw a 0", "a 0, one 1 added", "the added 1")
    ]
    np.testing.assert_allclose(got, [expected, *spoiled], rtol=1e-12, atol=1e-15)
    prose = " ".join(m.value for m in at.markdown)
    assert f"however big the bag ({zeros})" in prose
    assert f"the 1 a lot ({shown(spoiled[1], 'bits')})" in prose


def test_the_bag_control_moves_the_picture_not_only_its_caption():
    at = run_page("surprisal")
    g0 = live_data(at, "sp_zeros")["index"]
    set_live(at, "sp_zeros", 50)
    data = live_data(at, "sp_zeros")
    g1 = data["index"]
    assert data["values"][g1] == 50
    assert data["chart"]["caption"][g1].startswith("Drawing a 0 from a bag of 50 zeros")
    added = live_layer(at, "sp_zeros", "the added 1")
    assert added["x"][g0] == pytest.approx(
        bag_surprisal([10, 1]).probabilities[1], rel=1e-12
    )  # the default bag
    assert added["x"][g1] == pytest.approx(bag_surprisal([50, 1]).probabilities[1], rel=1e-12)


@pytest.mark.parametrize("ones", [1, 99, 999])
def test_the_rare_zero_surprises_more_as_ones_are_added(ones):
    at = set_live(run_page("surprisal"), "sp_ones", ones)
    at.segmented_control(key="unit").set_value("nats").run()
    draw = bag_surprisal([1, ones], base=math.e)
    m = live_readouts(at, "sp_ones")
    assert m["Drawing the 0"] == shown(draw.surprisals[0], "nats")
    assert m["Drawing a 1"] == shown(draw.surprisals[1], "nats")
    assert m["p of the 0"] == f"1/{ones + 1:,}"
    g = live_data(at, "sp_ones")["index"]
    got = [live_layer(at, "sp_ones", name)["y"][g] for name in ("the 0", "a 1")]
    np.testing.assert_allclose(got, draw.surprisals, rtol=1e-12)
    assert any(f"{draw.surprisals[0]:.4f}" in tex.value for tex in at.latex)


@pytest.mark.parametrize("every", [2, 30, 1000])
def test_routine_versus_a_trip(every):
    at = set_live(run_page("surprisal"), "sp_trip", every)
    r = rare_event(every, base=2)
    m = live_readouts(at, "sp_trip")
    assert m["The usual commute"] == shown(r.h_routine, "bits")
    assert m["A trip"] == shown(r.h_rare, "bits")
    assert m["Ordinary days worth one trip"] == f"{r.routine_days_per_rare:,.0f}"
    g = live_data(at, "sp_trip")["index"]
    got = [live_layer(at, "sp_trip", name)["x"][g] for name in ("commute", "trip")]
    np.testing.assert_allclose(got, [r.p_routine, r.p_rare], rtol=1e-12)


def test_every_position_of_the_story_controls_equals_ce_core():
    at = run_page("surprisal")
    trip = live_layer(at, "sp_trip", "trip")
    days = next(r["text"] for r in live_data(at, "sp_trip")["readouts"] if r["name"] == "days")
    for g, n in enumerate(live_data(at, "sp_trip")["values"]):
        r = rare_event(int(n), base=2)
        assert trip["y"][g] == pytest.approx(r.h_rare, rel=1e-12)
        assert days[g] == f"{r.routine_days_per_rare:,.0f}"
    zero = live_layer(at, "sp_ones", "the 0")
    for g, n in enumerate(live_data(at, "sp_ones")["values"]):
        assert zero["y"][g] == pytest.approx(bag_surprisal([1, int(n)], base=2).surprisals[0], rel=1e-12)


def test_story_links_are_read_and_bad_ones_reported():
    at = run_page("surprisal", query_params={"sp_trip": "30", "sp_ones": "0"})
    assert at.session_state["sp_trip"] == 30
    assert at.session_state["sp_ones"] == 9
    assert_link_reported(at, "sp_ones", kept=("sp_trip",))
