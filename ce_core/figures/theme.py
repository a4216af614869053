"""One look for every chart: colour roles from the Okabe-Ito palette, one template.

p (the truth) and q (the model) keep their colour AND a second cue on every
page: p is solid with round markers, q is dashed with diamond markers (bars:
q carries a hatch pattern), so colour is never the only difference.
"""

from __future__ import annotations

import contextlib

import plotly.graph_objects as go
import plotly.io as pio

from ce_core.figures.spec import FigureSpec

# Okabe & Ito (2008), a palette that stays distinct for the common colour-vision deficiencies.
TRUE_P = "#0072B2"      # blue
MODEL_Q = "#E69F00"     # orange
LOSS = "#D55E00"        # vermillion
ENTROPY = "#009E73"     # bluish green
KL = "#CC79A7"          # reddish purple
ACCENT = "#56B4E9"      # sky blue
NEUTRAL = "#6B6B6B"     # grey for reference lines
#: Text in the loss colour: vermillion itself is 3.9:1 on white, below WCAG AA; this darker one is 6.2:1.
LOSS_TEXT = "#A04600"
CLASS_COLOURS = (TRUE_P, MODEL_Q, ENTROPY, KL, LOSS, ACCENT, "#F0E442", "#000000", "#999999", "#8C564B")

P_LINE = {"color": TRUE_P, "width": 3, "dash": "solid"}
Q_LINE = {"color": MODEL_Q, "width": 3, "dash": "dash"}
P_MARKER = {"color": TRUE_P, "symbol": "circle", "size": 11}
Q_MARKER = {"color": MODEL_Q, "symbol": "diamond", "size": 11}
P_BAR = {"color": TRUE_P}
# White hatch lines: a label on a q bar then has orange (9:1 with black) or white behind it, never dark brown.
Q_BAR = {"color": MODEL_Q, "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "#FFFFFF", "solidity": 0.3}}

TEMPLATE_NAME = "ce_lab"


def _template() -> go.layout.Template:
    t = go.layout.Template()
    t.layout = go.Layout(
        font={"family": "Inter, 'Source Sans Pro', sans-serif", "size": 14, "color": "#262730"},
        colorway=list(CLASS_COLOURS),
        paper_bgcolor="#FFFFFF",  # opaque: titles and axis labels stay dark-on-white in a dark page theme too
        plot_bgcolor="#FFFFFF",
        margin={"l": 56, "r": 16, "t": 76, "b": 48},
        title={"x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container"},
        hoverlabel={"font": {"size": 14}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        xaxis={"gridcolor": "#E6E6E6", "zerolinecolor": "#BDBDBD", "linecolor": "#BDBDBD",
               "automargin": True},
        yaxis={"gridcolor": "#E6E6E6", "zerolinecolor": "#BDBDBD", "linecolor": "#BDBDBD",
               "automargin": True},
    )
    return t


pio.templates[TEMPLATE_NAME] = _template()


def base_figure(title: str | None = None, *, x_title: str = "", y_title: str = "", height: int = 380) -> FigureSpec:
    """An empty figure with the lab's template, titles and height, as a :class:`FigureSpec`.

    Builders add traces and layout to it and return ``fig.figure()``.
    """
    return FigureSpec({
        "template": TEMPLATE_NAME,
        "title": {"text": title},
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "height": height,
    })


def presenter_scale(fig: go.Figure, factor: float = 1.5) -> go.Figure:
    """Enlarge text, lines and markers for a projector (returns the same figure)."""
    fig.update_layout(font_size=round(14 * factor), hoverlabel_font_size=round(14 * factor))
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and line.width:
            line.width = line.width * factor
        marker = getattr(trace, "marker", None)
        if marker is not None and getattr(marker, "size", None) and not isinstance(marker.size, tuple):
            with contextlib.suppress(TypeError, ValueError):
                marker.size = marker.size * factor
    return fig


def fmt_value(value: float, unit: str, digits: int = 4) -> str:
    """``'0.4797 nats'``; infinity printed as ``'∞ nats'``."""
    if value == float("inf"):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"
