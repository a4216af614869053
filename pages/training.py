"""Training: softmax regression learns to classify 2-D points by gradient descent on cross-entropy."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

from contextlib import nullcontext

import streamlit as st

from ce_core.training import continue_run, has_plateaued, loss_and_gradient, make_blobs
from lab import state_keys
from lab import training_run as run
from lab.components import live_chart as lc
from lab.content import training as content
from lab.figures.training import learning_rate_chart, make_loss_curves, make_model_regions
from lab.training_run import LEARNING_RATES, LOOKAHEAD, MAX_STEPS, PLATEAU_TOLERANCE, PLATEAU_WINDOW
from lab.ui import chart, fmt, page_header, presenter_on, prose, seed_input, show_source

STATE = state_keys.TRAINING  # session_state key of the training state (not a widget)
TICK_SECONDS = 0.25  # how often the play fragment reruns
STEP_CHUNK = 10  # the "+10 steps" button
GRID = 60  # decision-region grid, GRID x GRID cells
LR_KEY, LR_DEFAULT = "tr_lr", 0.5
EARLY = 10  # the η chart also shows the loss after 10 of the LOOKAHEAD steps
VIEWS = content.chart_views(LOOKAHEAD, EARLY)
SPEEDS = (1, 5, 20)
STARTS = content.STARTS  # named by their labels: a bound widget writes the label in the URL
ZERO_START = STARTS[0]
#: Every widget but the buttons and the η control: its value in the URL, and kept for the session.
BOUND = {"bind": "query-params", "persist_state": "session"}
CHOICE = {"required": True, **BOUND}  # the segmented controls: one option is always chosen
LOSS_METRIC = {"width": "content", "delta_color": "inverse"}  # a loss: falling is good
#: The η control: a live slider (lab.components.live_chart) over LEARNING_RATES.
RATE_TEXTS = content.rate_texts(LEARNING_RATES)
LR_SLIDER = {"key": LR_KEY, "default": LR_DEFAULT, "value_text": RATE_TEXTS, "hint": content.LR_HINT}
#: The speed control, a segmented control of SPEEDS.
SPEED = {"default": 5, "key": "tr_speed", "help": content.speed_help(TICK_SECONDS), **CHOICE}

ws = page_header("Training", content.INTRO)


@st.cache_data(max_entries=32, show_spinner=False)
def blobs(num_classes: int, points_per_class: int, spread: float, seed: int):
    return make_blobs(num_classes, points_per_class, spread, seed)


def data_controls() -> tuple[int, int, float, int, str, bool]:
    """The data settings, a change starts again (folded away in presenter mode: the training comes first)."""
    with (
        st.container(key="lesson_controls"),
        st.expander("Data and start", icon=":material/tune:") if presenter_on() else nullcontext(),
    ):
        c1, c2, c3, c4 = st.columns(4)
        num_classes = c1.slider("Classes", 2, 4, 3, key="tr_classes", **BOUND)
        points = c2.slider("Points per class", 10, 100, 40, step=10, key="tr_points", **BOUND)
        spread = c3.slider(
            "Spread", 0.3, 2.0, 1.0, step=0.1, key="tr_spread", help=content.SPREAD_HELP, **BOUND
        )
        seed = seed_input(c4, "Random seed", key="tr_seed", help=content.SEED_HELP)
        s1, s2 = st.columns([3, 2], vertical_alignment="bottom")
        start = s1.segmented_control(
            "Start from", STARTS, default=ZERO_START, key="tr_start", help=content.START_HELP, **CHOICE
        )
        compare = s2.toggle("Also train with MSE", key="tr_mse", help=content.MSE_HELP, **BOUND)
    return int(num_classes), int(points), float(spread), int(seed), start, compare


def learning_rate_control(state: dict, data, ws) -> float:
    """η, live, with one of two charts of the same sweep below it (lab.figures.training.learning_rate_chart)."""
    losses, outcomes = run.lookahead(state, data)
    shown = run.in_unit(losses.ravel(), ws.base).reshape(losses.shape)
    texts = [content.OUTCOME_TEXT[o] for o in outcomes]
    chart_slot = st.container()
    view = st.segmented_control(
        "Chart of η", VIEWS, default=VIEWS[0], key="tr_view", label_visibility="collapsed", **CHOICE
    )
    steps, every, rem = state["ce"].steps, view == VIEWS[1], 11.5 if presenter_on() else 15
    spec, readouts = learning_rate_chart(
        shown, texts, LEARNING_RATES, steps=steps, early=EARLY, unit=ws.unit, every_rate=every, height_rem=rem
    )
    with chart_slot:
        return lc.live_slider("Learning rate η", LEARNING_RATES, chart=spec, readouts=readouts, **LR_SLIDER)


def buttons(state: dict, data, start: str, data_key: tuple) -> tuple[bool, bool, int]:
    """Play/Pause, the step buttons, Reset and the speed; returns (one step, a chunk, speed)."""
    at_max, playing = state["ce"].steps >= MAX_STEPS, state["playing"]
    label, icon = ("Pause", ":material/pause:") if playing else ("Play", ":material/play_arrow:")
    with st.container(horizontal=True, key="tr_buttons", vertical_alignment="bottom"):
        if st.button(label, icon=icon, key="tr_play", type="primary", disabled=at_max and not playing):
            state["playing"] = not playing
            st.rerun()  # the whole page, so the fragment's timer starts or stops
        step_one = st.button("+1 step", key="tr_step1", disabled=at_max)
        step_chunk = st.button(f"+{STEP_CHUNK} steps", key="tr_step10", disabled=at_max)
        if st.button("Reset", icon=":material/restart_alt:", key="tr_reset"):
            st.session_state[STATE] = run.fresh_state(data, start == ZERO_START, data_key)
            st.rerun()
        visibility = "collapsed" if presenter_on() else "visible"
        speed = st.segmented_control(content.SPEED_LABEL, SPEEDS, label_visibility=visibility, **SPEED)
    return step_one, step_chunk, int(speed or 5)


def metrics(ce, mse, progress: run.Progress, compare: bool, ws) -> None:
    shown = progress.ce_shown
    ce_now, ce_delta = fmt(float(shown[-1]), ws), fmt(float(shown[-1] - shown[0]), ws) if ce.steps else None
    mse_now = f"{mse.current_loss:.4f}"
    mse_delta = f"{mse.current_loss - mse.losses[0]:.4f}" if mse.steps else None
    with st.container(horizontal=True, key="tr_metrics"):
        st.metric("Steps taken", f"{ce.steps}", width="content")
        st.metric("Cross-entropy", ce_now, delta=ce_delta, help=content.CE_METRIC_HELP, **LOSS_METRIC)
        st.metric("Accuracy", f"{progress.ce_accuracy:.1%}", width="content", help=content.ACCURACY_HELP)
        if compare:
            st.metric("MSE (no unit)", mse_now, delta=mse_delta, help=content.MSE_METRIC_HELP, **LOSS_METRIC)
            st.metric("Accuracy, MSE model", f"{progress.mse_accuracy:.1%}", width="content")


def training_panel(compare: bool, data, start: str, data_key: tuple, ws) -> None:
    """Controls, numbers and charts of the training; reruns alone (and on a timer while playing)."""
    state = st.session_state[STATE]
    step_one, step_chunk, speed = buttons(state, data, start, data_key)
    # The rate of the steps below: the control's value, as its release set it.
    learning_rate = lc.current_value(LR_KEY, LEARNING_RATES, LR_DEFAULT)
    if step_one or step_chunk:
        run.advance(state, data, 1 if step_one else STEP_CHUNK, learning_rate)
    if state["playing"]:
        run.advance(state, data, speed, learning_rate)
        if run.finished(state):
            state["playing"] = False
            st.rerun()  # stop the timer; the next run draws the final state

    # The control and its preview beside the model's regions; on a projector the preview gets the
    # whole width, so the first screen holds the control and the chart it drives.
    left, right = (st.container(), st.container()) if presenter_on() else st.columns(2)
    with left:
        learning_rate_control(state, data, ws)
    ce, mse = state["ce"], state["mse"]
    progress = run.progress(state, data, ws.base)
    plateau = progress.plateau

    with right:
        if plateau is not None:
            st.success(
                content.plateau_text(plateau, PLATEAU_WINDOW, PLATEAU_TOLERANCE), icon=":material/flag:"
            )
        elif ce.steps >= MAX_STEPS:
            st.info(content.max_steps_text(MAX_STEPS), icon=":material/stop_circle:")
        playing = state["playing"] and plateau is None and ce.steps < MAX_STEPS
        st.caption(content.status_caption(playing, speed, TICK_SECONDS, learning_rate, MAX_STEPS, LOOKAHEAD))
        metrics(ce, mse, progress, compare, ws)
        ce_regions = make_model_regions(run.regions(ce.model, data, GRID), data, content.CE_REGIONS_TITLE)
        tied = data.num_classes if ce.steps == 0 and start == ZERO_START else None
        caption = content.regions_caption(ce.steps, progress.ce_accuracy, data.y.size, tied)
        chart(ce_regions, caption, key="tr_regions_ce")

    shown, mse_curve, title = progress.ce_shown, mse.losses if compare else None, content.loss_title(compare)
    losses = make_loss_curves(shown, unit=ws.unit, mse_losses=mse_curve, plateau_step=plateau, title=title)
    first, last = fmt(float(shown[0]), ws), fmt(float(shown[-1]), ws)
    mse_ends = (mse.losses[0], mse.current_loss) if compare else None
    loss_caption = content.loss_caption(ce.steps, first, last, mse_ends, plateau)
    if compare:
        left, right = st.columns(2)
        with left:
            chart(losses, loss_caption, key="tr_losses")
        with right:
            figure = make_model_regions(run.regions(mse.model, data, GRID), data, content.MSE_REGIONS_TITLE)
            chart(figure, content.mse_regions_caption(mse.steps, progress.mse_accuracy), key="tr_regions_mse")
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
    st.subheader(content.CONFIDENT_MISTAKES_HEADING)
    ce_norm, mse_norm = run.first_gradient_norms(state, data)
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
    st.session_state[STATE] = run.fresh_state(data, start == ZERO_START, data_key)

run_every = TICK_SECONDS if st.session_state[STATE]["playing"] else None
st.fragment(training_panel, run_every=run_every)(compare, data, start, data_key, ws)
one_step(ws.unit)
confident_mistakes(st.session_state[STATE], data, start)

show_source(loss_and_gradient, continue_run, has_plateaued)
