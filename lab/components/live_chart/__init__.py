"""A lesson control with the chart it drives, live while dragging (``st.components.v2``).

``live_slider(label, grid, key=..., default=..., chart=..., readouts=...)`` reads like a widget:
it returns the value, keeps it in ``st.session_state[key]`` and in the URL (``?key=value`` when it
differs from the default; a link's value is read and checked on the session's first run, and a
bad one is left for ``lab.links.check_link`` to report while the default applies).

The module (``live_chart.js``, one ES module, no build step) draws a slider and, right under
it, an SVG chart whose parameter-dependent parts are tables over the grid: a page computes them
with ce_core in one batched call (``ce_core.live``) and passes them as layers:

- ``line(name, x, y, style)``: a static curve;
- ``curve(name, x, ys, style)``: a curve per grid position (``ys`` has one row per position);
- ``point(name, xs, ys, style, labels=...)``: a marker at per-position coordinates (a value above
  the axis is drawn as a triangle at the top edge);
- ``segment(name, x0, y0, x1, y1, style)``, ``vline(name, xs, style)``, ``hline(name, ys, style)``:
  lines at per-position coordinates (NaN: not drawn at that position);

``bars(name, x, ys, style)``: bars at categories (one row, or one row per position). A control may
draw several charts (``more_charts=[...]``, each a ``chart_spec`` of its own rows, log axes with
``x_log``/``y_log``), all following the one slider;
and readouts: ``readout(name, label, texts)`` with one text per position (the page formats
them, so the live text is the text the page shows after release). On release the module sends
the grid index once (a trigger value); the callback sets ``st.session_state[key]`` before the
rerun, so inside an ``st.fragment`` only the fragment reruns.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import streamlit as st

from ce_core.live import grid_index
from lab.components.registry import register

_HERE = Path(__file__).resolve().parent
NAME = "cross_entropy_lab_live_chart"

#: Line styles by role, as lab/figures/theme.py (p solid blue, q dashed orange).
STYLES = {
    "p": {"color": "#0072B2", "dash": "solid", "width": 3},
    "q": {"color": "#E69F00", "dash": "dash", "width": 3},
    "loss": {"color": "#D55E00", "dash": "solid", "width": 3},
    "other": {"color": "#6B6B6B", "dash": "dot", "width": 2},
    "squared": {"color": "#56B4E9", "dash": "dashdot", "width": 2.5},
    "absolute": {"color": "#CC79A7", "dash": "longdash", "width": 2.5},
    "tangent": {"color": "#262730", "dash": "solid", "width": 2},
    "guide": {"color": "#6B6B6B", "dash": "dot", "width": 1.5},
    "entropy": {"color": "#009E73", "dash": "solid", "width": 3},
}


def component():
    """The registered component (registered once per process, under a lock)."""
    return register(NAME, _HERE, "live_chart")


def _b64(values) -> str:
    return base64.b64encode(np.ascontiguousarray(np.asarray(values, dtype="<f8")).tobytes()).decode("ascii")


def _style(style: str | dict) -> dict:
    return dict(STYLES[style]) if isinstance(style, str) else dict(style)


def line(name: str, x, y, style: str | dict, *, legend: bool = True) -> dict:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"line {name!r}: x and y must be 1-D of one length (got {x.shape}, {y.shape})")
    return {"kind": "line", "name": name, "style": _style(style), "legend": legend, "x": _b64(x), "y": _b64(y),
            "n": int(x.size)}


#: The largest magnitude a float32 holds (a curve sent as float32 must stay below it).
_F32_MAX = float(np.finfo(np.float32).max)


def curve(name: str, x, ys, style: str | dict, *, legend: bool = True, f32: bool = False) -> dict:
    """A curve per grid position. ``f32=True`` sends its table as float32 (half the bytes of a release's
    rerun; about 7 digits, far below a pixel): for tables of moderate values (|y| < 3.4e38; inf and NaN kept)."""
    x, ys = np.asarray(x, float), np.asarray(ys, float)
    if ys.ndim != 2 or ys.shape[1] != x.size:
        raise ValueError(f"curve {name!r}: ys needs one row of len(x) values per grid position (got {ys.shape})")
    out = {"kind": "curve", "name": name, "style": _style(style), "legend": legend, "x": _b64(x), "rows": int(ys.shape[0])}
    if f32:
        finite = ys[np.isfinite(ys)]
        if finite.size and float(np.abs(finite).max()) > _F32_MAX:
            raise ValueError(f"curve {name!r}: values beyond float32's range cannot be sent as float32")
        out["y"] = base64.b64encode(np.ascontiguousarray(ys, dtype="<f4").tobytes()).decode("ascii")
        out["y_f32"] = True
    else:
        out["y"] = _b64(ys)
    return out


def point(name: str, xs, ys, style: str | dict, *, symbol: str = "circle", labels: Sequence[str] | None = None,
          legend: bool = True, size: float = 0.45) -> dict:
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError(f"point {name!r}: xs and ys need one value per grid position")
    out = {"kind": "point", "name": name, "style": {**_style(style), "symbol": symbol, "size": size},
           "legend": legend, "x": _b64(xs), "y": _b64(ys), "rows": int(xs.size)}
    if labels is not None:
        out["labels"] = [str(t) for t in labels]
    return out


def bars(name: str, x, ys, style: str | dict, *, width: float = 0.35, offset: float = 0.0,
         legend: bool = True) -> dict:
    """Bars at category positions ``x``: ``ys`` one row (static) or one row per grid position."""
    x, ys = np.asarray(x, float), np.asarray(ys, float)
    if ys.ndim == 1:
        if ys.shape != x.shape:
            raise ValueError(f"bars {name!r}: one height per category")
        rows = None
    elif ys.ndim == 2 and ys.shape[1] == x.size:
        rows = int(ys.shape[0])
    else:
        raise ValueError(f"bars {name!r}: ys needs one row of len(x) heights (per grid position)")
    return {"kind": "bars", "name": name, "style": _style(style), "legend": legend, "x": _b64(x), "y": _b64(ys),
            "rows": rows, "bar_width": float(width), "offset": float(offset)}


def segment(name: str, x0, y0, x1, y1, style: str | dict, *, legend: bool = True) -> dict:
    arrays = [np.asarray(a, float) for a in (x0, y0, x1, y1)]
    return {"kind": "segment", "name": name, "style": _style(style), "legend": legend,
            **{k: _b64(a) for k, a in zip(("x0", "y0", "x1", "y1"), arrays, strict=True)},
            "rows": int(arrays[0].size)}


def vline(name: str, xs, style: str | dict, *, legend: bool = False) -> dict:
    xs = np.asarray(xs, float)
    return {"kind": "vline", "name": name, "style": _style(style), "legend": legend, "x": _b64(xs), "rows": int(xs.size)}


def hline(name: str, ys, style: str | dict, *, legend: bool = False) -> dict:
    ys = np.asarray(ys, float)
    return {"kind": "hline", "name": name, "style": _style(style), "legend": legend, "y": _b64(ys), "rows": int(ys.size)}


def readout(name: str, label: str, texts: Sequence[str]) -> dict:
    return {"name": name, "label": label, "text": [str(t) for t in texts]}


def ticks(values: Sequence[float], digits: int | None = None) -> list[list]:
    """Axis ticks as [value, label] pairs."""
    out = []
    for v in values:
        v = float(v)
        label = f"{v:.{digits}f}" if digits is not None else f"{v:g}"
        out.append([v, label.replace("-", "−")])
    return out


def chart_spec(layers: Sequence[dict], *, x_range: tuple[float, float], y_range: tuple[float, float],
               x_label: str, y_label: str, x_ticks: list, y_ticks: list, title: str = "",
               caption: Sequence[str] | None = None, height_rem: float = 22, x_log: bool = False,
               y_log: bool = False, key: str | None = None) -> dict:
    """A chart of the control. ``key`` names it in the page's CSV export (and ``data-chart`` in the page);
    the first chart of a control defaults to the control's key, a further one to ``<key>_<i>``."""
    if x_log and min(x_range) <= 0:
        raise ValueError(f"a log x axis needs a positive range (got {x_range!r})")
    if y_log and min(y_range) <= 0:
        raise ValueError(f"a log y axis needs a positive range (got {y_range!r})")
    return {"layers": list(layers), "x_range": [float(x_range[0]), float(x_range[1])], "x_log": bool(x_log),
            "y_range": [float(y_range[0]), float(y_range[1])], "y_log": bool(y_log), "x_label": x_label,
            "y_label": y_label, "x_ticks": x_ticks, "y_ticks": y_ticks, "title": title, "height_rem": height_rem,
            "caption": None if caption is None else [str(c) for c in caption], "key": key}


