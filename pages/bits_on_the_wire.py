"""Lesson 6: bits on the wire. Send a message drawn from p with a binary code built for q."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import itertools
import math

import numpy as np
import pandas as pd
import streamlit as st

from ce_core.coding import code_lengths, kraft_sum, running_bits_per_symbol, sample_message
from ce_core.information import convert_units, cross_entropy, entropy
from ce_core.live import message_sweep, parameter_grid
from ce_core.prefix_code import canonical_code, encode, expected_length, first_unencodable
from lab.components import live_chart as lc
from lab.figures.coding import message_chart
from lab.figures.theme import fmt_value
from lab.ui import fmt, page_header, prose, seed_input, show_source
from lab.workspace import Workspace

MAX_LENGTH = 5000
DEFAULT_LENGTH = 2000
SHOWN_SYMBOLS = 8
#: Positions of the message-length control: 10, 20, ..., MAX_LENGTH symbols.
LENGTH_GRID = parameter_grid(10, MAX_LENGTH, 10)


def _bits(value: float) -> str:
    return fmt_value(value, "bits")


def _length(value: float, digits: int = 4) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


ws = page_header(
    "Bits on the wire",
    "Cross-entropy has a physical meaning: it is the length of a real message. Draw symbols from "
    "**p**, send each with a binary code word designed for **q**, and count the bits. "
    "The average cost per symbol settles at H(p, q).",
    editor="area",
)


def units_notice(ws: Workspace) -> None:
    """This page counts binary digits: it works in bits, whatever the workspace unit."""
    h_pq = cross_entropy(ws.p, ws.q, base=2)
    h_p = entropy(ws.p, base=2)
    in_unit = (
        ""
        if ws.unit == "bits"
        else (
            f" In your workspace unit that is H(p, q) = {fmt(convert_units(h_pq, 2, ws.base), ws)} and "
            f"H(p) = {fmt(convert_units(h_p, 2, ws.base), ws)}, the numbers the other lessons show."
        )
    )
    st.info(
        f"This page counts binary digits, so it works **in bits** (log base 2): "
        f"H(p, q) = {_bits(h_pq)}, H(p) = {_bits(h_p)}.{in_unit}",
        icon=":material/straighten:",
    )


def code_panel(ws: Workspace) -> tuple[np.ndarray, np.ndarray, list]:
    """The code built for q: ideal and whole-bit lengths, the code words; returns them."""
    st.header("The code built for q")
    prose(
        "A code for q gives a symbol of probability $q_i$ a code word of $-\\log_2 q_i$ bits: likely "
        "symbols get short words. Real code words have whole bits, so a **Shannon code** rounds up to "
        "$\\lceil -\\log_2 q_i \\rceil$. These lengths satisfy Kraft's inequality $\\sum_i 2^{-l_i} \\le 1$, so a "
        "prefix code exists (no word is the start of another, and the receiver needs no separators); "
        "the table lists the canonical one. A symbol with $q_i = 0$ gets no code word at all."
    )
    ideal = code_lengths(ws.q)
    whole = code_lengths(ws.q, whole_bits=True)
    try:
        words = canonical_code(whole)
    except ValueError as err:  # only if rounding ever broke Kraft's inequality
        words = [None] * ws.k
        st.warning(f"No prefix code could be built: {err}.")
    st.table(
        pd.DataFrame(
            {
                "symbol": ws.names,
                "p_i": [f"{v:.3f}" for v in ws.p],
                "q_i": [f"{v:.3f}" for v in ws.q],
                "−log₂ q_i (bits)": [_length(v) for v in ideal],
                "⌈−log₂ q_i⌉": [_length(v, 0) for v in whole],
                "code word": [w if w else ("(empty)" if w == "" else "none: q = 0") for w in words],
            }
        ),
        hide_index=True,
    )
    st.markdown(
        f"Kraft sum of the whole-bit lengths: $\\sum 2^{{-l_i}}$ = {kraft_sum(whole[whole < math.inf]):.4f} ≤ 1. "
        f"Expected cost per symbol on events from p: ideal code **{_bits(cross_entropy(ws.p, ws.q, base=2))}** = "
        f"H(p, q); whole-bit code **{_bits(expected_length(ws.p, whole))}**, which always lies between H(p, q) and "
        "H(p, q) + 1."
    )
    return ideal, whole, words


@st.fragment
def message_panel(ws: Workspace, ideal: np.ndarray, whole: np.ndarray, words: list) -> None:
    """One random message from p, sent with q's code: the running cost per symbol, the first code words."""
    st.header("Send a message")
    with st.container(key="lesson_controls"):
        c1, _ = st.columns([1, 3])
        seed = seed_input(
            c1, "Random seed", key="bw_seed", help="The same random seed always draws the same message."
        )
    h_pq = cross_entropy(ws.p, ws.q, base=2)
    s = message_sweep(ws.p, ws.q, LENGTH_GRID, seed=int(seed))  # one message, every length: one batch
    spec, readouts = message_chart(
        s,
        int(seed),
        h_pq=h_pq,
        h_p=entropy(ws.p, base=2),
        whole_mean=expected_length(ws.p, whole),
        max_length=MAX_LENGTH,
    )
    length = int(
        lc.live_slider(
            "Message length (symbols)",
            LENGTH_GRID,
            key="bw_length",
            default=DEFAULT_LENGTH,
            value_text=[f"{int(v):,}" for v in LENGTH_GRID],
            chart=spec,
            readouts=readouts,
        )
    )
    message = sample_message(ws.p, length, seed=int(seed))
    stop = first_unencodable(message, ideal)
    shown = message[:SHOWN_SYMBOLS]
    shown_words = encode(shown, words)
    width = max(len(ws.names[i]) for i in shown)
    rows = [
        f"{n + 1:>2}  {ws.names[i]:<{width}}  {w if w is not None else '✗ no code word'}"
        for n, (i, w) in enumerate(zip(shown, shown_words, strict=True))
    ]
    sent = list(itertools.takewhile(lambda w: w is not None, shown_words))
    stream = "".join(sent) or ("(nothing)" if stop == 0 else "(0 bits: a certain symbol costs nothing)")
    if stop is not None and stop < len(shown):
        stream += f"  ✗ stuck at symbol {stop + 1}"
    elif len(message) > len(shown):
        stream += " …"
    st.markdown(
        f"The first {len(shown)} of the {length:,} symbols with their code words, then the bits actually "
        "sent (no separators needed: no code word is the start of another):"
    )
    st.code("\n".join(rows) + "\n\nsent: " + stream, language=None, wrap_lines=True)

    if stop is not None:
        st.error(
            f"Symbol {stop + 1} of the message is **{ws.names[int(message[stop])]}**, but q gives it probability "
            f"0, so the code has no word for it. The message **cannot be encoded**: its length is infinite "
            f"(∞ bits), just as H(p, q) = −Σ p log q is infinite. Drag that class's q bar above 0.",
            icon=":material/block:",
        )
    else:
        rate_whole = float(running_bits_per_symbol(message, whole)[-1])
        st.caption(f"{length:,} symbols: {rate_whole * len(message):.0f} bits with the whole-bit code.")
        if math.isinf(h_pq):
            st.warning(
                "H(p, q) = ∞: p gives some probability to a symbol that q rules out. This sample has "
                "not drawn it yet, but a long enough message will, and then it cannot be sent.",
                icon=":material/warning:",
            )
    prose(
        "Short messages wander; long ones settle on H(p, q) (law of large numbers). The gap to H(p) is "
        "KL(p ‖ q), the price of the wrong code. Set q equal to p (the *Uniform* preset, or type p's "
        "numbers into q) and the ideal code's line settles on H(p): no code can average less, and this ideal one (fractional "
        "lengths) reaches it; the whole-bit code stays up to 1 bit above."
    )


units_notice(ws)
ideal, whole, words = code_panel(ws)
message_panel(ws, ideal, whole, words)
show_source(code_lengths, canonical_code, running_bits_per_symbol)
