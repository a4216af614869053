"""A second reference page for bench/latency.py: the floor page plus one small Plotly chart.

One slider, one number and a three-bar chart that follows the slider. The chart is as plain
as Plotly gets (one bar trace, no labels, no template, Streamlit's theme off), so the row
shows what any chart that changes on a key press costs in the browser before a lesson adds
anything of its own.
"""

import plotly.graph_objects as go
import streamlit as st

x = st.slider("x", 0.0, 1.0, value=0.5, step=0.01, key="floor_x")
st.metric("x squared", f"{x * x:.4f}")
st.plotly_chart(
    go.Figure({"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [x, 1 - x, x * x]}]}, _validate=False),
    key="floor_chart",
    theme=None,
)
