"""Misconceptions and glossary pages."""

import pytest

import ce_core
from ce_core.misconceptions import all_misconceptions
from lab.glossary import TERMS
from lab.nav import LESSONS
from tests.apptest_utils import drag, run_page, workspace


def test_misconceptions_include_the_seed_mistakes_with_counterexamples():
    items = all_misconceptions(ce_core.normalize([1, 1]), ce_core.normalize([1, 3]))
    beliefs = " ".join(i.belief for i in items)
    assert "log P(x)" in beliefs
    assert "never be lower" in beliefs
    assert "bits" in beliefs
    counter = next(i for i in items if "never be lower" in i.belief)
    assert dict(counter.evidence)["H(p, q) < H(q)?"] == "True"


def test_misconceptions_page_uses_the_workspace_for_the_kl_asymmetry():
    at = run_page("misconceptions")
    drag(at, "q", 0, 0.05)
    _, p, q = workspace(at)
    assert q[0] == 0.05
    expected = f"{ce_core.kl_divergence(q, p):.4f} nats"
    cells = " ".join(str(t.value.to_dict()) for t in at.table)
    assert expected in cells


def test_misconceptions_page_survives_q_zero():
    at = run_page("misconceptions")
    drag(at, "q", 0, 0.0)
    cells = " ".join(str(t.value.to_dict()) for t in at.table)
    assert "∞ nats" in cells
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
