"""Home: what the lab teaches, the map of lessons, and one live chart of the workspace."""

import streamlit as st

import ce_core
from ce_core.figures.distributions import make_distribution_bars
from lab.ui import chart, fmt, page_header

ws = page_header(
    "Cross-Entropy Lab",
    "Cross-entropy measures how many bits (or nats) you spend on average when events follow "
    "one distribution, **p** (the truth), but you plan for another, **q** (the model). It is the "
    "loss that trains almost every classifier. Drag the sliders in the sidebar: every number and "
    "chart in the lab follows them.",
)

h_p = ce_core.entropy(ws.p, base=ws.base)
h_pq = ce_core.cross_entropy(ws.p, ws.q, base=ws.base)
kl = ce_core.kl_divergence(ws.p, ws.q, base=ws.base)

c1, c2, c3 = st.columns(3)
c1.metric("Entropy H(p)", fmt(h_p, ws), help="A lower bound: no code averages fewer bits per event when events follow p.")
c2.metric("Cross-entropy H(p, q)", fmt(h_pq, ws), help="What a code built for q costs on events from p.")
c3.metric("KL(p ‖ q)", fmt(kl, ws), help="The extra cost of planning for q: H(p, q) − H(p).")

fig = make_distribution_bars(ws.names, ws.p, ws.q)
chart(fig, f"p and q over {ws.k} classes. H(p) = {fmt(h_p, ws)}, H(p, q) = {fmt(h_pq, ws)}, "
           f"KL(p ‖ q) = {fmt(kl, ws)}.", key="home_bars")

st.subheader("The lessons")
st.markdown(
    """
| Lesson | What you will see |
|---|---|
| **Surprisal** | Why a rare event carries more information: $h(x) = -\\log q(x)$ |
| **Entropy** | The average surprise of p, and why uniform is the most uncertain |
| **Cross-entropy and KL** | Frequencies from p, code lengths from q; $H(p,q) = H(p) + \\mathrm{KL}(p\\,\\|\\,q)$ |
| **The one-hot loss** | How the classifier loss reduces to $-\\log q(\\text{true class})$ |
| **Bits on the wire** | Sending real messages with a code built for q |
"""
)
