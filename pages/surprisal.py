"""Surprisal: how much an event tells you, -log p, in the workspace unit."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.events import bag_surprisal, describe_event, rare_event
from ce_core.information import surprisal
from ce_core.live import parameter_grid
from lab.components import live_chart as lc
from lab.content import surprisal as words
from lab.figures.information import (
    bag_of_zeros_chart,
    log_name,
    make_surprisal_curve,
    rare_zero_chart,
    surprisal_point_chart,
    trip_chart,
)
from lab.ui import LATEX_LOG, chart, fmt, page_header, show_source
from lab.workspace import Workspace

#: Positions of the point control: p = 0.01, 0.02, ..., 1.
POINT_GRID = parameter_grid(0.01, 1.0, 0.01)
POINT_DEFAULT = 0.25
#: The static curve, drawn from the smallest position to 1.
CURVE_P = np.linspace(0.01, 1.0, 200)
#: Positions of the three story controls (whole numbers).
ZEROS_GRID = parameter_grid(1, 100, 1)
ONES_GRID = parameter_grid(1, 999, 1)
TRIP_GRID = parameter_grid(2, 1000, 1)

ws = page_header("Surprisal", words.INTRO, editor="surprisal")

st.latex(words.formula(LATEX_LOG[ws.unit]))
st.markdown(words.unit_story(ws.unit, fmt(surprisal(0.5, base=ws.base), ws)))
st.caption(words.SIGN_SLIP)


def _listing(ws: Workspace, probs: np.ndarray, heights: np.ndarray) -> str:
    return words.listing(ws.names, probs, [fmt(h, ws, 3) for h in heights])


def workspace_panel(ws: Workspace) -> None:
    """The workspace's classes on the curve −log p, and their table."""
    st.subheader("Your classes on the curve")
    lg = log_name(ws.base)
    h_p = surprisal(ws.p, base=ws.base)
    h_q = surprisal(ws.q, base=ws.base)
    impossible = [n for n, v in zip(ws.names, ws.p, strict=True) if v == 0] + [
        n for n, v in zip(ws.names, ws.q, strict=True) if v == 0
    ]
    caption = words.curve_caption(
        lg, ws.unit, _listing(ws, ws.p, h_p), _listing(ws, ws.q, h_q), bool(impossible)
    )
    chart(make_surprisal_curve(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit), caption, key="sp_curve")
    st.markdown(words.CURVE_READING)
    st.dataframe(
        {
            "class": list(ws.names),
            "p": [f"{v:.3f}" for v in ws.p],
            f"−{lg} p": [fmt(v, ws) for v in h_p],
            "q": [f"{v:.3f}" for v in ws.q],
            f"−{lg} q": [fmt(v, ws) for v in h_q],
        },
        hide_index=True,
        height="content",
    )
    if impossible:
        st.info(words.infinity_note(ws.unit), icon=":material/all_inclusive:")


@st.fragment
def scrub_panel(ws: Workspace) -> None:
    """The point on the curve, live."""
    st.subheader("Slide along the curve")
    spec, readouts = surprisal_point_chart(POINT_GRID, CURVE_P, base=ws.base, unit=ws.unit)
    point = lc.live_slider(
        "Probability of the event, p",
        POINT_GRID,
        key="sp_point",
        default=POINT_DEFAULT,
        chart=spec,
        readouts=readouts,
    )
    reading = describe_event(point, base=ws.base)
    st.markdown(words.reading(ws.unit, reading.surprisal))


def _bag_of_zeros(n: int, ws: Workspace) -> None:
    draw = bag_surprisal([n, 0], base=ws.base)
    one_added = bag_surprisal([n, 1], base=ws.base)
    zero, one = (fmt(h, ws) for h in one_added.surprisals[:2])
    st.markdown(words.bag_of_zeros(draw.probabilities[0], n, zero, one))


def _rare_zero(ones: int, ws: Workspace) -> None:
    draw = bag_surprisal([1, ones], base=ws.base)
    st.latex(words.rare_zero_formula(LATEX_LOG[ws.unit], ones, draw.surprisals[0], ws.unit))
    st.markdown(words.rare_zero(fmt(draw.entropy, ws)))


def _routine_or_trip(every: int, ws: Workspace) -> None:
    r = rare_event(every, base=ws.base)
    st.markdown(words.routine_or_trip(r.routine_days_per_rare, every))


#: The three stories: tab, chart, slider label, key, default and positions (whole numbers), then the text.
STORIES = (
    ("A bag of zeros", bag_of_zeros_chart, "Zeros in the bag", "sp_zeros", 10, ZEROS_GRID, _bag_of_zeros),
    (
        "One rare zero",
        rare_zero_chart,
        "Ones in the bag (plus a single 0)",
        "sp_ones",
        9,
        ONES_GRID,
        _rare_zero,
    ),
    (
        "Routine or a trip",
        trip_chart,
        "A trip comes once every … days",
        "sp_trip",
        365,
        TRIP_GRID,
        _routine_or_trip,
    ),
)


@st.fragment
def story(ws: Workspace, make_chart, label: str, key: str, default: int, grid, say) -> None:
    """One story's slider of whole numbers over its chart, then what the number says."""
    spec, readouts = make_chart(grid, base=ws.base, unit=ws.unit)
    value = lc.live_slider(
        label, grid, key=key, default=default, value_text=words.whole(grid), chart=spec, readouts=readouts
    )
    say(int(value), ws)


workspace_panel(ws)
scrub_panel(ws)

st.subheader("Three small stories")
for tab, (_, *parts) in zip(st.tabs([name for name, *_ in STORIES]), STORIES, strict=True):
    with tab:
        story(ws, *parts)

show_source(surprisal, bag_surprisal, rare_event)
