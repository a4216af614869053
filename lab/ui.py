"""Page furniture shared by every lesson: header, notices, charts, numbers, source."""

from __future__ import annotations

import inspect
import math
import re

import plotly.graph_objects as go
import streamlit as st

from ce_core.figures.theme import presenter_scale
from lab.workspace import Workspace, current

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def page_header(title: str, intro: str) -> Workspace:
    """Title, two or three sentences of story, the workspace notices; returns the workspace."""
    ws = current()
    st.title(title)
    st.markdown(intro)
    for notice in ws.notices:
        st.warning(notice, icon=":material/info:")
    return ws


def presenter_on() -> bool:
    return bool(st.session_state.get("presenter", False))


def chart(fig: go.Figure, caption: str, *, key: str) -> None:
    """Show a figure with its one-line caption (the text alternative of the chart)."""
    if presenter_on():
        presenter_scale(fig)
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": slug}}
    st.plotly_chart(fig, key=key, config=config, alt=caption)
    st.caption(caption)


def fmt(value: float, ws: Workspace | None = None, digits: int = 4) -> str:
    """A number in the workspace unit: ``'0.6920 bits'``, ``'∞ bits'``."""
    unit = (ws or current()).unit
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if math.isinf(value):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"


def show_source(*functions, label: str = "Show the code behind this") -> None:
    """An expander that prints the real ce_core functions used on the page."""
    with st.expander(label, icon=":material/code:"):
        for func in functions:
            st.code(inspect.getsource(func), language="python")
