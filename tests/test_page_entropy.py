"""AppTest of the Entropy page: metrics, bars, the weighted average, the ceiling and the coin follow the state."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.entropy_parts import entropy_terms, max_entropy, uniform
from lab.figures import information as fi
from tests.apptest_utils import (
    assert_link_reported,
    chart_specs,
    chart_titled,
    decode,
    drag,
    live_data,
    live_layer,
    live_readouts,
    metrics,
    run_page,
    set_live,
    set_slider,
    set_workspace,
    shown,
    spec_trace,
    workspace,
    workspace_in_unit,
)


def assert_page_matches(at):
    """Every number of the page equals ce_core for the state the widgets show."""
    p, _, names, unit, base = workspace_in_unit(at)
    k = p.size
    lg = fi.log_name(base)
    h = ce_core.entropy(p, base=base)
    m = metrics(at)
    assert m["Entropy H(p)"] == shown(h, unit)
    assert m[f"Maximum {lg} K, K = {k}"] == shown(max_entropy(k, base=base), unit)
    assert m["Perplexity"] == f"{ce_core.perplexity(p):.3f}"
    coin = live_readouts(at, "en_coin")
    assert coin[f"{names[0]} or not {names[0]}"] == shown(ce_core.binary_entropy(p[0], base=base), unit)
    assert coin["H_b(coin)"] == shown(ce_core.binary_entropy(at.session_state["en_coin"], base=base), unit)

    bars = chart_titled(at, "p(x) and its surprisal", prefix=True)
    np.testing.assert_allclose(decode(spec_trace(bars, fi.P_BARS)["y"]), p)
    h_x = ce_core.surprisal(p, base=base)
    np.testing.assert_allclose(
        decode(spec_trace(bars, fi.SURPRISAL_BARS)["y"]), np.where(np.isfinite(h_x), h_x, 0.0)
    )
    assert list(spec_trace(bars, fi.SURPRISAL_BARS)["text"]) == [
        "∞" if math.isinf(v) else f"{v:.3f}" for v in h_x
    ]

    weighted = chart_titled(at, "Entropy is the average height", prefix=True)
    wb = spec_trace(weighted, fi.WEIGHTED_BARS)
    np.testing.assert_allclose(decode(wb["width"]), p[p > 0])
    np.testing.assert_allclose(decode(wb["y"]), h_x[p > 0])
    np.testing.assert_allclose(decode(spec_trace(weighted, fi.ENTROPY_LINE)["y"]), [h, h])

    df = at.dataframe[0].value
    assert list(df["class"]) == [*names, "sum"]
    assert list(df[f"p(x) · −{lg} p(x)"])[:-1] == [shown(v, unit) for v in entropy_terms(p, base=base)]
    assert df[f"p(x) · −{lg} p(x)"].iloc[-1] == f"H(p) = {shown(h, unit)}"

    ceiling = chart_titled(at, "H(p) against its ceiling", prefix=True)
    assert decode(spec_trace(ceiling, fi.ENTROPY_BAR)["x"])[0] == pytest.approx(h)
    gap = ce_core.kl_divergence(p, uniform(k), base=base)
    assert decode(spec_trace(ceiling, fi.GAP_BAR)["x"])[0] == pytest.approx(gap, abs=1e-12)
    assert any(f"{h:.4f}" in x.value and f"{gap:.4f}" in x.value for x in at.latex)


def test_page_runs_with_the_default_workspace():
    at = run_page("entropy", query_params={"predict": "false"})
    assert at.title[0].value == "Entropy"
    assert len(chart_specs(at)) == 3  # bars, weighted average, ceiling; the coin's chart is its live control
    assert_page_matches(at)


@pytest.mark.parametrize(("index", "value"), [(0, 0.9), (2, 0.61), (1, 0.01)])
def test_dragging_a_bar_of_p_changes_every_number(index, value):
    at = run_page("entropy", query_params={"predict": "false"})
    before = metrics(at)["Entropy H(p)"]
    drag(at, "p", index, value)
    assert_page_matches(at)
    assert metrics(at)["Entropy H(p)"] != before


@pytest.mark.parametrize("unit", ["nats", "hartleys", "bits"])
def test_unit_switch(unit):
    at = run_page("entropy", query_params={"predict": "false"})
    at.button_group(key="unit").set_value(unit).run()
    assert not at.exception
    assert_page_matches(at)
    assert unit in live_data(at, "en_coin")["chart"]["y_label"]


@pytest.mark.parametrize("k", [2, 6, 10])
def test_class_count_moves_the_ceiling(k):
    at = run_page("entropy", query_params={"predict": "false"})
    set_slider(at, "ws_k", k)
    assert workspace(at)[1].size == k
    assert_page_matches(at)


def test_uniform_reaches_the_ceiling():
    at = run_page("entropy", query_params={"predict": "false"})
    set_workspace(at, p=[1 / 3, 1 / 3, 1 / 3])
    assert_page_matches(at)
    m = metrics(at)
    assert m["Entropy H(p)"] == m["Maximum log₂ K, K = 3"]
    assert m["Perplexity"] == "3.000"


def test_a_class_with_zero_probability_adds_nothing():
    at = run_page("entropy", query_params={"predict": "false"})
    drag(at, "p", 1, 0.0)
    assert workspace(at)[1][1] == 0.0
    assert_page_matches(at)
    df = at.dataframe[0].value
    assert df["−log₂ p(x)"][1] == "∞ bits"
    assert df["p(x) · −log₂ p(x)"][1] == "0.0000 bits"
    assert any(r"\infty" in x.value for x in at.latex)


@pytest.mark.parametrize("coin", [0.0, 0.13, 0.5, 0.9, 1.0])
def test_coin_control_moves_the_point(coin):
    """The coin is a live control (lab.components.live_chart), driven through session state."""
    at = run_page("entropy", query_params={"predict": "false"})
    at.segmented_control(key="unit").set_value("nats").run()
    set_live(at, "en_coin", coin)
    expected = ce_core.binary_entropy(coin)
    assert live_readouts(at, "en_coin")["H_b(coin)"] == shown(expected, "nats")
    g = live_data(at, "en_coin")["index"]
    point = live_layer(at, "en_coin", "your coin")
    assert point["x"][g] == coin
    assert point["y"][g] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    curve = live_layer(at, "en_coin", "binary entropy H_b(θ)")
    np.testing.assert_allclose(curve["y"], ce_core.binary_entropy(curve["x"]), rtol=1e-12, atol=1e-15)
    names, p, _ = workspace(at)
    first = live_layer(at, "en_coin", f"{names[0]} or not")
    assert first["y"][g] == pytest.approx(ce_core.binary_entropy(p[0]), rel=1e-12)
    assert not any("Binary entropy" in str(c.get("layout", {}).get("title")) for c in chart_specs(at))


def test_every_position_of_the_coin_equals_ce_core():
    at = run_page("entropy", query_params={"predict": "false"})
    data = live_data(at, "en_coin")
    texts = next(r["text"] for r in data["readouts"] if r["name"] == "coin")
    for g, x in enumerate(data["values"]):
        assert texts[g] == shown(ce_core.binary_entropy(x, base=2), "bits")


def test_coin_is_seeded_from_the_url():
    at = run_page("entropy", query_params={"en_coin": "0.11", "predict": "false"})
    assert at.session_state["en_coin"] == pytest.approx(0.11)
    assert live_readouts(at, "en_coin")["H_b(coin)"] == shown(ce_core.binary_entropy(0.11, base=2), "bits")


def test_a_bad_coin_in_a_link_warns_and_keeps_the_default():
    at = run_page("entropy", query_params={"en_coin": "1.3", "predict": "false"})
    assert at.session_state["en_coin"] == 0.3
    assert_link_reported(at, "en_coin")


def test_predict_first_asks_about_the_coins_before_showing_their_entropies():
    at = run_page("entropy")
    assert live_data(at, "en_coin")["chart"] is None  # the control only: the curve would answer
    assert live_data(at, "en_coin")["readouts"] == []
    guess = next(r for r in at.radio if r.key.startswith("predict_en_coin_vs_first"))
    guess.set_value(0).run()
    at.button(key="predict_en_coin_vs_first_lock").click().run()
    coin = at.session_state["en_coin"]
    _, p, _ = workspace(at)
    h_coin, h_first = ce_core.binary_entropy(coin, base=2), ce_core.binary_entropy(p[0], base=2)
    assert live_readouts(at, "en_coin")["H_b(coin)"] == f"{h_coin:.4f} bits"
    verdict = (at.success or at.warning)[0].value
    assert ("right" in verdict) == (h_coin > h_first)


def test_the_coin_answer_stays_revealed_for_five_steps_and_follows_the_coin():
    at = run_page("entropy")
    next(r for r in at.radio if r.key.startswith("predict_en_coin_vs_first")).set_value(2).run()  # "equal"
    at.button(key="predict_en_coin_vs_first_lock").click().run()
    coin0 = at.session_state["en_coin"]
    for step in range(1, 6):
        coin = round(coin0 + 0.01 * step, 2)
        set_live(at, "en_coin", coin)
        assert not [r for r in at.radio if r.key.startswith("predict_en_coin_vs_first")], "asked again"
        *_, unit, base = workspace_in_unit(at)
        assert live_readouts(at, "en_coin")["H_b(coin)"] == shown(
            ce_core.binary_entropy(coin, base=base), unit
        )
        verdict = (at.success or at.warning)[0].value
        assert f"for θ = {coin0:.2f}" in verdict
        assert f"now, for θ = {coin:.2f}" in verdict
        assert f"H_b({coin:.2f}) = {shown(ce_core.binary_entropy(coin, base=base), unit)}" in verdict


def test_a_coin_answer_is_asked_once_per_session_even_across_pages():
    at = run_page("entropy")
    next(r for r in at.radio if r.key.startswith("predict_en_coin_vs_first")).set_value(0).run()
    at.button(key="predict_en_coin_vs_first_lock").click().run()
    at.switch_page("pages/surprisal.py").run()
    at.switch_page("pages/entropy.py").run()
    assert not [r for r in at.radio if r.key.startswith("predict_en_coin_vs_first")]
    assert "H_b(coin)" in live_readouts(at, "en_coin")
    assert len(at.session_state["_prediction_log"]) == 1