def component_key(key: str) -> str:
    """The component's own key (its trigger state lives there; the value lives under ``key``)."""
    return f"lc_{key}"


def _decoded(b64: str, f32: bool = False) -> np.ndarray:
    if f32:  # each value as the shortest decimal that reads back as the same float32 (no 0.30000001192...)
        return np.array([float(str(v)) for v in np.frombuffer(base64.b64decode(b64), "<f4")], dtype=float)
    return np.frombuffer(base64.b64decode(b64), "<f8")


def export_traces(chart: dict, g: int) -> list[SimpleNamespace]:
    """The chart as drawn at position g, as (name, x, y) traces for the page's CSV export."""
    out = []
    for layer in chart.get("layers", []):
        kind, name = layer["kind"], layer["name"]
        if kind == "line":
            x, y = _decoded(layer["x"]), _decoded(layer["y"])
        elif kind in ("curve", "bars"):
            x = _decoded(layer["x"])
            y = _decoded(layer["y"]) if not layer.get("y_f32") else None
            if layer.get("y_f32"):  # the row shown only
                raw = np.frombuffer(base64.b64decode(layer["y"]), "<f4")[g * x.size:(g + 1) * x.size]
                y = np.array([float(str(v)) for v in raw], dtype=float)
            elif layer.get("rows"):
                y = y[g * x.size:(g + 1) * x.size]
        elif kind == "point":
            x, y = _decoded(layer["x"])[g:g + 1], _decoded(layer["y"])[g:g + 1]
        elif kind == "segment":
            x = np.array([_decoded(layer["x0"])[g], _decoded(layer["x1"])[g]])
            y = np.array([_decoded(layer["y0"])[g], _decoded(layer["y1"])[g]])
        elif kind == "vline":
            x, y = _decoded(layer["x"])[g:g + 1], np.array([])
        else:  # hline
            x, y = np.array([]), _decoded(layer["y"])[g:g + 1]
        out.append(SimpleNamespace(name=name, type=kind, x=x.tolist(), y=y.tolist()))
    return out


