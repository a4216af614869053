"""Lesson 4: cross-entropy and KL divergence. Frequencies from p, code lengths from q."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import pandas as pd
import streamlit as st

from ce_core.decomposition import CrossEntropySummary, cross_entropy_terms, kl_terms, summarize
from ce_core.editing import set_probability
from lab.content import cross_entropy_kl as words
from lab.figures.cross_entropy import (
    code_length_columns,
    infinite_names,
    make_code_length_blocks,
    make_entropy_kl_bar,
    make_kl_directions,
    make_kl_gap,
)
from lab.predict import predict, which_larger
from lab.ui import LATEX_LOG as LOG
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import Workspace, current, set_workspace

#: The counterexample to "cross-entropy is never below either entropy": p and q for the workspace.
COUNTER_P = (1.0, 0.0)
COUNTER_Q = (0.9, 0.1)


def _load_counterexample() -> None:
    set_workspace(k=len(COUNTER_P))
    set_workspace(p=COUNTER_P, q=COUNTER_Q)


def _zero_q(index: int) -> None:
    ws = current()
    set_workspace(q=set_probability(ws.q, index, 0.0))


ws = page_header("Cross-entropy and KL divergence", words.INTRO, editor="area")
st.latex(words.FORMULA)


def summary_metrics(ws: Workspace, s: CrossEntropySummary) -> None:
    """The four numbers of the workspace's p and q."""
    values = (s.entropy_p, s.cross_entropy, s.kl_forward, s.entropy_q)
    for column, (label, help_text), value in zip(
        st.columns(4), words.METRIC_HELP.items(), values, strict=True
    ):
        column.metric(label, fmt(value, ws), help=help_text)


def codes_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """Frequencies from p, code lengths from q: the table, the zero-q notes, the blocks."""
    st.header(words.CODES_HEADER)
    prose(words.codes_intro(ws.unit))
    columns = code_length_columns(ws.names, ws.p, ws.q, base=ws.base, unit_short=ws.unit_short)
    st.table(pd.DataFrame(columns), hide_index=True)

    silent = [ws.names[i] for i in range(ws.k) if ws.p[i] == 0 and ws.q[i] == 0]
    infinite = infinite_names(ws.names, cross_entropy_terms(ws.p, ws.q, base=ws.base))
    if infinite:
        st.error(words.infinite_cost(infinite), icon=":material/all_inclusive:")
    if silent:
        st.info(words.silent_class(silent), icon=":material/info:")

    blocks = make_code_length_blocks(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit)
    caption = words.blocks_caption(fmt(s.cross_entropy, ws), fmt(s.entropy_p, ws), infinite)
    chart(blocks, caption, key="ce_blocks")
    if not infinite:
        top = max(range(ws.k), key=lambda i: ws.p[i])
        st.button(
            words.zero_q_label(ws.names[top]),
            key="ce_zero_q",
            on_click=_zero_q,
            args=(top,),
            icon=":material/block:",
            help=words.ZERO_Q_HELP,
        )


def gibbs_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """H(p) + KL = H(p, q), and Gibbs' inequality."""
    h_p, h_pq, kl, h_q = (fmt(v, ws) for v in (s.entropy_p, s.cross_entropy, s.kl_forward, s.entropy_q))
    st.header(words.GIBBS_HEADER)
    prose(words.GIBBS)
    st.markdown(words.gibbs_now(h_pq, h_p, kl, infinite=math.isinf(s.cross_entropy), equal=s.q_equals_p))
    stack = make_entropy_kl_bar(ws.p, ws.q, base=ws.base, unit=ws.unit)
    chart(stack, words.stack_caption(h_p, kl, h_pq, h_q), key="ce_stack")
    prose(words.KL_GAP)
    gap_terms = kl_terms(ws.p, ws.q, base=ws.base)
    gap = make_kl_gap(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit)
    chart(gap, words.gap_caption(h_p, h_pq, kl, ws.names, gap_terms, ws.p, ws.unit), key="ce_kl_gap")


def directions_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """Forward versus reverse KL: a prediction, then the per-class terms."""
    st.header(words.DIRECTIONS_HEADER)
    forward, reverse = fmt(s.kl_forward, ws), fmt(s.kl_reverse, ws)
    revealed = predict(
        "ce_kl_direction",
        words.DIRECTIONS_QUESTION,
        words.DIRECTIONS_OPTIONS,
        which_larger(s.kl_forward, s.kl_reverse),
        words.directions_answer(forward, reverse),
        state=(ws.p.round(4).tolist(), ws.q.round(4).tolist(), ws.unit),
        lesson="cross-entropy",
        setting=words.directions_setting(ws.p, ws.q),
    )
    if revealed:
        f1, f2 = st.columns(2)
        f1.metric("Forward KL(p ‖ q)", forward, help=words.FORWARD_HELP)
        f2.metric("Reverse KL(q ‖ p)", reverse, help=words.REVERSE_HELP)
        prose(words.DIRECTIONS)
        directions = make_kl_directions(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit)
        forward_inf = infinite_names(ws.names, kl_terms(ws.p, ws.q, base=ws.base))
        reverse_inf = infinite_names(ws.names, kl_terms(ws.q, ws.p, base=ws.base))
        caption = words.directions_caption(forward, reverse, forward_inf, reverse_inf)
        chart(directions, caption, key="ce_directions")


def belief_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """The belief that H(p, q) is never below H(q), and its counterexample."""
    st.header(words.BELIEF_HEADER)
    ex = summarize(COUNTER_P, COUNTER_Q, base=ws.base)
    ex_nats = summarize(COUNTER_P, COUNTER_Q)
    in_nats = "" if ws.unit == "nats" else words.counter_in_nats(ex_nats.cross_entropy, ex_nats.entropy_q)
    prose(words.BELIEF)
    st.markdown(
        words.counterexample(LOG[ws.unit], fmt(ex.cross_entropy, ws, 3), fmt(ex.entropy_q, ws, 3), in_nats)
    )
    prose(words.BELIEF_WHY)
    st.button(
        words.LOAD_COUNTER,
        key="ce_counterexample",
        on_click=_load_counterexample,
        icon=":material/upload:",
        help=words.LOAD_COUNTER_HELP,
    )
    now = words.belief_now(fmt(s.cross_entropy, ws), fmt(s.entropy_q, ws), below=s.below_entropy_q)
    if s.below_entropy_q:
        st.success(now, icon=":material/check_circle:")
    else:
        st.info(now, icon=":material/info:")


s = summarize(ws.p, ws.q, base=ws.base)
summary_metrics(ws, s)
codes_panel(ws, s)
gibbs_panel(ws, s)
directions_panel(ws, s)
belief_panel(ws, s)

show_source(cross_entropy_terms, kl_terms, summarize)
