"""Focal loss: cross-entropy that turns down the examples the model already gets right."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.live import focal_alpha_sweep, focal_sweep, parameter_grid
from ce_core.losses import focal_modulation, sigmoid_focal_loss, softmax_focal_loss
from ce_core.variants import FOCAL_SHOWCASE, focal_loss
from lab.components import live_chart as lc
from lab.figures import live
from lab.figures.live import nice_ticks
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
from lab.ui import fmt, page_header, prose, show_source

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
    left, _ = st.columns([1, 2])
    y = left.selectbox("True class", range(ws.k), index=FL_TRUE_DEFAULT, format_func=lambda i: ws.names[i],
                       key=FL_TRUE, bind="query-params", persist_state="session")
q_t = float(ws.q[y])


def _alpha_text(alpha: float | None) -> str:
    return f"α = {alpha:g}" if alpha is not None else "no α"


#: Positions of the γ control: 0, 0.1, ..., 5.
GAMMA_GRID = parameter_grid(0.0, 5.0, 0.1)
#: Positions of the α control: 0, 0.01, ..., 1 (torchvision's default 0.25 among them).
ALPHA_GRID = parameter_grid(0.0, 1.0, 0.01)
NEGATIVE_STYLE = {"color": "#CC79A7", "dash": "longdash", "width": 3}
#: q_t along the factor chart: 0, 0.01, ..., 1 (the factor is smooth; a row per γ stays small).
FACTOR_GRID = parameter_grid(0.0, 1.0, 0.01)
#: The factor chart's fixed γ curves (ce_core.variants.FOCAL_SHOWCASE): colour and dash per curve.
SHOWCASE_STYLES = ({"color": "#6B6B6B", "dash": "dot", "width": 2}, {"color": "#0072B2", "dash": "dash", "width": 2},
                   {"color": "#009E73", "dash": "dashdot", "width": 2}, {"color": "#56B4E9", "dash": "longdash", "width": 2},
                   {"color": "#CC79A7", "dash": "dot", "width": 2})


@st.cache_resource(max_entries=64, show_spinner=False)
def gamma_sweep(q_true: float, alpha: float | None, base: float) -> dict:
    """Every γ at this example and α (one batched ce_core call): the same at every position of the control, so
    a release reruns without recomputing it. Shared read-only (nothing here changes the arrays)."""
    return focal_sweep(q_true, alpha, GAMMA_GRID, base=base, factor_grid=FACTOR_GRID)


def gamma_chart(s: dict, alpha: float | None) -> tuple[dict, list[dict]]:
    """Focal loss against q_t at every γ of the grid (one row each) and the workspace example on it."""
    grid = s["grid"]
    alpha_text = _alpha_text(alpha)
    top = float(s["cross_entropy"][np.searchsorted(grid, 0.05)]) * 1.15
    n = GAMMA_GRID.size
    loss_text = [fmt(v, ws) for v in s["loss"]]
    layers = [
        live.line("cross-entropy (γ = 0, no α)", grid, s["cross_entropy"], {"color": "#262730", "dash": "dash", "width": 2}),
        live.curve(f"focal loss ({alpha_text})", grid, s["curves"], "loss", f32=True),
        live.point("your example", np.full(n, q_t), s["loss"], "q", symbol="diamond", labels=loss_text, size=0.55),
    ]
    # what share of its γ = 0 loss the example keeps: the factor (1 − q_t)^γ (α is the same at every γ)
    kept = ([f", {v:.0%} of its loss at γ = 0" for v in s["factor"]] if 0 < q_t < 1 else [""] * n)
    caption = [f"Focal loss ({alpha_text}) at γ = {g:g} against q_t, cross-entropy dashed. Your example: "
               f"q_t = {q_t:.3f}, focal loss {loss_text[i]}{kept[i]}." for i, g in enumerate(GAMMA_GRID)]
    spec = live.chart_spec(layers, x_range=(0.0, 1.02), y_range=(0.0, top), x_label="q_t, the model's probability of the true class",
                         y_label=f"loss ({ws.unit})", x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1),
                         y_ticks=live.ticks(nice_ticks(top)), caption=caption)
    readouts = [
        live.readout("factor", "Factor (1 − q_t)^γ", [f"{v:.4g}" for v in s["factor"]]),
        live.readout("focal", f"Focal loss ({alpha_text})", loss_text),
    ]
    return spec, readouts


def against_gamma_chart(s: dict, alpha: float | None) -> dict:
    """The example's focal loss against γ (one static curve), the current γ marked (a point per position)."""
    alpha_text = _alpha_text(alpha)
    loss = s["loss"]
    finite = loss[np.isfinite(loss)]
    top = float(finite.max()) * 1.2 if finite.size and finite.max() > 0 else 1.0
    loss_text = [fmt(v, ws) for v in loss]
    layers = [
        live.line("focal loss against γ", GAMMA_GRID, loss, "loss", legend=False),
        live.point("at your γ", GAMMA_GRID, loss, "q", symbol="diamond", size=0.55,
                 labels=[f"γ = {g:g}: {t}" for g, t in zip(GAMMA_GRID, loss_text, strict=True)], legend=False),
    ]
    caption = [f"Your example's focal loss ({alpha_text}) against γ from 0 to 5: {loss_text[0]} at γ = 0, "
               f"{loss_text[i]} at γ = {g:g} (marked), {loss_text[-1]} at γ = 5." for i, g in enumerate(GAMMA_GRID)]
    return live.chart_spec(layers, x_range=(-0.1, 5.1), y_range=(0.0, top), x_label="γ", y_label=f"focal loss ({ws.unit})",
                         x_ticks=live.ticks(range(6)), y_ticks=live.ticks(nice_ticks(top)), caption=caption,
                         title=f"Your example (q_t = {q_t:.3f}): focal loss against γ", height_rem=16,
                         key="fl_gamma_curve")


