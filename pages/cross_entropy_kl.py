"""Lesson 4: cross-entropy and KL divergence. Frequencies from p, code lengths from q."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import pandas as pd
import streamlit as st

from ce_core.decomposition import CrossEntropySummary, cross_entropy_terms, kl_terms, summarize
from ce_core.editing import set_probability
from ce_core.information import surprisal
from lab.figures.cross_entropy import (
    make_code_length_blocks,
    make_entropy_kl_bar,
    make_kl_directions,
    make_kl_gap,
)
from lab.predict import predict, which_larger
from lab.ui import LATEX_LOG as LOG
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import Workspace, current, set_workspace

#: The counterexample to "cross-entropy is never below either entropy": p and q for the workspace.
COUNTER_P = (1.0, 0.0)
COUNTER_Q = (0.9, 0.1)


def _number(value: float, digits: int = 4) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def _load_counterexample() -> None:
    set_workspace(k=len(COUNTER_P))
    set_workspace(p=COUNTER_P, q=COUNTER_Q)


def _zero_q(index: int) -> None:
    ws = current()
    set_workspace(q=set_probability(ws.q, index, 0.0))


ws = page_header(
    "Cross-entropy and KL divergence",
    "Cross-entropy charges every event that **p** produces the code length that **q** would give it: "
    "*frequencies from p, code lengths from q*. No code can average less than H(p); the ideal code built "
    "for p itself (code lengths −log p, whole bits not required) reaches it. Whatever q costs on top of that "
    "is the Kullback-Leibler divergence.", editor="area",
)
st.latex(r"\begin{aligned} H(p,q) &= -\sum_i p_i \log q_i \\ &= \underbrace{-\sum_i p_i \log p_i}_{H(p)}"
         r" + \underbrace{\sum_i p_i \log \frac{p_i}{q_i}}_{\mathrm{KL}(p\,\|\,q)} \end{aligned}")

def summary_metrics(ws: Workspace, s: CrossEntropySummary) -> None:
    """The four numbers of the workspace's p and q."""
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("H(p)", fmt(s.entropy_p, ws), help="No code averages less on events from p (a lower bound).")
    c2.metric("H(p, q)", fmt(s.cross_entropy, ws), help="The average cost of q's code on events from p.")
    c3.metric("KL(p ‖ q)", fmt(s.kl_forward, ws), help="The extra cost: H(p, q) − H(p).")
    c4.metric("H(q)", fmt(s.entropy_q, ws), help="q's own entropy. Not a lower bound for H(p, q): see the last section.")


def codes_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """Frequencies from p, code lengths from q: the table, the zero-q notes, the blocks."""
    st.header("Frequencies from p, code lengths from q")
    prose(
        f"Class *i* happens a fraction $p_i$ of the time. A code built for q spends $-\\log q_i$ "
        f"on it each time. Its share of the average is $p_i \\cdot (-\\log q_i)$, and the shares add up "
        f"to H(p, q). All values are in **{ws.unit}**."
    )
    surprisal_q = surprisal(ws.q, base=ws.base)
    terms = cross_entropy_terms(ws.p, ws.q, base=ws.base)
    table = pd.DataFrame({
        "class": [*ws.names, "sum"],
        "p_i": [f"{v:.3f}" for v in ws.p] + [f"{ws.p.sum():.3f}"],
        "q_i": [f"{v:.3f}" for v in ws.q] + [f"{ws.q.sum():.3f}"],
        f"−log q_i ({ws.unit_short})": [_number(v) for v in surprisal_q] + [""],
        f"p_i × −log q_i ({ws.unit_short})": [_number(v) for v in terms] + [f"H(p, q) = {_number(s.cross_entropy)}"],
    })
    st.table(table, hide_index=True)

    silent = [ws.names[i] for i in range(ws.k) if ws.p[i] == 0 and ws.q[i] == 0]
    infinite = [ws.names[i] for i in range(ws.k) if math.isinf(terms[i])]
    if infinite:
        st.error(
            f"q gives probability 0 to **{', '.join(infinite)}**, which p says happens. A code built for q has "
            f"no code word for it: $-\\log 0 = \\infty$, so one such event already makes the average infinite. "
            f"H(p, q) = KL(p ‖ q) = ∞. Drag its q bar above 0 to make the cost finite again.",
            icon=":material/all_inclusive:",
        )
    if silent:
        st.info(
            f"**{', '.join(silent)}** has q = 0 too, but p = 0 as well: it never happens, so it needs no code "
            f"word. Its share $p_i \\cdot (-\\log q_i)$ has weight $p_i = 0$: a class that never happens adds "
            f"nothing to the average, whatever its code length, so the share is 0, not ∞.",
            icon=":material/info:",
        )

    blocks = make_code_length_blocks(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit)
    chart(blocks, f"Each block is p_i wide and −log q_i tall, so the orange area is H(p, q) = "
                  f"{fmt(s.cross_entropy, ws)}; the area under the blue steps (the code built for p) is "
                  f"H(p) = {fmt(s.entropy_p, ws)}." + (f" {', '.join(infinite)}: no code word (∞)." if infinite else ""),
          key="ce_blocks")
    if not infinite:
        top = max(range(ws.k), key=lambda i: ws.p[i])
        st.button(f"Try it: give q = 0 to '{ws.names[top]}'", key="ce_zero_q", on_click=_zero_q, args=(top,),
                  icon=":material/block:", help="Sets this class's q to 0 in the workspace (the other classes share its probability).")


