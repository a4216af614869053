"""Helpers for AppTest-based page tests."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ce_core.information import UNITS

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


# ---- what a lesson shows --------------------------------------------------------------------
# The tests write the expected text themselves from ce_core's numbers (never the page's own
# formatting function), so a wrong format or a wrong number on the page fails.

#: The short unit names of table headers ("loss (Hart)").
SHORT_UNITS = {"bits": "bits", "nats": "nats", "hartleys": "Hart"}


def number(value: float) -> str:
    """A number as the lessons print it: four decimals, ``∞`` for infinity."""
    return "∞" if math.isinf(value) else f"{value:.4f}"


def shown(value: float, unit: str) -> str:
    """A quantity as the lessons print it: ``0.1234 bits``, ``∞ bits``."""
    return f"{number(value)} {unit}"


def metrics(at: AppTest) -> dict[str, str]:
    """The st.metric values of the run, by label."""
    return {m.label: m.value for m in at.metric}


def workspace_in_unit(at: AppTest) -> tuple[np.ndarray, np.ndarray, list[str], str, float]:
    """(p, q, names, unit, base): the session's workspace and the unit the page's control shows."""
    names, p, q = workspace(at)
    unit = at.button_group(key="unit").value
    return p, q, names, unit, UNITS[unit]


def chart_titled(at: AppTest, title: str, *, prefix: bool = False) -> dict:
    """The plotly chart (JSON spec) titled ``title``; with ``prefix``, whose title starts with it."""
    for spec in chart_specs(at):
        text = spec["layout"].get("title", {}).get("text", "")
        if text == title or (prefix and text.startswith(title)):
            return spec
    raise KeyError(title)


def spec_trace(spec: dict, name: str) -> dict:
    """The trace called ``name`` in a chart's JSON spec."""
    return next(t for t in spec["data"] if t.get("name") == name)


def assert_link_reported(at: AppTest, *bad: str, kept: tuple[str, ...] = ()) -> None:
    """The run warns that each link parameter in ``bad`` is not a valid value (naming it as
    `` `key` ``) and names none of ``kept``, the parameters of the link it could use."""
    warning = " ".join(w.value for w in at.warning)
    assert "not a valid value" in warning, warning
    for key in bad:
        assert f"`{key}`" in warning, warning
    for key in kept:
        assert key not in warning, warning


# ---- the shared p/q workspace ---------------------------------------------------------------
# The p/q editor is a custom component (st.components.v2): AppTest shows it as an unknown
# element and cannot drag it. Its state lives in st.session_state["_ws_state"]; these helpers
# read and write that state between runs, as the editor's callback does before a rerun.


def assert_bad_link_keeps_default(page: str, key: str, bad: str, default, **params: str) -> AppTest:
    """A link with ``key=bad`` (predictions off, ``params`` too) runs ``page`` with ``key`` at its default, reported."""
    at = run_page(page, query_params={"predict": "false", **params, key: bad})
    assert at.session_state[key] == default
    assert_link_reported(at, key)
    return at


def ws_state(at: AppTest) -> dict:
    """The workspace state of the session (``{"k", "names", "p", "q", "error", ...}``)."""
    from lab.workspace import STORE

    return at.session_state[STORE]


def workspace(at: AppTest) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(names, p, q) of the session's workspace, over its k classes."""
    state = ws_state(at)
    k = state["k"]
    return list(state["names"][:k]), np.array(state["p"], dtype=float), np.array(state["q"], dtype=float)


def _fresh_state(at: AppTest) -> dict:
    from lab.workspace import STORE, _state_from_link

    if STORE not in at.session_state:  # before the first run: the state a plain link opens
        at.session_state[STORE] = _state_from_link({})
    return at.session_state[STORE]


def set_workspace(at: AppTest, p=None, q=None, k=None, names=None) -> AppTest:
    """Write p, q (probabilities), the class count or names into the state, then run.

    A new ``k`` without p or q resizes the distributions as the editor's class count does
    (``lab.workspace.resize``). p and q are written as given: a test may write a bad state.
    """
    from lab.workspace import resize

    state = _fresh_state(at)
    if k is not None and k != state["k"]:
        state["p"] = tuple(float(v) for v in resize(state["p"], k))
        state["q"] = tuple(float(v) for v in resize(state["q"], k))
        state["k"] = int(k)
    for name, value in (("p", p), ("q", q)):
        if value is not None:
            state[name] = tuple(float(v) for v in value)
    if names is not None:
        for i, name in enumerate(names):
            state["names"][i] = name
    state["error"] = None
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit(at: AppTest, change: dict) -> AppTest:
    """One edit as the editor sends it (``{"kind": "drag", ...}`` or ``"type"``), then a run.

    It goes through ``lab.workspace.apply_edit``, the function the editor's callback calls.
    """
    from lab.workspace import apply_edit

    apply_edit(_fresh_state(at), change)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def drag(at: AppTest, dist: str, index: int, value: float) -> AppTest:
    """Drag bar ``index`` of ``dist`` ("p" or "q") to probability ``value`` (0.01 steps)."""
    from ce_core.editing import DRAG_STEPS

    k = _fresh_state(at)["k"]
    bar = index + (k if dist == "q" else 0)
    return edit(at, {"kind": "drag", "bar": bar, "g": round(value * DRAG_STEPS)})


