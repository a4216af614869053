"""The clipping lab: what the frameworks report when the true class gets probability 0."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.live import clip_epsilon_sweep, clipping_sweep, grid_index, parameter_grid
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import PROBABILITY_STEPS, clip_policies
from lab.components import live_chart as lc
from lab.figures.variants import (
    clip_epsilon_chart,
    clip_gradient_chart,
    clip_loss_chart,
    gradient_text,
    probability_label,
)
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from lab.ui import fmt, page_header, prose, show_source

#: The control's position labels: "0", "1e-50", ..., "1"; float() of each gives back the probability exactly.
STEP_LABELS = tuple(probability_label(v) for v in PROBABILITY_STEPS)
#: Positions of the ε control: log10 ε = −30, −29.5, ..., −1 (the value a link holds).
LOG_EPS_GRID = parameter_grid(-30.0, -1.0, 0.5)


def _epsilon_label(log_eps: float) -> str:
    """ε as the control writes it: "1e-7" at a whole power of ten, "10^-7.5" between."""
    return f"1e{int(log_eps)}" if float(log_eps).is_integer() else f"10^{log_eps:g}"


#: The ε control's position labels.
EPS_LABELS = tuple(_epsilon_label(v) for v in LOG_EPS_GRID)
#: q = 1e-50, 1e-49, ..., 1 along the ε chart: −log q is a straight line on a log axis, so these and
#: each curve's corners (ε and 1 − ε, added by the sweep) draw it exactly, with a small table.
DECADES = np.logspace(-50, 0, 51)

ws = page_header(
    "The clipping lab",
    "The loss of a sample is $-\\log q$, where $q$ is the probability the model gave the true class. "
    "As $q \\to 0$ it grows without bound, and at $q = 0$ it is $\\infty$. Frameworks do not like "
    "infinities, so they cap it, each in its own way. Drag $q$ toward 0 and watch what each one reports, "
    "and what happens to the gradient that training follows; then choose your own clip ε.",
)


@st.fragment
def clipping_lab(ws) -> None:
    """Both controls, the table and the charts: moving q or ε reruns only this panel (the workspace is only read)."""
    q = lc.current_value(CL_PROB, PROBABILITY_STEPS, CL_PROB_DEFAULT)
    log_eps = lc.current_value(CL_EPSILON, LOG_EPS_GRID, CL_EPSILON_DEFAULT)
    es = clip_epsilon_sweep(LOG_EPS_GRID, q, base=ws.base, grid=DECADES)  # every ε at this q: one batch
    policies = clip_policies(float(es["epsilon"][grid_index(LOG_EPS_GRID, log_eps)]))
    s = clipping_sweep(policies, PROBABILITY_STEPS, base=ws.base)  # every policy at every q: one batch
    spec, readouts = clip_loss_chart(policies, s, PROBABILITY_STEPS, unit=ws.unit)
    q = lc.live_slider(
        "q(true class), on a log scale",
        PROBABILITY_STEPS,
        key=CL_PROB,
        default=CL_PROB_DEFAULT,
        value_text=STEP_LABELS,
        chart=spec,
        more_charts=[clip_gradient_chart(policies, s, PROBABILITY_STEPS, unit_short=ws.unit_short)],
        readouts=readouts,
    )

    prose(
        f"Frameworks compute in **nats** (natural log). This page follows the workspace unit, **{ws.unit}**: "
        f"PyTorch's cap of 100 nats is {fmt(policies[1].cap(ws.base), ws)}, scikit-learn's "
        f"{policies[2].cap():.2f} nats (float64) is {fmt(policies[2].cap(ws.base), ws)}, and its "
        f"{policies[3].cap():.2f} nats (float32) is {fmt(policies[3].cap(ws.base), ws)}."
    )

    st.dataframe(
        {
            "how −log q is computed": [p.label for p in policies],
            f"loss at q = {probability_label(q)}": [fmt(p.loss(q, ws.base), ws) for p in policies],
            "largest value it can report": [fmt(p.cap(ws.base), ws) for p in policies],
            f"gradient ∂loss/∂q ({ws.unit_short}/unit)": [
                gradient_text(p.gradient(q, ws.base)) for p in policies
            ],
            "rule": [p.rule for p in policies],
        },
        hide_index=True,
        key="cl_table",
    )
    if q == 0:
        st.info(
            "At q = 0 the true loss is ∞ and its gradient −∞. A log axis has no 0, so the charts stop at "
            "q = 1e-50; the table above gives the values at 0.",
            icon=":material/all_inclusive:",
        )

    st.markdown("**Your own clip ε**: many hand-written losses compute −log(clip(q, ε, 1 − ε)).")
    spec, readouts = clip_epsilon_chart(es, q, EPS_LABELS, unit=ws.unit, unit_short=ws.unit_short)
    lc.live_slider(
        "Your ε",
        LOG_EPS_GRID,
        key=CL_EPSILON,
        default=CL_EPSILON_DEFAULT,
        value_text=EPS_LABELS,
        chart=spec,
        readouts=readouts,
        hint="Half a power of ten per step.",
    )


clipping_lab(ws)

prose(
    "**Clipping silences the gradient exactly where the model is most wrong.** Below the clip the reported "
    "loss is flat, so its gradient is 0: a sample the model gets catastrophically wrong stops teaching it "
    "anything. PyTorch's `BCELoss` does the opposite: the *loss* stops at 100 nats, but its backward pass "
    "still returns $(q-1)/\\max(q(1-q), 10^{-12})$ (for a positive, label 1), about $-10^{12}$ at $q = 0$, a push large enough to "
    "wreck the weights.\n\n"
    "Neither is needed when the model outputs **logits**: `CrossEntropyLoss` and `BCEWithLogitsLoss` use "
    "log-softmax and log-sigmoid, exact for every finite logit, and the gradient with respect to the logit is "
    "$q - 1$ for the true class: never larger than 1 in size, and largest where the model is most wrong."
)

show_source(clipped_log_loss, clipped_log_loss_gradient)
