"""Focal loss: cross-entropy that turns down the examples the model already gets right."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from ce_core.live import focal_alpha_sweep, focal_sweep, parameter_grid
from ce_core.losses import focal_modulation, sigmoid_focal_loss, softmax_focal_loss
from ce_core.variants import FOCAL_SHOWCASE, focal_loss
from lab import lesson_keys as keys
from lab.components import live_chart as lc
from lab.content import focal_loss as content
from lab.figures.variants import (
    alpha_text,
    focal_against_gamma_chart,
    focal_alpha_chart,
    focal_factor_chart,
    focal_gamma_chart,
)
from lab.predict import predict, which_larger
from lab.ui import bound, class_select, fmt, page_header, prose, show_source

#: Positions of the γ control: 0, 0.1, ..., 5.
GAMMA_GRID = parameter_grid(0.0, 5.0, 0.1)
#: Positions of the α control: 0, 0.01, ..., 1 (torchvision's default 0.25 among them).
ALPHA_GRID = parameter_grid(0.0, 1.0, 0.01)
#: q_t along the factor chart: 0, 0.01, ..., 1 (the factor is smooth; a row per γ stays small).
FACTOR_GRID = parameter_grid(0.0, 1.0, 0.01)

ws = page_header("Focal loss", content.INTRO, editor="", dists="q")
st.latex(content.FORMULA)
prose(content.FORMS)


def true_class(ws) -> int:
    """The class the example belongs to (its q is the workspace model's q of that class)."""
    if st.session_state.get(keys.FL_TRUE, keys.FL_TRUE_DEFAULT) not in range(ws.k):
        st.session_state[keys.FL_TRUE] = keys.FL_TRUE_DEFAULT  # the workspace lost that class
    with st.container(key="lesson_controls"):
        left, _ = st.columns([1, 2])
        return class_select(left, "True class", ws, key=keys.FL_TRUE, default=keys.FL_TRUE_DEFAULT)


@st.cache_resource(max_entries=64, show_spinner=False)
def gamma_sweep(q_true: float, alpha: float | None, base: float) -> dict:
    """Every γ at this example and α (one batched ce_core call): the same at every position of the control, so
    a release reruns without recomputing it. Shared read-only (nothing here changes the arrays)."""
    return focal_sweep(q_true, alpha, GAMMA_GRID, base=base, factor_grid=FACTOR_GRID)


def alpha_panel(q_t: float, g: float, ws) -> float | None:
    """The "Use α" toggle and, when on, the α control with its chart at γ = g; returns α (None: off)."""
    st.markdown("**α: weighting positives against negatives** (the binary form)")
    prose(content.ALPHA_STORY)
    on = st.toggle(
        "Use α",
        value=keys.FL_ALPHA_ON_DEFAULT,
        **bound(keys.FL_ALPHA_ON),
        help="Off is torchvision's alpha=-1: no class weighting.",
    )
    # read (and check) a link's α also while the toggle is off: the link keeps it for when it is turned on
    lc.current_value(keys.FL_ALPHA, ALPHA_GRID, keys.FL_ALPHA_DEFAULT)
    if not on:
        st.caption("α is off (torchvision's alpha=-1): every example has weight α_t = 1.")
        return None
    s = focal_alpha_sweep(q_t, g, ALPHA_GRID, base=ws.base)  # one batched ce_core call for every α
    spec, readouts = focal_alpha_chart(s, ALPHA_GRID, q_t, g, unit=ws.unit)
    return lc.live_slider(
        "α, the weight of a positive example",
        ALPHA_GRID,
        key=keys.FL_ALPHA,
        default=keys.FL_ALPHA_DEFAULT,
        chart=spec,
        readouts=readouts,
        hint="torchvision's default is 0.25; a negative gets 1 − α.",
    )


@st.fragment
def lesson(y: int, ws) -> None:
    """The γ panel, then α: one fragment, as the γ numbers depend on α and the α chart on γ."""
    q_t = float(ws.q[y])
    g = lc.current_value(keys.FL_GAMMA, GAMMA_GRID, keys.FL_GAMMA_DEFAULT)
    gamma_box, alpha_box = st.container(), st.container()
    with alpha_box:  # drawn below the γ panel, run first: the γ panel needs α
        alpha = alpha_panel(q_t, g, ws)
    with gamma_box:
        gamma_panel(q_t, y, g, alpha, ws)


def gamma_panel(q_t: float, y: int, g: float, alpha: float | None, ws) -> None:
    ce = focal_loss(q_t, 0.0, None, base=ws.base)
    fl = focal_loss(q_t, g, alpha, base=ws.base)
    fl_next = focal_loss(q_t, g + 1, alpha, base=ws.base)
    revealed = predict(
        "fl_raise_gamma",
        f"This example has q_t = {q_t:.3f}. If γ goes from {g:g} to {g + 1:g}, its focal loss…",
        ("goes down", "goes up", "stays the same"),
        which_larger(fl, fl_next),
        content.raise_gamma_answer(g, fmt(fl, ws), fmt(fl_next, ws)),
        state=(round(q_t, 4), round(g, 1), alpha),
        lesson="focal_loss",
        setting=f"q_t = {q_t:.3f} and γ = {g:g} ({alpha_text(alpha)})",
    )
    s = gamma_sweep(q_t, alpha, ws.base)  # one batched ce_core call for every γ
    # Before the guess the control moves the question's γ only; the curves and numbers answer it.
    spec, readouts = focal_gamma_chart(s, GAMMA_GRID, q_t, alpha, unit=ws.unit) if revealed else (None, ())
    more = (
        (
            focal_against_gamma_chart(s, GAMMA_GRID, q_t, alpha, unit=ws.unit),
            focal_factor_chart(s, GAMMA_GRID, FOCAL_SHOWCASE),
        )
        if revealed
        else ()
    )
    g = lc.live_slider(
        "Focusing parameter γ",
        GAMMA_GRID,
        key=keys.FL_GAMMA,
        default=keys.FL_GAMMA_DEFAULT,
        digits=1,
        chart=spec,
        more_charts=more,
        readouts=readouts,
        hint="0 gives cross-entropy; the paper uses 2.",
    )
    if not revealed:
        return
    fl = focal_loss(q_t, g, alpha, base=ws.base)
    m1, m2, m3 = st.columns(3)
    m1.metric("q_t = q(true class)", f"{q_t:.4f}")
    m2.metric("Cross-entropy −log q_t", fmt(ce, ws))
    m3.metric(f"Focal loss at γ = {g:g}", fmt(fl, ws))
    if q_t == 0:
        st.info(
            f"The model gives **{ws.names[y]}** probability 0: −log 0 = ∞ and the factor is 1, so the "
            "focal loss is ∞ too" + (" (0 with α = 0)." if alpha == 0 else "."),
            icon=":material/all_inclusive:",
        )


def library_check() -> None:
    with st.expander(
        "γ = 0 without α is cross-entropy: checked with the two library forms", icon=":material/check:"
    ):
        st.markdown(content.LIBRARY_CHECK)
        st.code(
            f"sigmoid_focal_loss([2, -1, 0.5], [1, 1, 0], alpha=-1, gamma=0)\n"
            f"  = {sigmoid_focal_loss([2, -1, 0.5], [1, 1, 0], alpha=-1, gamma=0).round(10).tolist()}  "
            f"# = BCE with logits\n"
            f"softmax_focal_loss([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2], gamma=0)\n"
            f"  = {softmax_focal_loss([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2], gamma=0.0):.10f}  "
            f"# = CrossEntropyLoss on the same logits",
            language="python",
        )


lesson(true_class(ws), ws)
library_check()
show_source(focal_loss, focal_modulation)
