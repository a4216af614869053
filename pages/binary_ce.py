"""Lesson: binary cross-entropy, one prediction at a time, next to MSE and MAE."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import copy
import math

import pandas as pd
import streamlit as st

from ce_core.binary_point import binary_logit_gradient, binary_point, confident_mistakes
from ce_core.figures.binary import make_binary_loss_figure, make_binary_scrub_figure
from ce_core.figures.spec import prepared
from ce_core.losses import binary_cross_entropy, binary_cross_entropy_gradient
from lab.lesson_keys import BCE_LABEL, BCE_LABEL_DEFAULT, BCE_PRED, BCE_PRED_DEFAULT
from lab.predict import predict
from lab.ui import chart, fmt, page_header, presenter_on, prose, show_source

SPAM_CONFIDENT, SPAM_UNSURE = 0.90, 0.51
MISTAKE_ROWS = (0.51, 0.6, 0.75, 0.9, 0.99, 0.999)

ws = page_header(
    "Binary cross-entropy",
    "A spam filter outputs one number, **q**: the probability it gives to *spam* (class 1). "
    "The label **y** says what the email really is. Binary cross-entropy charges "
    "$-\\log q$ when the email is spam and $-\\log(1-q)$ when it is not: the surprisal of what "
    "actually happened, under the model.",
)


def _load_spam_example(prediction: float) -> None:
    st.session_state[BCE_LABEL] = 0
    st.session_state[BCE_PRED] = prediction


st.latex(r"\ell(y, q) = -\big[\,y \log q + (1 - y) \log (1 - q)\,\big]")

col_label, col_presets = st.columns([1, 2], vertical_alignment="bottom")
with col_label:
    y = st.segmented_control(
        "True label y (1 = spam, 0 = not spam)", (1, 0), default=BCE_LABEL_DEFAULT, format_func=str,
        required=True,
        key=BCE_LABEL, bind="query-params", persist_state="session",
        help="Which class the email really belongs to.",
    )
with col_presets:
    st.caption("A spam example: the email is **not** spam, and the model says…")
    b1, b2 = st.columns(2)
    b1.button(f"{SPAM_CONFIDENT:.0%} spam (confident, wrong)", on_click=_load_spam_example,
              args=(SPAM_CONFIDENT,), width="stretch", icon=":material/mail:")
    b2.button(f"{SPAM_UNSURE:.0%} spam (unsure, wrong)", on_click=_load_spam_example,
              args=(SPAM_UNSURE,), width="stretch", icon=":material/help:")
y = BCE_LABEL_DEFAULT if y is None else int(y)


@st.fragment
def prediction_panel(y: int) -> None:
    x = st.slider(
        "Predicted probability of spam, q", 0.0, 1.0, value=BCE_PRED_DEFAULT, step=0.01, key=BCE_PRED,
        bind="query-params", persist_state="session",
        help="Release the slider (or use the arrow keys) to update. The figure further down follows "
        "the pointer while you drag.",
    )
    pt = binary_point(y, x, ws.base)
    c1, c2, c3 = st.columns(3)
    c1.metric("Cross-entropy ℓ", fmt(pt.loss, ws))
    c2.metric("Slope dℓ/dq", fmt(pt.slope, ws).replace("∞", "−∞" if pt.slope < 0 else "∞"),
              help=f"Change of the loss per unit of probability ({ws.unit} per unit of q): "
              "−y/q + (1−y)/(1−q), divided by ln b for your unit.")
    c3.metric("Gradient to the logit dℓ/dz", fmt(pt.logit_gradient, ws),
              help="With q = sigmoid(z), the chain rule leaves q − y (in nats; other units divide by ln b). "
              "Bounded by 1, even where the loss is infinite.")
    if math.isinf(pt.loss):
        push = f"{binary_logit_gradient(y, x):+.0f}".replace("-", "−")
        st.info(f"q = {x:.2f} gives the true label probability 0, so the loss is −log 0 = ∞ {ws.unit} and the "
                "slope is infinite (no tangent line can be drawn). The gradient to the logit, "
                f"q − y = {push} nats, stays finite. Frameworks cap the infinity: see the clipping lab.",
                icon=":material/all_inclusive:")
    fig = make_binary_loss_figure(y, x, ws.base, ws.unit)
    slope_text = "infinite (no tangent)" if math.isinf(pt.slope) else f"{pt.slope:+.4f} {ws.unit} per unit q"
    chart(fig, f"Loss against the prediction q for label y = {y}. At q = {x:.2f}: cross-entropy "
               f"{fmt(pt.loss, ws)}, slope {slope_text}; squared error {pt.squared:.4f} and absolute "
               f"error {pt.absolute:.4f}, plain numbers with no unit, read on their own axis at the right.", key="bce_curves")
    prose(
        f"In nats the gradient that reaches the logit z is exactly $q - y = {binary_logit_gradient(y, x):+.2f}$. "
        "That is why a sigmoid output paired with cross-entropy trains well: the push is proportional to "
        "the error, however confident the mistake."
    )


prediction_panel(y)

st.subheader("Why not squared or absolute error?")
prose(
    "For a probability, squared error $(y-q)^2$ and absolute error $|y-q|$ never exceed 1: a model that "
    "is 99.9% sure and wrong pays at most 1. Cross-entropy has no ceiling: the loss grows without bound as "
    "the true class's probability goes to 0. MSE and MAE are plain numbers with no unit; only "
    f"cross-entropy is measured in {ws.unit} (the natural log gives nats, log base 2 gives bits)."
)
table = confident_mistakes(MISTAKE_ROWS, y=0, reference=SPAM_UNSURE, base=ws.base)
i90 = MISTAKE_ROWS.index(SPAM_CONFIDENT)
i999 = MISTAKE_ROWS.index(0.999)
ratio = table["cross_entropy_ratio"][i90]
naive = SPAM_CONFIDENT / SPAM_UNSURE
options = (f"about {naive:.1f}× (like the probabilities)", f"about {ratio:.1f}×", "about 10×")
revealed = predict(
    "bce_spam_ratio", f"The email is **not** spam. A model {SPAM_CONFIDENT:.0%} sure it is spam pays how many "
    f"times the cross-entropy of a model that says {SPAM_UNSURE:.0%}?",
    options, 1,
    f"−ln(1 − {SPAM_CONFIDENT}) / −ln(1 − {SPAM_UNSURE}) = {ratio:.2f}: the loss is the surprisal of what "
    "happened, −log(1 − q), and it grows much faster than q as the model grows sure of the wrong answer.",
    state=(SPAM_CONFIDENT, SPAM_UNSURE), lesson="binary",
)
if revealed:
    frame = pd.DataFrame({
        "P(spam)": table["prediction"],
        f"CE ({ws.unit_short})": table["cross_entropy"],
        "CE ×": table["cross_entropy_ratio"],
        "MSE": table["squared"],
        "MSE ×": table["squared_ratio"],
        "MAE": table["absolute"],
        "MAE ×": table["absolute_ratio"],
        "∂CE/∂z": table["cross_entropy_logit_gradient"],
        "∂MSE/∂z": table["squared_logit_gradient"],
    })
    HELP = {
        f"CE ({ws.unit_short})": f"Binary cross-entropy in {ws.unit}.",
        "CE ×": "Cross-entropy as a multiple of the 51% guess's.",
        "MSE": "Squared error (y − q)², no unit.",
        "MSE ×": "Squared error as a multiple of the 51% guess's.",
        "MAE": "Absolute error |y − q|, no unit.",
        "MAE ×": "Absolute error as a multiple of the 51% guess's.",
        "∂CE/∂z": "Gradient of cross-entropy (in nats) with respect to the logit z: q − y.",
        "∂MSE/∂z": "Gradient of squared error with respect to the logit z: 2(q − y)·q(1 − q).",
    }
    st.dataframe(frame, hide_index=True, key="bce_mistakes", column_config={
        c: st.column_config.NumberColumn(format="%.2f" if c.endswith("×") else "%.4f", help=HELP.get(c))
        for c in frame.columns
    })
    st.caption(
        f"The email is not spam (y = 0). Being {SPAM_CONFIDENT:.0%} sure of spam costs "
        f"{fmt(table['cross_entropy'][i90], ws)}, {table['cross_entropy_ratio'][i90]:.2f} times the "
        f"{fmt(table['cross_entropy'][0], ws)} of the 51% guess. At 99.9% the ratio is "
        f"{table['cross_entropy_ratio'][i999]:.2f} for cross-entropy but only {table['squared_ratio'][i999]:.2f} "
        f"for squared error and {table['absolute_ratio'][i999]:.2f} for absolute error."
    )
prose(
    "Two differences matter for training. The loss: only cross-entropy keeps growing as the mistake "
    "becomes more confident. The gradient: through a sigmoid, squared error's gradient "
    "$2(q-y)\\,q(1-q)$ *vanishes* when the model is confidently wrong "
    f"({table['squared_logit_gradient'][i999]:.4f} at 99.9%), while cross-entropy's $q - y$ stays near 1 "
    f"({table['cross_entropy_logit_gradient'][i999]:.4f}). The confident mistake is exactly where "
    "cross-entropy pushes hardest."
)

st.subheader("Drag through every prediction")
prose(
    "The slider under this figure runs in your browser: drag it and the point, its numbers and the "
    "tangent follow the pointer. Every position was computed in advance with the same functions."
)


@st.cache_resource(max_entries=12, show_spinner=False)
def _scrub_figure(y: int, base: float, unit: str):
    return prepared(make_binary_scrub_figure(y, base, unit))


scrub = _scrub_figure(y, ws.base, ws.unit)
mid = binary_point(y, 0.5, ws.base)
chart(copy.deepcopy(scrub) if presenter_on() else scrub,  # the cached figure is never scaled in place
      f"Loss curves for label y = {y} with an in-figure slider over q from 0.01 to 0.99 (starts at 0.50: "
      f"cross-entropy {fmt(mid.loss, ws)}, squared error {mid.squared:.2f}, absolute error {mid.absolute:.2f}; "
      "the two errors have no unit and use the right-hand axis).",
      key="bce_scrub")

show_source(binary_cross_entropy, binary_cross_entropy_gradient, binary_point)
