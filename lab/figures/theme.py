"""One look for every chart: colour roles from the Okabe-Ito palette, one template.

p (the truth) and q (the model) keep their colour AND a second cue on every
page: p is solid with round markers, q is dashed with diamond markers (bars:
q carries a hatch pattern), so colour is never the only difference.
"""

from __future__ import annotations

import contextlib
import math

import plotly.graph_objects as go
import plotly.io as pio

from lab.figures.spec import FigureSpec

# Okabe & Ito (2008), a palette that stays distinct for the common colour-vision deficiencies.
TRUE_P = "#0072B2"  # blue
MODEL_Q = "#E69F00"  # orange
LOSS = "#D55E00"  # vermillion
ENTROPY = "#009E73"  # bluish green
KL = "#CC79A7"  # reddish purple
ACCENT = "#56B4E9"  # sky blue
NEUTRAL = "#6B6B6B"  # grey for reference lines
INK = "#262730"  # text and dark curves (Streamlit's text colour)
CLASS_COLOURS = (TRUE_P, MODEL_Q, ENTROPY, KL, LOSS, ACCENT, "#F0E442", "#000000", "#999999", "#8C564B")

# Shades of the roles and greys the custom components draw with (lab/components/registry.py hands
# them to their style sheets as CSS custom properties, see COMPONENT_COLOURS).
PAPER = "#FFFFFF"  # the background of charts
SHADOW = "#000000"  # the halo of white text on a coloured bar
MODEL_Q_DARK = "#8A5A00"  # q's hatch lines and dashed edges
TRUE_P_DARK = "#005A8C"  # the edge of a filled p-blue bar (a target, a weighted loss)
MODEL_Q_MID = "#B87D00"  # the hatch of a q bar
MODEL_Q_LIGHT = "#FFF3D6"  # the ground of q's hatched picture bars
KL_DARK = "#A3327A"  # a dragged value (bars, the slider's thumb), KL's hatch
KL_DEEP = "#8E2A6B"  # KL as text
KL_LIGHT = "#F6D5E7"  # the ground of KL's hatch, a pressed thumb
LOSS_DARK = "#7D1A00"  # infinity and errors as text
ERROR_GROUND = "#FDECEA"  # behind an error message
SAVING = "#B8F0D8"  # a saving (q's code word shorter than p's)
GRID = "#E6E6E6"  # grid lines
AXIS = "#9AA0A6"  # axis lines
TRACK = "#F0F2F6"  # a control's track (Streamlit's secondary background)
RAIL = "#D5D8DE"  # a slider's rail
FIELD_EDGE = "#C9CED6"  # the border of a text field
INK_SOFT = "#333333"  # captions under a picture
INK_TICK = "#444444"  # tick labels, small print
INK_MUTED = "#555555"  # labels and hints

#: The colours of the custom components: ``--ce-<name>`` in their CSS (``var(--ce-p)``).
COMPONENT_COLOURS = {
    "p": TRUE_P,
    "q": MODEL_Q,
    "loss": LOSS,
    "entropy": ENTROPY,
    "kl": KL,
    "accent": ACCENT,
    "neutral": NEUTRAL,
    "ink": INK,
    "paper": PAPER,
    "shadow": SHADOW,
    "q-dark": MODEL_Q_DARK,
    "q-mid": MODEL_Q_MID,
    "q-light": MODEL_Q_LIGHT,
    "kl-dark": KL_DARK,
    "kl-deep": KL_DEEP,
    "kl-light": KL_LIGHT,
    "loss-dark": LOSS_DARK,
    "error-ground": ERROR_GROUND,
    "saving": SAVING,
    "grid": GRID,
    "axis": AXIS,
    "track": TRACK,
    "rail": RAIL,
    "field-edge": FIELD_EDGE,
    "ink-soft": INK_SOFT,
    "ink-tick": INK_TICK,
    "ink-muted": INK_MUTED,
}

P_LINE = {"color": TRUE_P, "width": 3, "dash": "solid"}
Q_LINE = {"color": MODEL_Q, "width": 3, "dash": "dash"}
P_MARKER = {"color": TRUE_P, "symbol": "circle", "size": 11}
Q_MARKER = {"color": MODEL_Q, "symbol": "diamond", "size": 11}
P_BAR = {"color": TRUE_P}
# White hatch lines: a label on a q bar then has orange (9:1 with black) or white behind it, never dark brown.
Q_BAR = {
    "color": MODEL_Q,
    "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "#FFFFFF", "solidity": 0.3},
}

TEMPLATE_NAME = "ce_lab"


