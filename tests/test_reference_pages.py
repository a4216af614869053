"""Misconceptions and glossary pages."""

import json
import math

import pytest

import ce_core
from lab.content.glossary import TERMS
from lab.content.misconceptions import MISCONCEPTIONS, all_misconceptions
from lab.nav import LESSONS
from tests.apptest_utils import decode, drag, run_page, set_slider, workspace


def test_misconceptions_include_the_known_mistakes_with_counterexamples():
    items = all_misconceptions(ce_core.normalize([1, 1]), ce_core.normalize([1, 3]))
    beliefs = " ".join(item.belief for item, _ in items)
    assert "log P(x)" in beliefs
    assert "never be lower" in beliefs
    assert "bits" in beliefs
    counter = next(ev for item, ev in items if "never be lower" in item.belief)
    assert dict(counter.rows)["H(p, q) < H(q)?"] == "yes"


@pytest.mark.parametrize(("base", "unit"), [(2.0, "bits"), (math.e, "nats"), (10.0, "hartleys")])
def test_misconceptions_follow_the_unit(base, unit):
    """Every number with a unit is in the unit asked for; no page name or other unit slips in."""
    p, q = ce_core.normalize([5, 3, 2]), ce_core.normalize([2, 5, 3])
    for item, ev in all_misconceptions(p, q, base=base, unit=unit):
        for what, value in ev.rows:
            words = value.split()
            if item.control and item.control.key == "mc_coin":
                continue  # this one shows the same entropy in all three units on purpose
            if len(words) == 2 and words[0].replace("−", "-").replace(".", "").lstrip("-").isdigit():
                assert words[1] == unit, (item.belief, what, value)
    surprisal = dict(
        next(
            ev for item, ev in all_misconceptions(p, q, base=base, unit=unit) if "log P(x)" in item.belief
        ).rows
    )
    expected = ce_core.surprisal(0.25, base=base)
    assert any(v == f"{expected:.4f} {unit}" for v in surprisal.values()), surprisal
    kl = dict(
        next(
            ev for item, ev in all_misconceptions(p, q, base=base, unit=unit) if "distance" in item.belief
        ).rows
    )
    assert kl["KL(q ‖ p)"] == f"{ce_core.kl_divergence(q, p, base=base):.4f} {unit}"


def test_misconceptions_page_follows_the_unit_switch():
    at = run_page("misconceptions")
    at.button_group(key="unit").set_value("bits").run()
    assert not at.exception
    cells = " ".join(str(t.value.to_dict()) for t in at.table)
    assert f"{ce_core.surprisal(0.25, base=2):.4f} bits" in cells
    assert "bits_on_the_wire" not in cells
    ws = at.session_state["_workspace"]
    assert f"{ce_core.kl_divergence(ws.q, ws.p, base=2):.4f} bits" in cells


def test_every_misconception_has_a_live_picture_that_moves_with_its_control():
    at = run_page("misconceptions")
    charts = at.get("plotly_chart")
    assert len(charts) == len(MISCONCEPTIONS)
    first = json.loads(charts[0].proto.spec)["data"][0]["x"]
    set_slider(at, "mc_prob", 0.5)
    moved = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    assert list(decode(moved)) != list(decode(first))
    base = at.session_state["_workspace"].base
    assert decode(moved)[1] == pytest.approx(ce_core.surprisal(0.5, base=base))


def test_misconceptions_page_uses_the_workspace_for_the_kl_asymmetry():
    at = run_page("misconceptions")
    drag(at, "q", 0, 0.05)
    _, p, q = workspace(at)
    assert q[0] == 0.05
    ws = at.session_state["_workspace"]
    expected = f"{ce_core.kl_divergence(q, p, base=ws.base):.4f} {ws.unit}"  # in the workspace unit
    cells = " ".join(str(t.value.to_dict()) for t in at.table)
    assert expected in cells


def test_misconceptions_page_survives_q_zero():
    at = run_page("misconceptions")
    drag(at, "q", 0, 0.0)
    cells = " ".join(str(t.value.to_dict()) for t in at.table)
    assert f"∞ {at.session_state['_workspace'].unit}" in cells
    # the only NaN on the page is the overflow lesson's, spelled out with its cause
    assert cells.count("NaN") == cells.count("NaN (exp(1000) = ∞)") == 1


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.term)
def test_every_glossary_term_links_to_a_real_lesson(term):
    assert term.lesson in LESSONS


def test_glossary_search_filters_terms():
    at = run_page("glossary")
    n_all = len(at.get("page_link"))
    at.text_input(key="gl_search").input("entropy").run()
    n_found = len(at.get("page_link"))
    assert 0 < n_found < n_all
    assert n_all == len(TERMS)
