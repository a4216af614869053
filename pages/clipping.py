"""The clipping lab: what the frameworks report when the true class gets probability 0."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import numpy as np
import streamlit as st

from ce_core.live import clip_epsilon_sweep, clipping_sweep, grid_index, parameter_grid
from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient
from ce_core.variants import PROBABILITY_STEPS, clip_policies
from lab.components import live_chart as lc
from lab.figures import live
from lab.figures.live import nice_ticks
from lab.figures.variants import POLICY_STYLES
from lab.lesson_keys import CL_EPSILON, CL_EPSILON_DEFAULT, CL_PROB, CL_PROB_DEFAULT
from lab.ui import fmt, page_header, prose, show_source

ws = page_header(
    "The clipping lab",
    "The loss of a sample is $-\\log q$, where $q$ is the probability the model gave the true class. "
    "As $q \\to 0$ it grows without bound, and at $q = 0$ it is $\\infty$. Frameworks do not like "
    "infinities, so they cap it, each in its own way. Drag $q$ toward 0 and watch what each one reports, "
    "and what happens to the gradient that training follows; then choose your own clip ε.",
)


def _probability_label(v: float) -> str:
    return "0" if v == 0 else f"{v:g}"


#: The control's position labels: "0", "1e-50", ..., "1"; float() of each gives back the probability exactly.
STEP_LABELS = tuple(_probability_label(v) for v in PROBABILITY_STEPS)


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


def _gradient_text(g: float) -> str:
    if math.isinf(g):
        return "−∞" if g < 0 else "∞"
    return "0 (silenced)" if g == 0 else f"{g:.4g}"


def loss_chart(policies, s: dict) -> tuple[dict, list[dict]]:
    """−log q under each policy along q (log axis), each policy's point at every position of the control."""
    finite = s["curves"][np.isfinite(s["curves"])]
    top = float(finite.max()) * 1.05
    x_at = np.where(s["q"] > 0, s["q"], np.nan)  # a log axis has no 0: the readouts give q = 0
    layers = [live.line(p.label, s["grid"], s["curves"][i], dict(POLICY_STYLES[i])) for i, p in enumerate(policies)]
    symbols = ("circle", "square", "square", "triangle", "diamond")
    layers += [live.point(f"at q: {p.label}", x_at, s["loss"][i], dict(POLICY_STYLES[i]), symbol=symbols[i], legend=False,
                        size=0.4) for i, p in enumerate(policies)]
    texts = [[fmt(v, ws) for v in s["loss"][i]] for i in range(len(policies))]
    caption = [f"−log q under each policy, q from 1e-50 to 1 on a log axis. At q = {_probability_label(q)}: "
               f"exact {texts[0][g]}, PyTorch {texts[1][g]}, scikit-learn {texts[2][g]} (float64) and "
               f"{texts[3][g]} (float32), your ε {texts[4][g]}." + (" (q = 0 is not on a log axis.)" if q == 0 else "")
               for g, q in enumerate(PROBABILITY_STEPS)]
    spec = live.chart_spec(layers, x_range=(1e-50, 1.0), y_range=(0.0, top), x_log=True, x_label="q(true class), log scale",
                         y_label=f"loss ({ws.unit})", x_ticks=live.ticks([1e-50, 1e-40, 1e-30, 1e-20, 1e-10, 1.0]),
                         y_ticks=live.ticks(nice_ticks(top)), caption=caption)
    readouts = [live.readout(f"loss{i}", p.label, texts[i]) for i, p in enumerate(policies)]
    return spec, readouts


def _power_ticks(lo: float, hi: float, every: int) -> list[list]:
    """Ticks at whole powers of ten from lo to hi, every ``every`` decades: "1", "1e10", ..."""
    first, last = math.ceil(math.log10(lo)), math.floor(math.log10(hi))
    return [[10.0 ** e, "1" if e == 0 else f"1e{e}".replace("-", "−")] for e in range(first, last + 1)
            if (e - first) % every == 0]


def gradient_chart(policies, s: dict) -> dict:
    """|∂loss/∂q| under each policy along q (log-log), each policy's point at every position of the control."""
    size = s["gradient_size_curves"]
    shown = size[np.isfinite(size) & (size > 0)]
    lo = 10.0 ** math.floor(math.log10(float(shown.min())))
    hi = 10.0 ** math.ceil(math.log10(float(shown.max())))
    # a log axis has no 0: where a clip silences the gradient the line stops (the caption and table say so)
    layers = [live.line(p.label, s["grid"], np.where(size[i] > 0, size[i], np.nan), dict(POLICY_STYLES[i]))
              for i, p in enumerate(policies)]
    x_at = np.where(s["q"] > 0, s["q"], np.nan)
    symbols = ("circle", "square", "square", "triangle", "diamond")
    layers += [live.point(f"gradient at q: {p.label}", x_at, np.where(s["gradient_size"][i] > 0, s["gradient_size"][i], np.nan),
                        dict(POLICY_STYLES[i]), symbol=symbols[i], legend=False, size=0.4) for i, p in enumerate(policies)]
    texts = [[_gradient_text(v) for v in s["gradient"][i]] for i in range(len(policies))]
    caption = [f"Size of the gradient |∂loss/∂q|, log-log. It grows as 1/q; the clips drop it to 0 below their "
               f"ε (the line stops), PyTorch's BCELoss backward keeps returning up to 1e12 nats per unit. "
               f"At q = {_probability_label(q)}: exact {texts[0][g]}, your ε {texts[4][g]}."
               for g, q in enumerate(PROBABILITY_STEPS)]
    return live.chart_spec(layers, x_range=(1e-50, 1.0), y_range=(lo, hi), x_log=True, y_log=True,
                         x_label="q(true class), log scale", y_label=f"|∂loss/∂q| ({ws.unit_short}/unit)",
                         x_ticks=live.ticks([1e-50, 1e-40, 1e-30, 1e-20, 1e-10, 1.0]), y_ticks=_power_ticks(lo, hi, 10),
                         title="The gradient as q(true class) goes to 0", caption=caption, key="cl_grad")


