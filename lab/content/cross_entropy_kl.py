"""The words of the cross-entropy and KL lesson: its story, explanations, captions and helps.

Numbers come in as arguments, already formatted by the page (``fmt`` in the learner's unit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

INTRO = (
    "Cross-entropy charges every event that **p** produces the code length that **q** would give it: "
    "*frequencies from p, code lengths from q*. No code can average less than H(p); the ideal code built "
    "for p itself (code lengths −log p, whole bits not required) reaches it. Whatever q costs on top of that "
    "is the Kullback-Leibler divergence."
)
FORMULA = (
    r"\begin{aligned} H(p,q) &= -\sum_i p_i \log q_i \\ &= \underbrace{-\sum_i p_i \log p_i}_{H(p)}"
    r" + \underbrace{\sum_i p_i \log \frac{p_i}{q_i}}_{\mathrm{KL}(p\,\|\,q)} \end{aligned}"
)

#: The help of the four summary metrics, by label.
METRIC_HELP = {
    "H(p)": "No code averages less on events from p (a lower bound).",
    "H(p, q)": "The average cost of q's code on events from p.",
    "KL(p ‖ q)": "The extra cost: H(p, q) − H(p).",
    "H(q)": "q's own entropy. Not a lower bound for H(p, q): see the last section.",
}

CODES_HEADER = "Frequencies from p, code lengths from q"
ZERO_Q_HELP = "Sets this class's q to 0 in the workspace (the other classes share its probability)."
GIBBS_HEADER = "Gibbs' inequality: H(p, q) ≥ H(p)"
GIBBS = (
    "KL is never negative, so cross-entropy is never below the entropy of p: "
    "$H(p,q) \\ge H(p)$, with equality **only when q = p** (Gibbs' inequality). "
    "No code beats the one built for the true frequencies."
)
KL_GAP = (
    "The same sum as a picture: put the code built for p and the code built for q on the same blocks "
    "(each p_i wide). The blue area is H(p); the gap up to q's code lengths is KL(p ‖ q): pink where q's "
    "word is longer, hatched where it is shorter. Shorter words cannot make up for the longer ones."
)
DIRECTIONS_HEADER = "KL(p ‖ q) is not KL(q ‖ p)"
DIRECTIONS_QUESTION = "For the p and q above, which is larger?"
DIRECTIONS_OPTIONS = ("KL(p ‖ q)", "KL(q ‖ p)", "They are equal")
FORWARD_HELP = "Weighted by p. Part of the cross-entropy loss."
REVERSE_HELP = "Weighted by q."
DIRECTIONS = (
    "Swapping the arguments changes the weights and the blow-ups. **Forward** KL(p ‖ q) is infinite when "
    "q = 0 where p > 0: it punishes a model that rules out something that happens, so minimising it makes "
    "q cover everything p allows. **Reverse** KL(q ‖ p) is infinite when p = 0 where q > 0: it punishes "
    "putting mass where the truth has none. With a one-hot p, any probability the model gives a wrong "
    "class makes KL(q ‖ p) infinite, which is one reason classifiers minimise the forward direction."
)
BELIEF_HEADER = "A common belief: H(p, q) is never below H(q)"
BELIEF = (
    "Many explanations say cross-entropy *can never be lower than the entropies of the two single "
    "distributions*. Only half of that is true: H(p, q) ≥ H(p) always, but **H(q) is no bound**."
)
BELIEF_WHY = (
    "H(q) is what q's code costs on q's *own* events, including its rare second class; here p never "
    "produces that class, so p's events are cheaper to send than q's."
)
LOAD_COUNTER = "Load p = [1, 0], q = [0.9, 0.1] into the workspace"
LOAD_COUNTER_HELP = "Sets 2 classes, p weights 100 and 0, q weights 90 and 10."


def codes_intro(unit: str) -> str:
    return (
        f"Class *i* happens a fraction $p_i$ of the time. A code built for q spends $-\\log q_i$ "
        f"on it each time. Its share of the average is $p_i \\cdot (-\\log q_i)$, and the shares add up "
        f"to H(p, q). All values are in **{unit}**."
    )


def infinite_cost(infinite: Sequence[str]) -> str:
    return (
        f"q gives probability 0 to **{', '.join(infinite)}**, which p says happens. A code built for q has "
        f"no code word for it: $-\\log 0 = \\infty$, so one such event already makes the average infinite. "
        f"H(p, q) = KL(p ‖ q) = ∞. Drag its q bar above 0 to make the cost finite again."
    )


def silent_class(silent: Sequence[str]) -> str:
    return (
        f"**{', '.join(silent)}** has q = 0 too, but p = 0 as well: it never happens, so it needs no code "
        f"word. Its share $p_i \\cdot (-\\log q_i)$ has weight $p_i = 0$: a class that never happens adds "
        f"nothing to the average, whatever its code length, so the share is 0, not ∞."
    )


def blocks_caption(cross_entropy: str, entropy_p: str, infinite: Sequence[str]) -> str:
    return (
        f"Each block is p_i wide and −log q_i tall, so the orange area is H(p, q) = "
        f"{cross_entropy}; the area under the blue steps (the code built for p) is "
        f"H(p) = {entropy_p}." + (f" {', '.join(infinite)}: no code word (∞)." if infinite else "")
    )


def zero_q_label(name: str) -> str:
    return f"Try it: give q = 0 to '{name}'"


def gibbs_now(cross_entropy: str, entropy_p: str, kl: str, *, infinite: bool, equal: bool) -> str:
    """The live line under Gibbs' inequality: infinite, the equality case, or strictly above."""
    if infinite:
        return (
            f"**Now:** H(p, q) = ∞ > H(p) = {entropy_p}. KL(p ‖ q) = ∞ because q rules out "
            f"an event that p allows."
        )
    if equal:
        return f"**Now:** q = p, so H(p, q) = H(p) = {cross_entropy}: the equality case, KL(p ‖ q) = 0."
    return (
        f"**Now:** q ≠ p, so H(p, q) = {cross_entropy} > H(p) = {entropy_p}, strictly, by KL(p ‖ q) = {kl}."
    )


