"""The words of the one-hot loss lesson: its story, notices, the LaTeX of the worked sum, captions.

Numbers come in as arguments; the page formats the ones shown in the learner's unit (``fmt``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: How many terms of the written-out sum share one line of the LaTeX.
TERMS_PER_LINE = 2

INTRO = (
    "A classifier is trained on labels: each example belongs to one class, so the target p puts "
    "probability 1 on the true class and 0 on every other (a **one-hot** vector). Cross-entropy then "
    "loses all its terms but one, and the loss is simply $-\\log q(\\text{true class})$."
)
RESTORE = "Back to my own p and q"
RESTORE_HELP = "This lesson opened on the worked example; your p and q from before are kept."
STEPS_HEADER = "Step by step"
NATS_LABEL = "Loss in nats (what PyTorch reports)"
NATS_HELP = "PyTorch, TensorFlow and scikit-learn use the natural log."
WHY_HEADER = "Why only the true class counts"
WHY = (
    "Every term is $p_i \\cdot \\log q_i$: the log of what the model said, weighted by how often the "
    "class really happens. For a wrong class the weight is $p_i = 0$, so its term is 0 whatever $q_i$ is, "
    "**even when $q_i = 0$**: a class that did not happen carries no weight in the average, so its "
    "(possibly infinite) code length costs nothing. (This is not the rule $0 \\cdot \\log 0 = 0$ of "
    "entropy, where the weight and the log come from the same p.) So the loss only "
    "looks at the probability the model gave the truth. The probability it put on wrong classes still "
    "matters, indirectly: q sums to 1, so every bit of it came out of q(true class)."
)
BLOCKS_TITLE = "Each class's share: p_i wide, −log q_i tall"


def worked(name: str, loss_nats: str) -> str:
    """The notice over the worked example: p = [0, 1, 0], q = [0.228, 0.619, 0.153]."""
    return (
        f"The worked example: a classifier sees one example of **{name}** (class 1, counting from 0), "
        f"so the target is p = [0, 1, 0]. The model predicts q = [0.228, 0.619, 0.153]. Its loss is "
        f"{loss_nats}. Drag the bars of q above to see the loss follow."
    )


def not_one_hot(names: Sequence[str], p: Sequence[float]) -> str:
    """The warning for a p that spreads over several classes, naming each with its probability."""
    spread = ", ".join(f"{name} {pi:.3f}" for name, pi in zip(names, p, strict=True) if pi > 0)
    count = sum(1 for pi in p if pi > 0)
    return (
        f"This p is **not one-hot**: it spreads over {count} classes "
        f"({spread}). No term drops out, so below is the full sum. Drag one p bar to 1 (or apply the "
        f"one-hot preset in the sidebar) to see the one-hot case."
    )


def tex_number(value: float) -> str:
    """A probability as LaTeX: 0.619, 0.2857, 1, 0, 3.2 \\times 10^{-5}."""
    if value == 0 or value == 1:
        return str(int(value))
    if value >= 1e-3:
        return f"{value:.4f}".rstrip("0").rstrip(".")
    mantissa, exponent = f"{value:.2e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def tex_text(text: str) -> str:
    """A cleaned class name inside \\text{}: only the underscore needs escaping."""
    return text.replace("_", r"\_")


def tex_value(value: float, unit: str) -> str:
    return r"\infty" if math.isinf(value) else rf"{value:.4f}\ \text{{{unit}}}"


def tex_sum(p: Sequence[float], q: Sequence[float], log: str) -> str:
    """-(p_1 log q_1 + p_2 log q_2 + ...), broken after every few terms."""
    terms = [rf"{tex_number(pi)} \cdot {log} {tex_number(qi)}" for pi, qi in zip(p, q, strict=True)]
    lines = [" + ".join(terms[i : i + TERMS_PER_LINE]) for i in range(0, len(terms), TERMS_PER_LINE)]
    return r"\\ &\quad + ".join(lines)


def steps_latex(
    p: Sequence[float],
    q: Sequence[float],
    log: str,
    true_name: str | None,
    q_true: float | None,
    total: float,
    total_nats: float,
    unit: str,
) -> str:
    """The sum, step by step: the definition, every term, the one term left (one-hot p), the value."""
    steps = [r"H(p, q) &= -\sum_i p_i " + log + r" q_i \\", r"&= -\big(" + tex_sum(p, q, log) + r"\big) \\"]
    if true_name is not None:
        steps.append(rf"&= -{log} q(\text{{{tex_text(true_name)}}}) = -{log} {tex_number(q_true)} \\")
        # every other term is 0 · log q_i = 0
    in_nats = "" if unit == "nats" else rf" = {tex_value(total_nats, 'nats')}"
    steps.append(rf"&= {tex_value(total, unit)}" + in_nats)
    return r"\begin{aligned}" + "\n".join(steps) + r"\end{aligned}"


def unit_caption(total_nats: float, converted: float, unit: str, base: float) -> str:
    """``converted``: the loss in ``unit``, from ce_core's ``convert_units``."""
    if not math.isfinite(total_nats):
        return "Infinite in every unit."
    return f"Nats to {unit}: divide by ln {int(base)}: {total_nats:.4f} nats = {converted:.4f} {unit}."


def impossible(name: str) -> str:
    return (
        f"q gives the true class **{name}** probability 0: the loss is −log 0 = ∞. "
        "The model said the thing that happened was impossible; no finite penalty is large enough."
    )


def curve_caption(name: str, q_true: float, loss: str) -> str:
    return (
        f"The loss −log q over q({name}); this model gives q = {q_true:.4f}, "
        f"so the loss is {loss}. It is 0 at q = 1 and grows without bound as q → 0."
    )


def pytorch(index: int, name: str) -> str:
    return (
        "PyTorch's `CrossEntropyLoss` takes logits and the *index* of the true class "
        f"(here {index}, '{name}'), computes −log softmax(logits)[{index}] in nats and never "
        "looks at the other classes' targets: the same one-term sum."
    )


def blocks_caption(loss: str) -> str:
    return (
        f"p spreads over several classes, so several blocks remain; their total area is "
        f"H(p, q) = {loss}. With a one-hot p only one block, of width 1, would be left."
    )