def epsilon_chart(es: dict, q: float) -> tuple[dict, list[dict]]:
    """−log clip(q, ε, 1 − ε) along q (log axis) at every ε of the control, its cap and the point at q."""
    top = float(es["exact"][np.isfinite(es["exact"])].max()) * 1.05
    n = LOG_EPS_GRID.size
    label = _probability_label(q)
    loss_text = [fmt(v, ws) for v in es["loss"]]
    cap_text = [fmt(v, ws) for v in es["cap"]]
    grad_text = [_gradient_text(v) for v in es["gradient"]]
    mine = dict(POLICY_STYLES[4])
    layers = [
        live.line("exact −log q", es["grid"], es["exact"], dict(POLICY_STYLES[0])),
        live.curve("−log clip(q, ε, 1 − ε)", es["grid"], es["curves"], mine),
        live.hline("its cap −log ε", es["cap"], {"color": mine["color"], "dash": "dot", "width": 1.5}, legend=True),
        live.vline("ε", es["epsilon"], "guide"),
        # a log axis has no 0: at q = 0 the readouts give the values
        live.point("at your q", np.full(n, q if q > 0 else np.nan), es["loss"], mine, symbol="diamond",
                 labels=loss_text, size=0.5),
    ]
    caption = [f"−log clip(q, ε, 1 − ε) with ε = {EPS_LABELS[i]}, q from 1e-50 to 1 on a log axis, exact −log q "
               f"for comparison. Below ε the clipped loss stays at its cap −log ε = {cap_text[i]} and its gradient "
               f"is 0. At q = {label}: {loss_text[i]}, gradient {grad_text[i]}."
               + (" (q = 0 is not on a log axis.)" if q == 0 else "") for i in range(n)]
    spec = live.chart_spec(layers, x_range=(1e-50, 1.0), y_range=(0.0, top), x_log=True, x_label="q(true class), log scale",
                         y_label=f"loss ({ws.unit})", x_ticks=live.ticks([1e-50, 1e-40, 1e-30, 1e-20, 1e-10, 1.0]),
                         y_ticks=live.ticks(nice_ticks(top)), caption=caption)
    readouts = [
        live.readout("cap", "Cap −log ε", cap_text),
        live.readout("loss", f"Loss at q = {label}", loss_text),
        live.readout("gradient", f"Gradient ∂loss/∂q at q = {label} ({ws.unit_short}/unit)", grad_text),
    ]
    return spec, readouts


@st.fragment
def clipping_lab() -> None:
    """Both controls, the table and the charts: moving q or ε reruns only this panel (the workspace is only read)."""
    q = lc.current_value(CL_PROB, PROBABILITY_STEPS, CL_PROB_DEFAULT)
    log_eps = lc.current_value(CL_EPSILON, LOG_EPS_GRID, CL_EPSILON_DEFAULT)
    es = clip_epsilon_sweep(LOG_EPS_GRID, q, base=ws.base, grid=DECADES)  # every ε at this q: one batch
    policies = clip_policies(float(es["epsilon"][grid_index(LOG_EPS_GRID, log_eps)]))
    s = clipping_sweep(policies, PROBABILITY_STEPS, base=ws.base)  # every policy at every q: one batch
    spec, readouts = loss_chart(policies, s)
    q = lc.live_slider("q(true class), on a log scale", PROBABILITY_STEPS, key=CL_PROB, default=CL_PROB_DEFAULT,
                       value_text=STEP_LABELS, chart=spec, more_charts=[gradient_chart(policies, s)],
                       readouts=readouts)

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

    st.markdown("**Your own clip ε**: many hand-written losses compute −log(clip(q, ε, 1 − ε)).")
    spec, readouts = epsilon_chart(es, q)
    lc.live_slider("Your ε", LOG_EPS_GRID, key=CL_EPSILON, default=CL_EPSILON_DEFAULT, value_text=EPS_LABELS,
                   chart=spec, readouts=readouts, hint="Half a power of ten per step.")


clipping_lab()

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