def stack_caption(entropy_p: str, kl: str, cross_entropy: str, entropy_q: str) -> str:
    return (
        f"H(p) = {entropy_p} plus KL(p ‖ q) = {kl} makes "
        f"H(p, q) = {cross_entropy}; H(q) = {entropy_q} for comparison. "
        f"The dotted line marks H(p), the floor."
    )


def gap_caption(
    entropy_p: str,
    cross_entropy: str,
    kl: str,
    names: Sequence[str],
    terms: Sequence[float],
    p: Sequence[float],
    unit: str,
) -> str:
    """The KL-gap chart's caption, with the signed per-class gap of every class that happens."""
    per_class = "; ".join(
        f"{n} {'∞' if math.isinf(t) else f'{t:+.3f}'}"
        for n, t, pi in zip(names, terms, p, strict=True)
        if pi > 0
    )
    return (
        f"Blocks p_i wide: the blue area, up to −log p_i, is H(p) = {entropy_p}; the orange steps at "
        f"−log q_i enclose H(p, q) = {cross_entropy}; the signed gap between them is "
        f"KL(p ‖ q) = {kl}. Per class: " + per_class + f" {unit}."
    )


def directions_answer(forward: str, reverse: str) -> str:
    return (
        f"KL(p ‖ q) = {forward} and KL(q ‖ p) = {reverse}. Forward KL weights each "
        "log-ratio by p, reverse KL by q, so the two agree only in special cases (for example q = p)."
    )


def directions_setting(p: Sequence[float], q: Sequence[float]) -> str:
    return f"p = [{', '.join(f'{v:.3f}' for v in p)}] and q = [{', '.join(f'{v:.3f}' for v in q)}]"


def directions_caption(
    forward: str, reverse: str, forward_inf: Sequence[str], reverse_inf: Sequence[str]
) -> str:
    """The per-class terms' caption; ∞ names the classes where either direction is infinite."""
    parts = [
        f"{label} at {', '.join(where)}"
        for label, where in (("KL(p ‖ q)", forward_inf), ("KL(q ‖ p)", reverse_inf))
        if where
    ]
    inf_note = f" ∞ marks {'; '.join(parts)}." if parts else ""
    return (
        f"Per-class terms: KL(p ‖ q) = {forward} (solid), "
        f"KL(q ‖ p) = {reverse} (hatched). A single term can be negative; "
        f"the sums cannot.{inf_note}"
    )


def counterexample(log: str, cross_entropy: str, entropy_q: str, in_nats: str) -> str:
    """``in_nats``: the nats comparison in brackets, or "" when the unit is nats."""
    return (
        f"**Counterexample:** p = [1, 0], q = [0.9, 0.1] give H(p, q) = $-{log} 0.9$ = "
        f"{cross_entropy} < H(q) = {entropy_q}{in_nats}."
    )


def counter_in_nats(cross_entropy: float, entropy_q: float) -> str:
    return f" ({cross_entropy:.3f} < {entropy_q:.3f} nats)"


def belief_now(cross_entropy: str, entropy_q: str, *, below: bool) -> str:
    if below:
        return (
            f"**Workspace now:** H(p, q) = {cross_entropy} **<** H(q) = {entropy_q}: "
            f"cross-entropy is below q's entropy."
        )
    return (
        f"**Workspace now:** H(p, q) = {cross_entropy} ≥ H(q) = {entropy_q}: "
        f"not below q's entropy for these p and q."
    )