def factor_chart(s: dict) -> dict:
    """The factor (1 − q_t)^γ against q_t: fixed γ curves and the current γ's curve (a row per position)."""
    grid = s["factor_grid"]
    layers = [live.line(f"γ = {g:g}", grid, s["factor_curves"][int(np.searchsorted(GAMMA_GRID, g))], style)
              for g, style in zip(FOCAL_SHOWCASE, SHOWCASE_STYLES, strict=True)]
    layers.append(live.curve("your γ", grid, s["factor_curves"], {"color": "#D55E00", "dash": "solid", "width": 4}, f32=True))
    hard, easy = s["factor_marks"][:, 0], s["factor_marks"][:, 1]
    layers += [
        live.point("a hard example (q_t = 0.1)", np.full(GAMMA_GRID.size, s["marks"][0]), hard, "loss", legend=False),
        live.point("an easy example (q_t = 0.9)", np.full(GAMMA_GRID.size, s["marks"][1]), easy, "loss", legend=False),
    ]
    caption = [f"The factor (1 − q_t)^γ for several γ. At γ = {g:g} an easy example (q_t = 0.9) keeps {easy[i]:.3g} "
               f"of its loss, a hard one (q_t = 0.1) keeps {hard[i]:.3g}; γ = 0 keeps everything."
               for i, g in enumerate(GAMMA_GRID)]
    return live.chart_spec(layers, x_range=(0.0, 1.0), y_range=(0.0, 1.05), x_label="q_t, the model's probability of the true class",
                         y_label="factor (no unit)", x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1),
                         y_ticks=live.ticks([0, 0.25, 0.5, 0.75, 1.0]), caption=caption,
                         title="The focal factor (1 − q_t)^γ", height_rem=16, key="fl_factor")


def alpha_chart(s: dict, g: float) -> tuple[dict, list[dict]]:
    """The binary focal loss of a positive and of a negative against q at γ = g, one row per α of the grid."""
    grid = s["grid"]
    top = float(s["positive_unweighted"][np.searchsorted(grid, 0.05)]) * 1.15
    n = ALPHA_GRID.size
    loss_text = [fmt(v, ws) for v in s["loss"]]
    layers = [
        live.line("without α (α_t = 1)", grid, s["positive_unweighted"], "guide"),
        live.line("a negative without α", grid, s["negative_unweighted"], "guide", legend=False),
        live.curve("a positive (y = 1), weight α", grid, s["positive"], "loss", f32=True),
        live.curve("a negative (y = 0), weight 1 − α", grid, s["negative"], NEGATIVE_STYLE, f32=True),
        live.point("your example", np.full(n, q_t), s["loss"], "q", symbol="diamond", labels=loss_text, size=0.55),
    ]
    caption = [f"Binary focal loss at γ = {g:g} against q, the model's probability of the positive class, with "
               f"α = {a:.2f}: a positive (y = 1) is weighted α_t = {a:.2f}, a negative (y = 0) α_t = 1 − α = "
               f"{b:.2f}; dotted, both without α. Your example, a positive with q = {q_t:.3f}: focal loss "
               f"{loss_text[i]}." for i, (a, b) in enumerate(zip(s["alpha_positive"], s["alpha_negative"], strict=True))]
    spec = live.chart_spec(layers, x_range=(0.0, 1.0), y_range=(0.0, top),
                         x_label="q, the model's probability of the positive class", y_label=f"loss ({ws.unit})",
                         x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.2), 1), 1), y_ticks=live.ticks(nice_ticks(top)),
                         caption=caption)
    readouts = [
        live.readout("alpha_pos", "α_t of a positive (y = 1)", [f"{v:.2f}" for v in s["alpha_positive"]]),
        live.readout("alpha_neg", "α_t of a negative (y = 0)", [f"{v:.2f}" for v in s["alpha_negative"]]),
        live.readout("focal", f"Your example's focal loss (γ = {g:g})", loss_text),
    ]
    return spec, readouts


