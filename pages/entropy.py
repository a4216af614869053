"""Entropy: the average surprisal of p, its ceiling log K, and the binary entropy curve."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.entropy_parts import entropy_fraction, entropy_terms, max_entropy, uniform
from ce_core.information import binary_entropy, entropy, kl_divergence, perplexity, surprisal
from ce_core.live import parameter_grid
from lab.components import live_chart as lc
from lab.figures.information import (
    binary_entropy_chart,
    log_name,
    make_entropy_ceiling,
    make_probability_and_surprisal,
    make_weighted_surprisal,
)
from lab.predict import predict, which_larger
from lab.ui import LATEX_LOG, chart, fmt, page_header, show_source
from lab.workspace import Workspace

TERMS_PER_LINE = 2
#: The base of each unit's logarithm, as LaTeX (perplexity is base^H).
BASE_SYMBOL = {"bits": "2", "nats": "e", "hartleys": "10"}
#: Positions of the coin control: P(heads) = 0, 0.01, ..., 1.
COIN_GRID = parameter_grid(0.0, 1.0, 0.01)
COIN_DEFAULT = 0.3
COIN_CURVE = np.linspace(0.0, 1.0, 201)

ws = page_header(
    "Entropy",
    "Surprisal measures one event. **Entropy** measures a whole distribution: how surprised you are "
    "*on average* when events keep coming from p. It is also a lower bound: no code can average fewer "
    "bits (or nats) per event, and good codes come close. That is why it is the floor of the cross-entropy loss.",
    editor="area",
    dists="p",
)


def definition_panel(ws: Workspace) -> None:
    """The definition, and the three numbers of the workspace's p."""
    lg, log = log_name(ws.base), LATEX_LOG[ws.unit]
    st.latex(
        rf"\begin{{aligned}} H(p) &= \sum_x p(x)\,\bigl(-{log}\, p(x)\bigr) \\"
        rf" &= \mathbb{{E}}_{{x\sim p}}\bigl[h(x)\bigr] \end{{aligned}}"
    )
    st.caption(
        f"A class with p(x) = 0 contributes 0: by definition 0 · {lg} 0 = 0, the limit of t {lg} t as t → 0."
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Entropy H(p)", fmt(entropy(ws.p, base=ws.base), ws), help="The average surprisal of p.")
    c2.metric(
        f"Maximum {lg} K, K = {ws.k}",
        fmt(max_entropy(ws.k, base=ws.base), ws),
        help="The entropy of the uniform distribution.",
    )
    c3.metric(
        "Perplexity",
        f"{perplexity(ws.p):.3f}",
        help="The number of equally likely classes with the same entropy; it does not depend on the unit.",
    )


def surprisal_bars_panel(ws: Workspace) -> None:
    """p and its surprisal, class by class."""
    lg = log_name(ws.base)
    st.subheader("p(x) and −log p(x)")
    h_x = surprisal(ws.p, base=ws.base)
    bars_caption = (
        f"Top: p over {ws.k} classes. Bottom: the surprisal of each class in {ws.unit}: "
        + "; ".join(f"{n} {fmt(v, ws, 3)}" for n, v in zip(ws.names, h_x, strict=True))
        + "."
    )
    if (ws.p == 0).any():
        bars_caption += (
            " A class with p = 0 has surprisal ∞ (bar left empty) but never happens, so it adds 0 to H(p)."
        )
    chart(
        make_probability_and_surprisal(ws.names, ws.p, base=ws.base, unit=ws.unit),
        bars_caption,
        key="en_bars",
    )
    st.markdown(
        "Read the picture column by column: the tall bars on top have short bars below. Common classes cost "
        "little surprise, rare ones cost a lot. (Many notes draw the cost as log p(x) and drop the minus sign: "
        f"the cost of an event is −{lg} p(x), which is never negative.)"
    )


def weighted_average_panel(ws: Workspace) -> None:
    """Entropy as the p-weighted average of surprisal: the area picture, the table, the sum."""
    lg = log_name(ws.base)
    st.subheader("Entropy is a weighted average of surprisal")
    h_p = entropy(ws.p, base=ws.base)
    h_x = surprisal(ws.p, base=ws.base)
    terms = entropy_terms(ws.p, base=ws.base)
    chart(
        make_weighted_surprisal(ws.names, ws.p, base=ws.base, unit=ws.unit),
        f"Each class is a bar of width p(x) and height −{lg} p(x); its area is p(x)·(−{lg} p(x)). "
        f"The areas add up to H(p) = {fmt(h_p, ws)}, the height of the dashed line.",
        key="en_weighted",
    )
    st.markdown(
        "Each class contributes its surprisal times how often it happens. The contributions add up to H(p):"
    )
    st.dataframe(
        {
            "class": [*ws.names, "sum"],
            "p(x)": [f"{v:.3f}" for v in ws.p] + [f"{ws.p.sum():.3f}"],
            f"−{lg} p(x)": [fmt(v, ws) for v in h_x] + [""],
            f"p(x) · −{lg} p(x)": [fmt(v, ws) for v in terms] + [f"H(p) = {fmt(h_p, ws)}"],
        },
        hide_index=True,
        height="content",
    )
    pieces = [
        rf"{p:.3f}\cdot " + (r"\infty" if h == float("inf") else f"{h:.3f}")
        for p, h in zip(ws.p, h_x, strict=True)
    ]
    lines = [" + ".join(pieces[i : i + TERMS_PER_LINE]) for i in range(0, len(pieces), TERMS_PER_LINE)]
    body = r" \\ &\quad + ".join(lines)
    st.latex(rf"\begin{{aligned}} H(p) &= {body} \\ &= {h_p:.4f}\ \text{{{ws.unit}}} \end{{aligned}}")
    if (ws.p == 0).any():
        st.caption("A term 0 · ∞ counts as 0: by definition 0 · log 0 = 0, the limit of t log t as t → 0.")


def ceiling_panel(ws: Workspace) -> None:
    """The ceiling log K, reached by the uniform p; the gap is KL from uniform; perplexity."""
    lg, log = log_name(ws.base), LATEX_LOG[ws.unit]
    h_p = entropy(ws.p, base=ws.base)
    h_max = max_entropy(ws.k, base=ws.base)
    pp = perplexity(ws.p)
    st.subheader(f"The most uncertain p is uniform: H(p) ≤ {lg} K")
    gap = kl_divergence(ws.p, uniform(ws.k), base=ws.base)
    chart(
        make_entropy_ceiling(h_p, h_max, base=ws.base, unit=ws.unit, k=ws.k),
        f"H(p) = {fmt(h_p, ws)} is {entropy_fraction(ws.p):.0%} of the maximum {lg} {ws.k} = {fmt(h_max, ws)}; "
        f"the gap is {fmt(gap, ws)}.",
        key="en_ceiling",
    )
    st.markdown(
        f"Under the uniform distribution every one of the K = {ws.k} classes has probability 1/{ws.k}, so every "
        f"class has the same surprisal {lg} {ws.k} = {fmt(h_max, ws)}, and so does their average. Any other p "
        "makes some classes cheaper and others dearer, but the cheap ones now happen more often, so the average "
        "always drops. The gap is exactly the KL divergence from uniform, which is never negative:"
    )
    st.latex(
        rf"\begin{{aligned}} H(p) &= {log} K - \mathrm{{KL}}(p \,\|\, u) \\ &= {h_max:.4f} - {gap:.4f}"
        rf" = {h_p:.4f}\ \text{{{ws.unit}}} \end{{aligned}}"
    )
    base_symbol = BASE_SYMBOL[ws.unit]
    st.markdown(
        f"**Perplexity** puts H back on the scale of classes: ${base_symbol}^{{H(p)}} = "
        f"{base_symbol}^{{{h_p:.4f}}} = {pp:.3f}$. Your p is as uncertain as a fair choice among "
        f"{pp:.2f} equally likely classes (at most K = {ws.k}, reached at uniform)."
    )


@st.fragment
def binary_panel(ws: Workspace) -> None:
    """Two outcomes: a prediction, then the binary entropy curve with your coin."""
    lg, log = log_name(ws.base), LATEX_LOG[ws.unit]
    st.subheader("Two outcomes: the binary entropy curve")
    first = ws.names[0]
    coin = lc.current_value("en_coin", COIN_GRID, COIN_DEFAULT)
    h_coin = binary_entropy(coin, base=ws.base)
    h_first = binary_entropy(float(ws.p[0]), base=ws.base)
    answer = which_larger(h_coin, h_first)
    revealed = predict(
        "en_coin_vs_first",
        f"Which is more uncertain: your coin (θ = {coin:.2f}) or the coin "
        f"“{first} or not {first}” (θ = p({first}) = {ws.p[0]:.3f})?",
        ("Your coin", f"{first} or not", "Equally uncertain"),
        answer,
        f"H_b({coin:.2f}) = {fmt(h_coin, ws)} and H_b({ws.p[0]:.3f}) = {fmt(h_first, ws)}. What matters is how "
        "close θ is to 0.5, not which side it is on: the curve below is symmetric.",
        state=(round(coin, 2), round(float(ws.p[0]), 4), ws.unit),
        lesson="entropy",
        setting=f"θ = {coin:.2f} and p({first}) = {ws.p[0]:.3f}",
    )
    # Before the guess the control moves the question's coin only; the curve and numbers answer it.
    spec, readouts = (
        binary_entropy_chart(COIN_GRID, COIN_CURVE, first, float(ws.p[0]), base=ws.base, unit=ws.unit)
        if revealed
        else (None, ())
    )
    coin = lc.live_slider(
        "Your coin: P(heads) = θ",
        COIN_GRID,
        key="en_coin",
        default=COIN_DEFAULT,
        chart=spec,
        readouts=readouts,
    )
    if not revealed:
        return
    st.latex(rf"H_b(\theta) = -\theta\,{log} \theta - (1-\theta)\,{log}(1-\theta)")
    st.markdown(
        f"A coin that always lands the same way (θ = 0 or 1) has entropy 0: nothing to learn. A fair coin "
        f"is the most uncertain, {lg} 2 = {fmt(binary_entropy(0.5, base=ws.base), ws)}: the case K = 2 of the "
        "ceiling above. The curve is symmetric: a coin biased to heads is as predictable as one biased "
        f'to tails. The blue circle asks only "{first} or not {first}?" of your workspace.'
    )


definition_panel(ws)
surprisal_bars_panel(ws)
weighted_average_panel(ws)
ceiling_panel(ws)
binary_panel(ws)

show_source(entropy, entropy_terms, binary_entropy)
