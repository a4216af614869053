"""A lesson control with the chart it drives, live while dragging (``st.components.v2``).

``live_slider(label, grid, key=..., default=..., chart=..., readouts=...)`` reads like a widget:
it returns the value, keeps it in ``st.session_state[key]`` and in the URL (``?key=value`` when it
differs from the default; a link's value is read and checked on the session's first run, and a
bad one is left for ``lab.link_check.check_link`` to report while the default applies).

The module (``live_chart.js``, one ES module, no build step) draws a slider and, right under
it, an SVG chart whose parameter-dependent parts are tables over the grid: a page computes them
with ce_core in one batched call (``ce_core.live``) and passes them as layers built with
:mod:`lab.figures.live` (``line``, ``curve``, ``point``, ``segment``, ``vline``, ``hline``,
``bars``) in a ``chart_spec``. A control may draw several charts (``more_charts=[...]``, each a
``chart_spec`` of its own rows, log axes with ``x_log``/``y_log``), all following the one slider;
and readouts: ``readout(name, label, texts)`` with one text per position (the page formats
them, so the live text is the text the page shows after release). On release the module sends
the grid index once (a trigger value); the callback sets ``st.session_state[key]`` before the
rerun, so inside an ``st.fragment`` only the fragment reruns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace

import numpy as np
import streamlit as st

from ce_core.live import grid_index
from lab import state_keys
from lab.components.registry import component_of
from lab.components.url_state import current_value, write_url
from lab.figures.live import export_traces

NAME = "cross_entropy_lab_live_chart"
component = component_of(NAME, __file__)


def component_key(key: str) -> str:
    """The component's own key (its trigger state lives there; the value lives under ``key``)."""
    return f"lc_{key}"


def live_slider(
    label: str,
    grid,
    *,
    key: str,
    default: float,
    chart: dict | None = None,
    more_charts: Sequence[dict | None] = (),
    readouts: Sequence[dict] = (),
    value_text: Sequence[str] | None = None,
    digits: int = 2,
    hint: str = "Drag, or focus and use the arrow keys.",
    on_change: Callable[[float], None] | None = None,
    presenter: bool | None = None,
) -> float:
    """Mount the control with its chart (and ``more_charts`` under it); return the value (``st.session_state[key]``).

    Every chart is drawn from its own rows, one per grid position, as the first; a ``None`` in
    ``more_charts`` is left out.
    """
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.diff(grid) > 0):
        raise ValueError(f"{label}: the grid must be increasing, with at least two positions")
    default = float(grid[grid_index(grid, default)])
    value = current_value(key, grid, default)
    write_url(key, value, default)
    g = grid_index(grid, value)
    texts = [f"{v:.{digits}f}" for v in grid] if value_text is None else [str(t) for t in value_text]
    if len(texts) != grid.size:
        raise ValueError(f"{label}: value_text needs one text per grid position")
    charts = [c for c in (chart, *more_charts) if c]
    for spec in charts:
        for layer in spec.get("layers", []):
            if layer["kind"] != "line" and layer.get("rows") is not None and layer["rows"] != grid.size:
                raise ValueError(
                    f"{label}: {layer['name']!r} has {layer['rows']} rows for {grid.size} grid positions"
                )
        if spec.get("caption") is not None and len(spec["caption"]) != grid.size:
            raise ValueError(f"{label}: the chart caption needs one text per grid position")
    for item in readouts:
        if len(item["text"]) != grid.size:
            raise ValueError(f"{label}: readout {item['name']!r} needs one text per grid position")
    if presenter is None:
        presenter = bool(st.session_state.get("presenter", False))
    layout_id = "/".join(
        [
            key,
            label,
            str(grid.size),
            str(presenter),
            str(len(charts)),
            *(layer["name"] + layer["kind"] for spec in charts for layer in spec.get("layers", [])),
            *(item["name"] + item["label"] for item in readouts),
            *(spec.get("x_label", "") + spec.get("y_label", "") for spec in charts),
        ]
    )
    names = [spec.get("key") or (key if i == 0 else f"{key}_{i}") for i, spec in enumerate(charts)]
    data = {
        "key": key,
        "label": label,
        "hint": hint,
        "n": int(grid.size),
        "index": g,
        "values": [float(v) for v in grid],
        "value_text": texts,
        "min": float(grid[0]),
        "max": float(grid[-1]),
        "min_label": texts[0],
        "max_label": texts[-1],
        # the first chart as before (None: the control only), further ones under it
        "chart": {**charts[0], "key": names[0]} if charts else None,
        "more_charts": [{**spec, "key": name} for spec, name in zip(charts[1:], names[1:], strict=True)],
        "readouts": list(readouts),
        "presenter": presenter,
        "layout_id": layout_id,
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
    for spec, name in zip(
        charts, names, strict=True
    ):  # the page's "Download this lesson's numbers" reads them
        caption = spec["caption"][g] if spec.get("caption") else label
        st.session_state.setdefault(state_keys.CHARTS, {})[name] = (
            caption,
            SimpleNamespace(data=export_traces(spec, g)),
        )
    return value
