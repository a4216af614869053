"""Surprisal: how much an event tells you, -log p, in the workspace unit."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.events import bag_surprisal, describe_event, rare_event
from ce_core.information import surprisal
from ce_core.live import bag_sweep, parameter_grid, rare_event_sweep, surprisal_sweep
from lab.components import live_chart as lc
from lab.figures import live
from lab.figures.information import (
    log_name,
    make_surprisal_curve,
)
from lab.figures.live import nice_ticks
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
    "A common slip: many notes write h(x) = log p(x), without the minus sign. "
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
        live.line(f"surprisal −{lg} p", CURVE_P, curve_h, "p"),
        live.segment("down to p", s["p"], zeros, s["p"], h, "guide", legend=False),
        live.segment("across to the axis", zeros, h, s["p"], h, "guide", legend=False),
        live.point("the event", s["p"], h, "absolute", labels=[f"p = {p:.2f}, {t}" for p, t in zip(s["p"], value_text,
                                                                                                  strict=True)],
                 legend=False, size=0.6),
    ]
    caption = [f"The point sits at p = {p:.2f}, surprisal {t}, on the curve −{lg} p (p from 0.01 to 1)."
               for p, t in zip(s["p"], value_text, strict=True)]
    spec = live.chart_spec(layers, x_range=(0.0, 1.04), y_range=(0.0, top), x_label="probability p",
                         y_label=f"surprisal −{lg} p ({ws.unit})",
                         x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1), y_ticks=live.ticks(nice_ticks(top)),
                         caption=caption)
    readouts = [
        live.readout("surprisal", "Surprisal −" + lg + " p", value_text),
        live.readout("one_in", "A one-in-N event", [f"1 in {n:.3g}" for n in s["one_in"]]),
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


#: Positions of the three story controls (whole numbers).
ZEROS_GRID = parameter_grid(1, 100, 1)
ONES_GRID = parameter_grid(1, 999, 1)
TRIP_GRID = parameter_grid(2, 1000, 1)


def _story_chart(ws: Workspace, smallest: float, events: list[tuple[str, np.ndarray, np.ndarray]],
                 caption: list[str]) -> dict:
    """The curve −log p from ``smallest`` to 1 with a story's outcomes (per position) marked on it."""
    curve_p = np.unique(np.concatenate([np.geomspace(smallest, 0.05, 80), np.linspace(0.05, 1.0, 96)]))
    curve_h = surprisal_sweep(curve_p, ws.base)["surprisal"]
    top = float(curve_h.max()) * 1.15
    layers = [live.line(f"surprisal −{lg} p", curve_p, curve_h, "p", legend=False)]
    for (name, p, h), style in zip(events, ("tangent", "loss", "q"), strict=False):
        labels = [f"{name}: {fmt(v, ws, 3)}" for v in h]
        layers.append(live.point(name, p, h, style, symbol="square", labels=labels, legend=False, size=0.5))
    return live.chart_spec(layers, x_range=(0.0, 1.04), y_range=(0.0, top), x_label="probability p",
                         y_label=f"surprisal −{lg} p ({ws.unit})", x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1),
                         y_ticks=live.ticks(nice_ticks(top)), caption=caption, height_rem=17)


def _whole(grid: np.ndarray) -> list[str]:
    return [f"{v:,.0f}" for v in grid]


@st.fragment
def bag_of_zeros(ws: Workspace) -> None:
    bag = bag_sweep(np.stack([ZEROS_GRID, np.zeros_like(ZEROS_GRID)], axis=1), ws.base)
    spoiled = bag_sweep(np.stack([ZEROS_GRID, np.ones_like(ZEROS_GRID)], axis=1), ws.base)  # one 1 slipped in
    p, h = bag["probabilities"][:, 0], bag["surprisals"][:, 0]
    p_s, h_s = spoiled["probabilities"], spoiled["surprisals"]
    caption = [f"Drawing a 0 from a bag of {n:.0f} zeros: p = {p[i]:.0f}, surprisal {fmt(h[i], ws)}. With one 1 "
               f"added: a 0 has p = {p_s[i, 0]:.4f} ({fmt(h_s[i, 0], ws)}), the 1 has p = {p_s[i, 1]:.4f} "
               f"({fmt(h_s[i, 1], ws)})." for i, n in enumerate(ZEROS_GRID)]
    events = [("draw a 0", p, h), ("a 0, one 1 added", p_s[:, 0], h_s[:, 0]),
              ("the added 1", p_s[:, 1], h_s[:, 1])]
    n = int(lc.live_slider(
        "Zeros in the bag", ZEROS_GRID, key="sp_zeros", default=10, value_text=_whole(ZEROS_GRID),
        chart=_story_chart(ws, float(p_s[:, 1].min()), events, caption),
        readouts=[live.readout("zero", "Drawing a 0 from the bag", [fmt(v, ws) for v in h]),
                  live.readout("spoiled_zero", "…if a single 1 were added: a 0", [fmt(v, ws) for v in h_s[:, 0]]),
                  live.readout("spoiled_one", "…and drawing that 1", [fmt(v, ws) for v in h_s[:, 1]])]))
    draw = bag_surprisal([n, 0], base=ws.base)
    one_added = bag_surprisal([n, 1], base=ws.base)
    st.markdown(f"Every ball is a 0, so a 0 comes out with probability {draw.probabilities[0]:.0f}. "
                f"You knew the answer before you looked: the draw tells you nothing, however big the bag ({n}). "
                f"Slip in a single 1 and the bag of {n + 1} is no longer certain: a 0 now tells you a little "
                f"({fmt(one_added.surprisals[0], ws)}), the 1 a lot ({fmt(one_added.surprisals[1], ws)}); "
                "the bigger the bag, the more the lone 1 surprises and the less a 0 does.")


