"""Lesson: binary cross-entropy, one prediction at a time, next to MSE and MAE."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import pandas as pd
import streamlit as st

from ce_core.binary_point import binary_logit_gradient, binary_point, confident_mistakes
from ce_core.live import parameter_grid
from ce_core.losses import binary_cross_entropy, binary_cross_entropy_gradient
from lab.components import live_chart as lc
from lab.content import binary_ce as content
from lab.figures.binary import prediction_chart
from lab.lesson_keys import BCE_LABEL, BCE_LABEL_DEFAULT, BCE_PRED, BCE_PRED_DEFAULT
from lab.predict import predict
from lab.ui import bound, fmt, page_header, presenter_on, prose, show_source
from lab.view import SIDE_FORMULA

SPAM_CONFIDENT, SPAM_UNSURE = 0.90, 0.51
MISTAKE_ROWS = (0.51, 0.6, 0.75, 0.9, 0.99, 0.999)
#: The popover that holds the spam examples in presenter mode; it closes once an example is loaded.
EXAMPLES = "bce_examples"
PRESETS = (
    (SPAM_CONFIDENT, "confident, wrong", ":material/mail:"),
    (SPAM_UNSURE, "unsure, wrong", ":material/help:"),
)
#: Positions of the prediction control: 0, 0.01, ..., 1 (the ends give an infinite loss).
PRED_GRID = parameter_grid(0.0, 1.0, 0.01)

ws = page_header("Binary cross-entropy", content.INTRO)


def _load_spam_example(prediction: float) -> None:
    st.session_state[BCE_LABEL] = 0
    st.session_state[BCE_PRED] = prediction
    if EXAMPLES in st.session_state:
        st.session_state[EXAMPLES] = False


def _label_control(label: str, help: str):
    return st.segmented_control(
        label,
        (1, 0),
        default=BCE_LABEL_DEFAULT,
        format_func=str,
        required=True,
        **bound(BCE_LABEL),
        help=help,
    )


def _preset_buttons(cols) -> None:
    for col, (prediction, how, icon) in zip(cols, PRESETS, strict=True):
        col.button(
            f"{prediction:.0%} spam ({how})",
            on_click=_load_spam_example,
            args=(prediction,),
            width="stretch",
            icon=icon,
        )


def label_controls(presenter: bool) -> int:
    """The formula, the true label and the spam examples; returns the label y."""
    if presenter:
        # A projector's first screen holds the control and its chart: the formula, the label and the
        # spam examples (in a popover) share one row; the formula a little smaller (lab.view.SIDE_FORMULA).
        col_formula, col_label, col_presets = st.columns([2, 0.9, 1.1], vertical_alignment="center")
        with col_formula, st.container(key=f"{SIDE_FORMULA}_bce"):
            st.latex(content.FORMULA)
        with col_label:
            y = _label_control("True label y", f"1 = spam, 0 = not spam. {content.LABEL_HELP}")
        with col_presets, st.popover("Spam examples", width="stretch", key=EXAMPLES, on_change="rerun"):
            st.markdown("The email is **not** spam, and the model says…")
            _preset_buttons((st, st))
    else:
        st.latex(content.FORMULA)
        col_label, col_presets = st.columns([1, 2], vertical_alignment="bottom")
        with col_label:
            y = _label_control("True label y (1 = spam, 0 = not spam)", content.LABEL_HELP)
        with col_presets:
            st.caption("A spam example: the email is **not** spam, and the model says…")
            _preset_buttons(st.columns(2))
    return BCE_LABEL_DEFAULT if y is None else int(y)


@st.fragment
def prediction_panel(y: int, ws) -> None:
    spec, readouts = prediction_chart(y, PRED_GRID, base=ws.base, unit=ws.unit)
    x = lc.live_slider(
        "Predicted probability of spam, q",
        PRED_GRID,
        key=BCE_PRED,
        default=BCE_PRED_DEFAULT,
        chart=spec,
        readouts=readouts,
    )
    st.caption(content.slope_caption(ws.unit))
    pt = binary_point(y, x, ws.base)
    if math.isinf(pt.loss):
        push = f"{binary_logit_gradient(y, x):+.0f}".replace("-", "−")
        st.info(content.infinite_loss(x, ws.unit, push), icon=":material/all_inclusive:")
    prose(content.logit_push(binary_logit_gradient(y, x)))


def mistakes_panel(ws) -> None:
    """Squared and absolute error against cross-entropy for ever more confident mistakes."""
    st.subheader("Why not squared or absolute error?")
    prose(content.why_not_errors(ws.unit))
    table = confident_mistakes(MISTAKE_ROWS, y=0, reference=SPAM_UNSURE, base=ws.base)
    i90 = MISTAKE_ROWS.index(SPAM_CONFIDENT)
    i999 = MISTAKE_ROWS.index(0.999)
    ratio = table["cross_entropy_ratio"][i90]
    naive = SPAM_CONFIDENT / SPAM_UNSURE
    options = (f"about {naive:.1f}× (like the probabilities)", f"about {ratio:.1f}×", "about 10×")
    revealed = predict(
        "bce_spam_ratio",
        f"The email is **not** spam. A model {SPAM_CONFIDENT:.0%} sure it is spam pays how many "
        f"times the cross-entropy of a model that says {SPAM_UNSURE:.0%}?",
        options,
        1,
        content.ratio_answer(SPAM_CONFIDENT, SPAM_UNSURE, ratio),
        state=(SPAM_CONFIDENT, SPAM_UNSURE),
        lesson="binary",
    )
    if revealed:
        columns = {
            "P(spam)": "prediction",
            f"CE ({ws.unit_short})": "cross_entropy",
            "CE ×": "cross_entropy_ratio",
            "MSE": "squared",
            "MSE ×": "squared_ratio",
            "MAE": "absolute",
            "MAE ×": "absolute_ratio",
            "∂CE/∂z": "cross_entropy_logit_gradient",
            "∂MSE/∂z": "squared_logit_gradient",
        }
        frame = pd.DataFrame({name: table[field] for name, field in columns.items()})
        helps = content.column_help(ws.unit, ws.unit_short)
        st.dataframe(
            frame,
            hide_index=True,
            key="bce_mistakes",
            column_config={
                c: st.column_config.NumberColumn(
                    format="%.2f" if c.endswith("×") else "%.4f", help=helps.get(c)
                )
                for c in frame.columns
            },
        )
        st.caption(
            content.mistakes_caption(
                SPAM_CONFIDENT,
                fmt(table["cross_entropy"][i90], ws),
                table["cross_entropy_ratio"][i90],
                fmt(table["cross_entropy"][0], ws),
                (
                    table["cross_entropy_ratio"][i999],
                    table["squared_ratio"][i999],
                    table["absolute_ratio"][i999],
                ),
            )
        )
    prose(
        content.two_differences(
            table["squared_logit_gradient"][i999], table["cross_entropy_logit_gradient"][i999]
        )
    )


prediction_panel(label_controls(presenter_on()), ws)
mistakes_panel(ws)
show_source(binary_cross_entropy, binary_cross_entropy_gradient, binary_point)
