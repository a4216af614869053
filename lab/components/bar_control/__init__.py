"""A lesson control of N draggable bars with the chart it drives (``st.components.v2``).

The learner grabs the bar of one value (a logit z_i, a class weight w_c) and drags it; the chart
beside the bars, the numbers under them and the readouts follow while the pointer moves. The
module (``bar_control.js``, one ES module, no build step) computes nothing: the page sends a
table with one row per (bar b, grid position g), row ``b * G + g``, and a last row for the state
as it is, computed by ce_core in one batched call (``ce_core.bar_tables``). The chart uses the
layers of :mod:`lab.components.live_chart` (``bars``, ``hline``) with one row per table row.

Each value lives in ``st.session_state[keys[i]]`` and in the URL (``?key=value`` when it differs
from its default), as a live slider's does: a link's value is read on the session's first run;
one that is not a grid position is left for ``lab.link_check.check_link`` to report while the default
applies. On release the module sends ``{"bar": b, "g": g}`` once (a trigger value); the callback
sets the value before the rerun, so inside an ``st.fragment`` only the fragment reruns.
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
from lab.figures import live

NAME = "cross_entropy_lab_bar_control"
component = component_of(NAME, __file__)


def component_key(key: str) -> str:
    """The component's own key (its trigger state lives there; the values live under ``keys``)."""
    return f"bc_{key}"


def bar_values(keys: Sequence[str], grid, defaults: Sequence[float]) -> tuple[float, ...]:
    """The values as the page uses them (session state, set from the URL on the first run)."""
    grid = np.asarray(grid, dtype=float)
    return tuple(current_value(k, grid, float(d)) for k, d in zip(keys, defaults, strict=True))


def hline(
    name: str,
    ys,
    style: str | dict,
    *,
    label: str | None = None,
    label_readout: str | None = None,
    below: bool = False,
) -> dict:
    """A horizontal line per row; ``label`` ("mean {}") is written at its left end (above it, or
    ``below``) with a readout's text in place of ``{}``."""
    out = live.hline(name, ys, style, legend=True)
    out["below"] = bool(below)
    if label is not None:
        out["label"] = label
        out["label_readout"] = label_readout
    return out


def _tick(value: float) -> str:
    return f"{float(value):g}".replace("-", "−")


def _fill(template: str, texts: dict[str, str]) -> str:
    for name, text in texts.items():
        template = template.replace("{" + name + "}", text)
    return template


