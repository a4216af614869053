"""Label smoothing: a softer target, and a loss that can no longer reach 0."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.live import parameter_grid, smoothing_sweep
from ce_core.losses import smooth_targets, smoothed_loss_floor
from ce_core.variants import best_prob_true, smoothed_loss
from lab.components import live_chart as lc
from lab.figures.variants import smoothing_chart, smoothing_targets_chart
from lab.lesson_keys import LS_EPSILON, LS_EPSILON_DEFAULT, LS_TRUE, LS_TRUE_DEFAULT
from lab.predict import predict
from lab.ui import class_select, fmt, page_header, presenter_on, prose, show_source
from lab.view import SIDE_FORMULA

TARGET = r"t' = (1-\varepsilon)\,\mathrm{onehot}(y) + \frac{\varepsilon}{C}"
LOSS = r"\begin{aligned}\ell &= -\sum_c t'_c \log q_c \\ &= H(t') + \mathrm{KL}(t' \,\|\, q) \;\ge\; H(t')\end{aligned}"
#: Positions of the ε control: 0, 0.01, ..., 1.
EPS_GRID = parameter_grid(0.0, 1.0, 0.01)

ws = page_header(
    "Label smoothing",
    "A one-hot target says the true class has probability 1. Label smoothing softens it: keep "
    "$1-\\varepsilon$ on the true class and spread $\\varepsilon$ evenly over **all** $C$ classes, the true "
    "one included. The model ($q$, the bars below) is then never rewarded for being 100% sure, and "
    "the loss can no longer reach 0.",
    editor="",
    dists="q",
)
if not presenter_on():  # presenter mode sets them beside the class control (in lesson() below)
    st.latex(TARGET)
    st.latex(LOSS)

if st.session_state.get(LS_TRUE, LS_TRUE_DEFAULT) not in range(ws.k):
    st.session_state[LS_TRUE] = LS_TRUE_DEFAULT  # the workspace lost that class


@st.cache_resource(max_entries=64, show_spinner=False)
def sweep(q: tuple[float, ...], y: int, base: float) -> dict:
    """Every ε at this model q (one batched ce_core call): the same for every position of the control, so a
    release reruns without recomputing it. Shared read-only (nothing here changes the arrays)."""
    return smoothing_sweep(np.asarray(q), y, EPS_GRID, base=base)


@st.fragment
def lesson(ws, presenting: bool) -> None:
    with st.container(key="lesson_controls"):
        if presenting:  # a projector's first screen holds the ε control and its chart: one row
            left, *right = st.columns([0.8, 1.2, 1.4], vertical_alignment="center")
            for col, name, formula in zip(right, ("target", "loss"), (TARGET, LOSS), strict=True):
                with col, st.container(key=f"{SIDE_FORMULA}_ls_{name}"):
                    st.latex(formula)
        else:
            left, _ = st.columns([1, 2])
        y = class_select(left, "True class", ws, key=LS_TRUE, default=LS_TRUE_DEFAULT)
    e = lc.current_value(LS_EPSILON, EPS_GRID, LS_EPSILON_DEFAULT)
    floor = smoothed_loss_floor(y, ws.k, e, base=ws.base)
    best = best_prob_true(ws.k, e)
    # Asked about where the minimum lies, not whether the loss reaches 0: the intro already says it cannot.
    if e > 0:
        choices = (
            (1.0, "q(true) = 1"),
            (1 - e, f"q(true) = 1 − ε = {1 - e:.3f}"),
            (best, f"q(true) = 1 − ε + ε/C = {best:.3f}"),
        )
        why = (
            f"The loss is H(t′) + KL(t′ ‖ q), smallest where q = t′: at q(true) = {best:.3f}, the smoothed "
            f"target's own weight, where it touches the floor H(t′) = {fmt(floor, ws)}. A more confident model "
            f"pays more again: the target still gives every other class ε/C = {e / ws.k:.3f}, and the model's "
            "q for them shrinks toward 0."
        )
    else:
        choices = ((1.0, "q(true) = 1"), (0.5, "somewhere below 1"))
        why = "With ε = 0 the target is one-hot: the loss −log q(true) falls all the way to 0 at q(true) = 1."
    # Presenter mode: the control first, the question under it (not pushing the control down).
    first, second = st.container(), st.container()
    ask, drive = (second, first) if presenting else (first, second)
    with ask:
        revealed = predict(
            "ls_best_q",
            f"With ε = {e:g} and C = {ws.k} classes (the other classes sharing the rest evenly), "
            "which probability of the true class gives the lowest loss?",
            [text for _, text in choices],
            min(range(len(choices)), key=lambda i: abs(choices[i][0] - best)),
            why,
            state=(round(e, 2), ws.k),
            setting=f"ε = {e:g} and C = {ws.k}",
            lesson="label_smoothing",
        )
    s = sweep(tuple(float(v) for v in ws.q), y, ws.base)  # one batched ce_core call for every ε
    # Before the guess the control moves the question's ε only; the curve and numbers answer it.
    spec, readouts = (
        smoothing_chart(s, EPS_GRID, e, float(ws.q[y]), ws.k, unit=ws.unit) if revealed else (None, ())
    )
    more = (smoothing_targets_chart(s, EPS_GRID, y, ws.names, ws.q),) if revealed else ()
    with drive:
        e = lc.live_slider(
            "Smoothing ε",
            EPS_GRID,
            key=LS_EPSILON,
            default=LS_EPSILON_DEFAULT,
            chart=spec,
            more_charts=more,
            readouts=readouts,
            hint="PyTorch: nn.CrossEntropyLoss(label_smoothing=ε). 0 is the plain one-hot loss.",
        )
    if not revealed:
        return
    target = smooth_targets(y, ws.k, e)
    loss = smoothed_loss(ws.q, y, e, base=ws.base)
    plain = smoothed_loss(ws.q, y, 0.0, base=ws.base)
    floor = smoothed_loss_floor(y, ws.k, e, base=ws.base)
    c1, c2 = st.columns(2)
    c1.metric(
        f"Loss with ε = {e:g}", fmt(loss, ws), help="softmax_cross_entropy(log q, y, label_smoothing=ε)"
    )
    c2.metric("Without smoothing (ε = 0)", fmt(plain, ws), help="−log q(true class)")

    zero = [ws.names[i] for i in range(ws.k) if ws.q[i] == 0]
    if ws.q[y] == 0:
        st.info(
            f"The model gives **{ws.names[y]}** probability 0, so the loss is ∞ for every ε: "
            f"−log 0 = ∞. (Its logit would be −∞, which no framework accepts as input.)",
            icon=":material/all_inclusive:",
        )
    elif e > 0 and zero:
        st.info(
            f"Smoothing puts ε/C = {e / ws.k:.3f} on every class, also on **{', '.join(zero)}**, which "
            f"the model rules out (q = 0). Costing −log 0 = ∞, that makes the loss ∞. At ε = 0 "
            f"those classes weigh nothing and the loss is {fmt(plain, ws)}.",
            icon=":material/all_inclusive:",
        )

    prose(
        f"The true class keeps $1-\\varepsilon+\\varepsilon/C$ = **{target[y]:.3f}**, every other class gets "
        f"$\\varepsilon/C$ = **{e / ws.k:.3f}**. The smoothed target $t'$ is a distribution with entropy "
        f"$H(t')$ = {fmt(floor, ws)}; by Gibbs' inequality no $q$ scores below it, and only $q = t'$ reaches it. "
        "Watch the floor rise and its minimum move left as ε grows, from q(true) = 1 at ε = 0 to "
        "q(true) = 1/C at ε = 1 (a uniform target)."
    )


lesson(ws, presenter_on())

show_source(smoothed_loss, smooth_targets, smoothed_loss_floor)
