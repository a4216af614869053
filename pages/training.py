"""Training: softmax regression learns to classify 2-D points by gradient descent on cross-entropy."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

from contextlib import nullcontext

import numpy as np
import streamlit as st

from ce_core.training import (
    accuracy,
    continue_run,
    data_extent,
    decision_grid,
    gradient_norm,
    has_plateaued,
    loss_and_gradient,
    make_blobs,
    plateau_start,
)
from lab import state_keys
from lab.components import live_chart as lc
from lab.content import training as content
from lab.figures.training import learning_rate_chart, make_decision_regions, make_loss_curves
from lab.training_run import (
    LEARNING_RATES,
    LOOKAHEAD,
    MAX_STEPS,
    PLATEAU_TOLERANCE,
    PLATEAU_WINDOW,
    advance,
    fresh_state,
    in_unit,
    lookahead,
)
from lab.ui import chart, fmt, page_header, presenter_on, prose, seed_input, show_source

STATE = state_keys.TRAINING   # session_state key of the training state (not a widget)
TICK_SECONDS = 0.25            # how often the play fragment reruns
STEP_CHUNK = 10                # the "+10 steps" button
GRID = 60                      # decision-region grid, GRID x GRID cells
LR_KEY, LR_DEFAULT = "tr_lr", 0.5
EARLY = 10                     # the η chart also shows the loss after 10 of the LOOKAHEAD steps
#: The two charts of the η control: the next steps at one η, or every η at once (log axis).
VIEWS = (f"next {LOOKAHEAD} steps at η", f"every η, after {EARLY} and {LOOKAHEAD} steps")
#: The words of ce_core.training.step_outcomes, for "the next steps ...".
OUTCOME_TEXT = {"falls": "the loss falls", "stalls": "the loss stalls", "oscillates": "the loss zigzags",
                "diverges": "the loss rises: too large"}
SPEEDS = (1, 5, 20)
# The starts are named by their labels: a bound widget writes the label in the URL.
ZERO_START, WRONG_START = "all weights 0", "confidently wrong"

ws = page_header("Training", content.INTRO)


@st.cache_data(max_entries=32, show_spinner=False)
def blobs(num_classes: int, points_per_class: int, spread: float, seed: int):
    return make_blobs(num_classes, points_per_class, spread, seed)


def data_controls() -> tuple[int, int, float, int, str, bool]:
    """The data settings, a change starts again (folded away in presenter mode: the training comes first)."""
    with st.container(key="lesson_controls"), (st.expander("Data and start", icon=":material/tune:")
                                               if presenter_on() else nullcontext()):
        c1, c2, c3, c4 = st.columns(4)
        num_classes = c1.slider("Classes", 2, 4, 3, key="tr_classes", bind="query-params", persist_state="session")
        points = c2.slider("Points per class", 10, 100, 40, step=10, key="tr_points", bind="query-params",
                           persist_state="session")
        spread = c3.slider("Spread", 0.3, 2.0, 1.0, step=0.1, key="tr_spread", bind="query-params",
                           persist_state="session", help=content.SPREAD_HELP)
        seed = seed_input(c4, "Random seed", key="tr_seed", help="The same random seed always makes the same points.")
        s1, s2 = st.columns([3, 2], vertical_alignment="bottom")
        start = s1.segmented_control("Start from", (ZERO_START, WRONG_START), default=ZERO_START, required=True,
                                     key="tr_start", bind="query-params", persist_state="session",
                                     help=content.START_HELP)
        compare = s2.toggle("Also train with MSE", key="tr_mse", bind="query-params", persist_state="session",
                            help=content.MSE_HELP)
    return int(num_classes), int(points), float(spread), int(seed), start, compare


def learning_rate_control(state: dict, data, ws) -> float:
    """η, live, with one of two charts of the same sweep below it (lab.figures.training.learning_rate_chart)."""
    losses, outcomes = lookahead(state, data)
    shown = in_unit(losses.ravel(), ws.base).reshape(losses.shape)
    chart_slot = st.container()
    view = st.segmented_control("Chart of η", VIEWS, default=VIEWS[0], required=True, key="tr_view",
                                bind="query-params", persist_state="session", label_visibility="collapsed")
    spec, readouts = learning_rate_chart(shown, [OUTCOME_TEXT[o] for o in outcomes], LEARNING_RATES,
                                         steps=state["ce"].steps, early=EARLY, unit=ws.unit,
                                         every_rate=view == VIEWS[1], height_rem=11.5 if presenter_on() else 15)
    with chart_slot:
        return lc.live_slider("Learning rate η", LEARNING_RATES, key=LR_KEY, default=LR_DEFAULT,
                              value_text=[f"{v:g}" for v in LEARNING_RATES], chart=spec, readouts=readouts,
                              hint="Each step moves the weights by η times the gradient.")


def buttons(state: dict, data, start: str, data_key: tuple) -> tuple[bool, bool, int]:
    """Play/Pause, the step buttons, Reset and the speed; returns (one step, a chunk, speed)."""
    at_max, playing = state["ce"].steps >= MAX_STEPS, state["playing"]
    with st.container(horizontal=True, key="tr_buttons", vertical_alignment="bottom"):
        if st.button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
                     key="tr_play", type="primary", disabled=at_max and not playing):
            state["playing"] = not playing
            st.rerun()  # the whole page, so the fragment's timer starts or stops
        step_one = st.button("+1 step", key="tr_step1", disabled=at_max)
        step_chunk = st.button(f"+{STEP_CHUNK} steps", key="tr_step10", disabled=at_max)
        if st.button("Reset", icon=":material/restart_alt:", key="tr_reset"):
            st.session_state[STATE] = fresh_state(data, start == ZERO_START, data_key)
            st.rerun()
        speed = st.segmented_control("Steps per tick while playing", SPEEDS, default=5,
                                     help=content.speed_help(TICK_SECONDS), required=True,
                                     key="tr_speed", bind="query-params", persist_state="session",
                                     label_visibility="collapsed" if presenter_on() else "visible")
    return step_one, step_chunk, int(speed or 5)


def metrics(ce, mse, ce_shown: np.ndarray, ce_accuracy: float, mse_accuracy: float, compare: bool, ws) -> None:
    with st.container(horizontal=True, key="tr_metrics"):
        st.metric("Steps taken", f"{ce.steps}", width="content")
        st.metric("Cross-entropy", fmt(float(ce_shown[-1]), ws), width="content",
                  delta=fmt(float(ce_shown[-1] - ce_shown[0]), ws) if ce.steps else None, delta_color="inverse",
                  help=content.CE_METRIC_HELP)
        st.metric("Accuracy", f"{ce_accuracy:.1%}", width="content", help=content.ACCURACY_HELP)
        if compare:
            st.metric("MSE (no unit)", f"{mse.current_loss:.4f}", width="content",
                      delta=f"{mse.current_loss - mse.losses[0]:.4f}" if mse.steps else None,
                      delta_color="inverse", help=content.MSE_METRIC_HELP)
            st.metric("Accuracy, MSE model", f"{mse_accuracy:.1%}", width="content")


def training_panel(compare: bool, data, start: str, data_key: tuple, ws) -> None:
    """Controls, numbers and charts of the training; reruns alone (and on a timer while playing)."""
    state = st.session_state[STATE]
    step_one, step_chunk, speed = buttons(state, data, start, data_key)
    # The rate of the steps below: the control's value, as its release set it.
    learning_rate = lc.current_value(LR_KEY, LEARNING_RATES, LR_DEFAULT)
    if step_one or step_chunk:
        advance(state, data, 1 if step_one else STEP_CHUNK, learning_rate)
    if state["playing"]:
        advance(state, data, speed, learning_rate)
        if has_plateaued(state["ce"].losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE) or state["ce"].steps >= MAX_STEPS:
            state["playing"] = False
            st.rerun()  # stop the timer; the next run draws the final state

    # The control and its preview beside the model's regions; on a projector the preview gets the
    # whole width, so the first screen holds the control and the chart it drives.
    left, right = (st.container(), st.container()) if presenter_on() else st.columns(2)
    with left:
        learning_rate_control(state, data, ws)
    ce, mse = state["ce"], state["mse"]
    ce_shown = in_unit(ce.losses, ws.base)
    plateau = plateau_start(ce.losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE)
    ce_accuracy, mse_accuracy = accuracy(ce.model, data), accuracy(mse.model, data)
    extent, names = data_extent(data, margin=1.0), [f"class {i}" for i in range(data.num_classes)]

    with right:
        if plateau is not None:
            st.success(content.plateau_text(plateau, PLATEAU_WINDOW, PLATEAU_TOLERANCE), icon=":material/flag:")
        elif ce.steps >= MAX_STEPS:
            st.info(f"Stopped at the maximum of {MAX_STEPS} steps. Press Reset to start again.",
                    icon=":material/stop_circle:")
        playing = state["playing"] and plateau is None and ce.steps < MAX_STEPS
        st.caption(content.status_caption(playing, speed, TICK_SECONDS, learning_rate, MAX_STEPS, LOOKAHEAD))
        metrics(ce, mse, ce_shown, ce_accuracy, mse_accuracy, compare, ws)
        ce_regions = make_decision_regions(*decision_grid(ce.model, extent, GRID), data.x, data.y,
                                           class_names=names, title="Trained on cross-entropy")
        tied = data.num_classes if ce.steps == 0 and start == ZERO_START else None
        chart(ce_regions, content.regions_caption(ce.steps, ce_accuracy, data.y.size, tied), key="tr_regions_ce")

    losses = make_loss_curves(ce_shown, unit=ws.unit, mse_losses=mse.losses if compare else None,
                              plateau_step=plateau,
                              title="Loss: cross-entropy vs MSE" if compare else "Loss while training")
    loss_caption = content.loss_caption(ce.steps, fmt(float(ce_shown[0]), ws), fmt(float(ce_shown[-1]), ws),
                                        (mse.losses[0], mse.current_loss) if compare else None, plateau)
    if compare:
        left, right = st.columns(2)
        with left:
            chart(losses, loss_caption, key="tr_losses")
        with right:
            mse_regions = make_decision_regions(*decision_grid(mse.model, extent, GRID), data.x, data.y,
                                                class_names=names, title="Trained on MSE")
            chart(mse_regions, content.mse_regions_caption(mse.steps, mse_accuracy), key="tr_regions_mse")
    else:
        chart(losses, loss_caption, key="tr_losses")


def one_step(unit: str) -> None:
    """The explanation: static for a given data set and start."""
    st.subheader("What one step does")
    prose(content.unit_text(unit))
    for formula in content.STEP_FORMULAS:
        st.latex(formula)
    prose(content.learning_rate_text(LOOKAHEAD))
    prose(content.plateau_explained(PLATEAU_TOLERANCE, PLATEAU_WINDOW, MAX_STEPS))


def confident_mistakes(state: dict, data, start: str) -> None:
    st.subheader("Why cross-entropy learns faster from confident mistakes")
    ce_norm = gradient_norm(state["start"], data, "cross_entropy")
    mse_norm = gradient_norm(state["start"], data, "mse")
    prose(content.MSE_INTRO)
    st.latex(content.MSE_FORMULA)
    prose(content.MSE_SLOPE)
    st.markdown(content.first_gradients(start, ce_norm, mse_norm))
    if start == ZERO_START:
        prose(content.ZERO_START_HINT)


num_classes, points, spread, seed, start, compare = data_controls()
data = blobs(num_classes, points, spread, seed)
data_key = (num_classes, points, spread, seed, start)
if st.session_state.get(STATE, {}).get("key") != data_key:
    st.session_state[STATE] = fresh_state(data, start == ZERO_START, data_key)

st.fragment(training_panel, run_every=TICK_SECONDS if st.session_state[STATE]["playing"] else None)(
    compare, data, start, data_key, ws)
one_step(ws.unit)
confident_mistakes(st.session_state[STATE], data, start)

show_source(loss_and_gradient, continue_run, has_plateaued)
