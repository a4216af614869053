"""Misconceptions: common wrong beliefs, each with a live counterexample from ce_core."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from lab.content.misconceptions import MISCONCEPTIONS, Misconception
from lab.figures.evidence import make_evidence_bars
from lab.nav import page_file
from lab.ui import chart, page_header
from lab.workspace import Workspace

ws = page_header(
    "Misconceptions",
    "Things people often believe about cross-entropy, some of them printed in popular explanations. "
    "Each one comes with a counterexample computed by the lab: move its slider, or your own p and q (the "
    "bars below), and watch it hold. Every number follows the unit switch in the sidebar.",
    editor="",
)


def misconception_card(ws: Workspace, number: int, item: Misconception) -> None:
    """One belief, what is true, and its counterexample: a control, a table and a chart."""
    with st.container(border=True, key=f"mc_card_{number}"):
        st.markdown(f"**Belief:** {item.belief}")
        st.markdown(f"**What is true:** {item.truth}")
        left, right = st.columns([1, 1])
        with left:
            value = None
            if item.control is not None:
                c = item.control
                value = st.slider(
                    c.label,
                    c.minimum,
                    c.maximum,
                    c.default,
                    c.step,
                    key=c.key,
                    format=c.format,
                    help=c.help or None,
                )
            evidence = item.evidence(ws.p, ws.q, ws.base, ws.unit, value)
            st.table({"": [what for what, _ in evidence.rows], "value": [v for _, v in evidence.rows]})
        with right:
            chart(
                make_evidence_bars(
                    evidence.bar_labels,
                    evidence.bar_values,
                    texts=evidence.bar_texts,
                    axis_title=evidence.axis_title,
                ),
                evidence.caption,
                key=f"mc_chart_{number}",
            )
        st.page_link(page_file(item.lesson), label="Go to the lesson", icon=":material/arrow_forward:")


for number, item in enumerate(MISCONCEPTIONS, start=1):
    misconception_card(ws, number, item)