def _template() -> go.layout.Template:
    t = go.layout.Template()
    t.layout = go.Layout(
        font={"family": "Inter, 'Source Sans Pro', sans-serif", "size": 14, "color": INK},
        colorway=list(CLASS_COLOURS),
        paper_bgcolor="#FFFFFF",  # opaque: titles and axis labels stay dark-on-white in a dark page theme too
        plot_bgcolor="#FFFFFF",
        margin={"l": 56, "r": 16, "t": 76, "b": 48},
        title={"x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container"},
        hoverlabel={"font": {"size": 14}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        xaxis={
            "gridcolor": "#E6E6E6",
            "zerolinecolor": "#BDBDBD",
            "linecolor": "#BDBDBD",
            "automargin": True,
        },
        yaxis={
            "gridcolor": "#E6E6E6",
            "zerolinecolor": "#BDBDBD",
            "linecolor": "#BDBDBD",
            "automargin": True,
        },
    )
    return t


pio.templates[TEMPLATE_NAME] = _template()


def base_figure(
    title: str | None = None, *, x_title: str = "", y_title: str = "", height: int = 380
) -> FigureSpec:
    """An empty figure with the lab's template, titles and height, as a :class:`FigureSpec`.

    Builders add traces and layout to it and return ``fig.figure()``.
    """
    return FigureSpec(
        {
            "template": TEMPLATE_NAME,
            "title": {"text": title},
            "xaxis": {"title": {"text": x_title}},
            "yaxis": {"title": {"text": y_title}},
            "height": height,
        }
    )


#: The smallest text a projector shows (px): readable from the back of a classroom.
PRESENTER_MIN_FONT = 18
_BASE_FONT = 14  # the template's font size: what a text without its own size inherits
_TITLE_FONT = 17  # plotly's default title size (1.2 x 14)


def _bigger(size: object, factor: float, default: float = _BASE_FONT) -> object:
    """``size`` (or the inherited default) times ``factor``, never below PRESENTER_MIN_FONT.

    A per-point size array is scaled element-wise; anything else unreadable is left alone.
    """
    if size is None:
        size = default
    if isinstance(size, (int, float)):
        return max(round(size * factor), PRESENTER_MIN_FONT)
    if isinstance(size, (tuple, list)):
        return [
            max(round(s * factor), PRESENTER_MIN_FONT) if isinstance(s, (int, float)) else s for s in size
        ]
    return size


def _scale_font(font: object, factor: float, default: float = _BASE_FONT) -> None:
    if font is not None:
        with contextlib.suppress(TypeError, ValueError):
            font.size = _bigger(font.size, factor, default)


def presenter_scale(fig: go.Figure, factor: float = 1.5) -> go.Figure:
    """Enlarge text, lines and markers for a projector (returns the same figure).

    Every text of the figure gets an explicit size of ``factor`` times its own (or the inherited
    14 px), and at least PRESENTER_MIN_FONT: the global font, the legend, axis ticks and titles,
    annotations, in-chart labels of traces (``textfont``), colour bars, in-figure sliders and
    buttons. Explicit sizes matter: a text left to inherit gets Streamlit's theme size (e.g. the
    legend at 0.75 of the global font), not ours. Lines, markers and shape lines grow by ``factor``.
    """
    layout = fig.layout
    fig.update_layout(font_size=round(_BASE_FONT * factor), hoverlabel_font_size=round(_BASE_FONT * factor))
    _scale_font(layout.legend.font, factor)
    _scale_font(layout.legend.title.font, factor)
    _scale_font(layout.title.font, factor, _TITLE_FONT)
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        _scale_font(axis.tickfont, factor)
        _scale_font(axis.title.font, factor)
        if axis.type == "log":  # plotly labels the 2s and 5s between powers of ten at 0.75 of the tick size
            axis.tickfont.size = max(axis.tickfont.size, math.ceil(PRESENTER_MIN_FONT / 0.75))
    for annotation in layout.annotations or ():
        _scale_font(annotation.font, factor)
    for shape in layout.shapes or ():
        if shape.line is not None and shape.line.width:
            shape.line.width = shape.line.width * factor
    for slider in layout.sliders or ():
        _scale_font(slider.currentvalue.font, factor)
        _scale_font(slider.font, factor)
    for menu in layout.updatemenus or ():
        _scale_font(menu.font, factor)
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and line.width:
            line.width = line.width * factor
        marker = getattr(trace, "marker", None)
        if marker is not None and getattr(marker, "size", None) and not isinstance(marker.size, tuple):
            with contextlib.suppress(TypeError, ValueError):
                marker.size = marker.size * factor
        if "textfont" in trace:
            _scale_font(trace.textfont, factor)
        if "colorbar" in trace and trace.showscale is not False:
            _scale_font(trace.colorbar.tickfont, factor)
        if marker is not None and getattr(marker, "showscale", None):
            _scale_font(marker.colorbar.tickfont, factor)
    return fig


def fmt_value(value: float, unit: str, digits: int = 4) -> str:
    """``'0.4797 nats'``; infinity printed as ``'∞ nats'``."""
    if value == float("inf"):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"
