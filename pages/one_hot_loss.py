"""Lesson 5: the one-hot loss, worked. With a one-hot target, cross-entropy is −log q(true class)."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import numpy as np
import pandas as pd
import streamlit as st

from ce_core.decomposition import cross_entropy_terms, one_hot_index
from ce_core.information import convert_units, cross_entropy, surprisal
from lab import state_keys
from lab.figures.cross_entropy import make_code_length_blocks, make_one_hot_loss_curve
from lab.figures.theme import fmt_value
from lab.ui import LATEX_LOG as LOG
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import LINK_KEYS, Workspace, current_workspace, set_workspace

#: The worked example the page opens on: a one-hot target and a model's prediction over 3 classes.
WORKED_P = (0.0, 1.0, 0.0)
WORKED_Q = (0.228, 0.619, 0.153)
TERMS_PER_LINE = 2
OPENED, PREVIOUS = state_keys.ONE_HOT_OPENED, state_keys.ONE_HOT_PREVIOUS


def _is_worked(ws) -> bool:
    return ws.k == 3 and tuple(ws.p) == WORKED_P and tuple(ws.q) == WORKED_Q


def _open_on_worked_example() -> None:
    """The first visit of a session opens on the worked example, in the shared p and q.

    Not when this page was opened by a link that says what p or q are. The learner's own p and q
    are kept, to bring back with one click.
    """
    ss = st.session_state
    if ss.get(OPENED):
        return
    ss[OPENED] = True
    raw = ss.get(state_keys.RAW_PARAMS, {})
    if ss.get(state_keys.FIRST_PAGE) == "one_hot_loss" and any(key in LINK_KEYS and key[0] != "n" for key in raw):
        return
    ws = current_workspace()
    if _is_worked(ws):
        return
    ss[PREVIOUS] = (ws.k, tuple(ws.p), tuple(ws.q))
    set_workspace(k=3)
    set_workspace(p=WORKED_P, q=WORKED_Q)
    ss[state_keys.WORKSPACE] = current_workspace()


def _restore_previous() -> None:
    k, p, q = st.session_state.pop(PREVIOUS)
    set_workspace(k=k)
    set_workspace(p=p, q=q)


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


_open_on_worked_example()
ws = page_header(
    "The one-hot loss, worked",
    "A classifier is trained on labels: each example belongs to one class, so the target p puts "
    "probability 1 on the true class and 0 on every other (a **one-hot** vector). Cross-entropy then "
    "loses all its terms but one, and the loss is simply $-\\log q(\\text{true class})$.", editor="area"
)


def notice_panel(ws: Workspace) -> None:
    """What p and q are: the worked example, or a p that is not one-hot; the way back to your own."""
    names, p, q = list(ws.names), ws.p, ws.q
    k = len(names)
    true = one_hot_index(p)
    total_nats = cross_entropy(p, q)
    if _is_worked(ws):
        st.info(f"The worked example: a classifier sees one example of **{names[1]}** (class 1, counting from 0), "
                f"so the target is p = [0, 1, 0]. The model predicts q = [0.228, 0.619, 0.153]. Its loss is "
                f"{fmt_value(total_nats, 'nats')}. Drag the bars of q above to see the loss follow.",
                icon=":material/school:")
    elif true is None:
        spread = ", ".join(f"{names[i]} {p[i]:.3f}" for i in range(k) if p[i] > 0)
        st.warning(f"This p is **not one-hot**: it spreads over {int(np.sum(p > 0))} classes "
                   f"({spread}). No term drops out, so below is the full sum. Drag one p bar to 1 (or apply the "
                   f"one-hot preset in the sidebar) to see the one-hot case.", icon=":material/info:")
    if PREVIOUS in st.session_state:
        st.button("Back to my own p and q", on_click=_restore_previous, icon=":material/undo:", key="oh_restore",
                  help="This lesson opened on the worked example; your p and q from before are kept.")


def steps_panel(ws: Workspace) -> None:
    """The sum, step by step down to one term; the table of terms; the loss in the unit and in nats."""
    log = LOG[ws.unit]
    names, p, q = list(ws.names), ws.p, ws.q
    true = one_hot_index(p)
    total = cross_entropy(p, q, base=ws.base)
    total_nats = cross_entropy(p, q)
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


def why_panel(ws: Workspace) -> None:
    """Why only the true class counts: the loss curve over q(true class), or the blocks if p is not one-hot."""
    names, p, q = list(ws.names), ws.p, ws.q
    true = one_hot_index(p)
    total = cross_entropy(p, q, base=ws.base)
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


notice_panel(ws)
steps_panel(ws)
why_panel(ws)

show_source(cross_entropy_terms, one_hot_index)
