"""Surprisal: how much an event tells you, -log p, in the workspace unit."""

import numpy as np
import streamlit as st

from ce_core.examples import bag_surprisal, describe_event, rare_event
from ce_core.figures.information import (
    log_name,
    make_example_curve,
    make_surprisal_curve,
)
from ce_core.information import surprisal
from ce_core.live import parameter_grid, surprisal_sweep
from lab.components import live_chart as lc
from lab.components.pq_editor import nice_ticks
from lab.ui import LATEX_LOG, chart, fmt, page_header, show_source
from lab.workspace import Workspace

ws = page_header(
    "Surprisal",
    "A rare event tells you more than a common one. **Surprisal** turns that into a number: "
    "the smaller the probability of what happened, the larger the surprise. "
    "It is the building block of entropy and of the cross-entropy loss.", editor="surprisal"
)
lg = log_name(ws.base)

st.latex(rf"h(x) = -{LATEX_LOG[ws.unit]}\, p(x) \;\ge 0")
st.markdown(
    f"The unit comes from the base of the logarithm; the unit switch in the sidebar has it set to **{ws.unit}**. "
    f"A sure event ($p = 1$) has surprisal 0, each halving of the probability adds "
    f"{fmt(surprisal(0.5, base=ws.base), ws)}, and an impossible event ($p = 0$) would be "
    "infinitely surprising."
)
st.caption(
    "A correction to the seed note: it writes h(x) = log P(x), without the minus sign. "
    "The log of a probability is never positive, so the minus sign is what makes surprise ≥ 0."
)

# --- the workspace on the curve -------------------------------------------------------------------
st.subheader("Your classes on the curve")
h_p = surprisal(ws.p, base=ws.base)
h_q = surprisal(ws.q, base=ws.base)


def _listing(probs, heights) -> str:
    return "; ".join(f"{n} {probs[i]:.3f} → {fmt(heights[i], ws, 3)}" for i, n in enumerate(ws.names))


caption = (f"The curve −{lg} p in {ws.unit}, with each class at its probability under p (circles) and "
           f"under q (diamonds). Under p: {_listing(ws.p, h_p)}. Under q: {_listing(ws.q, h_q)}.")
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


# --- the point on the curve, live ------------------------------------------------------------------
#: Positions of the point control: p = 0.01, 0.02, ..., 1.
POINT_GRID = parameter_grid(0.01, 1.0, 0.01)
POINT_DEFAULT = 0.25
#: The static curve, drawn from the smallest position to 1.
CURVE_P = np.linspace(0.01, 1.0, 200)


def point_chart(ws: Workspace) -> tuple[dict, list[dict]]:
    """The curve −log p and, for every position of the control, the point, its guides and readouts."""
    s = surprisal_sweep(POINT_GRID, ws.base)  # one batched ce_core call for every position
    curve_h = surprisal_sweep(CURVE_P, ws.base)["surprisal"]
    h = s["surprisal"]
    zeros = np.zeros_like(h)
    value_text = [fmt(v, ws) for v in h]
    top = float(curve_h.max()) * 1.12
    layers = [
        lc.line(f"surprisal −{lg} p", CURVE_P, curve_h, "p"),
        lc.segment("down to p", s["p"], zeros, s["p"], h, "guide", legend=False),
        lc.segment("across to the axis", zeros, h, s["p"], h, "guide", legend=False),
        lc.point("the event", s["p"], h, "absolute", labels=[f"p = {p:.2f}, {t}" for p, t in zip(s["p"], value_text,
                                                                                                  strict=True)],
                 legend=False, size=0.6),
    ]
    caption = [f"The point sits at p = {p:.2f}, surprisal {t}, on the curve −{lg} p (p from 0.01 to 1)."
               for p, t in zip(s["p"], value_text, strict=True)]
    spec = lc.chart_spec(layers, x_range=(0.0, 1.04), y_range=(0.0, top), x_label="probability p",
                         y_label=f"surprisal −{lg} p ({ws.unit})",
                         x_ticks=lc.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1), y_ticks=lc.ticks(nice_ticks(top)),
                         caption=caption)
    readouts = [
        lc.readout("surprisal", "Surprisal −" + lg + " p", value_text),
        lc.readout("one_in", "A one-in-N event", [f"1 in {n:.3g}" for n in s["one_in"]]),
    ]
    return spec, readouts


@st.fragment
def scrub_panel(ws: Workspace) -> None:
    st.subheader("Slide along the curve")
    spec, readouts = point_chart(ws)
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


