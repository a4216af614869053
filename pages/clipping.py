"""The clipping lab: what the frameworks report when the true class gets probability 0."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import streamlit as st

from ce_core.figures.variants import make_clipping_gradients, make_clipping_losses
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import PROBABILITY_STEPS, clip_policies
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from lab.ui import chart, fmt, page_header, prose, show_source

ws = page_header(
    "The clipping lab",
    "The loss of a sample is $-\\log q$, where $q$ is the probability the model gave the true class. "
    "As $q \\to 0$ it grows without bound, and at $q = 0$ it is $\\infty$. Frameworks do not like "
    "infinities, so they cap it, each in its own way. Drag $q$ toward 0 and watch what each one reports, "
    "and what happens to the gradient that training follows.",
)


def _probability_label(v: float) -> str:
    return "0" if v == 0 else f"{v:g}"


#: The slider's options: "0", "1e-50", ..., "1"; float() of each gives back the probability exactly.
STEP_LABELS = tuple(_probability_label(v) for v in PROBABILITY_STEPS)


def _gradient_text(g: float) -> str:
    if math.isinf(g):
        return "−∞" if g < 0 else "∞"
    return "0 (silenced)" if g == 0 else f"{g:.4g}"


@st.fragment
def clipping_lab() -> None:
    """Controls, table and charts: moving q or ε reruns only this panel (the workspace is only read)."""
    with st.container(key="lesson_controls"):
        left, right = st.columns([3, 2])
        # The options are the labels, not the floats: Streamlit matches a float default (or a float from a
        # link) to the first option within 5e-12, so 1e-45 would open the slider at 0.
        choice = left.select_slider("q(true class), on a log scale", STEP_LABELS,
                                    value=_probability_label(CL_PROB_DEFAULT), key=CL_PROB, bind="query-params",
                                    persist_state="session")
        q = float(choice)
        log_eps = right.slider("Your ε, as a power of ten", -30.0, -1.0, CL_EPSILON_DEFAULT, 0.5, key=CL_EPSILON,
                               format="10^%.1f", bind="query-params", persist_state="session",
                               help="The clip −log(clip(q, ε, 1 − ε)) that many hand-written losses use.")
    epsilon = 10.0 ** log_eps
    policies = clip_policies(epsilon)

    prose(f"Frameworks compute in **nats** (natural log). This page follows the workspace unit, **{ws.unit}**: "
          f"PyTorch's cap of 100 nats is {fmt(policies[1].cap(ws.base), ws)}, scikit-learn's "
          f"{policies[2].cap():.2f} nats (float64) is {fmt(policies[2].cap(ws.base), ws)}, and its "
          f"{policies[3].cap():.2f} nats (float32) is {fmt(policies[3].cap(ws.base), ws)}.")


    st.dataframe(
        {
            "how −log q is computed": [p.label for p in policies],
            f"loss at q = {_probability_label(q)}": [fmt(p.loss(q, ws.base), ws) for p in policies],
            "largest value it can report": [fmt(p.cap(ws.base), ws) for p in policies],
            f"gradient ∂loss/∂q ({ws.unit_short}/unit)": [_gradient_text(p.gradient(q, ws.base))
                                                                 for p in policies],
            "rule": [p.rule for p in policies],
        },
        hide_index=True, key="cl_table",
    )
    if q == 0:
        st.info("At q = 0 the true loss is ∞ and its gradient −∞. A log axis has no 0, so the charts stop at "
                "q = 1e-50; the table above gives the values at 0.", icon=":material/all_inclusive:")

    left, right = st.columns(2)
    with left:
        chart(make_clipping_losses(policies, q, base=ws.base, unit=ws.unit),
              f"−log q under each policy, q from 1e-50 to 1 on a log axis. At q = {_probability_label(q)}: "
              f"exact {fmt(policies[0].loss(q, ws.base), ws)}, PyTorch {fmt(policies[1].loss(q, ws.base), ws)}, "
              f"scikit-learn {fmt(policies[2].loss(q, ws.base), ws)} (float64) and "
              f"{fmt(policies[3].loss(q, ws.base), ws)} (float32), your ε {fmt(policies[4].loss(q, ws.base), ws)}.",
              key="cl_loss")
    with right:
        chart(make_clipping_gradients(policies, q, base=ws.base, unit=ws.unit),
              f"Size of the gradient |∂loss/∂q|, log-log. It grows as 1/q; the clips drop it to 0 below their "
              f"ε (the line stops), PyTorch's BCELoss backward keeps returning up to 1e12 nats per unit. "
              f"At q = {_probability_label(q)}: exact {_gradient_text(policies[0].gradient(q, ws.base))}, "
              f"your ε {_gradient_text(policies[4].gradient(q, ws.base))}.", key="cl_grad")


clipping_lab()

prose(
    "**Clipping silences the gradient exactly where the model is most wrong.** Below the clip the reported "
    "loss is flat, so its gradient is 0: a sample the model gets catastrophically wrong stops teaching it "
    "anything. PyTorch's `BCELoss` does the opposite: the *loss* stops at 100 nats, but its backward pass "
    "still returns $(x-1)/\\max(x(1-x), 10^{-12})$, about $-10^{12}$ at $x = 0$, a push large enough to "
    "wreck the weights.\n\n"
    "Neither is needed when the model outputs **logits**: `CrossEntropyLoss` and `BCEWithLogitsLoss` use "
    "log-softmax and log-sigmoid, exact for every finite logit, and the gradient with respect to the logit is "
    "$q - 1$ for the true class: never larger than 1 in size, and largest where the model is most wrong."
)

show_source(clipped_log_loss, clipped_log_loss_gradient)
