"""Focal loss: cross-entropy that turns down the examples the model already gets right."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from ce_core.figures.spec import prepared
from ce_core.figures.variants import make_focal_curves, make_focal_factor, make_focal_scrub
from ce_core.losses import focal_modulation, sigmoid_focal_loss, softmax_focal_loss
from ce_core.variants import focal_frames, focal_loss
from lab.lesson_keys import (
    FL_ALPHA,
    FL_ALPHA_DEFAULT,
    FL_ALPHA_ON,
    FL_ALPHA_ON_DEFAULT,
    FL_GAMMA,
    FL_GAMMA_DEFAULT,
    FL_TRUE,
    FL_TRUE_DEFAULT,
)
from lab.predict import predict, which_larger
from lab.ui import chart, fmt, page_header, presenter_on, prose, show_source

ws = page_header(
    "Focal loss",
    "Most examples in a large data set are easy: the model already gives the true class a high "
    "probability $q_t$. Their small losses still add up. Focal loss multiplies cross-entropy by "
    "$(1-q_t)^\\gamma$, a factor near 0 for easy examples and near 1 for hard ones, so training "
    "spends its effort on the hard ones. With $\\gamma = 0$ and no $\\alpha$ it **is** cross-entropy.", editor="", dists="q",
)
st.latex(r"\mathrm{FL}(q_t) = -\,\alpha_t\,(1-q_t)^{\gamma}\,\log q_t")
prose(
    "Here $q_t$ is the model's probability of the true class, $q_y$. torchvision and the focal-loss paper "
    "write the same number as $p_t$; this lab keeps $p$ for the truth. Two forms share this formula:\n"
    "- **Binary, `torchvision.ops.sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2)`**: one logit "
    "$z$ per example, $q = \\sigma(z)$, $q_t = q$ for a positive (label $y = 1$) and $1-q$ for a negative; "
    "$\\alpha_t = \\alpha$ for positives and $1-\\alpha$ for negatives; `alpha=-1` switches the weighting "
    "off. Its default reduction is `\"none\"` (one loss per element).\n"
    "- **Multi-class, the paper's form** (Lin et al., 2017): $q_t = \\mathrm{softmax}(z)_y$ and $\\alpha_t$ a "
    "weight for the true class $y$.\n\n"
    "Below, $q_t$ is the workspace model's $q$ of the class you call true, and $\\alpha_t = \\alpha$ (a positive "
    "example in the binary form)."
)

if st.session_state.get(FL_TRUE, FL_TRUE_DEFAULT) not in range(ws.k):
    st.session_state[FL_TRUE] = FL_TRUE_DEFAULT  # the workspace lost that class

with st.container(key="lesson_controls"):
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    y = c1.selectbox("True class", range(ws.k), index=FL_TRUE_DEFAULT, format_func=lambda i: ws.names[i],
                     key=FL_TRUE, bind="query-params", persist_state="session")
    alpha_on = c2.toggle("Use α", value=FL_ALPHA_ON_DEFAULT, key=FL_ALPHA_ON, bind="query-params",
                         persist_state="session", help="Off is torchvision's alpha=-1: no class weighting.")
    # only drawn when used: a disabled slider would still look like a control that does something
    alpha = (c3.slider("α (weight of a positive example)", 0.0, 1.0, FL_ALPHA_DEFAULT, 0.05, key=FL_ALPHA,
                       bind="query-params", persist_state="session") if alpha_on else None)
q_t = float(ws.q[y])
alpha_text = f"α = {alpha:g}" if alpha is not None else "no α"


@st.fragment
def gamma_panel() -> None:
    g = st.slider("Focusing parameter γ", 0.0, 5.0, FL_GAMMA_DEFAULT, 0.1, key=FL_GAMMA, bind="query-params",
                  persist_state="session", help="0 gives cross-entropy; the paper uses 2.")
    ce = focal_loss(q_t, 0.0, None, base=ws.base)
    fl = focal_loss(q_t, g, alpha, base=ws.base)
    factor = focal_modulation(q_t, g)
    fl_next = focal_loss(q_t, g + 1, alpha, base=ws.base)
    if not predict(
        "fl_raise_gamma", f"This example has q_t = {q_t:.3f}. If γ goes from {g:g} to {g + 1:g}, its focal loss…",
        ("goes down", "goes up", "stays the same"), which_larger(fl, fl_next),
        f"Focal loss at γ = {g:g}: {fmt(fl, ws)}; at γ = {g + 1:g}: {fmt(fl_next, ws)}. The factor (1 − q_t)^γ "
        "is below 1 whenever 0 < q_t < 1, so a larger γ shrinks every loss, the easy ones (q_t near 1) most. "
        "At q_t = 1 the loss is 0 and at q_t = 0 it is ∞, whatever γ.",
        state=(round(q_t, 4), round(g, 1), alpha), lesson="focal_loss",
        setting=f"q_t = {q_t:.3f} and γ = {g:g} ({alpha_text})",
    ):
        return
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("q_t = q(true class)", f"{q_t:.4f}")
    m2.metric("Cross-entropy −log q_t", fmt(ce, ws))
    m3.metric("Factor (1 − q_t)^γ", f"{factor:.4g}")
    m4.metric(f"Focal loss (γ = {g:g}, {alpha_text})", fmt(fl, ws))
    if q_t == 0:
        st.info(f"The model gives **{ws.names[y]}** probability 0: −log 0 = ∞ and the factor is 1, so the "
                "focal loss is ∞ too" + (" (0 with α = 0)." if alpha == 0 else "."), icon=":material/all_inclusive:")
    easy, hard = focal_modulation(0.9, g), focal_modulation(0.1, g)
    chart(make_focal_factor(g),
          f"The factor (1 − q_t)^γ for several γ. At γ = {g:g} an easy example (q_t = 0.9) keeps {easy:.3g} "
          f"of its loss, a hard one (q_t = 0.1) keeps {hard:.3g}; γ = 0 keeps everything.", key="fl_factor")
    chart(make_focal_curves(g, alpha, base=ws.base, unit=ws.unit, point_x=q_t),
          f"Focal loss against q_t for several γ ({alpha_text}), with plain cross-entropy dashed. Your example: "
          f"q_t = {q_t:.3f}, cross-entropy {fmt(ce, ws)}, focal loss {fmt(fl, ws)}.", key="fl_curves")


gamma_panel()

st.subheader("Drag γ inside the chart")
prose("The slider below the chart runs in your browser, over frames `ce_core` computed beforehand: the "
      "curve flattens for easy examples as γ grows. Every example loses some of its loss, but a hard one "
      f"(small q_t) keeps a far larger share than an easy one: at γ = 2, q_t = 0.1 keeps "
      f"{focal_modulation(0.1, 2.0):.0%}, q_t = 0.9 keeps {focal_modulation(0.9, 2.0):.0%}.")


@st.cache_resource(max_entries=64, show_spinner=False)
def _scrub(q_t: float, alpha: float | None, base: float, unit: str, g_now: float):
    """51 precomputed frames: build and encode once per state (see PreparedFigure)."""
    return prepared(make_focal_scrub(focal_frames(q_t, alpha, base=base), g_now, unit=unit))


frames = focal_frames(q_t, alpha, base=ws.base)
kept = (f", {float(frames.point_losses[-1] / frames.point_losses[0]):.0%} of its loss at γ = 0"
        if 0 < q_t < 1 and frames.point_losses[0] > 0 else "")
g_now = float(st.session_state.get(FL_GAMMA, FL_GAMMA_DEFAULT))
# presenter mode enlarges a figure in place, so it gets its own copy, never the shared cached one
scrub = make_focal_scrub(frames, g_now, unit=ws.unit) if presenter_on() else _scrub(q_t, alpha, ws.base, ws.unit, g_now)
chart(scrub,
      f"Focal loss ({alpha_text}) against q_t, one frame per γ from 0 to 5, cross-entropy dashed. Your example "
      f"(q_t = {q_t:.3f}) goes from {fmt(float(frames.point_losses[0]), ws)} at γ = 0 to "
      f"{fmt(float(frames.point_losses[-1]), ws)} at γ = 5{kept}.", key="fl_scrub")

with st.expander("γ = 0 without α is cross-entropy: checked with the two library forms", icon=":material/check:"):
    st.markdown(
        "`ce_core.sigmoid_focal_loss` follows torchvision; `ce_core.softmax_focal_loss` the multi-class form. "
        "At γ = 0 and without α both reduce to cross-entropy (in nats, as the libraries report):"
    )
    st.code(
        f"sigmoid_focal_loss([2, -1, 0.5], [1, 1, 0], alpha=-1, gamma=0)\n"
        f"  = {sigmoid_focal_loss([2, -1, 0.5], [1, 1, 0], alpha=-1, gamma=0).round(10).tolist()}  "
        f"# = BCE with logits\n"
        f"softmax_focal_loss([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2], gamma=0)\n"
        f"  = {softmax_focal_loss([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2], gamma=0.0):.10f}  "
        f"# = CrossEntropyLoss on the same logits",
        language="python",
    )

show_source(focal_loss, focal_modulation)