@st.fragment
def rare_zero(ws: Workspace) -> None:
    s = bag_sweep(np.stack([np.ones_like(ONES_GRID), ONES_GRID], axis=1), ws.base)
    p, h = s["probabilities"], s["surprisals"]
    caption = [f"One 0 among {n:.0f} ones: the 0 has p = {p[i, 0]:.4f} and surprisal {fmt(h[i, 0], ws)}; "
               f"a 1 has p = {p[i, 1]:.4f} and surprisal {fmt(h[i, 1], ws)}." for i, n in enumerate(ONES_GRID)]
    ones = int(lc.live_slider(
        "Ones in the bag (plus a single 0)", ONES_GRID, key="sp_ones", default=9, value_text=_whole(ONES_GRID),
        chart=_story_chart(ws, float(p[:, 0].min()), [("the 0", p[:, 0], h[:, 0]), ("a 1", p[:, 1], h[:, 1])],
                           caption),
        readouts=[live.readout("zero", "Drawing the 0", [fmt(v, ws) for v in h[:, 0]]),
                  live.readout("one", "Drawing a 1", [fmt(v, ws) for v in h[:, 1]]),
                  live.readout("p_zero", "p of the 0", [f"1/{n + 1:,.0f}" for n in ONES_GRID])]))
    draw = bag_surprisal([1, ones], base=ws.base)
    st.latex(rf"h(0) = -{LATEX_LOG[ws.unit]} \tfrac{{1}}{{{ones + 1}}} = {LATEX_LOG[ws.unit]} {ones + 1}"
             rf" = {draw.surprisals[0]:.4f}\ \text{{{ws.unit}}}")
    st.markdown("The more ones you add, the rarer the 0 and the bigger the surprise when it comes out, "
                "while drawing a 1 becomes ever less informative. Averaged over many draws the bag gives "
                f"{fmt(draw.entropy, ws)} per draw: that average is the entropy of the next lesson.")


@st.fragment
def routine_or_trip(ws: Workspace) -> None:
    s = rare_event_sweep(TRIP_GRID, ws.base)
    caption = [f"Commute: p = {s['p_routine'][i]:.4f}, surprisal {fmt(s['h_routine'][i], ws)}. Trip: "
               f"p = {s['p_rare'][i]:.4f}, surprisal {fmt(s['h_rare'][i], ws)}." for i in range(TRIP_GRID.size)]
    every = int(lc.live_slider(
        "A trip comes once every … days", TRIP_GRID, key="sp_trip", default=365, value_text=_whole(TRIP_GRID),
        chart=_story_chart(ws, float(s["p_rare"].min()), [("commute", s["p_routine"], s["h_routine"]),
                                                          ("trip", s["p_rare"], s["h_rare"])], caption),
        readouts=[live.readout("routine", "The usual commute", [fmt(v, ws) for v in s["h_routine"]]),
                  live.readout("rare", "A trip", [fmt(v, ws) for v in s["h_rare"]]),
                  live.readout("days", "Ordinary days worth one trip", [f"{d:,.0f}" for d in s["routine_days_per_rare"]])]))
    r = rare_event(every, base=ws.base)
    st.markdown(
        "Your commute happens almost every day, so news of it carries almost no information. "
        "The trip is rare, so hearing about it carries a lot. Surprisals of independent days add up: "
        f"about {r.routine_days_per_rare:,.0f} ordinary days together are as surprising as one trip "
        f"(once every {every:,} days)."
    )


with tab_zeros:
    bag_of_zeros(ws)
with tab_rare:
    rare_zero(ws)
with tab_trip:
    routine_or_trip(ws)

show_source(surprisal, bag_surprisal, rare_event)
