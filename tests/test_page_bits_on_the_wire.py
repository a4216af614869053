"""AppTest of Bits on the wire: the code table, the message and the running rate follow p, q and the controls.

The message length is a live control (lab.components.live_chart): driven through session state; its
chart and readouts are read from the data it was mounted with (every length of the grid).
"""

import math

import numpy as np
import pytest

import ce_core
from ce_core.coding import code_lengths, running_bits_per_symbol, sample_message
from ce_core.prefix_code import canonical_code, encode, first_unencodable
from tests import apptest_utils as ui

UNITS = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}
PAGE = "bits_on_the_wire"
IDEAL = "ideal code (−log₂ q)"
WHOLE = "whole-bit code (⌈−log₂ q⌉)"


def bits(value):
    return "∞ bits" if math.isinf(value) else f"{value:.4f} bits"


def state(at):
    names, p, q = ui.workspace(at)
    unit = at.segmented_control(key="unit").value
    length = int(at.session_state["bw_length"])
    seed = int(at.number_input(key="bw_seed").value)
    return p, q, names, unit, length, seed


def metrics(at):
    """The live control's readouts at its position (the numbers of the page once it settled)."""
    return ui.live_readouts(at, "bw_length")


def assert_page_matches(at):
    p, q, names, unit, length, seed = state(at)
    ideal, whole = code_lengths(q), code_lengths(q, whole_bits=True)
    words = canonical_code(whole)
    df = at.table[0].value
    assert list(df["symbol"]) == names
    assert list(df["code word"]) == [w if w else ("(empty)" if w == "" else "none: q = 0") for w in words]
    assert list(df["⌈−log₂ q_i⌉"]) == ["∞" if math.isinf(v) else f"{v:.0f}" for v in whole]

    message = sample_message(p, length, seed=seed)
    stop = first_unencodable(message, ideal)
    first = encode(message[:8], words)
    code_text = at.code[0].value
    first_row = code_text.splitlines()[0].split()
    assert first_row[:3] == ["1", names[message[0]], first[0] if first[0] is not None else "✗"]
    h_pq = ce_core.cross_entropy(p, q, base=2)
    info = at.info[0].value
    assert f"H(p, q) = {bits(h_pq)}" in info
    if unit != "bits" and math.isfinite(h_pq):
        assert f"{ce_core.cross_entropy(p, q, base=UNITS[unit]):.4f} {unit}" in info

    data = ui.live_data(at, "bw_length")
    g = data["index"]
    assert data["values"][g] == length
    running = ui.live_layer(at, "bw_length", IDEAL)["y"]  # the longest message, drawn up to its first gap
    longest = sample_message(p, int(data["values"][-1]), seed=seed)
    np.testing.assert_array_equal(longest[:length], message)  # a shorter message is its beginning
    rate = running_bits_per_symbol(message, ideal)
    m = metrics(at)
    assert m["Ideal code, bits per symbol"] == bits(rate[-1])
    assert m["Whole-bit code, bits per symbol"] == bits(running_bits_per_symbol(message, whole)[-1])
    assert m["H(p, q), the limit"] == bits(h_pq)
    if stop is None:
        np.testing.assert_allclose(running[:length], rate, rtol=1e-12)
        assert f"sent: {''.join(first)} …" in code_text
    else:
        assert any("cannot be encoded" in e.value and f"Symbol {stop + 1} " in e.value for e in at.error)
        assert np.isnan(running[stop:]).all()
        if stop:
            np.testing.assert_allclose(running[:stop], rate[:stop], rtol=1e-12)
    assert (
        "nan" not in (" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)).lower()
    )


def test_page_runs_with_the_default_workspace():
    at = ui.run_page(PAGE)
    assert at.title[0].value == "Bits on the wire"
    assert_page_matches(at)


@pytest.mark.parametrize(("key", "value"), [("bw_length", 120), ("bw_length", 5000)])
def test_the_message_length_control_resamples(key, value):
    at = ui.run_page(PAGE)
    ui.set_live(at, key, value)
    assert_page_matches(at)
    assert at.session_state[key] == value


def test_the_seed_control_draws_another_message():
    at = ui.run_page(PAGE)
    before = metrics(at)["Ideal code, bits per symbol"]
    at.number_input(key="bw_seed").set_value(11).run()
    assert not at.exception
    assert_page_matches(at)
    assert metrics(at)["Ideal code, bits per symbol"] != before


@pytest.mark.parametrize(("dist", "index", "value"), [("q", 0, 0.7), ("p", 2, 0.9)])
def test_dragging_a_bar_changes_the_code_and_the_rate(dist, index, value):
    at = ui.run_page(PAGE)
    before = (at.table[0].value.copy(), at.code[0].value)
    ui.drag(at, dist, index, value)
    assert_page_matches(at)
    if dist == "q":  # new code lengths
        assert not at.table[0].value.equals(before[0])
    else:  # a message drawn from the new p
        assert at.code[0].value != before[1]


def test_q_equal_to_p_settles_on_the_entropy():
    at = ui.run_page(PAGE)
    _, p, _ = ui.workspace(at)
    at = ui.set_live(ui.set_workspace(at, q=list(p)), "bw_length", 5000)
    assert_page_matches(at)
    h_p = ce_core.entropy(p, base=2)
    assert ui.live_layer(at, "bw_length", "H(p, q)")["y"][0] == pytest.approx(h_p)
    assert ui.live_layer(at, "bw_length", IDEAL)["y"][-1] == pytest.approx(h_p, abs=0.05)


def test_q_zero_for_a_symbol_that_occurs_says_the_message_cannot_be_encoded():
    at = ui.run_page(PAGE)
    ui.drag(at, "q", 1, 0.0)  # dog: p = 0.3
    assert_page_matches(at)
    assert any("cannot be encoded" in e.value for e in at.error)
    assert "none: q = 0" in list(at.table[0].value["code word"])
    assert "∞ bits" in at.info[0].value


def test_other_units_are_converted_where_other_lessons_are_referred_to():
    at = ui.run_page(PAGE)
    at.segmented_control(key="unit").set_value("nats").run()
    assert not at.exception
    assert_page_matches(at)


def test_a_bad_length_in_a_link_warns_and_keeps_the_default():
    at = ui.run_page(PAGE, query_params={"bw_length": "15"})
    assert at.session_state["bw_length"] == 2000
    ui.assert_link_reported(at, "bw_length")
