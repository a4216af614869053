"""The shared workspace: p and q as probabilities, edits, class count, names, presets, links.

The p/q editor itself is a custom component (AppTest sees an unknown element); its state is
driven here through session state (``tests.apptest_utils``), the way its callback drives it.
The drawing and the dragging are tested in the browser (tests/e2e/test_pq_editor.py).
"""

import numpy as np
import pytest

import ce_core
from bench.drag import EDITOR_PAGES
from lab.workspace import DEFAULT_NAMES, PRESETS, clean_name, preset_weights
from tests.apptest_utils import (
    chart_specs,
    decode,
    drag,
    edit,
    editor_data,
    run_page,
    set_slider,
    set_workspace,
    workspace,
    ws_state,
)

#: The weights the sidebar sliders started from before the editor (what old links were made against).
OLD_P_WEIGHTS = [50.0, 30.0, 20.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]
OLD_Q_WEIGHTS = [20.0, 50.0, 30.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def shown(value, unit):
    return f"{value:.4f} {unit}"


def warnings(at):
    return " ".join(w.value for w in at.warning)


def bars(at):
    """The home page's p and q bars (chart 0)."""
    data = chart_specs(at)[0]["data"]
    return decode(data[0]["y"]), decode(data[1]["y"])


def assert_home_matches(at, unit="bits", base=2.0):
    names, p, q = workspace(at)
    m = metric_values(at)
    assert m["Entropy H(p)"] == shown(ce_core.entropy(p, base=base), unit)
    assert m["Cross-entropy H(p, q)"] == shown(ce_core.cross_entropy(p, q, base=base), unit)
    assert m["KL(p ‖ q)"] == shown(ce_core.kl_divergence(p, q, base=base), unit)
    shown_p, shown_q = bars(at)
    np.testing.assert_allclose(shown_p, p)
    np.testing.assert_allclose(shown_q, q)
    assert editor_data(at)["names"] == names


def test_the_opening_state_is_the_documented_default_and_the_home_page_follows_it():
    at = run_page()
    names, p, q = workspace(at)
    assert names == ["cat", "dog", "bird"]
    np.testing.assert_allclose(p, [0.6, 0.3, 0.1])
    np.testing.assert_allclose(q, [0.25, 0.45, 0.3])
    assert_home_matches(at)


def test_dragging_a_bar_sets_it_and_rescales_the_others_in_proportion():
    at = run_page()
    before = metric_values(at)["Cross-entropy H(p, q)"]
    drag(at, "p", 0, 0.8)
    _, p, q = workspace(at)
    # cat takes 0.8; dog and bird share the other 0.2 in their old ratio 0.3 : 0.1.
    np.testing.assert_allclose(p, [0.8, 0.15, 0.05])
    np.testing.assert_allclose(q, [0.25, 0.45, 0.3])
    assert_home_matches(at)
    assert metric_values(at)["Cross-entropy H(p, q)"] != before


def test_a_bar_dragged_to_one_and_back_shares_the_rest_equally():
    at = run_page()
    drag(at, "q", 2, 1.0)
    np.testing.assert_allclose(workspace(at)[2], [0.0, 0.0, 1.0])
    drag(at, "q", 2, 0.5)
    np.testing.assert_allclose(workspace(at)[2], [0.25, 0.25, 0.5])
    assert_home_matches(at)


def test_an_edit_from_another_layout_is_ignored():
    at = run_page()
    before = workspace(at)
    edit(at, {"kind": "drag", "bar": 6, "g": 50})  # bar 6 does not exist at k = 3
    edit(at, {"kind": "drag", "bar": 0, "g": 101})
    after = workspace(at)
    np.testing.assert_array_equal(after[1], before[1])
    np.testing.assert_array_equal(after[2], before[2])


def test_typing_q_exactly_gives_the_worked_value():
    at = run_page()
    at.button_group(key="unit").set_value("nats").run()
    set_workspace(at, p=[0.0, 1.0, 0.0])
    edit(at, {"kind": "type", "dist": "q", "text": "0.228, 0.619, 0.153"})
    _, _, q = workspace(at)
    assert q.tolist() == [0.228, 0.619, 0.153]
    assert metric_values(at)["Cross-entropy H(p, q)"] == shown(-np.log(0.619), "nats")
    assert editor_data(at)["error"] is None


@pytest.mark.parametrize("text", ["0.5, 0.6, 0.1", "0.5, 0.5", "a, b, c", "0.5, -0.1, 0.6"])
def test_a_bad_typed_distribution_keeps_q_and_says_why(text):
    at = run_page()
    before = workspace(at)[2]
    edit(at, {"kind": "type", "dist": "q", "text": text})
    np.testing.assert_array_equal(workspace(at)[2], before)
    error = editor_data(at)["error"]
    assert error
    assert "q" in error
    assert "add up to 1" in error
    assert_home_matches(at)


@pytest.mark.parametrize(("unit", "base"), [("nats", np.e), ("hartleys", 10.0), ("bits", 2.0)])
def test_unit_switch_applies_to_every_number(unit, base):
    at = run_page()
    at.button_group(key="unit").set_value(unit).run()
    assert_home_matches(at, unit, base)
    assert editor_data(at)["unit"] == {"bits": "bits", "nats": "nats", "hartleys": "Hart"}[unit]


def test_q_zero_where_p_positive_shows_infinity_not_nan():
    at = run_page()
    drag(at, "q", 0, 0.0)
    assert workspace(at)[2][0] == 0.0
    m = metric_values(at)
    assert m["Cross-entropy H(p, q)"] == "∞ bits"
    assert m["KL(p ‖ q)"] == "∞ bits"
    assert not any("nan" in v.lower() for v in m.values())


def test_more_classes_get_their_share_and_the_old_ones_keep_their_ratios():
    at = run_page()
    set_slider(at, "ws_k", 5)  # the class count in the editor's popover
    names, p, q = workspace(at)
    assert names == list(DEFAULT_NAMES[:5])
    # Each new class gets 1/5; the old three share the other 3/5 as before (0.6 : 0.3 : 0.1).
    np.testing.assert_allclose(p, [0.36, 0.18, 0.06, 0.2, 0.2])
    np.testing.assert_allclose(q, [0.15, 0.27, 0.18, 0.2, 0.2])
    assert len(bars(at)[0]) == 5
    assert editor_data(at)["k"] == 5
    assert_home_matches(at)


def test_fewer_classes_give_the_dropped_mass_back_in_proportion():
    at = run_page()
    set_slider(at, "ws_k", 2)
    names, p, q = workspace(at)
    assert names == ["cat", "dog"]
    np.testing.assert_allclose(p, [2 / 3, 1 / 3])
    np.testing.assert_allclose(q, [0.25 / 0.7, 0.45 / 0.7])
    assert_home_matches(at)


def test_dropping_the_only_class_with_mass_falls_back_to_uniform():
    at = run_page()
    set_workspace(at, p=[0.0, 0.0, 1.0])
    set_slider(at, "ws_k", 2)
    np.testing.assert_allclose(workspace(at)[1], [0.5, 0.5])
    assert_home_matches(at)


def test_class_names_typed_in_the_editor_are_cleaned_and_shared():
    at = run_page()
    at.text_input(key="ws_n1").input("<b>Tiger</b>").run()
    names, _, _ = workspace(at)
    assert "<" not in names[1]
    assert ">" not in names[1]
    assert "Tiger" in names[1]
    assert editor_data(at)["names"][1] == names[1]
    assert decode(chart_specs(at)[0]["data"][0]["x"]).tolist()[1] == names[1]
    at.text_input(key="ws_n1").input("   ").run()
    assert workspace(at)[0][1] == "dog"  # an empty name falls back to the default


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "", "  "])
def test_class_names_are_cleaned_of_markup(raw):
    name = clean_name(raw, 2)
    assert "<" not in name
    assert ">" not in name
    assert name


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_sets_weights_that_sum_to_100(preset):
    p, q, k = preset_weights(preset, 4, seed=3)
    assert len(p) == len(q) == k
    assert sum(p) == pytest.approx(100, abs=0.3)
    assert sum(q) == pytest.approx(100, abs=0.3)


