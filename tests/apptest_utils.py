"""Helpers for AppTest-based page tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


def run_page(page: str | None = None, query_params: dict[str, str] | None = None) -> AppTest:
    """Run app.py (with the sidebar), then switch to ``pages/<page>.py`` if given.

    With ``query_params``, the session is opened as a browser opens a shared link: the
    first run lands on the page with the parameters (see ``open_link``).
    """
    if query_params and page is not None:
        return open_link(page, query_params)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(page: str, query_params: dict[str, str]) -> AppTest:
    """A new session whose FIRST run is ``pages/<page>.py`` with these URL parameters.

    That is what a browser does with a link such as ``/entropy?p0=10``: the sidebar and the
    lesson's widgets are created in that first run and read the parameters together. AppTest's
    switch_page needs a run first, so we request the page's hash directly: st.Page hashes its
    url_path (``calc_hash(url_path)``), which is what st.navigation registers.
    """
    from lab.nav import LESSONS

    url_path = next(lesson.url_path for lesson in LESSONS.values() if lesson.file == f"pages/{page}.py")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query_params.items():
        at.query_params[key] = value
    if url_path:
        at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def decode(value) -> np.ndarray:
    """Plotly 7 writes NumPy arrays as base64 typed arrays; lists stay lists."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"])
    return np.asarray(value)


def chart_specs(at: AppTest) -> list[dict]:
    """Every plotly chart on the page as its JSON spec ({"data": [...], "layout": {...}})."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def trace(at: AppTest, chart_index: int, name: str) -> dict:
    """The trace called ``name`` in chart ``chart_index``."""
    data = chart_specs(at)[chart_index]["data"]
    for t in data:
        if t.get("name") == name:
            return t
    raise KeyError(f"no trace {name!r} in chart {chart_index}: {[t.get('name') for t in data]}")


def set_slider(at: AppTest, key: str, value: float) -> AppTest:
    at.slider(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
