"""A figure built as plain data, turned into a ``go.Figure`` once, without Plotly's validation.

Building a figure through ``go.Figure``'s methods (``add_scatter``, ``update_layout``, ...)
validates and copies every property on every call: 10-30 ms for one small lesson chart,
most of a page's rerun. :class:`FigureSpec` offers the same method names (the subset the
lab uses) over plain dicts, and :meth:`FigureSpec.figure` wraps the result in
``go.Figure(..., _validate=False)`` (about 0.3 ms). The tests check every builder's output
against Plotly's validators (``tests/test_figure_specs.py``), so skipping validation at run
time hides no mistake.

What it understands, as ``go.Figure`` does:

- keyword arguments with "magic underscores": ``xaxis_range=[0, 1]`` is ``{"xaxis": {"range": [0, 1]}}``;
- nested updates merge into what is there (``update_layout(xaxis={"range": ...})`` keeps the axis title);
- a title given as a string is ``{"text": title}`` (Plotly.js 3 accepts only the object form);
- a template given by name is replaced by the template's data (the browser knows no names).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

#: Plotly property names that contain an underscore and must not be split.
_UNSPLIT = frozenset({"error_x", "error_y", "error_z"})


def _plain(value: Any) -> Any:
    """A private copy of nested dicts and lists (arrays are shared: builders never mutate them)."""
    if isinstance(value, Mapping):
        return {k: _normalised(k, _plain(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _normalised(key: str, value: Any) -> Any:
    if key == "title" and isinstance(value, str):
        return {"text": value}
    if key == "template" and isinstance(value, str):
        return _template(value)
    return value


_TEMPLATES: dict[str, dict] = {}


def _template(name: str) -> dict:
    if name not in _TEMPLATES:
        _TEMPLATES[name] = pio.templates[name].to_plotly_json()
    return _TEMPLATES[name]


def _nested(kwargs: Mapping[str, Any]) -> dict:
    """``{"xaxis_title_text": "p"}`` -> ``{"xaxis": {"title": {"text": "p"}}}``."""
    out: dict = {}
    for key, value in kwargs.items():
        path = [key] if key in _UNSPLIT or "_" not in key else key.split("_")
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value  # None kept: merge() reads it as "remove"
    return out


def merge(target: dict, update: Mapping[str, Any]) -> dict:
    """Merge ``update`` into ``target`` in place, dicts recursively (Plotly's update semantics)."""
    for key, value in update.items():
        if value is None:  # as in Plotly: setting a property to None removes it
            target.pop(key, None)
            continue
        value = _normalised(key, _plain(value))
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value
    return target


def _apply(target: dict, patch: Mapping[str, Any] | None, kwargs: Mapping[str, Any]) -> dict:
    """A dict argument, then keyword arguments, merged into ``target`` (Plotly's order)."""
    return merge(merge(target, patch or {}), _nested(kwargs))


class FigureSpec:
    """The data of a Plotly figure: ``data`` (traces), ``layout``, ``frames``, all plain dicts."""

    def __init__(self, layout: Mapping[str, Any] | None = None) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}
        self.frames: list[dict] = []
        if layout:
            merge(self.layout, layout)

    # traces ---------------------------------------------------------------------------------
    def add_trace(self, trace: Mapping[str, Any], **kwargs: Any) -> FigureSpec:
        self.data.append(_apply({}, trace, kwargs))
        return self

    def add_scatter(self, **kwargs: Any) -> FigureSpec:
        return self.add_trace({"type": "scatter"}, **kwargs)

    def add_bar(self, **kwargs: Any) -> FigureSpec:
        return self.add_trace({"type": "bar"}, **kwargs)

    def update_traces(
        self,
        patch: Mapping[str, Any] | None = None,
        *,
        selector: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> FigureSpec:
        for trace in self.data:
            if all(trace.get(k) == v for k, v in (selector or {}).items()):
                _apply(trace, patch, kwargs)
        return self

    # layout ---------------------------------------------------------------------------------
    def update_layout(self, patch: Mapping[str, Any] | None = None, **kwargs: Any) -> FigureSpec:
        _apply(self.layout, patch, kwargs)
        return self

    def update_xaxes(self, patch: Mapping[str, Any] | None = None, **kwargs: Any) -> FigureSpec:
        """Update every x axis of the figure (``xaxis``, ``xaxis2``, ...; at least ``xaxis``)."""
        return self._update_axes("xaxis", patch, kwargs)

    def update_yaxes(self, patch: Mapping[str, Any] | None = None, **kwargs: Any) -> FigureSpec:
        """Update every y axis of the figure (``yaxis``, ``yaxis2``, ...; at least ``yaxis``)."""
        return self._update_axes("yaxis", patch, kwargs)

    def _update_axes(self, kind: str, patch: Mapping[str, Any] | None, kwargs: dict) -> FigureSpec:
        names = {kind} | {k for k in self.layout if k.startswith(kind) and k[len(kind) :].isdigit()}
        for name in sorted(names):
            _apply(self.layout.setdefault(name, {}), patch, kwargs)
        return self

    def add_annotation(self, **kwargs: Any) -> FigureSpec:
        self.layout.setdefault("annotations", []).append(merge({}, _nested(kwargs)))
        return self

    def add_shape(self, **kwargs: Any) -> FigureSpec:
        self.layout.setdefault("shapes", []).append(merge({}, _nested(kwargs)))
        return self

    def add_vline(self, x: float, **kwargs: Any) -> FigureSpec:
        """A vertical line across the plot's height at ``x`` (as ``go.Figure.add_vline``)."""
        return self.add_shape(type="line", xref="x", yref="y domain", x0=x, x1=x, y0=0, y1=1, **kwargs)

    def add_hline(self, y: float, **kwargs: Any) -> FigureSpec:
        """A horizontal line across the plot's width at ``y`` (as ``go.Figure.add_hline``)."""
        return self.add_shape(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=y, y1=y, **kwargs)

    def add_vrect(self, x0: float, x1: float, **kwargs: Any) -> FigureSpec:
        """A band across the plot's height from ``x0`` to ``x1`` (as ``go.Figure.add_vrect``)."""
        return self.add_shape(type="rect", xref="x", yref="y domain", x0=x0, x1=x1, y0=0, y1=1, **kwargs)

    # out ------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        spec: dict = {"data": self.data, "layout": self.layout}
        if self.frames:
            spec["frames"] = self.frames
        return spec

    def figure(self) -> go.Figure:
        """The ``go.Figure``, built without validation (see the module docstring)."""
        return go.Figure(self.to_dict(), _validate=False)


def figure_from(data: list[dict], layout: Mapping[str, Any], frames: list[dict] | None = None) -> go.Figure:
    """A ``go.Figure`` from traces and layout given as dicts, without validation (names resolved)."""
    spec = FigureSpec(layout)
    spec.data = [merge({}, trace) for trace in data]
    spec.frames = [merge({}, frame) for frame in frames or []]
    return spec.figure()


class PreparedFigure(go.Figure):
    """A finished figure that is turned into JSON once: ``to_dict()`` returns that JSON every time.

    ``st.plotly_chart`` calls ``to_dict()`` (a deep copy) and then walks every array to encode
    it: 10-20 ms on every rerun for a scrub figure with 50-100 precomputed frames that never
    changes between reruns. Pages cache such figures (``st.cache_resource``) as a
    PreparedFigure, so each rerun pays for a walk over plain JSON instead. Treat it as
    read-only: to change a copy, use ``go.Figure(fig)``.
    """

    def __init__(self, fig: go.Figure) -> None:
        prepared = json.loads(pio.to_json(fig, validate=False))
        # The Python-side objects hold data and layout (for reading traces); the frames live only
        # in the JSON, which is what the browser gets (``frames`` here is empty).
        super().__init__({"data": prepared["data"], "layout": prepared["layout"]}, _validate=False)
        self._prepared = prepared

    def to_dict(self) -> dict:
        return self._prepared


def prepared(fig: go.Figure) -> PreparedFigure:
    """``fig`` as a :class:`PreparedFigure` (for figures cached and shown unchanged on many reruns)."""
    return PreparedFigure(fig)