def test_random_preset_is_seeded():
    assert preset_weights("Random", 5, seed=7) == preset_weights("Random", 5, seed=7)
    assert preset_weights("Random", 5, seed=7) != preset_weights("Random", 5, seed=8)


def apply_preset(at, name):
    at.selectbox(key="preset").set_value(name).run()
    next(b for b in at.sidebar.button if b.label == "Apply preset").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_applying_the_worked_example_preset_gives_the_worked_value():
    at = run_page()
    set_slider(at, "ws_k", 6)
    apply_preset(at, "Worked example (0.4797 nats)")
    at.button_group(key="unit").set_value("nats").run()
    names, p, q = workspace(at)
    assert len(names) == 3
    np.testing.assert_allclose(p, [0.0, 1.0, 0.0])
    np.testing.assert_allclose(q, [0.228, 0.619, 0.153])
    assert metric_values(at)["Cross-entropy H(p, q)"] == shown(-np.log(0.619), "nats")
    assert f"{-np.log(0.619):.4f}" == "0.4797"


def test_a_preset_keeps_the_class_count_and_sets_p_and_q():
    at = run_page()
    set_slider(at, "ws_k", 5)
    apply_preset(at, "Peaked")
    names, p, q = workspace(at)
    assert len(names) == 5
    np.testing.assert_allclose(p, [0.7, 0.075, 0.075, 0.075, 0.075])
    np.testing.assert_allclose(q, np.full(5, 0.2))
    assert_home_matches(at)


