"""Misconceptions: common wrong beliefs, each with a live counterexample from ce_core."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from ce_core.misconceptions import all_misconceptions
from lab.nav import page_file
from lab.ui import page_header

ws = page_header(
    "Misconceptions",
    "Things people often believe about cross-entropy, some of them printed in popular explanations. "
    "Each one comes with numbers computed by the lab; some use your own p and q (the bars below).", editor=""
)

for item in all_misconceptions(ws.p, ws.q):
    with st.container(border=True):
        st.markdown(f"**Belief:** {item.belief}" + (f"  \n*Seen in: {item.source}.*" if item.source else ""))
        st.markdown(f"**What is true:** {item.truth}")
        st.table({"": [what for what, _ in item.evidence], "value": [value for _, value in item.evidence]})
        st.page_link(page_file(item.lesson), label="Go to the lesson", icon=":material/arrow_forward:")
