"""Lesson: binary cross-entropy, one prediction at a time, next to MSE and MAE."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import numpy as np
import pandas as pd
import streamlit as st

from ce_core.binary_point import binary_logit_gradient, binary_loss_curves, binary_point, confident_mistakes
from ce_core.live import binary_sweep, parameter_grid
from ce_core.losses import binary_cross_entropy, binary_cross_entropy_gradient
from lab.components import live_chart as lc
from lab.figures import live
from lab.figures.binary import CURVE_GRID, y_top
from lab.figures.live import nice_ticks
from lab.lesson_keys import BCE_LABEL, BCE_LABEL_DEFAULT, BCE_PRED, BCE_PRED_DEFAULT
from lab.predict import predict
from lab.ui import fmt, page_header, presenter_on, prose, show_source
from lab.view import SIDE_FORMULA

SPAM_CONFIDENT, SPAM_UNSURE = 0.90, 0.51
MISTAKE_ROWS = (0.51, 0.6, 0.75, 0.9, 0.99, 0.999)

ws = page_header(
    "Binary cross-entropy",
    "A spam filter outputs one number, **q**: the probability it gives to *spam* (class 1). "
    "The label **y** says what the email really is. Binary cross-entropy charges "
    "$-\\log q$ when the email is spam and $-\\log(1-q)$ when it is not: the surprisal of what "
    "actually happened, under the model.",
)


#: The popover that holds the spam examples in presenter mode; it closes once an example is loaded.
EXAMPLES = "bce_examples"


def _load_spam_example(prediction: float) -> None:
    st.session_state[BCE_LABEL] = 0
    st.session_state[BCE_PRED] = prediction
    if EXAMPLES in st.session_state:
        st.session_state[EXAMPLES] = False


FORMULA = r"\ell(y, q) = -\big[\,y \log q + (1 - y) \log (1 - q)\,\big]"
LABEL_HELP = "Which class the email really belongs to."
PRESETS = ((SPAM_CONFIDENT, "confident, wrong", ":material/mail:"), (SPAM_UNSURE, "unsure, wrong", ":material/help:"))


def _label_control(label: str, help: str):
    return st.segmented_control(
        label, (1, 0), default=BCE_LABEL_DEFAULT, format_func=str, required=True,
        key=BCE_LABEL, bind="query-params", persist_state="session", help=help,
    )


def _preset_buttons(cols) -> None:
    for col, (prediction, how, icon) in zip(cols, PRESETS, strict=True):
        col.button(f"{prediction:.0%} spam ({how})", on_click=_load_spam_example, args=(prediction,),
                   width="stretch", icon=icon)


if presenter_on():
    # A projector's first screen holds the control and its chart: the formula, the label and the
    # spam examples (in a popover) share one row; the formula a little smaller (lab.view.SIDE_FORMULA).
    col_formula, col_label, col_presets = st.columns([2, 0.9, 1.1], vertical_alignment="center")
    with col_formula, st.container(key=f"{SIDE_FORMULA}_bce"):
        st.latex(FORMULA)
    with col_label:
        y = _label_control("True label y", f"1 = spam, 0 = not spam. {LABEL_HELP}")
    with col_presets, st.popover("Spam examples", width="stretch", key=EXAMPLES, on_change="rerun"):
        st.markdown("The email is **not** spam, and the model says…")
        _preset_buttons((st, st))
else:
    st.latex(FORMULA)
    col_label, col_presets = st.columns([1, 2], vertical_alignment="bottom")
    with col_label:
        y = _label_control("True label y (1 = spam, 0 = not spam)", LABEL_HELP)
    with col_presets:
        st.caption("A spam example: the email is **not** spam, and the model says…")
        _preset_buttons(st.columns(2))
y = BCE_LABEL_DEFAULT if y is None else int(y)


#: Positions of the prediction control: 0, 0.01, ..., 1 (the ends give an infinite loss).
PRED_GRID = parameter_grid(0.0, 1.0, 0.01)


def _slope_text(slope: float) -> str:
    return fmt(slope, ws).replace("∞", "−∞" if slope < 0 else "∞")


def prediction_chart(y: int) -> tuple[dict, list[dict]]:
    """The loss curves and, for every position of the control, the point, tangent and readouts.

    One batched ce_core call (binary_sweep) gives every number; the browser only looks rows up.
    """
    top = y_top(ws.base)
    s = binary_sweep(y, PRED_GRID, ws.base, y_top=top)
    curves = {label: binary_loss_curves(label, CURVE_GRID, ws.base) for label in (1, 0)}
    unit = ws.unit
    loss_text = [fmt(v, ws) for v in s["loss"]]
    slope_text = ["infinite (no tangent)" if math.isinf(v) else f"{v:+.4f} {unit} per unit q" for v in s["slope"]]
    caption = [f"Loss against the prediction q for label y = {y}. At q = {q:.2f}: cross-entropy {loss_text[i]}, "
               f"slope {slope_text[i]}; squared error {s['squared'][i]:.4f} and absolute error "
               f"{s['absolute'][i]:.4f}, plain numbers with no unit, drawn at the same numeric scale."
               for i, q in enumerate(PRED_GRID)]
    layers = [
        live.line(f"cross-entropy, y = {y}", CURVE_GRID, curves[y]["cross_entropy"], "loss"),
        live.line(f"cross-entropy, y = {1 - y}", CURVE_GRID, curves[1 - y]["cross_entropy"], "other"),
        live.line(f"squared error (y = {y}, no unit)", CURVE_GRID, curves[y]["squared"], "squared"),
        live.line(f"absolute error (y = {y}, no unit)", CURVE_GRID, curves[y]["absolute"], "absolute"),
        live.segment("tangent", s["tangent_x0"], s["tangent_y0"], s["tangent_x1"], s["tangent_y1"], "tangent"),
        live.point("squared error at q", s["x"], s["squared"], "squared", symbol="square", legend=False),
        live.point("absolute error at q", s["x"], s["absolute"], "absolute", symbol="diamond", legend=False),
        live.point("cross-entropy at q", s["x"], s["loss"], "loss", labels=loss_text, legend=False, size=0.55),
    ]
    spec = live.chart_spec(
        layers, x_range=(-0.015, 1.015), y_range=(0.0, top), x_label="predicted probability of class 1, q",
        y_label=f"cross-entropy ({unit}) · errors (no unit)",
        x_ticks=live.ticks(np.round(np.arange(0, 1.01, 0.1), 1), 1),
        y_ticks=live.ticks(nice_ticks(top)), caption=caption,
    )
    readouts = [
        live.readout("loss", "Cross-entropy ℓ", loss_text),
        live.readout("slope", "Slope dℓ/dq", [_slope_text(v) for v in s["slope"]]),
        live.readout("logit_gradient", "Gradient to the logit dℓ/dz", [fmt(v, ws) for v in s["logit_gradient"]]),
    ]
    return spec, readouts


@st.fragment
def prediction_panel(y: int) -> None:
    spec, readouts = prediction_chart(y)
    x = lc.live_slider("Predicted probability of spam, q", PRED_GRID, key=BCE_PRED, default=BCE_PRED_DEFAULT,
                       chart=spec, readouts=readouts)
    st.caption(f"Slope: change of the loss per unit of probability ({ws.unit} per unit of q), −y/q + (1−y)/(1−q) "
               "divided by ln b for your unit. Gradient to the logit: with q = sigmoid(z) the chain rule leaves "
               "q − y (in nats; other units divide by ln b), bounded by 1 even where the loss is infinite.")
    pt = binary_point(y, x, ws.base)
    if math.isinf(pt.loss):
        push = f"{binary_logit_gradient(y, x):+.0f}".replace("-", "−")
        st.info(f"q = {x:.2f} gives the true label probability 0, so the loss is −log 0 = ∞ {ws.unit} and the "
                "slope is infinite (no tangent line can be drawn). The gradient to the logit, "
                f"q − y = {push} nats, stays finite. Frameworks cap the infinity: see the clipping lab.",
                icon=":material/all_inclusive:")
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

show_source(binary_cross_entropy, binary_cross_entropy_gradient, binary_point)