def bar_control(
    label: str,
    names: Sequence[str],
    grid,
    *,
    key: str,
    keys: Sequence[str],
    defaults: Sequence[float],
    chart: dict | None = None,
    caption: str | None = None,
    readouts: Sequence[dict] = (),
    sub: dict | None = None,
    value_name: str = "value",
    bar_prefix: str = "",
    zero: float = 0.0,
    digits: int = 1,
    value_text: Callable[[float], str] | None = None,
    hint: str = "Drag a bar, or focus it and use the arrow keys.",
    on_change: Callable[[int, float], None] | None = None,
    presenter: bool | None = None,
) -> tuple[float, ...]:
    """Mount the bars with their chart; return the values (``st.session_state[keys[i]]``).

    ``chart`` is an :func:`lab.components.live_chart.chart_spec` whose per-row layers have
    ``len(names) * len(grid) + 1`` rows; ``caption`` is one template where ``{name}`` is
    replaced by readout ``name``'s text, ``{values}`` by the bar values and ``{sub}`` by the
    numbers under the bars. ``readouts`` hold one text per row. A bar's value is written with
    ``digits`` decimals, or by ``value_text(v)``. ``sub`` (optional), from
    :func:`sub_numbers`: a number under each bar per row (for example the gradient).
    """
    grid = np.asarray(grid, dtype=float)
    n = len(names)
    if n < 1 or len(keys) != n or len(defaults) != n:
        raise ValueError(f"{label}: one key and one default per bar")
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.diff(grid) > 0):
        raise ValueError(f"{label}: the grid must be increasing, with at least two positions")
    rows = n * grid.size + 1
    defaults = [float(grid[grid_index(grid, d)]) for d in defaults]
    values = bar_values(keys, grid, defaults)
    for k, v, d in zip(keys, values, defaults, strict=True):
        write_url(k, v, d)
    current = [grid_index(grid, v) for v in values]
    for layer in (chart or {}).get("layers", []):
        if layer.get("rows") is not None and layer["rows"] != rows:
            raise ValueError(f"{label}: {layer['name']!r} has {layer['rows']} rows for {rows} table rows")
    for item in readouts:
        if len(item["text"]) != rows:
            raise ValueError(f"{label}: readout {item['name']!r} needs one text per table row ({rows})")
    if sub is not None and sub["rows"] != rows:
        raise ValueError(f"{label}: the numbers under the bars need {rows} rows")
    if presenter is None:
        presenter = bool(st.session_state.get("presenter", False))
    if chart is not None:
        chart = {**chart, "caption": caption}
    texts = [f"{v:.{digits}f}" if value_text is None else value_text(float(v)) for v in grid]
    layout_id = "/".join(
        [
            key,
            label,
            str(grid.size),
            str(presenter),
            *names,
            *(layer["name"] + layer["kind"] for layer in (chart or {}).get("layers", [])),
            *(item["name"] + item["label"] for item in readouts),
            (chart or {}).get("x_label", ""),
            (chart or {}).get("y_label", ""),
            "" if sub is None else sub["label"],
        ]
    )
    data = {
        "key": key,
        "keys": list(keys),
        "label": label,
        "hint": hint,
        "names": list(names),
        "values": [float(v) for v in grid],
        "value_text": texts,
        "min": float(grid[0]),
        "max": float(grid[-1]),
        "zero": float(zero),
        "min_label": _tick(grid[0]),
        "max_label": _tick(grid[-1]),
        "zero_label": _tick(zero),
        "current": current,
        "value_name": value_name,
        "bar_prefix": bar_prefix,
        "chart": chart,
        "readouts": list(readouts),
        "sub": sub,
        "presenter": presenter,
        "layout_id": layout_id,
    }

    def _callback() -> None:
        state = st.session_state.get(component_key(key)) or {}
        edit = state.get("edit") if hasattr(state, "get") else None
        if not isinstance(edit, dict):
            return
        bar, g = edit.get("bar"), edit.get("g")
        if isinstance(bar, int) and isinstance(g, int) and 0 <= bar < n and 0 <= g < grid.size:
            st.session_state[keys[bar]] = float(grid[g])
            if on_change is not None:
                on_change(bar, float(grid[g]))

    with st.container(key=f"live_{key}"):
        component()(key=component_key(key), data=data, on_edit_change=_callback, width="stretch")
    if chart:  # the page's "Download this lesson's numbers" reads every chart of the run
        now = {item["name"]: item["text"][-1] for item in readouts}
        now["values"] = ", ".join(texts[g] for g in current)
        last = ()
        if sub is not None:
            last = live.decode_table(sub["values"])[-n:]
            now["sub"] = ", ".join(
                f"{name} {v:+.{sub['digits']}f}" for name, v in zip(names, last, strict=True)
            )
        caption = _fill(chart.get("caption") or label, now)
        traces = live.export_traces(chart, rows - 1)
        if sub is not None:  # the numbers under the bars are part of the lesson's numbers too
            traces.append(
                SimpleNamespace(
                    name=sub["label"], type="bars", x=[float(i) for i in range(n)], y=[float(v) for v in last]
                )
            )
        st.session_state.setdefault(state_keys.CHARTS, {})[key] = (caption, SimpleNamespace(data=traces))
    return values


def sub_numbers(label: str, values, digits: int = 3) -> dict:
    """Numbers written under the bars, one row of N per table row (shown as ``+0.123``)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError("the numbers under the bars need one row of N values per table row")
    return {
        "label": label,
        "values": live.encode_table(values),
        "rows": int(values.shape[0]),
        "digits": int(digits),
    }
