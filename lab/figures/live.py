"""Live-chart specs: what a live control's chart draws, as plain data (no Streamlit, no Plotly).

A page says what to draw; these builders say how it is sent. Each layer is a dict whose tables are
encoded once (:func:`encode_table`), with one row per position of the control's grid, so the
browser looks values up while the pointer moves and never computes a lesson's mathematics:

- ``line(name, x, y, style)``: a static curve;
- ``curve(name, x, ys, style)``: a curve per grid position (``ys`` has one row per position);
- ``point(name, xs, ys, style, labels=...)``: a marker at per-position coordinates (a value above
  the axis is drawn as a triangle at the top edge);
- ``segment(name, x0, y0, x1, y1, style)``, ``vline(name, xs, style)``, ``hline(name, ys, style)``:
  lines at per-position coordinates (NaN: not drawn at that position);
- ``bars(name, x, ys, style)``: bars at categories (one row, or one row per position);
- ``readout(name, label, texts)``: one text per position (the page formats them, so the live text
  is the text the page shows after release);
- ``chart_spec(layers, ...)``: the chart around them (ranges, log axes, ticks, caption).

Styles come from the one theme (:mod:`lab.figures.theme`): a role name (``"p"``, ``"q"``,
``"loss"``, ...) or a dict of ``color``/``dash``/``width``.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np

from lab.figures.theme import ACCENT, ENTROPY, INK, KL, LOSS, MODEL_Q, NEUTRAL, TRUE_P

#: Line styles by role, from the theme's colours (p solid blue, q dashed orange).
STYLES = {
    "p": {"color": TRUE_P, "dash": "solid", "width": 3},
    "q": {"color": MODEL_Q, "dash": "dash", "width": 3},
    "loss": {"color": LOSS, "dash": "solid", "width": 3},
    "other": {"color": NEUTRAL, "dash": "dot", "width": 2},
    "squared": {"color": ACCENT, "dash": "dashdot", "width": 2.5},
    "absolute": {"color": KL, "dash": "longdash", "width": 2.5},
    "tangent": {"color": INK, "dash": "solid", "width": 2},
    "guide": {"color": NEUTRAL, "dash": "dot", "width": 1.5},
    "entropy": {"color": ENTROPY, "dash": "solid", "width": 3},
}


def nice_ticks(top: float) -> list[float]:
    """Round tick values from 0 to ``top`` (a drawing aid)."""
    step = 10 ** np.floor(np.log10(top / 4)) if top > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if top / (m * step) <= 5:
            step = m * step
            break
    return [round(float(t), 6) for t in np.arange(0, top + 1e-9, step)]


def encode_table(values, *, f32: bool = False) -> str:
    """A table of numbers as the components receive it: little-endian float64 (or float32), base64.

    The one encoder of the lab's components (live charts, bar controls, the p/q editor): the browser
    decodes it with ``decodeTable`` of ``lab/components/shared.js``.
    """
    dtype = "<f4" if f32 else "<f8"
    return base64.b64encode(
        np.ascontiguousarray(np.asarray(values, dtype=float), dtype=dtype).tobytes()
    ).decode("ascii")


def _style(style: str | dict) -> dict:
    return dict(STYLES[style]) if isinstance(style, str) else dict(style)


def _layer(kind: str, name: str, style: str | dict, legend: bool, **fields) -> dict:
    """A layer: its kind, name, style (a role or a dict) and legend flag, then its own fields."""
    return {"kind": kind, "name": name, "style": _style(style), "legend": legend, **fields}


def line(name: str, x, y, style: str | dict, *, legend: bool = True) -> dict:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"line {name!r}: x and y must be 1-D of one length (got {x.shape}, {y.shape})")
    return _layer("line", name, style, legend, x=encode_table(x), y=encode_table(y), n=int(x.size))


#: The largest magnitude a float32 holds (a curve sent as float32 must stay below it).
_F32_MAX = float(np.finfo(np.float32).max)


def curve(name: str, x, ys, style: str | dict, *, legend: bool = True, f32: bool = False) -> dict:
    """A curve per grid position. ``f32=True`` sends its table as float32 (half the bytes of a release's
    rerun; about 7 digits, far below a pixel): for tables of moderate values (|y| < 3.4e38; inf and NaN kept)."""
    x, ys = np.asarray(x, float), np.asarray(ys, float)
    if ys.ndim != 2 or ys.shape[1] != x.size:
        raise ValueError(
            f"curve {name!r}: ys needs one row of len(x) values per grid position (got {ys.shape})"
        )
    out = _layer("curve", name, style, legend, x=encode_table(x), rows=int(ys.shape[0]))
    if f32:
        finite = ys[np.isfinite(ys)]
        if finite.size and float(np.abs(finite).max()) > _F32_MAX:
            raise ValueError(f"curve {name!r}: values beyond float32's range cannot be sent as float32")
        out["y"] = encode_table(ys, f32=True)
        out["y_f32"] = True
    else:
        out["y"] = encode_table(ys)
    return out


def point(
    name: str,
    xs,
    ys,
    style: str | dict,
    *,
    symbol: str = "circle",
    labels: Sequence[str] | None = None,
    legend: bool = True,
    size: float = 0.45,
) -> dict:
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError(f"point {name!r}: xs and ys need one value per grid position")
    marker = {**_style(style), "symbol": symbol, "size": size}
    out = _layer("point", name, marker, legend, x=encode_table(xs), y=encode_table(ys), rows=int(xs.size))
    if labels is not None:
        out["labels"] = [str(t) for t in labels]
    return out


def bars(
    name: str, x, ys, style: str | dict, *, width: float = 0.35, offset: float = 0.0, legend: bool = True
) -> dict:
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
    return _layer(
        "bars",
        name,
        style,
        legend,
        x=encode_table(x),
        y=encode_table(ys),
        rows=rows,
        bar_width=float(width),
        offset=float(offset),
    )


def segment(name: str, x0, y0, x1, y1, style: str | dict, *, legend: bool = True) -> dict:
    arrays = [np.asarray(a, float) for a in (x0, y0, x1, y1)]
    return _layer(
        "segment",
        name,
        style,
        legend,
        **{k: encode_table(a) for k, a in zip(("x0", "y0", "x1", "y1"), arrays, strict=True)},
        rows=int(arrays[0].size),
    )


def _rule(kind: str, axis: str, name: str, values, style: str | dict, legend: bool) -> dict:
    """A vertical (``axis="x"``) or horizontal (``axis="y"``) line at per-position coordinates."""
    values = np.asarray(values, float)
    return _layer(kind, name, style, legend, **{axis: encode_table(values)}, rows=int(values.size))


def vline(name: str, xs, style: str | dict, *, legend: bool = False) -> dict:
    return _rule("vline", "x", name, xs, style, legend)


def hline(name: str, ys, style: str | dict, *, legend: bool = False) -> dict:
    return _rule("hline", "y", name, ys, style, legend)


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


def chart_spec(
    layers: Sequence[dict],
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    x_label: str,
    y_label: str,
    x_ticks: list,
    y_ticks: list,
    title: str = "",
    caption: Sequence[str] | None = None,
    height_rem: float = 22,
    x_log: bool = False,
    y_log: bool = False,
    key: str | None = None,
) -> dict:
    """A chart of the control. ``key`` names it in the page's CSV export (and ``data-chart`` in the page);
    the first chart of a control defaults to the control's key, a further one to ``<key>_<i>``."""
    if x_log and min(x_range) <= 0:
        raise ValueError(f"a log x axis needs a positive range (got {x_range!r})")
    if y_log and min(y_range) <= 0:
        raise ValueError(f"a log y axis needs a positive range (got {y_range!r})")
    return {
        "layers": list(layers),
        "x_range": [float(x_range[0]), float(x_range[1])],
        "x_log": bool(x_log),
        "y_range": [float(y_range[0]), float(y_range[1])],
        "y_log": bool(y_log),
        "x_label": x_label,
        "y_label": y_label,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "title": title,
        "height_rem": height_rem,
        "caption": None if caption is None else [str(c) for c in caption],
        "key": key,
    }


