"""AppTest of the one-hot loss page: the worked steps, table and curve follow the workspace."""

import numpy as np
import pytest

import ce_core
from ce_core.decomposition import cross_entropy_terms
from tests.apptest_utils import (
    SHORT_UNITS,
    chart_specs,
    decode,
    drag,
    metrics,
    number,
    run_page,
    shown,
    workspace,
    workspace_in_unit,
)

PAGE = "one_hot_loss"
SEED_Q = [22.8, 61.9, 15.3]


def latex(at):
    return at.get("latex")[0].value


def load_seed(at):
    """The page opens on the worked example, in the shared workspace (nothing to do but check it)."""
    _names, p, q = workspace(at)
    assert p.tolist() == [0.0, 1.0, 0.0]
    assert q.tolist() == [0.228, 0.619, 0.153]
    return at


def own(at):
    """Back to the learner's own p and q (here the defaults, which are not one-hot)."""
    at.button(key="oh_restore").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_page_matches(at):
    p, q, names, unit, base = workspace_in_unit(at)
    loss = ce_core.cross_entropy(p, q, base=base)
    loss_nats = ce_core.cross_entropy(p, q)
    m = metrics(at)
    if unit == "nats":
        assert "Loss in nats" not in m  # shown once, as the PyTorch number
    else:
        assert m[f"Loss in {unit}"] == shown(loss, unit)
    assert m["Loss in nats (what PyTorch reports)"] == shown(loss_nats, "nats")
    df = at.table[0].value
    assert list(df["class"]) == [*names, "total"]
    assert list(df["q_i"])[:-1] == [f"{v:.4f}" for v in q]
    terms = [cell.split("  ")[0] for cell in df[f"−p_i · log q_i ({SHORT_UNITS[unit]})"]]
    assert terms == [*[number(t) for t in cross_entropy_terms(p, q, base=base)], number(loss)]
    if unit != "nats":
        assert list(df["−p_i · ln q_i (nats)"]) == [
            *[number(t) for t in cross_entropy_terms(p, q)],
            number(loss_nats),
        ]
    assert "nan" not in " ".join(m.value for m in at.markdown).lower()


def test_the_page_opens_on_the_worked_example():
    at = run_page(PAGE)
    assert at.title[0].value == "The one-hot loss, worked"
    assert not at.warning
    nats = ce_core.cross_entropy([0, 1, 0], [0.228, 0.619, 0.153])
    assert nats == pytest.approx(0.47965000629754095, rel=1e-9)  # REFERENCE.md
    assert metrics(at)["Loss in nats (what PyTorch reports)"] == shown(nats, "nats")
    assert any(f"{nats:.4f} nats" in i.value for i in at.info)
    assert list(at.table[0].value["q_i"])[:-1] == ["0.2280", "0.6190", "0.1530"]
    curve = chart_specs(at)[0]
    point = next(t for t in curve["data"] if t["name"] == "this model")
    assert decode(point["x"])[0] == pytest.approx(0.619)


def test_own_workspace_that_is_not_one_hot_is_named_so():
    at = own(run_page(PAGE))
    assert_page_matches(at)
    assert any("not one-hot" in w.value for w in at.warning)
    p, q, _, _unit, base = workspace_in_unit(at)
    # The general sum, with every term substituted.
    assert r"0.6 \cdot \log_2 0.25" in latex(at)  # the default p(cat) = 0.6, q(cat) = 0.25
    assert f"{ce_core.cross_entropy(p, q, base=base):.4f}" in latex(at)


def test_the_worked_example_typed_into_the_workspace_gives_its_loss():
    at = load_seed(run_page(PAGE))
    p, q, _names, _unit, base = workspace_in_unit(at)
    np.testing.assert_allclose(p, [0, 1, 0])
    np.testing.assert_allclose(q, ce_core.normalize(SEED_Q), rtol=1e-15)
    assert_page_matches(at)
    assert not at.warning
    nats = ce_core.cross_entropy(p, q)
    assert nats == pytest.approx(0.47965000629754095, rel=1e-9)  # REFERENCE.md
    tex = latex(at)
    assert r"0 \cdot \log_2 0.228 + 1 \cdot \log_2 0.619" in tex
    assert r"-\log_2 q(\text{dog})" in tex
    assert f"{nats:.4f}" in tex
    curve = chart_specs(at)[0]
    point = next(t for t in curve["data"] if t["name"] == "this model")
    assert decode(point["x"])[0] == pytest.approx(q[1])
    assert decode(point["y"])[0] == pytest.approx(ce_core.surprisal(q[1], base=base))


@pytest.mark.parametrize(("index", "value"), [(1, 0.2), (0, 0.7), (2, 0.0)])
def test_editing_q_of_the_worked_example_updates_every_step(index, value):
    at = load_seed(run_page(PAGE))
    drag(at, "q", index, value)
    assert workspace(at)[2][index] == value
    assert_page_matches(at)
    _p, q, *_ = workspace_in_unit(at)
    assert f"{_tex(q[1])}" in latex(at)


def _tex(v):
    return f"{v:.4f}".rstrip("0").rstrip(".")


def test_zero_for_a_wrong_class_costs_nothing_and_the_table_says_why():
    at = load_seed(run_page(PAGE))
    drag(at, "q", 2, 0.0)
    assert_page_matches(at)
    df = at.table[0].value
    assert "(p_i = 0: no weight)" in list(df["−p_i · log q_i (bits)"])[2]
    assert not metrics(at)["Loss in bits"].startswith("∞")


def test_zero_for_the_true_class_is_an_infinite_loss_not_an_error():
    at = load_seed(run_page(PAGE))
    drag(at, "q", 1, 0.0)
    assert_page_matches(at)
    assert metrics(at)["Loss in bits"] == "∞ bits"
    assert any("−log 0 = ∞" in e.value for e in at.error)
    curve = chart_specs(at)[0]
    assert any(t["name"] == "this model: ∞" for t in curve["data"])


def test_nats_unit_shows_one_column_and_the_same_loss():
    at = load_seed(run_page(PAGE))
    at.button_group(key="unit").set_value("nats").run()
    assert not at.exception
    assert_page_matches(at)
    assert "−p_i · ln q_i (nats)" not in at.table[0].value.columns
