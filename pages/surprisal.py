"""Surprisal: how much an event tells you, -log p, in the workspace unit."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.events import bag_surprisal, describe_event, rare_event
from ce_core.information import surprisal
from ce_core.live import parameter_grid
from lab.components import live_chart as lc
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

ws = page_header(
    "Surprisal",
    "A rare event tells you more than a common one. **Surprisal** turns that into a number: "
    "the smaller the probability of what happened, the larger the surprise. "
    "It is the building block of entropy and of the cross-entropy loss.", editor="surprisal"
)

st.latex(rf"h(x) = -{LATEX_LOG[ws.unit]}\, p(x) \;\ge 0")
st.markdown(
    f"The unit comes from the base of the logarithm; the unit switch in the sidebar has it set to **{ws.unit}**. "
    f"A sure event ($p = 1$) has surprisal 0, each halving of the probability adds "
    f"{fmt(surprisal(0.5, base=ws.base), ws)}, and an impossible event ($p = 0$) would be "
    "infinitely surprising."
)
st.caption(
    "A common slip: many notes write h(x) = log p(x), without the minus sign. "
    "The log of a probability is never positive, so the minus sign is what makes surprise ≥ 0."
)

def _listing(ws: Workspace, probs: np.ndarray, heights: np.ndarray) -> str:
    return "; ".join(f"{n} {probs[i]:.3f} → {fmt(heights[i], ws, 3)}" for i, n in enumerate(ws.names))


def workspace_panel(ws: Workspace) -> None:
    """The workspace's classes on the curve −log p, and their table."""
    st.subheader("Your classes on the curve")
    lg = log_name(ws.base)
    h_p = surprisal(ws.p, base=ws.base)
    h_q = surprisal(ws.q, base=ws.base)
    caption = (f"The curve −{lg} p in {ws.unit}, with each class at its probability under p (circles) and "
               f"under q (diamonds). Under p: {_listing(ws, ws.p, h_p)}. Under q: {_listing(ws, ws.q, h_q)}.")
    impossible = [n for n, v in zip(ws.names, ws.p, strict=True) if v == 0] + \
                 [n for n, v in zip(ws.names, ws.q, strict=True) if v == 0]
    if impossible:
        caption += (" Classes with probability 0 have surprisal ∞ and are not drawn: under that distribution they "
                    "never happen.")
    chart(make_surprisal_curve(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit), caption, key="sp_curve")
    st.markdown(
        "Blue circles read p, the truth; orange diamonds read q, the model. A class the model thinks "
        "unlikely sits high on the curve: if it happens, the model is very surprised. That surprise, "
        "averaged over what really happens, is the cross-entropy loss."
    )
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
        st.info("∞ means the event has probability 0: it can never happen under that distribution, "
                "so no finite number of " + ws.unit + " describes seeing it.", icon=":material/all_inclusive:")


@st.fragment
def scrub_panel(ws: Workspace) -> None:
    """The point on the curve, live."""
    st.subheader("Slide along the curve")
    spec, readouts = surprisal_point_chart(POINT_GRID, CURVE_P, base=ws.base, unit=ws.unit)
    point = lc.live_slider("Probability of the event, p", POINT_GRID, key="sp_point", default=POINT_DEFAULT,
                           chart=spec, readouts=readouts)
    reading = describe_event(point, base=ws.base)
    if ws.unit == "bits":
        st.markdown(f"In bits the number has a direct reading: {reading.surprisal:.2f} bits is as surprising "
                    f"as that many fair coin flips all landing heads.")
    elif ws.unit == "hartleys":
        st.markdown(f"In hartleys the number has a direct reading: {reading.surprisal:.2f} hartleys is as "
                    f"surprising as guessing that many random decimal digits right.")
    else:
        st.markdown("Nats use the natural log, the unit of calculus: 1 nat is the surprise of an event "
                    "of probability 1/e ≈ 0.368.")


def _whole(grid: np.ndarray) -> list[str]:
    return [f"{v:,.0f}" for v in grid]


@st.fragment
def bag_of_zeros(ws: Workspace) -> None:
    spec, readouts = bag_of_zeros_chart(ZEROS_GRID, base=ws.base, unit=ws.unit)
    n = int(lc.live_slider("Zeros in the bag", ZEROS_GRID, key="sp_zeros", default=10, value_text=_whole(ZEROS_GRID),
                           chart=spec, readouts=readouts))
    draw = bag_surprisal([n, 0], base=ws.base)
    one_added = bag_surprisal([n, 1], base=ws.base)
    st.markdown(f"Every ball is a 0, so a 0 comes out with probability {draw.probabilities[0]:.0f}. "
                f"You knew the answer before you looked: the draw tells you nothing, however big the bag ({n}). "
                f"Slip in a single 1 and the bag of {n + 1} is no longer certain: a 0 now tells you a little "
                f"({fmt(one_added.surprisals[0], ws)}), the 1 a lot ({fmt(one_added.surprisals[1], ws)}); "
                "the bigger the bag, the more the lone 1 surprises and the less a 0 does.")


@st.fragment
def rare_zero(ws: Workspace) -> None:
    spec, readouts = rare_zero_chart(ONES_GRID, base=ws.base, unit=ws.unit)
    ones = int(lc.live_slider("Ones in the bag (plus a single 0)", ONES_GRID, key="sp_ones", default=9,
                              value_text=_whole(ONES_GRID), chart=spec, readouts=readouts))
    draw = bag_surprisal([1, ones], base=ws.base)
    st.latex(rf"h(0) = -{LATEX_LOG[ws.unit]} \tfrac{{1}}{{{ones + 1}}} = {LATEX_LOG[ws.unit]} {ones + 1}"
             rf" = {draw.surprisals[0]:.4f}\ \text{{{ws.unit}}}")
    st.markdown("The more ones you add, the rarer the 0 and the bigger the surprise when it comes out, "
                "while drawing a 1 becomes ever less informative. Averaged over many draws the bag gives "
                f"{fmt(draw.entropy, ws)} per draw: that average is the entropy of the next lesson.")


@st.fragment
def routine_or_trip(ws: Workspace) -> None:
    spec, readouts = trip_chart(TRIP_GRID, base=ws.base, unit=ws.unit)
    every = int(lc.live_slider("A trip comes once every … days", TRIP_GRID, key="sp_trip", default=365,
                               value_text=_whole(TRIP_GRID), chart=spec, readouts=readouts))
    r = rare_event(every, base=ws.base)
    st.markdown(
        "Your commute happens almost every day, so news of it carries almost no information. "
        "The trip is rare, so hearing about it carries a lot. Surprisals of independent days add up: "
        f"about {r.routine_days_per_rare:,.0f} ordinary days together are as surprising as one trip "
        f"(once every {every:,} days)."
    )


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