def loss_chart(
    layers: Sequence[dict],
    top: float,
    *,
    x_range: tuple[float, float],
    x_label: str,
    y_label: str,
    x_ticks: list,
    **options,
) -> dict:
    """A :func:`chart_spec` with the lab's usual y axis: a loss (or surprisal, bits...) from 0 to ``top``
    with :func:`nice_ticks`; only the x axis and the ``options`` of :func:`chart_spec` differ."""
    return chart_spec(
        layers,
        x_range=x_range,
        y_range=(0.0, top),
        x_label=x_label,
        y_label=y_label,
        x_ticks=x_ticks,
        y_ticks=ticks(nice_ticks(top)),
        **options,
    )


def decode_table(b64: str, f32: bool = False, rows: slice = slice(None)) -> np.ndarray:
    """The inverse of :func:`encode_table` (``rows``: only those values, before any conversion)."""
    if f32:  # each value as the shortest decimal that reads back as the same float32 (no 0.30000001192...)
        return np.array(
            [float(str(v)) for v in np.frombuffer(base64.b64decode(b64), "<f4")[rows]], dtype=float
        )
    return np.frombuffer(base64.b64decode(b64), "<f8")[rows]


def export_traces(chart: dict, g: int) -> list[SimpleNamespace]:
    """The chart as drawn at position g, as (name, x, y) traces for the page's CSV export."""
    out = []
    for layer in chart.get("layers", []):
        kind, name = layer["kind"], layer["name"]
        if kind == "line":
            x, y = decode_table(layer["x"]), decode_table(layer["y"])
        elif kind in ("curve", "bars"):
            x = decode_table(layer["x"])
            y = decode_table(layer["y"]) if not layer.get("y_f32") else None
            if layer.get("y_f32"):  # the row shown only
                y = decode_table(layer["y"], f32=True, rows=slice(g * x.size, (g + 1) * x.size))
            elif layer.get("rows"):
                y = y[g * x.size : (g + 1) * x.size]
        elif kind == "point":
            x, y = decode_table(layer["x"])[g : g + 1], decode_table(layer["y"])[g : g + 1]
        elif kind == "segment":
            x = np.array([decode_table(layer["x0"])[g], decode_table(layer["x1"])[g]])
            y = np.array([decode_table(layer["y0"])[g], decode_table(layer["y1"])[g]])
        elif kind == "vline":
            x, y = decode_table(layer["x"])[g : g + 1], np.array([])
        else:  # hline
            x, y = np.array([]), decode_table(layer["y"])[g : g + 1]
        out.append(SimpleNamespace(name=name, type=kind, x=x.tolist(), y=y.tolist()))
    return out