# ---- links ----------------------------------------------------------------------------------


def test_a_legacy_link_of_weights_opens_the_same_view():
    at = run_page(query_params={"k": "4", "p0": "10", "q3": "70", "unit": "nats"})
    names, p, q = workspace(at)
    assert len(names) == 4
    np.testing.assert_allclose(p, np.array([10.0, 30.0, 20.0, 10.0]) / 70.0)
    np.testing.assert_allclose(q, np.array([20.0, 50.0, 30.0, 70.0]) / 170.0)
    assert at.button_group(key="unit").value == "nats"
    assert "could not be used" not in warnings(at)
    assert_home_matches(at, "nats", np.e)


def test_a_legacy_link_naming_only_p_keeps_the_old_q():
    """Old links held only the weights that differed from the old defaults (q was 20, 50, 30)."""
    at = run_page(query_params={"p0": "10"})
    _, p, q = workspace(at)
    np.testing.assert_allclose(p, np.array([10.0, 30.0, 20.0]) / 60.0)
    np.testing.assert_allclose(q, np.array(OLD_Q_WEIGHTS[:3]) / 100.0)


def test_a_link_of_probabilities_opens_them_exactly():
    at = run_page(query_params={"k": "2", "p": "0.5,0.5", "q": "0.1,0.9"})
    names, p, q = workspace(at)
    assert names == ["cat", "dog"]
    assert p.tolist() == [0.5, 0.5]
    assert q.tolist() == [0.1, 0.9]
    assert "could not be used" not in warnings(at)


def test_a_link_made_now_restores_the_exact_state():
    at = run_page()
    set_slider(at, "ws_k", 4)
    set_workspace(at, p=[0.1, 0.2, 0.3, 0.4], q=[1 / 3, 1 / 6, 1 / 6, 1 / 3], names=["a b", "x-y", "c", "d"])
    at.button_group(key="unit").set_value("hartleys").run()
    query = {key: at.query_params[key] for key in at.query_params}
    query = {key: value[0] if isinstance(value, list) else value for key, value in query.items()}
    assert "p0" not in query
    assert "k" in query
    again = run_page(query_params={**query, "unit": "hartleys"})
    names, p, q = workspace(again)
    assert names == ["a b", "x-y", "c", "d"]
    assert p.tolist() == workspace(at)[1].tolist()  # exact, not approximately
    assert q.tolist() == workspace(at)[2].tolist()
    assert "could not be used" not in warnings(again)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"p": "0.5,0.6,0.1"}, "`p`"),  # does not sum to 1
        ({"p": "0.5,0.5"}, "`p`"),  # two numbers for three classes
        ({"q": "0.2,abc,0.8"}, "`q`"),  # not a number
        ({"q": "0.5,-0.5,1"}, "`q`"),  # outside [0, 1]
    ],
)
def test_a_bad_distribution_in_a_link_is_reported_and_the_default_kept(query, said):
    at = run_page(query_params=query)
    assert "could not be used" in warnings(at)
    assert said in warnings(at)
    _, p, q = workspace(at)
    np.testing.assert_allclose(p, [0.6, 0.3, 0.1])
    np.testing.assert_allclose(q, [0.25, 0.45, 0.3])
    assert_home_matches(at)