def with_q_zero(page: str, index: int) -> AppTest:
    """``page`` run (predictions off) with q of class ``index`` dragged to 0, which the workspace holds."""
    at = run_page(page, query_params={"predict": "false"})
    drag(at, "q", index, 0.0)
    assert workspace(at)[2][index] == 0.0
    return at


def editor_data(at: AppTest, key: str = "pq_editor") -> dict:
    """The data the p/q editor was mounted with in the last run (names, k, dists, error...)."""
    for element in at.get("bidi_component"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.json)
    raise KeyError(f"no p/q editor {key!r} on the page")


# Lesson controls of lab.components.live_chart (also unknown elements in AppTest): the value
# lives in st.session_state[key]; the component was mounted with the whole table over the grid.
def live_data(at: AppTest, key: str) -> dict:
    """The data a live control was mounted with in the last run (grid, index, chart, readouts)."""
    from lab.components.live_chart import component_key

    return editor_data(at, key=component_key(key))


def live_readouts(at: AppTest, key: str) -> dict[str, str]:
    """The readout texts the control shows at its current position, by label."""
    data = live_data(at, key)
    return {r["label"]: r["text"][data["index"]] for r in data["readouts"]}


#: How close a curve sent as float32 (``live.curve(..., f32=True)``) is to ce_core's float64 values.
F32_RTOL = 1.2e-7  # half a float32 ulp is 2**-24 = 6e-8 of the value


def live_charts(at: AppTest, key: str) -> list[dict]:
    """Every chart of a live control: the first (``chart``), then ``more_charts``."""
    data = live_data(at, key)
    return ([data["chart"]] if data["chart"] else []) + list(data.get("more_charts") or [])


def live_chart(at: AppTest, key: str, chart_key: str) -> dict:
    """The chart of a live control named ``chart_key`` (its ``key`` in the page's export)."""
    charts = live_charts(at, key)
    for spec in charts:
        if spec.get("key") == chart_key:
            return spec
    raise KeyError(f"no chart {chart_key!r} under {key!r} (has {[c.get('key') for c in charts]})")


def live_layer(at: AppTest, key: str, name: str, chart: str | None = None) -> dict:
    """A chart layer of a live control, its arrays decoded (float64, infinities kept).

    ``chart``: the key of one of the control's charts (default: the first).
    """
    spec = live_data(at, key)["chart"] if chart is None else live_chart(at, key, chart)
    for layer in spec["layers"]:
        if layer["name"] == name:  # a curve's table may come as float32 (y_f32): read as sent, in float64
            return {
                k: (
                    np.frombuffer(
                        base64.b64decode(v), "<f4" if k == "y" and layer.get("y_f32") else "<f8"
                    ).astype(float)
                    if k in ("x", "y", "x0", "y0", "x1", "y1")
                    else v
                )
                for k, v in layer.items()
            }
    raise KeyError(f"no layer {name!r} in {[layer['name'] for layer in spec['layers']]}")


def set_live(at: AppTest, key: str, value: float) -> AppTest:
    """Move a live control as a release would (the callback writes session state, then the run)."""
    at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# Bar controls of lab.components.bar_control (unknown elements in AppTest too): value i lives in
# st.session_state[keys[i]]; the component was mounted with a table of rows b * G + g and a last
# row for the current state.
def bar_data(at: AppTest, key: str) -> dict:
    """The data a bar control was mounted with in the last run (names, grid, current, chart, readouts)."""
    from lab.components.bar_control import component_key

    return editor_data(at, key=component_key(key))


def bar_rows(data: dict) -> int:
    return len(data["names"]) * len(data["values"]) + 1


def bar_readouts(at: AppTest, key: str, row: int = -1) -> dict[str, str]:
    """The readout texts of one table row (default: the current state), by label."""
    return {r["label"]: r["text"][row] for r in bar_data(at, key)["readouts"]}


def bar_layer(at: AppTest, key: str, name: str) -> np.ndarray:
    """The y values of a chart layer of a bar control, one row per table row (a static layer: one row)."""
    data = bar_data(at, key)
    for layer in data["chart"]["layers"]:
        if layer["name"] == name:
            y = np.frombuffer(base64.b64decode(layer["y"]), "<f8")
            if layer["kind"] == "hline":  # one value per table row
                return y
            return y.reshape(bar_rows(data), -1) if layer.get("rows") else y
    raise KeyError(f"no layer {name!r} in {[layer['name'] for layer in data['chart']['layers']]}")


def bar_sub(at: AppTest, key: str) -> np.ndarray:
    """The numbers under the bars, one row of N per table row."""
    data = bar_data(at, key)
    return np.frombuffer(base64.b64decode(data["sub"]["values"]), "<f8").reshape(bar_rows(data), -1)


def drag_bar(at: AppTest, key: str, bar: int, value: float) -> AppTest:
    """Move bar ``bar`` of a bar control to ``value`` as a release does (its callback writes the
    value's session state, then the run). ``value`` must be a position of the grid."""
    from ce_core.live import grid_index

    data = bar_data(at, key)
    at.session_state[data["keys"][bar]] = data["values"][grid_index(data["values"], value)]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
