"""AppTest of the Cross-entropy and KL page: numbers, table and charts follow the workspace."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.decomposition import cross_entropy_terms, kl_terms
from tests.apptest_utils import (
    SHORT_UNITS,
    chart_specs,
    chart_titled,
    decode,
    drag,
    metrics,
    number,
    run_page,
    set_workspace,
    shown,
    spec_trace,
    workspace,
    workspace_in_unit,
)

PAGE = "cross_entropy_kl"


def open_lesson():
    """The page with predict-first switched off, so every section shows at once."""
    return run_page(PAGE, query_params={"predict": "false"})


def values(v):
    """Decoded trace data; null (an infinite bar left undrawn) becomes NaN."""
    arr = decode(v)
    return np.array([np.nan if x is None else x for x in arr.tolist()], dtype=float)


def finite_or_nan(arr):
    arr = np.asarray(arr, dtype=float).copy()
    arr[np.isinf(arr)] = np.nan
    return arr


def markdown_text(at):
    return " ".join(m.value for m in at.markdown)


def assert_page_matches(at):
    """Every number and chart on the page equals ce_core for the workspace of this run."""
    p, q, names, unit, base = workspace_in_unit(at)
    h_p, h_q = ce_core.entropy(p, base=base), ce_core.entropy(q, base=base)
    h_pq = ce_core.cross_entropy(p, q, base=base)
    kl, kl_rev = ce_core.kl_divergence(p, q, base=base), ce_core.kl_divergence(q, p, base=base)
    m = metrics(at)
    assert m["H(p)"] == shown(h_p, unit)
    assert m["H(p, q)"] == shown(h_pq, unit)
    assert m["KL(p ‖ q)"] == shown(kl, unit)
    assert m["H(q)"] == shown(h_q, unit)
    assert m["Forward KL(p ‖ q)"] == shown(kl, unit)
    assert m["Reverse KL(q ‖ p)"] == shown(kl_rev, unit)

    df = at.table[0].value
    assert list(df["class"]) == [*names, "sum"]
    assert list(df[f"−log q_i ({SHORT_UNITS[unit]})"])[:-1] == [
        number(v) for v in ce_core.surprisal(q, base=base)
    ]
    assert list(df[f"p_i × −log q_i ({SHORT_UNITS[unit]})"]) == [
        *[number(v) for v in cross_entropy_terms(p, q, base=base)],
        f"H(p, q) = {number(h_pq)}",
    ]

    blocks = chart_titled(at, "Frequencies from p, code lengths from q")
    np.testing.assert_allclose(
        values(spec_trace(blocks, "code length −log q")["y"]),
        finite_or_nan(ce_core.surprisal(q[p > 0], base=base)),
    )
    np.testing.assert_allclose(values(spec_trace(blocks, "code length −log q")["width"]), p[p > 0])
    assert unit in blocks["layout"]["yaxis"]["title"]["text"]

    stack = chart_titled(at, "H(p, q) = H(p) + KL(p ‖ q)")
    assert values(spec_trace(stack, "H(p)")["x"])[0] == pytest.approx(h_p)
    assert values(spec_trace(stack, "H(q)")["x"])[0] == pytest.approx(h_q)
    kl_bar = values(spec_trace(stack, "KL(p ‖ q)")["x"])[0]
    assert (math.isnan(kl_bar) and math.isinf(kl)) or kl_bar == pytest.approx(kl)

    directions = chart_titled(at, "KL(p ‖ q) versus KL(q ‖ p), class by class")
    np.testing.assert_allclose(
        values(spec_trace(directions, "KL(p ‖ q) terms")["y"]), finite_or_nan(kl_terms(p, q, base=base))
    )
    np.testing.assert_allclose(
        values(spec_trace(directions, "KL(q ‖ p) terms")["y"]), finite_or_nan(kl_terms(q, p, base=base))
    )

    text = markdown_text(at)
    if math.isinf(h_pq):
        assert f"**Now:** H(p, q) = ∞ > H(p) = {shown(h_p, unit)}" in text
    elif np.allclose(p, q, rtol=0, atol=1e-12):
        assert "**Now:** q = p, so H(p, q) = H(p)" in text
    else:
        assert f"**Now:** q ≠ p, so H(p, q) = {shown(h_pq, unit)} > H(p) = {shown(h_p, unit)}" in text
    live = [s.value for s in at.success] + [i.value for i in at.info]
    relation = "**<**" if h_pq < h_q else "≥"
    assert any(f"H(p, q) = {shown(h_pq, unit)} {relation} H(q) = {shown(h_q, unit)}" in v for v in live)
    everything = text + " ".join(live) + " ".join(c.value for c in at.caption)
    assert "nan" not in everything.lower().replace("nanos", "")


def test_page_runs_with_the_default_workspace():
    at = open_lesson()
    assert at.title[0].value == "Cross-entropy and KL divergence"
    specs = chart_specs(at)
    assert len(specs) == 4  # code-length blocks, H(p) + KL bar, the KL gap (colah's picture), KL both ways
    assert_page_matches(at)
    gap = next(spec for spec in specs if spec["layout"]["title"]["text"].startswith("KL(p ‖ q): the gap"))
    ws = at.session_state["_workspace"]
    bars = {t["name"]: t for t in gap["data"]}
    area = sum(
        w * h
        for w, h in zip(
            decode(bars["gap: −log q − (−log p)"]["width"]),
            decode(bars["gap: −log q − (−log p)"]["y"]),
            strict=True,
        )
    )
    assert area == pytest.approx(ce_core.kl_divergence(ws.p, ws.q, base=ws.base))


@pytest.mark.parametrize(("dist", "index", "value"), [("p", 0, 0.85), ("q", 1, 0.03), ("q", 2, 0.6)])
def test_dragging_a_bar_moves_every_number(dist, index, value):
    at = open_lesson()
    before = metrics(at)["H(p, q)"]
    drag(at, dist, index, value)
    assert_page_matches(at)
    assert metrics(at)["H(p, q)"] != before


@pytest.mark.parametrize("unit", ["nats", "hartleys"])
def test_the_unit_switch_changes_every_number(unit):
    at = open_lesson()
    at.button_group(key="unit").set_value(unit).run()
    assert not at.exception
    assert_page_matches(at)


def test_q_zero_where_p_allows_shows_infinity_with_an_explanation():
    at = open_lesson()
    drag(at, "q", 0, 0.0)  # cat: p = 0.6 > 0
    assert_page_matches(at)
    assert metrics(at)["H(p, q)"].startswith("∞")
    assert any("no code word" in e.value for e in at.error)
    blocks = chart_titled(at, "Frequencies from p, code lengths from q")
    assert spec_trace(blocks, "no code word (∞)")


def test_the_try_it_button_zeroes_q_of_the_likeliest_class():
    at = open_lesson()
    at.button(key="ce_zero_q").click().run()
    assert not at.exception
    p, q, *_ = workspace_in_unit(at)
    assert q[int(np.argmax(p))] == 0
    assert_page_matches(at)


def test_q_zero_where_p_is_zero_costs_nothing():
    at = open_lesson()
    drag(at, "p", 2, 0.0)
    drag(at, "q", 2, 0.0)
    assert workspace(at)[1][2] == workspace(at)[2][2] == 0.0
    assert_page_matches(at)
    assert not metrics(at)["H(p, q)"].startswith("∞")
    assert any("never happens" in i.value for i in at.info)


def test_counterexample_button_loads_it_and_the_live_line_confirms():
    at = open_lesson()
    at.button(key="ce_counterexample").click().run()
    assert not at.exception
    p, q, *_ = workspace_in_unit(at)
    np.testing.assert_allclose(p, [1.0, 0.0])
    np.testing.assert_allclose(q, [0.9, 0.1])
    assert_page_matches(at)
    assert any("**<**" in s.value for s in at.success)
    # q = [1/3, 2/3] puts most mass on the class p never produces: now H(p, q) > H(q).
    set_workspace(at, q=[1 / 3, 2 / 3])
    assert_page_matches(at)
    assert not at.success


def test_equal_p_and_q_is_the_equality_case():
    at = open_lesson()
    set_workspace(at, q=workspace(at)[1])
    assert_page_matches(at)
    assert "q = p, so H(p, q) = H(p)" in markdown_text(at)


def test_predict_first_hides_the_kl_comparison_until_a_guess_is_locked_in():
    at = run_page(PAGE)
    assert "Forward KL(p ‖ q)" not in metrics(at)
    p, q, _names, unit, base = workspace_in_unit(at)
    forward, reverse = ce_core.kl_divergence(p, q, base=base), ce_core.kl_divergence(q, p, base=base)
    right = 0 if forward > reverse else 1
    guess = next(r for r in at.radio if r.key.startswith("predict_ce_kl_direction"))
    guess.set_value(right).run()
    at.button(key="predict_ce_kl_direction_lock").click().run()
    m = metrics(at)
    assert m["Forward KL(p ‖ q)"] == shown(forward, SHORT_UNITS[unit])
    assert m["Reverse KL(q ‖ p)"] == shown(reverse, SHORT_UNITS[unit])
    assert at.success[0].value.startswith("You said")
    assert at.session_state["_prediction_log"][-1]["right"] is True


def test_the_kl_answer_stays_revealed_while_the_workspace_moves():
    at = run_page(PAGE)
    next(r for r in at.radio if r.key.startswith("predict_ce_kl_direction")).set_value(2).run()  # "equal"
    at.button(key="predict_ce_kl_direction_lock").click().run()
    q0 = workspace(at)[2][0]
    for step in range(1, 6):
        drag(at, "q", 0, round(q0 + 0.05 * step, 2))
        assert not [r for r in at.radio if r.key.startswith("predict_ce_kl_direction")], "asked again"
        p, q, _names, unit, base = workspace_in_unit(at)
        m = metrics(at)
        assert m["Forward KL(p ‖ q)"] == shown(ce_core.kl_divergence(p, q, base=base), SHORT_UNITS[unit])
        assert m["Reverse KL(q ‖ p)"] == shown(ce_core.kl_divergence(q, p, base=base), SHORT_UNITS[unit])
        assert "(not right)" in at.warning[0].value
        assert "now, for p = [" in at.warning[0].value
