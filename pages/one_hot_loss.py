"""Lesson 5: the one-hot loss, worked. With a one-hot target, cross-entropy is −log q(true class)."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import pandas as pd
import streamlit as st

from ce_core.decomposition import cross_entropy_terms, one_hot_index
from ce_core.information import convert_units, cross_entropy
from lab import state_keys
from lab.content import one_hot_loss as words
from lab.figures.cross_entropy import make_code_length_blocks, make_one_hot_loss_curve, one_hot_columns
from lab.figures.theme import fmt_value
from lab.ui import LATEX_LOG as LOG
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import LINK_KEYS, Workspace, current_workspace, set_workspace

#: The worked example the page opens on: a one-hot target and a model's prediction over 3 classes.
WORKED_P = (0.0, 1.0, 0.0)
WORKED_Q = (0.228, 0.619, 0.153)
OPENED, PREVIOUS = state_keys.ONE_HOT_OPENED, state_keys.ONE_HOT_PREVIOUS


def _is_worked(ws) -> bool:
    return ws.k == 3 and tuple(ws.p) == WORKED_P and tuple(ws.q) == WORKED_Q


def _open_on_worked_example() -> None:
    """The first visit of a session opens on the worked example, in the shared p and q.

    Not when this page was opened by a link that says what p or q are. The learner's own p and q
    are kept, to bring back with one click.
    """
    ss = st.session_state
    if ss.get(OPENED):
        return
    ss[OPENED] = True
    raw = ss.get(state_keys.RAW_PARAMS, {})
    if ss.get(state_keys.FIRST_PAGE) == "one_hot_loss" and any(
        key in LINK_KEYS and key[0] != "n" for key in raw
    ):
        return
    ws = current_workspace()
    if _is_worked(ws):
        return
    ss[PREVIOUS] = (ws.k, tuple(ws.p), tuple(ws.q))
    set_workspace(k=3)
    set_workspace(p=WORKED_P, q=WORKED_Q)
    ss[state_keys.WORKSPACE] = current_workspace()


def _restore_previous() -> None:
    k, p, q = st.session_state.pop(PREVIOUS)
    set_workspace(k=k)
    set_workspace(p=p, q=q)


_open_on_worked_example()
ws = page_header("The one-hot loss, worked", words.INTRO, editor="area")


def notice_panel(ws: Workspace) -> None:
    """What p and q are: the worked example, or a p that is not one-hot; the way back to your own."""
    if _is_worked(ws):
        loss = fmt_value(cross_entropy(ws.p, ws.q), "nats")
        st.info(words.worked(ws.names[1], loss), icon=":material/school:")
    elif one_hot_index(ws.p) is None:
        st.warning(words.not_one_hot(ws.names, ws.p), icon=":material/info:")
    if PREVIOUS in st.session_state:
        st.button(
            words.RESTORE,
            on_click=_restore_previous,
            icon=":material/undo:",
            key="oh_restore",
            help=words.RESTORE_HELP,
        )


def steps_panel(ws: Workspace) -> None:
    """The sum, step by step down to one term; the table of terms; the loss in the unit and in nats."""
    names, p, q = list(ws.names), ws.p, ws.q
    true = one_hot_index(p)
    total = cross_entropy(p, q, base=ws.base)
    total_nats = cross_entropy(p, q)
    st.header(words.STEPS_HEADER)
    true_name, q_true = (None, None) if true is None else (names[true], q[true])
    st.latex(words.steps_latex(p, q, LOG[ws.unit], true_name, q_true, total, total_nats, ws.unit))

    columns = one_hot_columns(names, p, q, base=ws.base, unit=ws.unit, unit_short=ws.unit_short)
    st.table(pd.DataFrame(columns), hide_index=True)

    in_unit, in_nats = st.columns(2)
    if ws.unit != "nats":
        in_unit.metric(f"Loss in {ws.unit}", fmt(total, ws))
        converted = convert_units(total_nats, math.e, ws.base) if math.isfinite(total_nats) else total_nats
        in_unit.caption(words.unit_caption(total_nats, converted, ws.unit, ws.base))
    nats_column = in_unit if ws.unit == "nats" else in_nats  # in nats the two numbers are one
    nats_column.metric(words.NATS_LABEL, fmt_value(total_nats, "nats"), help=words.NATS_HELP)


def why_panel(ws: Workspace) -> None:
    """Why only the true class counts: the loss curve over q(true class), or the blocks if p is not one-hot."""
    names, p, q = list(ws.names), ws.p, ws.q
    true = one_hot_index(p)
    total = cross_entropy(p, q, base=ws.base)
    st.header(words.WHY_HEADER)
    prose(words.WHY)
    if true is not None:
        q_true = float(q[true])
        if q_true == 0:
            st.error(words.impossible(names[true]), icon=":material/all_inclusive:")
        curve = make_one_hot_loss_curve(q_true, base=ws.base, unit=ws.unit, class_name=names[true])
        chart(curve, words.curve_caption(names[true], q_true, fmt(total, ws)), key="oh_curve")
        prose(words.pytorch(true, names[true]))
    else:
        blocks = make_code_length_blocks(names, p, q, base=ws.base, unit=ws.unit, title=words.BLOCKS_TITLE)
        chart(blocks, words.blocks_caption(fmt(total, ws)), key="oh_blocks")


notice_panel(ws)
steps_panel(ws)
why_panel(ws)

show_source(cross_entropy_terms, one_hot_index)
