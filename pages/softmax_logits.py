"""Lesson: logits, softmax, temperature, the gradient, and why softmax subtracts the maximum."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import pandas as pd
import streamlit as st

from ce_core.bar_tables import logit_table
from ce_core.live import parameter_grid
from ce_core.losses import cross_entropy_gradient
from ce_core.overflow import EXP_OVERFLOW, overflow_shift, softmax_overflow
from ce_core.softmax import softmax
from ce_core.temperature import tempered_gradient, tempered_loss
from lab.components import bar_control as bc
from lab.components import live_chart as lc
from lab.figures.softmax import logit_chart, temperature_chart
from lab.lesson_keys import (
    SM_LOGIT,
    SM_LOGIT_DEFAULTS,
    SM_TEMPERATURE,
    SM_TEMPERATURE_DEFAULT,
    SM_TRUE,
    SM_TRUE_DEFAULT,
)
from lab.ui import fmt, page_header, prose, show_source
from lab.workspace import Workspace

LOGIT_RANGE = (-10.0, 10.0)
#: Positions of a logit: -10, -9.9, ..., 10 (the old sliders' range and step, so old links still open).
LOGIT_GRID = parameter_grid(*LOGIT_RANGE, 0.1)
LOGITS_KEY = "sm_logits"
SHIFT_KEY = "sm_shift"
SHIFT_RANGE = (-1000.0, 1000.0)
#: Positions of the temperature control: T = 0.1, 0.2, ..., 5.0.
TEMPERATURE_GRID = parameter_grid(0.1, 5.0, 0.1)

ws = page_header(
    "Softmax and logits",
    "A classifier's last layer gives one raw score per class, a **logit** $z_i$: any real number. "
    "Softmax turns the scores into probabilities: exponentiate (everything becomes positive), then "
    "divide by the total (everything sums to 1). The loss is the surprisal of the true class.",
    classes=True,
)
# two lines, not one wide one: on a phone the loss was cut to "ℓ = −1"
st.latex(r"\begin{gathered} q_i = \operatorname{softmax}(z/T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}} \\"
         r" \ell = -\log q_{y} \end{gathered}")


def _fixed(value: float) -> str:
    """Four decimals, without the "-0.0000" that rounding noise would print."""
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _exp_text(value: float, exponent: float) -> str:
    if math.isinf(value):
        return f"overflow: exp({exponent:.1f}) = ∞"
    if value == 0.0:
        return f"underflow: exp({exponent:.1f}) = 0"
    return f"{value:.4g}"


def _naive_text(value: float, status: str) -> str:
    if status == "overflow":
        return "∞ / ∞ = NaN (undefined)"
    if status == "underflow":
        return "0 / 0 = NaN (undefined)"
    if status == "finite_over_inf":
        return "finite / ∞ = 0 (wrong)"
    return f"{value:.4f}"


def _true_class(ws: Workspace) -> int:
    if int(st.session_state.get(SM_TRUE, SM_TRUE_DEFAULT) or 0) >= ws.k:  # fewer classes than before
        st.session_state[SM_TRUE] = SM_TRUE_DEFAULT
    col_true, _ = st.columns(2)
    target = col_true.selectbox(
        "True class y", range(ws.k), index=SM_TRUE_DEFAULT, format_func=lambda i: ws.names[i], key=SM_TRUE,
        bind="query-params", persist_state="session", help="The class the example really belongs to.",
    )
    return SM_TRUE_DEFAULT if target is None else int(target)


def _logit_control(ws: Workspace, target: int, temperature: float) -> tuple[float, ...]:
    """The logits as bars to drag, with softmax(z / T) beside them: every row computed in one ce_core call."""
    keys = [SM_LOGIT.format(i) for i in range(ws.k)]
    defaults = SM_LOGIT_DEFAULTS[:ws.k]
    logits = bc.bar_values(keys, LOGIT_GRID, defaults)
    table = logit_table(logits, target, temperature, LOGIT_GRID, ws.base)  # one batched call
    spec, caption, readouts = logit_chart(ws.names, target, temperature, table, unit=ws.unit)
    return bc.bar_control(
        "Logits z (one per class; set the classes above)", ws.names, LOGIT_GRID, key=LOGITS_KEY, keys=keys,
        defaults=defaults, chart=spec, caption=caption, readouts=readouts, value_name="z",  bar_prefix="logit z of ",
        sub=bc.sub_numbers(f"gradient ∂ℓ/∂z in {ws.unit} (the number under each bar)", table.gradient), digits=1,
        hint="Drag a bar up or down, or focus it and use the arrow keys.")


def _softmax_panel(ws: Workspace, logits: tuple[float, ...], target: int, temperature: float) -> None:
    probabilities = softmax(logits, temperature)
    loss = tempered_loss(logits, target, temperature, ws.base)
    gradient = tempered_gradient(logits, target, temperature, ws.base)
    gradient_sum = float(gradient.sum())
    true_name = ws.names[target]

    c1, c2, c3 = st.columns(3)
    c1.metric(f"Loss −log q({true_name}) at T = {temperature:.1f}", fmt(loss, ws))
    c2.metric(f"q({true_name})", f"{probabilities[target]:.4f}")
    c3.metric("Sum of the gradient", _fixed(gradient_sum),
              help="Exactly 0 in exact arithmetic; floating point leaves at most ~1e-16.")
    st.caption(f"At T = {temperature:.1f} with logits " + ", ".join(f"{n} {z:.1f}" for n, z in
                                                                   zip(ws.names, logits, strict=True))
               + ": gradient per logit " + ", ".join(f"{n} {g:+.3f}" for n, g in zip(ws.names, gradient, strict=True))
               + f" {ws.unit} (sum {_fixed(gradient_sum)}).")

    st.markdown("**What backpropagation sends.** The gradient of the loss with respect to each logit:")
    st.latex(r"\frac{\partial \ell}{\partial z_i} = \frac{q_i - [\,i = y\,]}{T \ln b}")
    prose(
        f"In nats at $T = 1$ (what PyTorch computes) this is simply **softmax − one-hot**; in {ws.unit} it "
        "is divided by $\\ln b$, and a temperature adds a factor $1/T$. The true class gets a negative "
        "gradient (gradient descent raises its logit), every other class a positive one (its logit goes "
        "down), in proportion to the probability it took. The bars **sum to 0**: the softmax sums to 1, and "
        "so does the one-hot target. Only the *differences* between logits matter, so adding the same "
        "number to every logit changes nothing, which is also why the overflow fix below works."
    )


def _temperature_control(ws: Workspace, logits: tuple[float, ...], target: int) -> float:
    """The temperature, live: softmax(z/T) for every T of the grid, as bars beside the one-hot target."""
    spec, readouts = temperature_chart(ws.names, logits, target, TEMPERATURE_GRID, base=ws.base, unit=ws.unit)
    return lc.live_slider("Temperature T", TEMPERATURE_GRID, key=SM_TEMPERATURE, default=SM_TEMPERATURE_DEFAULT,
                          digits=1, chart=spec, readouts=readouts,
                          hint="Every logit is divided by T before the softmax. T < 1 sharpens, T > 1 flattens.")


def _overflow_panel(ws: Workspace, logits: tuple[float, ...], temperature: float) -> None:
    st.subheader("The overflow lesson")
    prose(
        "The formula above, computed as written, breaks for large logits: a float64 holds numbers up to "
        f"about 1.8 × 10³⁰⁸, so $e^x$ is ∞ for $x > {EXP_OVERFLOW:.2f}$ (and rounds to 0 below about −745). "
        "The stable softmax subtracts the largest logit first: every exponent is then ≤ 0, the largest "
        "term is exactly $e^0 = 1$, and the answer is the same, because adding a constant to every "
        "logit cancels between the numerator and the denominator."
    )
    shift = st.slider(
        "Add a constant c to every logit", *SHIFT_RANGE, value=0.0, step=10.0, key=SHIFT_KEY,
        bind="query-params", persist_state="session",
        help="Large logits happen in real networks. Push c up until the textbook formula overflows, "
        "or far down until it underflows.",
    )
    report = softmax_overflow(logits, shift, temperature)
    table = pd.DataFrame({
        "class": list(ws.names),
        "(z + c) / T": [f"{s:.1f}" for s in report.scaled],
        "textbook: exp": [_exp_text(e, s) for e, s in zip(report.naive_exp, report.scaled, strict=True)],
        "textbook: softmax": [_naive_text(v, state) for v, state in zip(report.naive, report.status, strict=True)],
        "stable: exp(s − max)": [f"{e:.4g}" for e in report.stable_exp],
        "stable: softmax": [f"{v:.4f}" for v in report.stable],
    })
    st.dataframe(table, hide_index=True, key="sm_overflow_table")
    failed = any(status != "ok" for status in report.status)
    if failed:
        kind = ("every exp underflows to 0" if report.status[0] == "underflow" else
                "an exp overflows to ∞" if "overflow" in report.status else "the sum of the exps overflows to ∞")
        st.error(f"With c = {shift:.0f} {kind}: the textbook softmax is NaN or wrong. "
                 f"The stable softmax is unchanged (largest difference from c = 0: "
                 f"{report.change_from_shift:.1e}, rounding only).", icon=":material/error:")
    else:
        needed = overflow_shift(logits, temperature)
        hint = (f"Raise c above {needed:.0f} to break the textbook one." if needed < SHIFT_RANGE[1] else
                f"At T = {temperature:.1f} the slider cannot reach the overflow (c > {needed:.0f}): lower T.")
        st.success(f"With c = {shift:.0f} both computations agree (largest exponent "
                   f"{report.scaled.max():.1f} < {EXP_OVERFLOW:.2f}). {hint}", icon=":material/check_circle:")
    st.caption(
        f"Textbook versus stable softmax of z + c at T = {temperature:.1f}, c = {shift:.0f}: the textbook "
        f"formula {'fails' if failed else 'works'}; stable softmax "
        + ", ".join(f"{n} {v:.4f}" for n, v in zip(ws.names, report.stable, strict=True)) + "."
    )


@st.fragment
def lesson(ws: Workspace) -> None:
    """Every control of this lesson acts only here: rerun this panel, not the whole app."""
    target = _true_class(ws)
    # the temperature as its control holds it: the logits' table needs it before that control is drawn
    temperature = lc.current_value(SM_TEMPERATURE, TEMPERATURE_GRID, SM_TEMPERATURE_DEFAULT)
    logits = _logit_control(ws, target, temperature)
    temperature = _temperature_control(ws, logits, target)
    _softmax_panel(ws, logits, target, temperature)
    _overflow_panel(ws, logits, temperature)


lesson(ws)

show_source(softmax, tempered_loss, cross_entropy_gradient, logit_table, softmax_overflow)