scrub_panel(ws)

# --- three small stories --------------------------------------------------------------------------
st.subheader("Three small stories")
tab_zeros, tab_rare, tab_trip = st.tabs(["A bag of zeros", "One rare zero", "Routine or a trip"])


@st.fragment
def bag_of_zeros(ws: Workspace) -> None:
    n = st.slider("Zeros in the bag", 1, 100, value=10, key="sp_zeros", bind="query-params",
                  persist_state="session")
    draw = bag_surprisal([n, 0], base=ws.base)
    st.metric("Surprisal of drawing a 0", fmt(draw.surprisals[0], ws))
    st.markdown(f"Every ball is a 0, so a 0 comes out with probability {draw.probabilities[0]:.0f}. "
                "You knew the answer before you looked: the draw tells you nothing, however big the bag.")
    chart(make_example_curve(["draw a 0"], draw.probabilities[:1], base=ws.base, unit=ws.unit,
                             title=f"A bag of {n} zeros"),
          f"Drawing a 0 from a bag of {n} zeros: p = 1, surprisal {fmt(draw.surprisals[0], ws)}.",
          key="sp_zeros_chart")


@st.fragment
def rare_zero(ws: Workspace) -> None:
    ones = st.slider("Ones in the bag (plus a single 0)", 1, 999, value=9, key="sp_ones", bind="query-params",
                     persist_state="session")
    draw = bag_surprisal([1, ones], base=ws.base)
    c1, c2 = st.columns(2)
    c1.metric("Drawing the 0", fmt(draw.surprisals[0], ws), help=f"p = 1/{ones + 1}")
    c2.metric("Drawing a 1", fmt(draw.surprisals[1], ws), help=f"p = {ones}/{ones + 1}")
    st.latex(rf"h(0) = -{LATEX_LOG[ws.unit]} \tfrac{{1}}{{{ones + 1}}} = {LATEX_LOG[ws.unit]} {ones + 1}"
             rf" = {draw.surprisals[0]:.4f}\ \text{{{ws.unit}}}")
    st.markdown("The more ones you add, the rarer the 0 and the bigger the surprise when it comes out, "
                "while drawing a 1 becomes ever less informative. Averaged over many draws the bag gives "
                f"{fmt(draw.entropy, ws)} per draw: that average is the entropy of the next lesson.")
    chart(make_example_curve(["the 0", "a 1"], draw.probabilities, base=ws.base, unit=ws.unit,
                             title=f"One 0 among {ones} ones"),
          f"One 0 among {ones} ones: the 0 has p = {draw.probabilities[0]:.4f} and surprisal "
          f"{fmt(draw.surprisals[0], ws)}; a 1 has p = {draw.probabilities[1]:.4f} and surprisal "
          f"{fmt(draw.surprisals[1], ws)}.",
          key="sp_rare_chart")


@st.fragment
def routine_or_trip(ws: Workspace) -> None:
    every = st.slider("A trip comes once every … days", 2, 1000, value=365, key="sp_trip", bind="query-params",
                      persist_state="session")
    r = rare_event(every, base=ws.base)
    c1, c2, c3 = st.columns(3)
    c1.metric("The usual commute", fmt(r.h_routine, ws), help=f"p = {r.p_routine:.4f}")
    c2.metric("A trip", fmt(r.h_rare, ws), help=f"p = 1/{every}")
    c3.metric("Ordinary days worth one trip", f"{r.routine_days_per_rare:,.0f}")
    st.markdown(
        "Your commute happens almost every day, so news of it carries almost no information. "
        "The trip is rare, so hearing about it carries a lot. Surprisals of independent days add up: "
        f"about {r.routine_days_per_rare:,.0f} ordinary days together are as surprising as one trip."
    )
    chart(make_example_curve(["commute", "trip"], [r.p_routine, r.p_rare], base=ws.base, unit=ws.unit,
                             title=f"A trip once every {every} days"),
          f"Commute: p = {r.p_routine:.4f}, surprisal {fmt(r.h_routine, ws)}. Trip: p = {r.p_rare:.4f}, "
          f"surprisal {fmt(r.h_rare, ws)}.",
          key="sp_trip_chart")


with tab_zeros:
    bag_of_zeros(ws)
with tab_rare:
    rare_zero(ws)
with tab_trip:
    routine_or_trip(ws)

show_source(surprisal, bag_surprisal, rare_event)