# ---- state: session and URL --------------------------------------------------------------------

def url_text(value: float) -> str:
    """How a value is written in the URL: the shortest text that reads back as the same float."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _from_url(key: str, grid: np.ndarray, default: float) -> float:
    """The link's value for ``key`` if it is a grid position, else the default.

    A value that is not taken stays in ``_raw_params``; ``lab.links.check_link`` lists it in its
    warning ("... is not a valid value (kept ...)") and removes it from the address bar.
    """
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        return float(grid[grid_index(grid, raw)])
    except ValueError:
        return default


def current_value(key: str, grid, default: float) -> float:
    """The control's value as the page uses it: session state (set from the URL on the first run)."""
    grid = np.asarray(grid, dtype=float)
    ss = st.session_state
    if key not in ss:
        ss[key] = _from_url(key, grid, default)
    try:
        return float(grid[grid_index(grid, ss[key])])
    except ValueError:  # a value written by other code that is not a position: keep the default
        ss[key] = default
        return float(default)


def _write_url(key: str, value: float, default: float) -> None:
    params = st.query_params
    if math.isclose(value, default, rel_tol=1e-9, abs_tol=0.0):
        if key in params:
            del params[key]
    elif params.get(key) != url_text(value):
        params[key] = url_text(value)


def live_slider(label: str, grid, *, key: str, default: float, chart: dict | None = None,
                more_charts: Sequence[dict | None] = (), readouts: Sequence[dict] = (), value_text: Sequence[str] | None = None, digits: int = 2,
                hint: str = "Drag, or focus and use the arrow keys.", on_change: Callable[[float], None] | None = None,
                presenter: bool | None = None) -> float:
    """Mount the control with its chart (and ``more_charts`` under it); return the value (``st.session_state[key]``).

    Every chart is drawn from its own rows, one per grid position, as the first; a ``None`` in
    ``more_charts`` is left out.
    """
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.diff(grid) > 0):
        raise ValueError(f"{label}: the grid must be increasing, with at least two positions")
    default = float(grid[grid_index(grid, default)])
    value = current_value(key, grid, default)
    _write_url(key, value, default)
    g = grid_index(grid, value)
    texts = [f"{v:.{digits}f}" for v in grid] if value_text is None else [str(t) for t in value_text]
    if len(texts) != grid.size:
        raise ValueError(f"{label}: value_text needs one text per grid position")
    charts = [c for c in (chart, *more_charts) if c]
    for spec in charts:
        for layer in spec.get("layers", []):
            if layer["kind"] != "line" and layer.get("rows") is not None and layer["rows"] != grid.size:
                raise ValueError(f"{label}: {layer['name']!r} has {layer['rows']} rows for {grid.size} grid positions")
        if spec.get("caption") is not None and len(spec["caption"]) != grid.size:
            raise ValueError(f"{label}: the chart caption needs one text per grid position")
    for item in readouts:
        if len(item["text"]) != grid.size:
            raise ValueError(f"{label}: readout {item['name']!r} needs one text per grid position")
    if presenter is None:
        presenter = bool(st.session_state.get("presenter", False))
    layout_id = "/".join([key, label, str(grid.size), str(presenter), str(len(charts)),
                          *(layer["name"] + layer["kind"] for spec in charts for layer in spec.get("layers", [])),
                          *(item["name"] + item["label"] for item in readouts),
                          *(spec.get("x_label", "") + spec.get("y_label", "") for spec in charts)])
    names = [spec.get("key") or (key if i == 0 else f"{key}_{i}") for i, spec in enumerate(charts)]
    data = {
        "key": key, "label": label, "hint": hint, "n": int(grid.size), "index": g,
        "values": [float(v) for v in grid], "value_text": texts,
        "min": float(grid[0]), "max": float(grid[-1]), "min_label": texts[0], "max_label": texts[-1],
        # the first chart as before (None: the control only), further ones under it
        "chart": {**charts[0], "key": names[0]} if charts else None,
        "more_charts": [{**spec, "key": name} for spec, name in zip(charts[1:], names[1:], strict=True)],
        "readouts": list(readouts), "presenter": presenter, "layout_id": layout_id,
    }

    def _callback() -> None:
        state = st.session_state.get(component_key(key)) or {}
        pick = state.get("pick") if hasattr(state, "get") else None
        if isinstance(pick, dict) and isinstance(pick.get("g"), int) and 0 <= pick["g"] < grid.size:
            new = float(grid[pick["g"]])
            st.session_state[key] = new
            if on_change is not None:
                on_change(new)

    with st.container(key=f"live_{key}"):
        component()(key=component_key(key), data=data, on_pick_change=_callback, width="stretch")
    for spec, name in zip(charts, names, strict=True):  # the page's "Download this lesson's numbers" reads them
        caption = spec["caption"][g] if spec.get("caption") else label
        st.session_state.setdefault("_charts", {})[name] = (caption, SimpleNamespace(data=export_traces(spec, g)))
    return value
