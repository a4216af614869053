"""Home: what the lab teaches, the map of lessons, and one live chart of the workspace."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

import ce_core
from lab.figures.distributions import make_distribution_bars
from lab.nav import SECTIONS
from lab.ui import chart, fmt, page_header
from lab.workspace import Workspace

#: One line per lesson for the map below (the order and titles come from lab.nav.SECTIONS).
WHAT_YOU_SEE = {
    "surprisal": "Why a rare event carries more information: h(x) = −log p(x)",
    "entropy": "The average surprise of p, and why uniform is the most uncertain",
    "cross_entropy_kl": "Frequencies from p, code lengths from q: H(p, q) = H(p) + KL(p ‖ q)",
    "one_hot_loss": "How the classifier loss reduces to −log q(true class), worked",
    "bits_on_the_wire": "Sending a real message with a code built for q, bit by bit",
    "binary_ce": "One probability, one label: cross-entropy next to squared and absolute error",
    "softmax_logits": "From logits z to probabilities, temperature, the gradient, overflow",
    "label_smoothing": "A softer target, and a loss that can no longer reach 0",
    "focal_loss": "Turning down the examples the model already gets right",
    "class_weights": 'Weights for rare classes, and what "mean" divides by',
    "clipping": "What each framework reports as q(true) → 0, and the gradient it sends",
    "framework_parity": "The same numbers from PyTorch, scikit-learn and SciPy",
    "training": "Gradient descent on cross-entropy (and MSE) in 2-D, step by step",
    "your_model": "Your own model's predictions: where the loss comes from, calibration, temperature",
    "quiz": "New numbers every attempt; ideas as well as arithmetic",
    "misconceptions": "Common beliefs, each with a live counterexample",
    "glossary": "Every term and the lab's one notation",
}

ws = page_header(
    "Cross-Entropy Lab",
    "Cross-entropy measures how many bits (or nats) you spend on average when events follow "
    "one distribution, **p** (the truth), but you plan for another, **q** (the model). It is the "
    "loss that trains almost every classifier. Drag the bars of p and q below: every number and "
    "chart in the lab follows them.",
    editor="area",
)


def workspace_panel(ws: Workspace) -> None:
    """The three numbers of the workspace, and its p and q as bars."""
    h_p = ce_core.entropy(ws.p, base=ws.base)
    h_pq = ce_core.cross_entropy(ws.p, ws.q, base=ws.base)
    kl = ce_core.kl_divergence(ws.p, ws.q, base=ws.base)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Entropy H(p)",
        fmt(h_p, ws),
        help="A lower bound: no code averages fewer bits per event when events follow p.",
    )
    c2.metric("Cross-entropy H(p, q)", fmt(h_pq, ws), help="What a code built for q costs on events from p.")
    c3.metric("KL(p ‖ q)", fmt(kl, ws), help="The extra cost of planning for q: H(p, q) − H(p).")
    fig = make_distribution_bars(ws.names, ws.p, ws.q)
    chart(
        fig,
        f"p and q over {ws.k} classes. H(p) = {fmt(h_p, ws)}, H(p, q) = {fmt(h_pq, ws)}, "
        f"KL(p ‖ q) = {fmt(kl, ws)}.",
        key="home_bars",
    )


def lesson_map(what_you_see: dict[str, str]) -> None:
    """The lessons by section, each with a link and one line on what it shows."""
    st.subheader("The lessons")
    for section, lessons in SECTIONS.items():
        shown = [lesson for lesson in lessons if lesson.url_path in what_you_see]
        if not shown:
            continue
        with st.container(border=True, key=f"map_{section.lower().replace(' ', '_')}"):
            st.markdown(f"**{section}**")
            for lesson in shown:
                link, words = st.columns([1, 2], vertical_alignment="center")
                link.page_link(lesson.file, label=lesson.title, icon=lesson.icon)
                words.caption(what_you_see[lesson.url_path])


workspace_panel(ws)
lesson_map(WHAT_YOU_SEE)