def gibbs_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """H(p) + KL = H(p, q), and Gibbs' inequality."""
    st.header("Gibbs' inequality: H(p, q) ≥ H(p)")
    prose(
        "KL is never negative, so cross-entropy is never below the entropy of p: "
        "$H(p,q) \\ge H(p)$, with equality **only when q = p** (Gibbs' inequality). "
        "No code beats the one built for the true frequencies."
    )
    if math.isinf(s.cross_entropy):
        st.markdown(f"**Now:** H(p, q) = ∞ > H(p) = {fmt(s.entropy_p, ws)}. KL(p ‖ q) = ∞ because q rules out "
                    f"an event that p allows.")
    elif s.q_equals_p:
        st.markdown(f"**Now:** q = p, so H(p, q) = H(p) = {fmt(s.cross_entropy, ws)}: the equality case, "
                    f"KL(p ‖ q) = 0.")
    else:
        st.markdown(f"**Now:** q ≠ p, so H(p, q) = {fmt(s.cross_entropy, ws)} > H(p) = {fmt(s.entropy_p, ws)}, "
                    f"strictly, by KL(p ‖ q) = {fmt(s.kl_forward, ws)}.")
    stack = make_entropy_kl_bar(ws.p, ws.q, base=ws.base, unit=ws.unit)
    chart(stack, f"H(p) = {fmt(s.entropy_p, ws)} plus KL(p ‖ q) = {fmt(s.kl_forward, ws)} makes "
                 f"H(p, q) = {fmt(s.cross_entropy, ws)}; H(q) = {fmt(s.entropy_q, ws)} for comparison. "
                 f"The dotted line marks H(p), the floor.", key="ce_stack")
    prose("The same sum as a picture: put the code built for p and the code built for q on the same blocks "
          "(each p_i wide). The blue area is H(p); the gap up to q's code lengths is KL(p ‖ q): pink where q's "
          "word is longer, hatched where it is shorter. Shorter words cannot make up for the longer ones.")
    gap_terms = kl_terms(ws.p, ws.q, base=ws.base)
    chart(make_kl_gap(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit),
          f"Blocks p_i wide: the blue area, up to −log p_i, is H(p) = {fmt(s.entropy_p, ws)}; the orange steps at "
          f"−log q_i enclose H(p, q) = {fmt(s.cross_entropy, ws)}; the signed gap between them is "
          f"KL(p ‖ q) = {fmt(s.kl_forward, ws)}. Per class: "
          + "; ".join(f"{n} {'∞' if math.isinf(t) else f'{t:+.3f}'}" for n, t, pi in zip(ws.names, gap_terms, ws.p, strict=True)
                      if pi > 0) + f" {ws.unit}.", key="ce_kl_gap")


