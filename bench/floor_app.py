"""The floor page for bench/latency.py: one slider and one number, nothing else.

Whatever a lesson page costs beyond this is the price of its charts and text; the bench
prints every page's timings as a ratio to this page's, measured in the same run.
"""

import streamlit as st

x = st.slider("x", 0.0, 1.0, value=0.5, step=0.01, key="floor_x")
st.metric("x squared", f"{x * x:.4f}")
