"""Lesson 5: the one-hot loss, worked. With a one-hot target, cross-entropy is −log q(true class)."""

import math

import numpy as np
import pandas as pd
import streamlit as st

from ce_core.decomposition import cross_entropy_terms, one_hot_index
from ce_core.figures.cross_entropy import make_code_length_blocks, make_one_hot_loss_curve
from ce_core.figures.theme import fmt_value
from ce_core.information import convert_units, cross_entropy, surprisal
from lab.ui import LATEX_LOG as LOG
from lab.ui import chart, fmt, page_header, prose, show_source

#: The worked example the page opens on: a one-hot target and a model's prediction over 3 classes.
WORKED_P = (0.0, 1.0, 0.0)
WORKED_Q = (0.228, 0.619, 0.153)
WORKED, OWN = "The worked example", "Your p and q (sidebar)"
TERMS_PER_LINE = 2


def _tex_number(value: float) -> str:
    """A probability as LaTeX: 0.619, 0.2857, 1, 0, 3.2 \\times 10^{-5}."""
    if value == 0 or value == 1:
        return str(int(value))
    if value >= 1e-3:
        return f"{value:.4f}".rstrip("0").rstrip(".")
    mantissa, exponent = f"{value:.2e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _tex_text(text: str) -> str:
    """A cleaned class name inside \\text{}: only the underscore needs escaping."""
    return text.replace("_", r"\_")


def _tex_value(value: float, unit: str) -> str:
    return r"\infty" if math.isinf(value) else rf"{value:.4f}\ \text{{{unit}}}"


def _tex_sum(p: np.ndarray, q: np.ndarray, log: str) -> str:
    """-(p_1 log q_1 + p_2 log q_2 + ...), broken after every few terms."""
    terms = [rf"{_tex_number(pi)} \cdot {log} {_tex_number(qi)}" for pi, qi in zip(p, q, strict=True)]
    lines = [" + ".join(terms[i:i + TERMS_PER_LINE]) for i in range(0, len(terms), TERMS_PER_LINE)]
    return r"\\ &\quad + ".join(lines)


ws = page_header(
    "The one-hot loss, worked",
    "A classifier is trained on labels: each example belongs to one class, so the target p puts "
    "probability 1 on the true class and 0 on every other (a **one-hot** vector). Cross-entropy then "
    "loses all its terms but one, and the loss is simply $-\\log q(\\text{true class})$.",
)
log = LOG[ws.unit]
source = st.segmented_control(
    "Example", (WORKED, OWN), default=WORKED, required=True, key="oh_source", bind="query-params",
    persist_state="session",
    help="The worked example is p = [0, 1, 0], q = [0.228, 0.619, 0.153]. Switch to the sidebar's p and q to "
         "change the numbers yourself.")
if source == OWN:
    names, p, q = list(ws.names), ws.p, ws.q
else:
    names = list(ws.names[:3]) if ws.k >= 3 else ["class 0", "class 1", "class 2"]
    p, q = np.asarray(WORKED_P), np.asarray(WORKED_Q)
k = len(names)
true = one_hot_index(p)
total = cross_entropy(p, q, base=ws.base)
total_nats = cross_entropy(p, q)

if source == WORKED:
    st.info(f"A classifier sees one example of **{names[1]}** (class 1, counting from 0): the target is "
            f"p = [0, 1, 0]. The model predicts q = [0.228, 0.619, 0.153]. Its loss is "
            f"{fmt_value(total_nats, 'nats')}. Switch to *{OWN}* above to try your own numbers.",
            icon=":material/school:")
elif true is None:
    spread = ", ".join(f"{names[i]} {p[i]:.3f}" for i in range(k) if p[i] > 0)
    st.warning(f"Your p is **not one-hot**: it spreads over {int(np.sum(p > 0))} classes "
               f"({spread}). No term drops out, so below is the full sum. Choose the one-hot preset in the "
               f"sidebar (or the worked example above) to see the one-hot case.", icon=":material/info:")

# --- The steps -------------------------------------------------------------------------------------------
st.header("Step by step")
steps = [r"H(p, q) &= -\sum_i p_i " + log + r" q_i \\",
         r"&= -\big(" + _tex_sum(p, q, log) + r"\big) \\"]
if true is not None:
    steps.append(rf"&= -{log} q(\text{{{_tex_text(names[true])}}}) = -{log} {_tex_number(q[true])} \\")
    # every other term is 0 · log q_i = 0
