"""Helpers for AppTest-based page tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


def run_page(page: str | None = None, query_params: dict[str, str] | None = None) -> AppTest:
    """Run app.py (with the sidebar), then switch to ``pages/<page>.py`` if given."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
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
