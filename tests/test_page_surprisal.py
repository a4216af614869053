"""AppTest of the Surprisal page: every number and trace follows the workspace and the page's sliders."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.examples import bag_surprisal, rare_event
from ce_core.figures import information as fi
from tests.apptest_utils import chart_specs, decode, drag, editor_data, run_page, set_slider, workspace

UNITS = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}


def shown(value, unit):
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


def state(at):
    """p, q, names (the session's workspace) and the unit of this run."""
    names, p, q = workspace(at)
    unit = at.button_group(key="unit").value
    return p, q, names, unit, UNITS[unit]


def metrics(at):
    return {m.label: m.value for m in at.metric}


def chart(at, title):
    for spec in chart_specs(at):
        if spec["layout"].get("title", {}).get("text", "").startswith(title):
            return spec
    raise KeyError(title)


def trace(spec, name):
    return next(t for t in spec["data"] if t.get("name") == name)


def table(at):
    return at.dataframe[0].value


def assert_curve_matches(at):
    p, q, names, unit, base = state(at)
    spec = chart(at, "Surprisal of each class")
    for name, dist in ((fi.P_EVENTS, p), (fi.Q_EVENTS, q)):
        t = trace(spec, name)
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
    assert len(chart_specs(at)) == 5
    assert_curve_matches(at)
    # The seed's missing minus sign is corrected on the page.
    assert any("minus sign" in c.value for c in at.caption)


@pytest.mark.parametrize(("dist", "index", "value"), [("p", 0, 0.8), ("q", 2, 0.03), ("p", 1, 0.4)])
def test_dragging_a_bar_moves_the_marks_and_the_table(dist, index, value):
    at = run_page("surprisal")
    before = table(at).copy()
    drag(at, dist, index, value)
    assert_curve_matches(at)
    assert not table(at).equals(before)


@pytest.mark.parametrize("unit", ["nats", "hartleys", "bits"])
def test_unit_switch_applies_to_curve_table_and_metrics(unit):
    at = run_page("surprisal")
    at.button_group(key="unit").set_value(unit).run()
    assert not at.exception
    assert_curve_matches(at)
    base = UNITS[unit]
    assert metrics(at)[f"Surprisal −{fi.log_name(base)} p"] == shown(ce_core.surprisal(0.25, base=base), unit)
    curve = trace(chart(at, "Slide the point"), fi.CURVE)
    np.testing.assert_allclose(decode(curve["y"]), ce_core.surprisal(decode(curve["x"]), base=base))


def test_more_classes_show_up_on_the_curve():
    at = run_page("surprisal")
    set_slider(at, "ws_k", 5)
    assert editor_data(at)["k"] == 5
    assert_curve_matches(at)
    assert len(trace(chart(at, "Surprisal of each class"), fi.P_EVENTS)["customdata"]) == 5


def test_an_impossible_class_shows_infinity_not_nan():
    at = run_page("surprisal")
    drag(at, "p", 2, 0.0)
    assert_curve_matches(at)  # bird is left off the p markers
    p, _, _, unit, _ = state(at)
    assert p[2] == 0.0
    assert table(at)[f"−{fi.log_name(2.0)} p"][2] == f"∞ {unit}"
    assert any("∞" in i.value for i in at.info)
    assert not any("nan" in str(v).lower() for v in table(at).to_numpy().ravel())


@pytest.mark.parametrize("point", [0.01, 0.1, 0.5, 0.77, 1.0])
def test_point_slider_sets_the_numbers_and_the_scrub_figure(point):
    at = run_page("surprisal")
    set_slider(at, "sp_point", point)
    _, _, _, unit, base = state(at)
    h = ce_core.surprisal(point, base=base)
    assert metrics(at)["Surprisal −log₂ p"] == shown(h, unit)
    assert metrics(at)["A one-in-N event"] == f"1 in {1 / point:.3g}"
    spec = chart(at, "Slide the point")
    pt = trace(spec, fi.POINT)
    assert decode(pt["x"])[0] == pytest.approx(point)
    assert decode(pt["y"])[0] == pytest.approx(h)
    slider = spec["layout"]["sliders"][0]
    assert spec["frames"][slider["active"]]["name"] == f"{point:.2f}"


def test_scrub_frames_on_the_page_equal_ce_core():
    at = run_page("surprisal")
    at.button_group(key="unit").set_value("nats").run()
    frames = chart(at, "Slide the point")["frames"]
    assert len(frames) == 100
    for frame in frames:
        x = float(frame["name"])
        point = frame["data"][1]
        assert decode(point["x"])[0] == pytest.approx(x)
        assert decode(point["y"])[0] == pytest.approx(ce_core.surprisal(x))


def test_point_slider_is_seeded_from_the_url():
    at = run_page("surprisal", query_params={"sp_point": "0.5"})
    assert at.slider(key="sp_point").value == 0.5
    assert metrics(at)["Surprisal −log₂ p"] == shown(1.0, "bits")


@pytest.mark.parametrize("zeros", [1, 57, 100])
def test_a_bag_of_zeros_never_surprises_but_one_added_1_does(zeros):
    at = run_page("surprisal")
    set_slider(at, "sp_zeros", zeros)
    expected = bag_surprisal([zeros, 0], base=2).surprisals[0]
    spoiled = bag_surprisal([zeros, 1], base=2).surprisals
    m = metrics(at)
    assert m["Drawing a 0 from the bag"] == shown(expected, "bits")
    assert m["…if a single 1 were added: a 0"] == shown(spoiled[0], "bits")
    assert m["…and drawing that 1"] == shown(spoiled[1], "bits")
    events = trace(chart(at, f"A bag of {zeros} zeros, and the same bag with one 1"), fi.EVENTS)
    np.testing.assert_allclose(decode(events["y"]), [expected, *spoiled])


def test_the_bag_slider_moves_the_picture_not_only_its_title():
    at = run_page("surprisal")
    before = decode(trace(chart(at, "A bag of 10 zeros, and the same bag with one 1"), fi.EVENTS)["x"])
    set_slider(at, "sp_zeros", 50)
    after = decode(trace(chart(at, "A bag of 50 zeros, and the same bag with one 1"), fi.EVENTS)["x"])
    assert list(before) != list(after)


@pytest.mark.parametrize("ones", [1, 99, 999])
def test_the_rare_zero_surprises_more_as_ones_are_added(ones):
    at = run_page("surprisal")
    set_slider(at, "sp_ones", ones)
    at.button_group(key="unit").set_value("nats").run()
    draw = bag_surprisal([1, ones], base=math.e)
    m = metrics(at)
    assert m["Drawing the 0"] == shown(draw.surprisals[0], "nats")
    assert m["Drawing a 1"] == shown(draw.surprisals[1], "nats")
    events = trace(chart(at, f"One 0 among {ones} ones"), fi.EVENTS)
    np.testing.assert_allclose(decode(events["y"]), draw.surprisals)


@pytest.mark.parametrize("every", [2, 30, 1000])
def test_routine_versus_a_trip(every):
    at = run_page("surprisal")
    set_slider(at, "sp_trip", every)
    r = rare_event(every, base=2)
    m = metrics(at)
    assert m["The usual commute"] == shown(r.h_routine, "bits")
    assert m["A trip"] == shown(r.h_rare, "bits")
    assert m["Ordinary days worth one trip"] == f"{r.routine_days_per_rare:,.0f}"
    events = trace(chart(at, f"A trip once every {every} days"), fi.EVENTS)
    np.testing.assert_allclose(decode(events["x"]), [r.p_routine, r.p_rare])
