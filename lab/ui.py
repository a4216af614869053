"""Page furniture shared by every lesson: header, notices, charts, numbers, source."""

from __future__ import annotations

import base64
import csv
import functools
import inspect
import io
import math
import re

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from lab import state_keys
from lab.figures.theme import presenter_scale
from lab.workspace import Workspace, class_settings, current
from lab.workspace import editor as workspace_editor

#: The logarithm of each unit, as LaTeX.
LATEX_LOG = {"bits": r"\log_2", "nats": r"\ln", "hartleys": r"\log_{10}"}

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def page_header(
    title: str, intro: str, *, editor: str | None = None, dists: str = "pq", classes: bool = False
) -> Workspace:
    """Title, two or three sentences of story, then (on lessons that read p and q) the p/q editor.

    ``editor`` names the picture the editor draws beside its bars ("area" or "surprisal"; "" for
    bars and readouts only); None means the page does not use p and q and shows no editor.
    ``classes`` shows only the class count and names (a lesson over the classes, not p and q).
    """
    ensure_app_run()
    ws = current()
    st.title(title)
    with st.container(key="prose_intro"):  # presenter mode hides it (lab.view.PRESENTER_CSS)
        st.markdown(intro)
    for notice in ws.notices:
        st.warning(notice, icon=":material/info:")
    if editor is not None:
        workspace_editor(picture=editor or None, dists=dists)
    elif classes:
        class_settings()
    return ws


def ensure_app_run() -> None:
    """Rerun through app.py if this page was started on its own.

    Streamlit runs the very first script of a server process in its old multipage mode when
    the app folder holds `pages/` and the first visitor opens a lesson's link directly: the
    page runs alone, without app.py's navigation, sidebar and link check. The rerun lands on
    the same page (st.Page hashes the url_path, as the old mode does), this time through app.py.
    """
    if st.session_state.pop(state_keys.VIA_APP, False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    # What app.py's st.navigation would have done for the process; the old mode never does it.
    PagesManager.uses_pages_directory = False
    if not st.session_state.get(state_keys.REROUTED):  # once per session: never a rerun loop
        st.session_state[state_keys.REROUTED] = True
        st.rerun()


def presenter_on() -> bool:
    return bool(st.session_state.get("presenter", False))


def prose(markdown: str) -> None:
    """Explanatory text that presenter mode hides (the teacher says it instead)."""
    if not presenter_on():
        st.markdown(markdown)


def chart(fig: go.Figure, caption: str, *, key: str) -> None:
    """Show a figure with its one-line caption (the text alternative of the chart).

    Figures may come from ``st.cache_resource`` (shared by every session), so presenter mode
    scales a copy, never the figure it was given.
    """
    if presenter_on():
        fig = presenter_scale(go.Figure(fig.to_dict()))  # to_dict: a PreparedFigure keeps its frames there
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": slug},
    }
    # theme=None: the lab's own template (lab.figures.theme) is what the learner sees. Streamlit's
    # theme would repaint unset text colours in a grey (#808495, 3.7:1 on white) below WCAG AA.
    st.plotly_chart(fig, key=key, config=config, alt=caption, theme=None)
    st.caption(caption)
    st.session_state.setdefault(state_keys.CHARTS, {})[key] = (caption, fig)


def fmt(value: float, ws: Workspace | None = None, digits: int = 4) -> str:
    """A number in the workspace unit: ``'0.6920 bits'``, ``'∞ bits'``."""
    unit = (ws or current()).unit
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if math.isinf(value):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"


def bound(key: str) -> dict[str, str]:
    """A lesson widget's keyword arguments: its key, bound to the URL and kept for the session."""
    return {"key": key, "bind": "query-params", "persist_state": "session"}


def class_select(container, label: str, ws: Workspace, *, key: str, default: int, help: str | None = None):
    """A selectbox of the workspace's classes (shown by name), bound to the URL."""
    return container.selectbox(
        label, range(ws.k), index=default, format_func=lambda i: ws.names[i], help=help, **bound(key)
    )


def seed_input(container, label: str, *, key: str, maximum: int = 9999, help: str | None = None) -> int:
    """A whole-number seed bound to the URL.

    Drawn as a float input shown without decimals: Streamlit 1.67 crashes while seeding an
    *integer* number_input from a link holding a huge number (int(inf)); a float input just
    ignores it, and the link check reports it.
    """
    value = container.number_input(
        label,
        0.0,
        float(maximum),
        0.0,
        step=1.0,
        format="%.0f",
        **bound(key),
        help=help,
    )
    return round(value)


def start_run() -> None:
    """Forget the charts of the previous run (called by app.py before the page)."""
    st.session_state[state_keys.CHARTS] = {}


def _plain(values):
    """Trace data as a sequence: figures that went through st.cache_data hold base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return values


def charts_csv(charts: dict[str, tuple[str, go.Figure]]) -> str:
    """Every trace of every chart shown in this run, as long-format CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["chart", "trace", "index", "x", "y"])
    for key, (_caption, fig) in charts.items():
        for trace in fig.data:
            xs = _plain(getattr(trace, "x", None))
            ys = _plain(getattr(trace, "y", None))
            if xs is None and ys is None:
                continue
            xs = [] if xs is None else np.asarray(xs, dtype=object).ravel().tolist()
            ys = [] if ys is None else np.asarray(ys, dtype=object).ravel().tolist()
            name = trace.name or trace.type
            writer.writerows(
                [key, name, i, xs[i] if i < len(xs) else "", ys[i] if i < len(ys) else ""]
                for i in range(max(len(xs), len(ys)))
            )
    return out.getvalue()


def export_numbers(slug: str) -> None:
    """A download button for the chart numbers of this page (called by app.py after the page).

    The CSV is built only when the button is clicked, from the figures as they are then (a
    fragment rerun updates them in place), so it costs nothing on an ordinary rerun.
    """
    charts = st.session_state.get(state_keys.CHARTS)
    if charts:
        st.download_button(
            "Download this lesson's numbers (CSV)",
            lambda: charts_csv(charts),
            file_name=f"cross-entropy-lab-{slug}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="export_csv",
        )


@functools.cache
def _source(func) -> str:
    return inspect.getsource(func)  # reads and tokenises the file: ~1 ms, so once per process


def show_source(*functions, label: str = "Show the code behind this") -> None:
    """An expander that prints the real ce_core functions used on the page, once opened.

    The code is sent only while the expander is open: a closed expander's content is still
    drawn in the browser, and syntax-highlighting a few hundred lines cost every page load
    about a quarter of a second of the browser's main thread. Opening it reruns the page (or
    the fragment it sits in), which then draws the code; the open state is kept in the session.
    """
    key = state_keys.SOURCE_PREFIX + "_".join(
        func.__name__ for func in functions
    )  # "_": never a link parameter
    box = st.expander(label, icon=":material/code:", key=key, on_change="rerun")
    if box.open:
        with box:
            for func in functions:
                st.code(_source(func), language="python")