def directions_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """Forward versus reverse KL: a prediction, then the per-class terms."""
    st.header("KL(p ‖ q) is not KL(q ‖ p)")
    kl_answer = which_larger(s.kl_forward, s.kl_reverse)
    revealed = predict(
        "ce_kl_direction", "For the p and q above, which is larger?",
        ("KL(p ‖ q)", "KL(q ‖ p)", "They are equal"), kl_answer,
        f"KL(p ‖ q) = {fmt(s.kl_forward, ws)} and KL(q ‖ p) = {fmt(s.kl_reverse, ws)}. Forward KL weights each "
        "log-ratio by p, reverse KL by q, so the two agree only in special cases (for example q = p).",
        state=(ws.p.round(4).tolist(), ws.q.round(4).tolist(), ws.unit), lesson="cross-entropy",
        setting=f"p = [{', '.join(f'{v:.3f}' for v in ws.p)}] and q = [{', '.join(f'{v:.3f}' for v in ws.q)}]",
    )
    if revealed:
        f1, f2 = st.columns(2)
        f1.metric("Forward KL(p ‖ q)", fmt(s.kl_forward, ws), help="Weighted by p. Part of the cross-entropy loss.")
        f2.metric("Reverse KL(q ‖ p)", fmt(s.kl_reverse, ws), help="Weighted by q.")
        prose(
            "Swapping the arguments changes the weights and the blow-ups. **Forward** KL(p ‖ q) is infinite when "
            "q = 0 where p > 0: it punishes a model that rules out something that happens, so minimising it makes "
            "q cover everything p allows. **Reverse** KL(q ‖ p) is infinite when p = 0 where q > 0: it punishes "
            "putting mass where the truth has none. With a one-hot p, any probability the model gives a wrong "
            "class makes KL(q ‖ p) infinite, which is one reason classifiers minimise the forward direction."
        )
        directions = make_kl_directions(ws.names, ws.p, ws.q, base=ws.base, unit=ws.unit)
        forward_inf = [ws.names[i] for i, v in enumerate(kl_terms(ws.p, ws.q, base=ws.base)) if math.isinf(v)]
        reverse_inf = [ws.names[i] for i, v in enumerate(kl_terms(ws.q, ws.p, base=ws.base)) if math.isinf(v)]
        parts = [f"{label} at {', '.join(where)}" for label, where in (("KL(p ‖ q)", forward_inf), ("KL(q ‖ p)", reverse_inf))
                 if where]
        inf_note = f" ∞ marks {'; '.join(parts)}." if parts else ""
        chart(directions, f"Per-class terms: KL(p ‖ q) = {fmt(s.kl_forward, ws)} (solid), "
                          f"KL(q ‖ p) = {fmt(s.kl_reverse, ws)} (hatched). A single term can be negative; "
                          f"the sums cannot.{inf_note}", key="ce_directions")


def belief_panel(ws: Workspace, s: CrossEntropySummary) -> None:
    """The belief that H(p, q) is never below H(q), and its counterexample."""
    st.header("A common belief: H(p, q) is never below H(q)")
    ex = summarize(COUNTER_P, COUNTER_Q, base=ws.base)
    ex_nats = summarize(COUNTER_P, COUNTER_Q)
    in_nats = "" if ws.unit == "nats" else f" ({ex_nats.cross_entropy:.3f} < {ex_nats.entropy_q:.3f} nats)"
    prose(
        "Many explanations say cross-entropy *can never be lower than the entropies of the two single "
        "distributions*. Only half of that is true: H(p, q) ≥ H(p) always, but **H(q) is no bound**."
    )
    st.markdown(
        f"**Counterexample:** p = [1, 0], q = [0.9, 0.1] give H(p, q) = $-{LOG[ws.unit]} 0.9$ = "
        f"{fmt(ex.cross_entropy, ws, 3)} < H(q) = {fmt(ex.entropy_q, ws, 3)}{in_nats}."
    )
    prose(
        "H(q) is what q's code costs on q's *own* events, including its rare second class; here p never "
        "produces that class, so p's events are cheaper to send than q's."
    )
    st.button("Load p = [1, 0], q = [0.9, 0.1] into the workspace", key="ce_counterexample",
              on_click=_load_counterexample, icon=":material/upload:",
              help="Sets 2 classes, p weights 100 and 0, q weights 90 and 10.")
    if s.below_entropy_q:
        st.success(f"**Workspace now:** H(p, q) = {fmt(s.cross_entropy, ws)} **<** H(q) = {fmt(s.entropy_q, ws)}: "
                   f"cross-entropy is below q's entropy.", icon=":material/check_circle:")
    else:
        st.info(f"**Workspace now:** H(p, q) = {fmt(s.cross_entropy, ws)} ≥ H(q) = {fmt(s.entropy_q, ws)}: "
                f"not below q's entropy for these p and q.", icon=":material/info:")


s = summarize(ws.p, ws.q, base=ws.base)
summary_metrics(ws, s)
codes_panel(ws, s)
gibbs_panel(ws, s)
directions_panel(ws, s)
belief_panel(ws, s)

show_source(cross_entropy_terms, kl_terms, summarize)
