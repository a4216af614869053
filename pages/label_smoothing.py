"""Label smoothing: a softer target, and a loss that can no longer reach 0."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from ce_core.figures.spec import prepared
from ce_core.figures.variants import make_smoothing_bars, make_smoothing_curves, make_smoothing_scrub
from ce_core.information import kl_divergence
from ce_core.losses import smooth_targets, smoothed_loss_floor
from ce_core.variants import best_prob_true, smoothed_loss, smoothing_frames
from lab.lesson_keys import LS_EPSILON, LS_EPSILON_DEFAULT, LS_TRUE, LS_TRUE_DEFAULT
from lab.predict import predict
from lab.ui import chart, fmt, page_header, presenter_on, prose, show_source

ws = page_header(
    "Label smoothing",
    "A one-hot target says the true class has probability 1. Label smoothing softens it: keep "
    "$1-\\varepsilon$ on the true class and spread $\\varepsilon$ evenly over **all** $C$ classes, the true "
    "one included. The model ($q$, the bars below) is then never rewarded for being 100% sure, and "
    "the loss can no longer reach 0.", editor="", dists="q"
)

st.latex(r"t' = (1-\varepsilon)\,\mathrm{onehot}(y) + \frac{\varepsilon}{C}")
st.latex(r"\begin{aligned}\ell &= -\sum_c t'_c \log q_c \\ &= H(t') + \mathrm{KL}(t' \,\|\, q) \;\ge\; H(t')\end{aligned}")

if st.session_state.get(LS_TRUE, LS_TRUE_DEFAULT) not in range(ws.k):
    st.session_state[LS_TRUE] = LS_TRUE_DEFAULT  # the workspace lost that class


@st.fragment
def lesson() -> None:
    with st.container(key="lesson_controls"):
        left, right = st.columns([1, 2])
        y = left.selectbox("True class", range(ws.k), index=LS_TRUE_DEFAULT, format_func=lambda i: ws.names[i],
                           key=LS_TRUE, bind="query-params", persist_state="session")
        e = right.slider("Smoothing ε", 0.0, 1.0, LS_EPSILON_DEFAULT, 0.01, key=LS_EPSILON,
                         bind="query-params", persist_state="session",
                         help="PyTorch: nn.CrossEntropyLoss(label_smoothing=ε). 0 is the plain one-hot loss.")
    target = smooth_targets(y, ws.k, e)
    loss = smoothed_loss(ws.q, y, e, base=ws.base)
    plain = smoothed_loss(ws.q, y, 0.0, base=ws.base)
    floor = smoothed_loss_floor(y, ws.k, e, base=ws.base)
    gap = kl_divergence(target, ws.q, base=ws.base)
    best = best_prob_true(ws.k, e)
    # Asked about where the minimum lies, not whether the loss reaches 0: the intro already says it cannot.
    if e > 0:
        choices = ((1.0, "q(true) = 1"), (1 - e, f"q(true) = 1 − ε = {1 - e:.3f}"),
                   (best, f"q(true) = 1 − ε + ε/C = {best:.3f}"))
        why = (f"The loss is H(t′) + KL(t′ ‖ q), smallest where q = t′: at q(true) = {best:.3f}, the smoothed "
               f"target's own weight, where it touches the floor H(t′) = {fmt(floor, ws)}. A more confident model "
               f"pays more again: the target still gives every other class ε/C = {e / ws.k:.3f}, and the model's "
               "q for them shrinks toward 0.")
    else:
        choices = ((1.0, "q(true) = 1"), (0.5, "somewhere below 1"))
        why = "With ε = 0 the target is one-hot: the loss −log q(true) falls all the way to 0 at q(true) = 1."
    if not predict(
        "ls_best_q", f"With ε = {e:g} and C = {ws.k} classes (the other classes sharing the rest evenly), "
        "which probability of the true class gives the lowest loss?",
        [text for _, text in choices], min(range(len(choices)), key=lambda i: abs(choices[i][0] - best)), why,
        state=(round(e, 2), ws.k), setting=f"ε = {e:g} and C = {ws.k}", lesson="label_smoothing",
    ):
        return

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(f"Loss with ε = {e:g}", fmt(loss, ws), help="softmax_cross_entropy(log q, y, label_smoothing=ε)")
    c2.metric("Without smoothing (ε = 0)", fmt(plain, ws), help="−log q(true class)")
    c3.metric("Floor H(t′)", fmt(floor, ws), help="The smallest loss any model can reach against t′.")
    c4.metric("Above the floor: KL(t′ ‖ q)", fmt(gap, ws))

    zero = [ws.names[i] for i in range(ws.k) if ws.q[i] == 0]
    if ws.q[y] == 0:
        st.info(f"The model gives **{ws.names[y]}** probability 0, so the loss is ∞ for every ε: "
                f"−log 0 = ∞. (Its logit would be −∞, which no framework accepts as input.)",
                icon=":material/all_inclusive:")
    elif e > 0 and zero:
        st.info(f"Smoothing puts ε/C = {e / ws.k:.3f} on every class, also on **{', '.join(zero)}**, which "
                f"the model rules out (q = 0). Costing −log 0 = ∞, that makes the loss ∞. At ε = 0 "
                f"those classes weigh nothing and the loss is {fmt(plain, ws)}.", icon=":material/all_inclusive:")

    prose(f"The true class keeps $1-\\varepsilon+\\varepsilon/C$ = **{target[y]:.3f}**, every other class gets "
          f"$\\varepsilon/C$ = **{e / ws.k:.3f}**. The smoothed target $t'$ is a distribution with entropy "
          f"$H(t')$ = {fmt(floor, ws)}; by Gibbs' inequality no $q$ scores below it, and only $q = t'$ reaches it.")

    chart(make_smoothing_bars(ws.names, y, e, ws.q),
          f"True class {ws.names[y]}, ε = {e:g}: the smoothed target gives it {target[y]:.3f} and "
          f"{e / ws.k:.3f} to each other class; the model gives it {ws.q[y]:.3f}.", key="ls_bars")

    point = (float(ws.q[y]), loss)
    chart(make_smoothing_curves(ws.k, e, base=ws.base, unit=ws.unit, point=point),
          f"Loss against q(true class) with the rest spread evenly over the other {ws.k - 1} classes, for "
          f"several ε. With ε = {e:g} the floor is {fmt(floor, ws)}, touched at q(true) = {best:.3f}; "
          f"with smoothing the curve rises again as q(true) → 1. Your q: {fmt(loss, ws)} "
          f"(its other classes as in q above).", key="ls_curves")


lesson()

st.subheader("Drag ε inside the chart")
prose("This chart's slider runs in your browser: every frame was computed beforehand by `ce_core`, so "
      "the curve follows the pointer with no round trip to the server. Watch the floor rise and its "
      "minimum move left, from q(true) = 1 at ε = 0 to q(true) = 1/C at ε = 1 (a uniform target).")


@st.cache_resource(max_entries=64, show_spinner=False)
def _scrub(k: int, base: float, unit: str, e_now: float):
    """51 precomputed frames: build and encode once per (C, unit, opening ε) (see PreparedFigure)."""
    return prepared(make_smoothing_scrub(smoothing_frames(k, base=base), e_now, unit=unit))


e_now = float(st.session_state.get(LS_EPSILON, LS_EPSILON_DEFAULT))
# presenter mode enlarges a figure in place, so it gets its own copy, never the shared cached one
scrub = (make_smoothing_scrub(smoothing_frames(ws.k, base=ws.base), e_now, unit=ws.unit) if presenter_on()
         else _scrub(ws.k, ws.base, ws.unit, e_now))
chart(scrub, f"Loss against q(true class), C = {ws.k}, one frame per ε from 0 to 1. The floor H(t′) grows from "
      f"{fmt(smoothed_loss_floor(0, ws.k, 0.0, base=ws.base), ws)} at ε = 0 to "
      f"{fmt(smoothed_loss_floor(0, ws.k, 1.0, base=ws.base), ws)} (log C) at ε = 1.", key="ls_scrub")

show_source(smoothed_loss, smooth_targets, smoothed_loss_floor)
