"""Lesson: logits, softmax, temperature, the gradient, and why softmax subtracts the maximum."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import pandas as pd
import streamlit as st

from ce_core.bar_tables import logit_table
from ce_core.live import parameter_grid
from ce_core.losses import cross_entropy_gradient
from ce_core.overflow import EXP_OVERFLOW, overflow_shift, softmax_overflow
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss
from lab import lesson_keys as keys
from lab.components import bar_control as bc
from lab.components import live_chart as lc
from lab.content import softmax_logits as words
from lab.figures.softmax import logit_chart, temperature_chart
from lab.ui import bound, class_select, fmt, page_header, prose, show_source
from lab.workspace import Workspace

LOGIT_RANGE = (-10.0, 10.0)
#: Positions of a logit: -10, -9.9, ..., 10 (the old sliders' range and step, so old links still open).
LOGIT_GRID = parameter_grid(*LOGIT_RANGE, 0.1)
LOGITS_KEY = "sm_logits"
SHIFT_KEY = "sm_shift"
SHIFT_RANGE = (-1000.0, 1000.0)
#: Positions of the temperature control: T = 0.1, 0.2, ..., 5.0.
TEMPERATURE_GRID = parameter_grid(0.1, 5.0, 0.1)

ws = page_header("Softmax and logits", words.INTRO, classes=True)
st.latex(words.FORMULA)


def _true_class(ws: Workspace) -> int:
    if int(st.session_state.get(keys.SM_TRUE, keys.SM_TRUE_DEFAULT) or 0) >= ws.k:
        st.session_state[keys.SM_TRUE] = keys.SM_TRUE_DEFAULT  # fewer classes than before
    col_true, _ = st.columns(2)
    target = class_select(
        col_true, "True class y", ws, key=keys.SM_TRUE, default=keys.SM_TRUE_DEFAULT, help=words.TRUE_HELP
    )
    return keys.SM_TRUE_DEFAULT if target is None else int(target)


def _logit_control(ws: Workspace, target: int, temperature: float) -> tuple[float, ...]:
    """The logits as bars to drag, with softmax(z / T) beside them: every row computed in one ce_core call."""
    logit_keys = [keys.SM_LOGIT.format(i) for i in range(ws.k)]
    defaults = keys.SM_LOGIT_DEFAULTS[: ws.k]
    logits = bc.bar_values(logit_keys, LOGIT_GRID, defaults)
    table = logit_table(logits, target, temperature, LOGIT_GRID, ws.base)  # one batched call
    spec, caption, readouts = logit_chart(ws.names, target, temperature, table, unit=ws.unit)
    return bc.bar_control(
        words.LOGITS_LABEL,
        ws.names,
        LOGIT_GRID,
        key=LOGITS_KEY,
        keys=logit_keys,
        defaults=defaults,
        chart=spec,
        caption=caption,
        readouts=readouts,
        value_name="z",
        bar_prefix="logit z of ",
        sub=bc.sub_numbers(words.gradient_sub_label(ws.unit), table.gradient),
        digits=1,
        hint=words.LOGITS_HINT,
    )


def _softmax_panel(ws: Workspace, logits: tuple[float, ...], target: int, temperature: float) -> None:
    probabilities = softmax(logits, temperature)
    loss = tempered_loss(logits, target, temperature, ws.base)
    gradient = tempered_gradient(logits, target, temperature, ws.base)
    gradient_sum = float(gradient.sum())
    true_name = ws.names[target]

    c1, c2, c3 = st.columns(3)
    c1.metric(f"Loss −log q({true_name}) at T = {temperature:.1f}", fmt(loss, ws))
    c2.metric(f"q({true_name})", f"{probabilities[target]:.4f}")
    c3.metric("Sum of the gradient", words.fixed(gradient_sum), help=words.GRADIENT_SUM_HELP)
    st.caption(words.gradient_caption(ws.names, logits, gradient, gradient_sum, temperature, ws.unit))
    st.markdown(words.BACKPROP_LEAD)
    st.latex(words.GRADIENT_FORMULA)
    prose(words.gradient_prose(ws.unit))


def _temperature_control(ws: Workspace, logits: tuple[float, ...], target: int) -> float:
    """The temperature, live: softmax(z/T) for every T of the grid, as bars beside the one-hot target."""
    spec, readouts = temperature_chart(ws.names, logits, target, TEMPERATURE_GRID, base=ws.base, unit=ws.unit)
    return lc.live_slider(
        "Temperature T",
        TEMPERATURE_GRID,
        key=keys.SM_TEMPERATURE,
        default=keys.SM_TEMPERATURE_DEFAULT,
        digits=1,
        chart=spec,
        readouts=readouts,
        hint=words.TEMPERATURE_HINT,
    )


def _overflow_panel(ws: Workspace, logits: tuple[float, ...], temperature: float) -> None:
    st.subheader("The overflow lesson")
    prose(words.overflow_prose(EXP_OVERFLOW))
    shift = st.slider(
        "Add a constant c to every logit",
        *SHIFT_RANGE,
        value=0.0,
        step=10.0,
        **bound(SHIFT_KEY),
        help=words.SHIFT_HELP,
    )
    report = softmax_overflow(logits, shift, temperature)
    st.dataframe(
        pd.DataFrame(words.overflow_columns(ws.names, report)), hide_index=True, key="sm_overflow_table"
    )
    failed = any(status != "ok" for status in report.status)
    if failed:
        st.error(words.overflow_failure(shift, report), icon=":material/error:")
    else:
        needed = overflow_shift(logits, temperature)
        agree = words.overflow_agreement(
            shift, report.scaled.max(), EXP_OVERFLOW, needed, needed < SHIFT_RANGE[1], temperature
        )
        st.success(agree, icon=":material/check_circle:")
    st.caption(words.overflow_caption(temperature, shift, failed, ws.names, report.stable))


@st.fragment
def lesson(ws: Workspace) -> None:
    """Every control of this lesson acts only here: rerun this panel, not the whole app."""
    target = _true_class(ws)
    # the temperature as its control holds it: the logits' table needs it before that control is drawn
    temperature = lc.current_value(keys.SM_TEMPERATURE, TEMPERATURE_GRID, keys.SM_TEMPERATURE_DEFAULT)
    logits = _logit_control(ws, target, temperature)
    temperature = _temperature_control(ws, logits, target)
    _softmax_panel(ws, logits, target, temperature)
    _overflow_panel(ws, logits, temperature)


lesson(ws)

show_source(softmax, tempered_loss, cross_entropy_gradient, logit_table, softmax_overflow)
