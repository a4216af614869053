"""Training: softmax regression learns to classify 2-D points by gradient descent on cross-entropy."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math
from contextlib import nullcontext

import numpy as np
import streamlit as st

from ce_core.information import convert_units
from ce_core.training import (
    accuracy,
    confidently_wrong_model,
    continue_run,
    data_extent,
    decision_grid,
    gradient_norm,
    has_plateaued,
    init_model,
    learning_rate_sweep,
    loss_and_gradient,
    make_blobs,
    plateau_start,
    start_run,
    step_outcomes,
)
from lab import state_keys
from lab.components import live_chart as lc
from lab.figures import live
from lab.figures.live import nice_ticks
from lab.figures.training import make_decision_regions, make_loss_curves
from lab.ui import chart, fmt, page_header, presenter_on, prose, seed_input, show_source

STATE = state_keys.TRAINING   # session_state key of the training state (not a widget)
MAX_STEPS = 3000               # play stops here, step buttons are disabled
TICK_SECONDS = 0.25            # how often the play fragment reruns
STEP_CHUNK = 10                # the "+10 steps" button
GRID = 60                      # decision-region grid, GRID x GRID cells
PLATEAU_WINDOW = 50            # plateau: the loss moved less than ...
PLATEAU_TOLERANCE = 1e-3       # ... 0.1 % of its starting value over 50 steps
WRONG_STRENGTH = 1.0           # logit scale of the confidently wrong start
#: Positions of the learning-rate control: ten per decade from 0.01 to 10, nearly equal ratios (the
#: rounded Renard series 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8), so the slider is logarithmic and
#: every rate of the old control (0.01, 0.02, 0.05, ..., 5, 10) is still a position (old links work).
LEARNING_RATES = (*(round(m * 10.0**e, 6) for e in (-2, -1, 0) for m in (1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8)), 10.0)
LR_KEY, LR_DEFAULT = "tr_lr", 0.5
LOOKAHEAD = 50                 # the preview shows the next 50 steps at every rate
EARLY = 10                     # ... and, against η, the loss after 10 of them
#: The two charts of the η control: the next steps at one η, or every η at once (log axis).
VIEWS = (f"next {LOOKAHEAD} steps at η", f"every η, after {EARLY} and {LOOKAHEAD} steps")
#: The words of ce_core.training.step_outcomes, for "the next steps ...".
OUTCOME_TEXT = {"falls": "the loss falls", "stalls": "the loss stalls", "oscillates": "the loss zigzags",
                "diverges": "the loss rises: too large"}
SPEEDS = (1, 5, 20)
# The starts are named by their labels: a bound widget writes the label in the URL.
ZERO_START, WRONG_START = "all weights 0", "confidently wrong"

ws = page_header(
    "Training",
    "A classifier learns by walking downhill on its loss. This one is **softmax regression**: each "
    "class k gets a score $z_k = w_k \\cdot x + b_k$ from the point's two coordinates, and the model's "
    "probabilities are $q = \\mathrm{softmax}(z)$. Every step of **gradient descent** moves the weights "
    "a little against the gradient of the cross-entropy. Press **Play** and watch the regions turn "
    "and the loss fall.",
)


@st.cache_data(max_entries=32, show_spinner=False)
def blobs(num_classes: int, points_per_class: int, spread: float, seed: int):
    return make_blobs(num_classes, points_per_class, spread, seed)


def class_names(k: int) -> list[str]:
    return [f"class {i}" for i in range(k)]


def fresh_state(data, start: str, key: tuple) -> dict:
    """Both runs start from the same model; nothing is playing."""
    model = init_model(data.num_classes) if start == ZERO_START else confidently_wrong_model(data, WRONG_STRENGTH)
    return {"key": key, "start": model, "ce": start_run(model, data, "cross_entropy"),
            "mse": start_run(model, data, "mse"), "playing": False}


def advance(state: dict, data, steps: int, learning_rate: float) -> None:
    """The cross-entropy and the MSE model take the same number of steps, so their curves align."""
    steps = min(int(steps), MAX_STEPS - state["ce"].steps)
    if steps > 0:
        state["ce"] = continue_run(state["ce"], data, steps, learning_rate)
        state["mse"] = continue_run(state["mse"], data, steps, learning_rate)


def in_unit(losses) -> np.ndarray:
    """Cross-entropy is computed in nats (natural log); show it in the workspace unit."""
    return np.atleast_1d(convert_units(np.asarray(losses), math.e, ws.base))


# ---- data settings: a change makes new points and starts training again -------------------------
# In presenter mode the data settings fold away, so the first screen holds the training and its control.
with st.container(key="lesson_controls"), (st.expander("Data and start", icon=":material/tune:")
                                           if presenter_on() else nullcontext()):
    c1, c2, c3, c4 = st.columns(4)
    num_classes = c1.slider("Classes", 2, 4, 3, key="tr_classes", bind="query-params", persist_state="session")
    points = c2.slider("Points per class", 10, 100, 40, step=10, key="tr_points", bind="query-params",
                       persist_state="session")
    spread = c3.slider("Spread", 0.3, 2.0, 1.0, step=0.1, key="tr_spread", bind="query-params",
                       persist_state="session",
                       help="Standard deviation of each blob. The blob centres sit 2.5 from the origin, "
                            "so a large spread makes the classes overlap.")
    seed = seed_input(c4, "Random seed", key="tr_seed", help="The same random seed always makes the same points.")
    s1, s2 = st.columns([3, 2], vertical_alignment="bottom")
    start = s1.segmented_control(
        "Start from", (ZERO_START, WRONG_START), default=ZERO_START, required=True, key="tr_start",
        bind="query-params", persist_state="session",
        help="'All weights 0' gives every class probability 1/K at every point. "
             "'Confidently wrong' gives every point to the next class, usually with 90 % to 99.9 % "
             "probability: the start where cross-entropy and MSE differ most.",
    )
    compare = s2.toggle("Also train with MSE", key="tr_mse", bind="query-params", persist_state="session",
                        help="The same model from the same start, trained on the mean squared error "
                             "between its probabilities and the one-hot targets, step for step.")

data = blobs(int(num_classes), int(points), float(spread), int(seed))
data_key = (int(num_classes), int(points), float(spread), int(seed), start)
if st.session_state.get(STATE, {}).get("key") != data_key:
    st.session_state[STATE] = fresh_state(data, start, data_key)
extent = data_extent(data, margin=1.0)
names = class_names(data.num_classes)


def lookahead(state: dict) -> tuple[np.ndarray, np.ndarray]:
    """The next LOOKAHEAD steps of the cross-entropy run at every rate of the grid (nats), and what they do.

    One batched ce_core call, kept in the training state with the run it belongs to: a rerun that
    did not move the model (a play tick at the end, a click elsewhere) does not compute it again.
    """
    run = state["ce"]
    cached = state.get("lookahead")
    if cached is None or cached[0] is not run:
        losses = learning_rate_sweep(run, data, LEARNING_RATES, LOOKAHEAD)
        outcomes = step_outcomes(losses, PLATEAU_TOLERANCE, reference=run.losses[0])
        state["lookahead"] = cached = (run, losses, outcomes)
    return cached[1], cached[2]


def learning_rate_control(state: dict) -> float:
    """η, live, with one of two charts of the same sweep below it, both drawn while dragging.

    "the next steps": the loss over the next LOOKAHEAD steps at the η under the pointer (one curve
    per rate of the grid); "every η": the loss after 10 and after LOOKAHEAD steps against η on a log
    axis, the η under the pointer marked.
    """
    run = state["ce"]
    losses, outcomes = lookahead(state)
    shown = in_unit(losses.ravel()).reshape(losses.shape)
    now = float(shown[0, 0])
    final = shown[:, -1]
    rates = np.array(LEARNING_RATES)
    n = rates.size
    top = 2.0 * now if now > 0 else 1.0  # a loss that doubles reaches the top edge; beyond it the curve is cut
    final_text = [fmt(float(v), ws) for v in final]
    verdict = [OUTCOME_TEXT[o] for o in outcomes]
    caption = [f"From step {run.steps}, {LOOKAHEAD} more steps at η = {lr:g} take the cross-entropy from "
               f"{fmt(now, ws)} to {final_text[i]}: {verdict[i]}." for i, lr in enumerate(LEARNING_RATES)]
    chart_slot = st.container()
    view = st.segmented_control("Chart of η", VIEWS, default=VIEWS[0], required=True, key="tr_view",
                                bind="query-params", persist_state="session", label_visibility="collapsed")
    axes = {"y_range": (0.0, top), "y_label": f"cross-entropy ({ws.unit})", "y_ticks": live.ticks(nice_ticks(top)),
            "caption": caption, "height_rem": 11.5 if presenter_on() else 15}
    if view == VIEWS[1]:
        layers = [
            live.line("loss now", rates[[0, -1]] * [0.8, 1.25], np.array([now, now]), "guide"),
            live.line(f"after {EARLY} steps", rates, shown[:, EARLY], {"color": "#009E73", "dash": "dash", "width": 2.5}),
            live.line(f"after {LOOKAHEAD} steps", rates, final, "loss"),
            live.vline("η", rates, "guide"),
            live.point(f"at η, after {LOOKAHEAD} steps", rates, final, "loss", symbol="diamond", labels=final_text,
                     size=0.5, legend=False),
        ]
        spec = live.chart_spec(layers, x_range=(0.008, 12.5), x_log=True, x_label="learning rate η (log scale)",
                             x_ticks=live.ticks([0.01, 0.03, 0.1, 0.3, 1, 3, 10]), **axes)
    else:
        layers = [
            live.line("loss now", np.array([0.0, LOOKAHEAD]), np.array([now, now]), "guide"),
            live.curve("cross-entropy over the next steps at η", np.arange(LOOKAHEAD + 1.0), shown, "loss"),
            live.point(f"after {LOOKAHEAD} steps", np.full(n, float(LOOKAHEAD)), final, "loss", symbol="diamond",
                     labels=final_text, size=0.5),
        ]
        spec = live.chart_spec(layers, x_range=(0.0, LOOKAHEAD * 1.04), x_label="steps from now",
                             x_ticks=live.ticks(range(0, LOOKAHEAD + 1, 10)), **axes)
    readouts = [live.readout("final", f"Loss after {LOOKAHEAD} more steps", final_text),
                live.readout("outcome", f"The next {LOOKAHEAD} steps", verdict)]
    with chart_slot:
        return lc.live_slider("Learning rate η", LEARNING_RATES, key=LR_KEY, default=LR_DEFAULT,
                              value_text=[f"{v:g}" for v in LEARNING_RATES], chart=spec, readouts=readouts,
                              hint="Each step moves the weights by η times the gradient.")


def training_panel(compare: bool) -> None:
    """Controls, numbers and charts of the training; reruns alone (and on a timer while playing)."""
    state = st.session_state[STATE]
    at_max = state["ce"].steps >= MAX_STEPS

    playing = state["playing"]
    with st.container(horizontal=True, key="tr_buttons", vertical_alignment="bottom"):
        if st.button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
                     key="tr_play", type="primary", disabled=at_max and not playing):
            state["playing"] = not playing
            st.rerun()  # the whole page, so the fragment's timer starts or stops
        step_one = st.button("+1 step", key="tr_step1", disabled=at_max)
        step_chunk = st.button(f"+{STEP_CHUNK} steps", key="tr_step10", disabled=at_max)
        if st.button("Reset", icon=":material/restart_alt:", key="tr_reset"):
            st.session_state[STATE] = fresh_state(data, start, data_key)
            st.rerun()
        speed = st.segmented_control("Steps per tick while playing", SPEEDS, default=5,
                                     help=f"While playing, the panel redraws every {TICK_SECONDS} s and takes "
                                          "this many gradient-descent steps each time.", required=True,
                                     key="tr_speed", bind="query-params", persist_state="session",
                                     label_visibility="collapsed" if presenter_on() else "visible")

    # The rate of the steps below: the control's value, as its release set it.
    learning_rate = lc.current_value(LR_KEY, LEARNING_RATES, LR_DEFAULT)
    if step_one or step_chunk:
        advance(state, data, 1 if step_one else STEP_CHUNK, learning_rate)
    if state["playing"]:
        advance(state, data, int(speed or 5), learning_rate)
        if has_plateaued(state["ce"].losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE) or state["ce"].steps >= MAX_STEPS:
            state["playing"] = False
            st.rerun()  # stop the timer; the next run draws the final state

    # The control and its preview beside the model's regions; on a projector the preview gets the
    # whole width, so the first screen holds the control and the chart it drives.
    left, right = (st.container(), st.container()) if presenter_on() else st.columns(2)
    with left:
        learning_rate_control(state)
    ce, mse = state["ce"], state["mse"]
    ce_shown = in_unit(ce.losses)
    plateau = plateau_start(ce.losses, PLATEAU_WINDOW, PLATEAU_TOLERANCE)
    ce_accuracy = accuracy(ce.model, data)
    mse_accuracy = accuracy(mse.model, data)

    with right:
        if plateau is not None:
            st.success(f"Plateau: the model has learned what it can. Detected at step {plateau}: over the "
                       f"{PLATEAU_WINDOW} steps before it, the cross-entropy moved by less than "
                       f"{PLATEAU_TOLERANCE:.1%} of its starting value.", icon=":material/flag:")
        elif ce.steps >= MAX_STEPS:
            st.info(f"Stopped at the maximum of {MAX_STEPS} steps. Press Reset to start again.",
                    icon=":material/stop_circle:")
        if state["playing"] and plateau is None and ce.steps < MAX_STEPS:
            st.caption(f"Playing: {speed} steps every {TICK_SECONDS} s at η = {learning_rate:g}, until the loss "
                       f"stops falling or step {MAX_STEPS}.")
        else:
            st.caption(f"Play and the step buttons train with η = {learning_rate:g}. Moving η takes no step: "
                       f"its chart previews the next {LOOKAHEAD} steps.")

        with st.container(horizontal=True, key="tr_metrics"):
            st.metric("Steps taken", f"{ce.steps}", width="content")
            st.metric("Cross-entropy", fmt(float(ce_shown[-1]), ws), width="content",
                      delta=fmt(float(ce_shown[-1] - ce_shown[0]), ws) if ce.steps else None, delta_color="inverse",
                      help="Mean of −log q(true class) over all points; the change is since step 0.")
            st.metric("Accuracy", f"{ce_accuracy:.1%}", width="content",
                      help="Share of points whose most probable class is their true class (cross-entropy model).")
            if compare:
                st.metric("MSE (no unit)", f"{mse.current_loss:.4f}", width="content",
                          delta=f"{mse.current_loss - mse.losses[0]:.4f}" if mse.steps else None,
                          delta_color="inverse", help="Mean over points of Σ_c (q_c − [c = y])², against the one-hot target; the change is since step 0.")
                st.metric("Accuracy, MSE model", f"{mse_accuracy:.1%}", width="content")

        ce_regions = make_decision_regions(*decision_grid(ce.model, extent, GRID), data.x, data.y,
                                           class_names=names, title="Trained on cross-entropy")
        ce_caption = (f"Predicted class over the plane after {ce.steps} steps of cross-entropy training; "
                      f"{ce_accuracy:.1%} of the {data.y.size} points fall in their own class's region. "
                      "Stronger tint = surer prediction; marker shape and colour = true class.")
        if ce.steps == 0 and start == ZERO_START:
            ce_caption += (f" At step 0 every class has probability 1/{data.num_classes} everywhere; "
                           "the tie goes to class 0.")
        chart(ce_regions, ce_caption, key="tr_regions_ce")

    losses = make_loss_curves(ce_shown, unit=ws.unit, mse_losses=mse.losses if compare else None,
                              plateau_step=plateau,
                              title="Loss: cross-entropy vs MSE" if compare else "Loss while training")
    loss_caption = (f"Cross-entropy after each of {ce.steps} steps, from {fmt(float(ce_shown[0]), ws)} "
                    f"to {fmt(float(ce_shown[-1]), ws)}")
    if compare:
        loss_caption += (f"; MSE (dashed, right axis, no unit) from {mse.losses[0]:.4f} to "
                         f"{mse.current_loss:.4f}. Each axis runs from 0 to its curve's highest value")
    loss_caption += f"; plateau detected at step {plateau}." if plateau is not None else "."

    if compare:
        left, right = st.columns(2)
        with left:
            chart(losses, loss_caption, key="tr_losses")
        with right:
            mse_regions = make_decision_regions(*decision_grid(mse.model, extent, GRID), data.x, data.y,
                                                class_names=names, title="Trained on MSE")
            chart(mse_regions, f"Predicted class after {mse.steps} steps of MSE training; {mse_accuracy:.1%} "
                               f"of the points fall in their own class's region.", key="tr_regions_mse")
    else:
        chart(losses, loss_caption, key="tr_losses")


st.fragment(training_panel, run_every=TICK_SECONDS if st.session_state[STATE]["playing"] else None)(compare)

# ---- the explanation: static for a given data set and start ----------------------------------
st.subheader("What one step does")
prose(f"The loss is the mean surprisal of the true classes, computed with the natural log (nats) and shown "
      f"here in {ws.unit}. Changing the unit rescales the curve; it does not change the training.")
st.latex(r"L = -\frac{1}{N}\sum_{n=1}^{N} \ln q_{y_n}(x_n)")
st.latex(r"\frac{\partial L}{\partial z_n} = \frac{1}{N}\big(q(x_n) - \mathrm{onehot}(y_n)\big)")
st.latex(r"W \leftarrow W - \eta\, \nabla_W L, \qquad b \leftarrow b - \eta\, \nabla_b L")
prose(f"**The learning rate.** The chart under η starts from the model as it is now and shows the next "
      f"{LOOKAHEAD} steps at the η under the pointer; nothing is trained until you press a step button or Play. "
      "Too small an η and the curve barely moves. Too large and a step jumps past the valley: the loss "
      "zigzags, or climbs above where it was (try η = 10 with 4 classes and a spread of 1.5, after ten steps).")
prose(f"**Plateau.** Play stops by itself when the loss has moved by less than {PLATEAU_TOLERANCE:.1%} of "
      f"its starting value over {PLATEAU_WINDOW} steps, or at step {MAX_STEPS}. When a straight line can "
      "separate the classes perfectly, cross-entropy never reaches 0: the weights can always grow to make "
      "the model surer. Its moves just become too small to matter, which is what the test detects.")

st.subheader("Why cross-entropy learns faster from confident mistakes")
state = st.session_state[STATE]
ce_norm = gradient_norm(state["start"], data, "cross_entropy")
mse_norm = gradient_norm(state["start"], data, "mse")
prose("MSE compares the probabilities with the one-hot target, class by class:")
st.latex(r"\mathrm{MSE} = \frac{1}{N}\sum_{n}\sum_{c} \big(q_c(x_n) - [\,c = y_n\,]\big)^2")
prose("Its gradient reaches the scores through the softmax, whose slope "
      r"$\partial q_c / \partial z_j = q_c(\delta_{cj} - q_j)$ is close to 0 when the probabilities are close "
      "to 0 or 1, which is exactly when the model is sure, even if it is sure of the wrong class. "
      "Cross-entropy's logarithm cancels that slope: its gradient $q - y$ stays near −1 for the true class "
      "however confident the mistake.")
st.markdown(f"From this start ({start}), the first gradient has length **{ce_norm:.3g}** for "
            f"cross-entropy and **{mse_norm:.3g}** for MSE.")
if start == ZERO_START:
    prose("From all-zero weights the model is not yet sure of anything, so the two losses learn at similar "
          "speeds. Choose **Start from: confidently wrong** and switch on **Also train with MSE** to see "
          "the difference.")

show_source(loss_and_gradient, continue_run, has_plateaued)