@pytest.mark.parametrize("k", ["11", "1", "2.5", "eleven"])
def test_a_class_count_out_of_range_is_reported_and_three_classes_kept(k):
    at = run_page(query_params={"k": k})
    assert "could not be used" in warnings(at)
    assert "`k`" in warnings(at)
    assert ws_state(at)["k"] == 3
    assert len(bars(at)[0]) == 3


def test_all_zero_legacy_weights_give_uniform_with_a_notice():
    at = run_page(query_params={"q0": "0", "q1": "0", "q2": "0"})
    assert "q weights in this link are 0" in warnings(at)
    _, p, q = workspace(at)
    np.testing.assert_allclose(q, np.full(3, 1 / 3))
    np.testing.assert_allclose(p, np.array(OLD_P_WEIGHTS[:3]) / 100.0)
    assert_home_matches(at)


def test_the_notice_of_a_bad_distribution_shows_the_link_text_inert():
    at = run_page(query_params={"p": "[a](//ev.il),0.5,0.5"})
    notice = warnings(at)
    assert "could not be used" in notice
    assert "[a](//ev.il)" not in notice  # escaped: Markdown shows it as text, never as a link


def test_garbage_url_parameters_fall_back_to_defaults():
    at = run_page(query_params={"k": "eleven", "p0": "NaN", "q1": "-5", "unit": "furlongs"})
    assert ws_state(at)["k"] == 3
    assert at.button_group(key="unit").value == "bits"
    notice = warnings(at)
    for key in ("`k`", "`p0`", "`q1`", "`unit`"):
        assert key in notice
    _, p, q = workspace(at)  # what was readable of the old link is kept: the old defaults
    np.testing.assert_allclose(p, np.array(OLD_P_WEIGHTS[:3]) / 100.0)
    np.testing.assert_allclose(q, np.array(OLD_Q_WEIGHTS[:3]) / 100.0)


def test_names_in_a_link_are_cleaned_with_a_notice():
    at = run_page(query_params={"n0": "<script>x</script>", "n2": "owl"})
    names, _, _ = workspace(at)
    assert "<" not in names[0]
    assert names[2] == "owl"
    assert "`n0`" in warnings(at)
    assert "`n2`" not in warnings(at)


# ---- where the editor is shown ----------------------------------------------------------------

#: The lessons where p and q change nothing (issue 10): no editor there.
WITHOUT_EDITOR = ("binary_ce", "softmax_logits", "class_weights", "clipping", "training", "quiz", "glossary")
#: Lessons over the classes (not p and q) show only the class count and names.
CLASSES_ONLY = ("softmax_logits",)
#: The lessons that read only one of the two distributions show only its bars.
ONLY = {"entropy": ["p"], "focal_loss": ["q"], "label_smoothing": ["q"]}


@pytest.mark.parametrize(
    "page",
    [*EDITOR_PAGES, *WITHOUT_EDITOR],  # the editor pages are the ones bench/drag.py drags on
)
def test_the_editor_is_shown_exactly_where_p_and_q_are_used(page):
    at = run_page(None if page == "home" else page, query_params={"predict": "false"})
    if page in WITHOUT_EDITOR:
        assert not [e for e in at.get("bidi_component") if e.proto.id.endswith("-pq_editor")]
        assert ("ws_k" in [s.key for s in at.slider]) == (page in CLASSES_ONLY)
    else:
        assert editor_data(at)["dists"] == ONLY.get(page, ["p", "q"])


def test_an_edit_on_one_lesson_is_the_state_of_every_other():
    at = run_page("cross_entropy_kl", query_params={"predict": "false"})
    drag(at, "q", 1, 0.7)
    _, p, q = workspace(at)
    at.switch_page("pages/surprisal.py").run()
    assert not at.exception
    assert editor_data(at)["names"] == ["cat", "dog", "bird"]
    assert workspace(at)[2].tolist() == q.tolist()
    assert workspace(at)[1].tolist() == p.tolist()
    assert q[1] == 0.7