def alpha_panel(g: float) -> float | None:
    """The "Use α" toggle and, when on, the α control with its chart at γ = g; returns α (None: off)."""
    st.markdown("**α: weighting positives against negatives** (the binary form)")
    prose("torchvision multiplies the loss of a positive example by $\\alpha$ and of a negative one by "
          "$1-\\alpha$. Its default $\\alpha = 0.25$ gives the positives, the rare class in object detection, "
          "*less* weight: with $\\gamma = 2$ the many easy negatives are already turned down, and the focal-loss "
          "paper found that the rare class then needs less weight, not more. Without α ($\\alpha_t = 1$) both "
          "losses are the dotted curves.")
    on = st.toggle("Use α", value=FL_ALPHA_ON_DEFAULT, key=FL_ALPHA_ON, bind="query-params",
                   persist_state="session", help="Off is torchvision's alpha=-1: no class weighting.")
    # read (and check) a link's α also while the toggle is off: the link keeps it for when it is turned on
    lc.current_value(FL_ALPHA, ALPHA_GRID, FL_ALPHA_DEFAULT)
    if not on:
        st.caption("α is off (torchvision's alpha=-1): every example has weight α_t = 1.")
        return None
    s = focal_alpha_sweep(q_t, g, ALPHA_GRID, base=ws.base)  # one batched ce_core call for every α
    spec, readouts = alpha_chart(s, g)
    return lc.live_slider("α, the weight of a positive example", ALPHA_GRID, key=FL_ALPHA, default=FL_ALPHA_DEFAULT,
                          chart=spec, readouts=readouts, hint="torchvision's default is 0.25; a negative gets 1 − α.")


@st.fragment
def lesson() -> None:
    """The γ panel, then α: one fragment, as the γ numbers depend on α and the α chart on γ."""
    g = lc.current_value(FL_GAMMA, GAMMA_GRID, FL_GAMMA_DEFAULT)
    gamma_box, alpha_box = st.container(), st.container()
    with alpha_box:  # drawn below the γ panel, run first: the γ panel needs α
        alpha = alpha_panel(g)
    with gamma_box:
        gamma_panel(g, alpha)


def gamma_panel(g: float, alpha: float | None) -> None:
    alpha_text = _alpha_text(alpha)
    ce = focal_loss(q_t, 0.0, None, base=ws.base)
    fl = focal_loss(q_t, g, alpha, base=ws.base)
    fl_next = focal_loss(q_t, g + 1, alpha, base=ws.base)
    revealed = predict(
        "fl_raise_gamma", f"This example has q_t = {q_t:.3f}. If γ goes from {g:g} to {g + 1:g}, its focal loss…",
        ("goes down", "goes up", "stays the same"), which_larger(fl, fl_next),
        f"Focal loss at γ = {g:g}: {fmt(fl, ws)}; at γ = {g + 1:g}: {fmt(fl_next, ws)}. The factor (1 − q_t)^γ "
        "is below 1 whenever 0 < q_t < 1, so a larger γ shrinks every loss, the easy ones (q_t near 1) most. "
        "At q_t = 1 the loss is 0 and at q_t = 0 it is ∞, whatever γ.",
        state=(round(q_t, 4), round(g, 1), alpha), lesson="focal_loss",
        setting=f"q_t = {q_t:.3f} and γ = {g:g} ({alpha_text})",
    )
    s = gamma_sweep(q_t, alpha, ws.base)  # one batched ce_core call for every γ
    # Before the guess the control moves the question's γ only; the curves and numbers answer it.
    spec, readouts = gamma_chart(s, alpha) if revealed else (None, ())
    more = (against_gamma_chart(s, alpha), factor_chart(s)) if revealed else ()
    g = lc.live_slider("Focusing parameter γ", GAMMA_GRID, key=FL_GAMMA, default=FL_GAMMA_DEFAULT, digits=1,
                       chart=spec, more_charts=more, readouts=readouts, hint="0 gives cross-entropy; the paper uses 2.")
    if not revealed:
        return
    fl = focal_loss(q_t, g, alpha, base=ws.base)
    m1, m2, m3 = st.columns(3)
    m1.metric("q_t = q(true class)", f"{q_t:.4f}")
    m2.metric("Cross-entropy −log q_t", fmt(ce, ws))
    m3.metric(f"Focal loss at γ = {g:g}", fmt(fl, ws))
    if q_t == 0:
        st.info(f"The model gives **{ws.names[y]}** probability 0: −log 0 = ∞ and the factor is 1, so the "
                "focal loss is ∞ too" + (" (0 with α = 0)." if alpha == 0 else "."), icon=":material/all_inclusive:")


lesson()

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