steps.append(rf"&= {_tex_value(total, ws.unit)}" + ("" if ws.unit == "nats" else rf" = {_tex_value(total_nats, 'nats')}"))
st.latex(r"\begin{aligned}" + "\n".join(steps) + r"\end{aligned}")

log_q = 0.0 - surprisal(q, base=ws.base)  # 0.0 - x keeps log 1 = 0 unsigned
terms = cross_entropy_terms(p, q, base=ws.base)
columns = {
    "class": [*names, "total"],
    "p_i": [f"{v:.3f}" for v in p] + [""],
    "q_i": [f"{v:.4f}" for v in q] + [""],
    f"log q_i ({ws.unit_short})": ["−∞" if math.isinf(v) else f"{v:.4f}".replace("-", "−") for v in log_q] + [""],
    f"−p_i · log q_i ({ws.unit_short})": [
        ("∞" if math.isinf(t) else f"{t:.4f}") + ("  (p_i = 0: no weight)" if pi == 0 and qi == 0 else "")
        for t, pi, qi in zip(terms, p, q, strict=True)] + ["∞" if math.isinf(total) else f"{total:.4f}"],
}
if ws.unit != "nats":
    terms_nats = cross_entropy_terms(p, q)
    columns["−p_i · ln q_i (nats)"] = ["∞" if math.isinf(t) else f"{t:.4f}" for t in terms_nats] + [
        "∞" if math.isinf(total_nats) else f"{total_nats:.4f}"]
st.table(pd.DataFrame(columns), hide_index=True)

in_unit, in_nats = st.columns(2)
if ws.unit != "nats":
    in_unit.metric(f"Loss in {ws.unit}", fmt(total, ws))
    in_unit.caption(f"Nats to {ws.unit}: divide by ln {int(ws.base)}: "
                    f"{total_nats:.4f} nats = {convert_units(total_nats, math.e, ws.base):.4f} {ws.unit}."
                    if math.isfinite(total_nats) else "Infinite in every unit.")
nats_column = in_unit if ws.unit == "nats" else in_nats  # in nats the two numbers are one
nats_column.metric("Loss in nats (what PyTorch reports)", fmt_value(total_nats, "nats"),
                   help="PyTorch, TensorFlow and scikit-learn use the natural log.")

# --- Why the other terms vanish -----------------------------------------------------------------------
st.header("Why only the true class counts")
prose(
    "Every term is $p_i \\cdot \\log q_i$: the log of what the model said, weighted by how often the "
    "class really happens. For a wrong class the weight is $p_i = 0$, so its term is 0 whatever $q_i$ is, "
    "**even when $q_i = 0$**: a class that did not happen carries no weight in the average, so its "
    "(possibly infinite) code length costs nothing. (This is not the rule $0 \\cdot \\log 0 = 0$ of "
    "entropy, where the weight and the log come from the same p.) So the loss only "
    "looks at the probability the model gave the truth. The probability it put on wrong classes still "
    "matters, indirectly: q sums to 1, so every bit of it came out of q(true class)."
)
if true is not None:
    q_true = float(q[true])
    if q_true == 0:
        st.error(f"q gives the true class **{names[true]}** probability 0: the loss is −log 0 = ∞. "
                 "The model said the thing that happened was impossible; no finite penalty is large enough.",
                 icon=":material/all_inclusive:")
    curve = make_one_hot_loss_curve(q_true, base=ws.base, unit=ws.unit, class_name=names[true])
    chart(curve, f"The loss −log q over q({names[true]}); this model gives q = {q_true:.4f}, "
                 f"so the loss is {fmt(total, ws)}. It is 0 at q = 1 and grows without bound as q → 0.",
          key="oh_curve")
    prose("PyTorch's `CrossEntropyLoss` takes logits and the *index* of the true class "
          f"(here {true}, '{names[true]}'), computes −log softmax(logits)[{true}] in nats and never "
          "looks at the other classes' targets: the same one-term sum.")
else:
    blocks = make_code_length_blocks(names, p, q, base=ws.base, unit=ws.unit,
                                     title="Each class's share: p_i wide, −log q_i tall")
    chart(blocks, f"p spreads over several classes, so several blocks remain; their total area is "
                  f"H(p, q) = {fmt(total, ws)}. With a one-hot p only one block, of width 1, would be left.",
          key="oh_blocks")

show_source(cross_entropy_terms, one_hot_index)
