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


@st.fragment
def bag_of_zeros(ws: Workspace) -> None:
    spec, readouts = bag_of_zeros_chart(ZEROS_GRID, base=ws.base, unit=ws.unit)
    n = int(
        lc.live_slider(
            "Zeros in the bag",
            ZEROS_GRID,
            key="sp_zeros",
            default=10,
            value_text=words.whole(ZEROS_GRID),
            chart=spec,
            readouts=readouts,
        )
    )
    draw = bag_surprisal([n, 0], base=ws.base)
    one_added = bag_surprisal([n, 1], base=ws.base)
    zero, one = (fmt(h, ws) for h in one_added.surprisals[:2])
    st.markdown(words.bag_of_zeros(draw.probabilities[0], n, zero, one))


@st.fragment
def rare_zero(ws: Workspace) -> None:
    spec, readouts = rare_zero_chart(ONES_GRID, base=ws.base, unit=ws.unit)
    ones = int(
        lc.live_slider(
            "Ones in the bag (plus a single 0)",
            ONES_GRID,
            key="sp_ones",
            default=9,
            value_text=words.whole(ONES_GRID),
            chart=spec,
            readouts=readouts,
        )
    )
    draw = bag_surprisal([1, ones], base=ws.base)
    st.latex(words.rare_zero_formula(LATEX_LOG[ws.unit], ones, draw.surprisals[0], ws.unit))
    st.markdown(words.rare_zero(fmt(draw.entropy, ws)))


@st.fragment
def routine_or_trip(ws: Workspace) -> None:
    spec, readouts = trip_chart(TRIP_GRID, base=ws.base, unit=ws.unit)
    every = int(
        lc.live_slider(
            "A trip comes once every … days",
            TRIP_GRID,
            key="sp_trip",
            default=365,
            value_text=words.whole(TRIP_GRID),
            chart=spec,
            readouts=readouts,
        )
    )
    r = rare_event(every, base=ws.base)
    st.markdown(words.routine_or_trip(r.routine_days_per_rare, every))


workspace_panel(ws)
scrub_panel(ws)

st.subheader("Three small stories")
tab_zeros, tab_rare, tab_trip = st.tabs(["A bag of zeros", "One rare zero", "Routine or a trip"])
with tab_zeros:
    bag_of_zeros(ws)
with tab_rare:
    rare_zero(ws)
with tab_trip:
    routine_or_trip(ws)

show_source(surprisal, bag_surprisal, rare_event)
