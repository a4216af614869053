"""The words of the softmax lesson: its story, the gradient's explanation and the overflow lesson's texts.

The numbers come from ce_core (the page computes them); these functions only put them into sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ce_core.overflow import SoftmaxOverflow

INTRO = (
    "A classifier's last layer gives one raw score per class, a **logit** $z_i$: any real number. "
    "Softmax turns the scores into probabilities: exponentiate (everything becomes positive), then "
    "divide by the total (everything sums to 1). The loss is the surprisal of the true class."
)
# two lines, not one wide one: on a phone the loss was cut to "ℓ = −1"
FORMULA = (
    r"\begin{gathered} q_i = \operatorname{softmax}(z/T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}} \\"
    r" \ell = -\log q_{y} \end{gathered}"
)
TRUE_HELP = "The class the example really belongs to."
LOGITS_LABEL = "Logits z (one per class; set the classes above)"
LOGITS_HINT = "Drag a bar up or down, or focus it and use the arrow keys."
GRADIENT_SUM_HELP = "Exactly 0 in exact arithmetic; floating point leaves at most ~1e-16."
BACKPROP_LEAD = "**What backpropagation sends.** The gradient of the loss with respect to each logit:"
GRADIENT_FORMULA = r"\frac{\partial \ell}{\partial z_i} = \frac{q_i - [\,i = y\,]}{T \ln b}"
TEMPERATURE_HINT = "Every logit is divided by T before the softmax. T < 1 sharpens, T > 1 flattens."
SHIFT_HELP = (
    "Large logits happen in real networks. Push c up until the textbook formula overflows, "
    "or far down until it underflows."
)


def fixed(value: float) -> str:
    """Four decimals, without the "-0.0000" that rounding noise would print.

    >>> fixed(-1e-17), fixed(0.25)
    ('0.0000', '0.2500')
    """
    text = f"{value:.4f}"
    return "0.0000" if text == "-0.0000" else text


def exp_text(value: float, exponent: float) -> str:
    """The textbook formula's exp of one class, naming an overflow or an underflow."""
    if math.isinf(value):
        return f"overflow: exp({exponent:.1f}) = ∞"
    if value == 0.0:
        return f"underflow: exp({exponent:.1f}) = 0"
    return f"{value:.4g}"


def naive_text(value: float, status: str) -> str:
    """The textbook softmax of one class, saying why it is NaN or wrong when it is."""
    if status == "overflow":
        return "∞ / ∞ = NaN (undefined)"
    if status == "underflow":
        return "0 / 0 = NaN (undefined)"
    if status == "finite_over_inf":
        return "finite / ∞ = 0 (wrong)"
    return f"{value:.4f}"


def gradient_sub_label(unit: str) -> str:
    return f"gradient ∂ℓ/∂z in {unit} (the number under each bar)"


def gradient_caption(
    names: Sequence[str],
    logits: Sequence[float],
    gradient: Sequence[float],
    gradient_sum: float,
    temperature: float,
    unit: str,
) -> str:
    """The metrics' text alternative: logits and gradient per class, and the gradient's sum."""
    return (
        f"At T = {temperature:.1f} with logits "
        + ", ".join(f"{n} {z:.1f}" for n, z in zip(names, logits, strict=True))
        + ": gradient per logit "
        + ", ".join(f"{n} {g:+.3f}" for n, g in zip(names, gradient, strict=True))
        + f" {unit} (sum {fixed(gradient_sum)})."
    )


def gradient_prose(unit: str) -> str:
    return (
        f"In nats at $T = 1$ (what PyTorch computes) this is simply **softmax − one-hot**; in {unit} it "
        "is divided by $\\ln b$, and a temperature adds a factor $1/T$. The true class gets a negative "
        "gradient (gradient descent raises its logit), every other class a positive one (its logit goes "
        "down), in proportion to the probability it took. The bars **sum to 0**: the softmax sums to 1, and "
        "so does the one-hot target. Only the *differences* between logits matter, so adding the same "
        "number to every logit changes nothing, which is also why the overflow fix below works."
    )


def overflow_prose(exp_overflow: float) -> str:
    return (
        "The formula above, computed as written, breaks for large logits: a float64 holds numbers up to "
        f"about 1.8 × 10³⁰⁸, so $e^x$ is ∞ for $x > {exp_overflow:.2f}$ (and rounds to 0 below about −745). "
        "The stable softmax subtracts the largest logit first: every exponent is then ≤ 0, the largest "
        "term is exactly $e^0 = 1$, and the answer is the same, because adding a constant to every "
        "logit cancels between the numerator and the denominator."
    )


def overflow_columns(names: Sequence[str], report: SoftmaxOverflow) -> dict[str, list[str]]:
    """The overflow table's columns, as text: textbook against stable softmax, class by class."""
    return {
        "class": list(names),
        "(z + c) / T": [f"{s:.1f}" for s in report.scaled],
        "textbook: exp": [exp_text(e, s) for e, s in zip(report.naive_exp, report.scaled, strict=True)],
        "textbook: softmax": [
            naive_text(v, state) for v, state in zip(report.naive, report.status, strict=True)
        ],
        "stable: exp(s − max)": [f"{e:.4g}" for e in report.stable_exp],
        "stable: softmax": [f"{v:.4f}" for v in report.stable],
    }


def overflow_failure(shift: float, report: SoftmaxOverflow) -> str:
    """What broke in the textbook formula, and that the stable one did not move."""
    kind = (
        "every exp underflows to 0"
        if report.status[0] == "underflow"
        else "an exp overflows to ∞"
        if "overflow" in report.status
        else "the sum of the exps overflows to ∞"
    )
    return (
        f"With c = {shift:.0f} {kind}: the textbook softmax is NaN or wrong. "
        f"The stable softmax is unchanged (largest difference from c = 0: "
        f"{report.change_from_shift:.1e}, rounding only)."
    )


def overflow_agreement(
    shift: float, largest: float, exp_overflow: float, needed: float, reachable: bool, temperature: float
) -> str:
    """Both formulas agree; ``needed``: the shift that would break the textbook one, ``reachable`` by the slider."""
    hint = (
        f"Raise c above {needed:.0f} to break the textbook one."
        if reachable
        else f"At T = {temperature:.1f} the slider cannot reach the overflow (c > {needed:.0f}): lower T."
    )
    return (
        f"With c = {shift:.0f} both computations agree (largest exponent "
        f"{largest:.1f} < {exp_overflow:.2f}). {hint}"
    )


def overflow_caption(
    temperature: float, shift: float, failed: bool, names: Sequence[str], stable: Sequence[float]
) -> str:
    return (
        f"Textbook versus stable softmax of z + c at T = {temperature:.1f}, c = {shift:.0f}: the textbook "
        f"formula {'fails' if failed else 'works'}; stable softmax "
        + ", ".join(f"{n} {v:.4f}" for n, v in zip(names, stable, strict=True))
        + "."
    )
