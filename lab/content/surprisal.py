"""The words of the surprisal lesson: its story, the curve's captions and the three small stories' texts.

The numbers come from ce_core and arrive here already computed (amounts in the workspace unit arrive
formatted by the page); these functions only put them into sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

INTRO = (
    "A rare event tells you more than a common one. **Surprisal** turns that into a number: "
    "the smaller the probability of what happened, the larger the surprise. "
    "It is the building block of entropy and of the cross-entropy loss."
)
SIGN_SLIP = (
    "A common slip: many notes write h(x) = log p(x), without the minus sign. "
    "The log of a probability is never positive, so the minus sign is what makes surprise ≥ 0."
)
CURVE_READING = (
    "Blue circles read p, the truth; orange diamonds read q, the model. A class the model thinks "
    "unlikely sits high on the curve: if it happens, the model is very surprised. That surprise, "
    "averaged over what really happens, is the cross-entropy loss."
)
NATS_READING = "Nats use the natural log, the unit of calculus: 1 nat is the surprise of an event of probability 1/e ≈ 0.368."
RARE_ZERO_LEAD = (
    "The more ones you add, the rarer the 0 and the bigger the surprise when it comes out, "
    "while drawing a 1 becomes ever less informative. Averaged over many draws the bag gives "
)


def formula(latex_log: str) -> str:
    return rf"h(x) = -{latex_log}\, p(x) \;\ge 0"


def unit_story(unit: str, halving: str) -> str:
    """``halving``: the surprisal of p = 1/2, formatted in the unit."""
    return (
        f"The unit comes from the base of the logarithm; the unit switch in the sidebar has it set to **{unit}**. "
        f"A sure event ($p = 1$) has surprisal 0, each halving of the probability adds "
        f"{halving}, and an impossible event ($p = 0$) would be "
        "infinitely surprising."
    )


def listing(names: Sequence[str], probs: Sequence[float], heights: Sequence[str]) -> str:
    """Each class with its probability and its surprisal (``heights``, formatted in the unit)."""
    return "; ".join(f"{n} {probs[i]:.3f} → {heights[i]}" for i, n in enumerate(names))


def curve_caption(log_name: str, unit: str, under_p: str, under_q: str, impossible: bool) -> str:
    """The curve's text alternative; ``under_p``/``under_q``: the :func:`listing` of each distribution."""
    caption = (
        f"The curve −{log_name} p in {unit}, with each class at its probability under p (circles) and "
        f"under q (diamonds). Under p: {under_p}. Under q: {under_q}."
    )
    if impossible:
        caption += (
            " Classes with probability 0 have surprisal ∞ and are not drawn: under that distribution they "
            "never happen."
        )
    return caption


def infinity_note(unit: str) -> str:
    return (
        "∞ means the event has probability 0: it can never happen under that distribution, "
        "so no finite number of " + unit + " describes seeing it."
    )


def reading(unit: str, value: float) -> str:
    """What a surprisal of ``value`` means in the unit."""
    if unit == "bits":
        return (
            f"In bits the number has a direct reading: {value:.2f} bits is as surprising "
            f"as that many fair coin flips all landing heads."
        )
    if unit == "hartleys":
        return (
            f"In hartleys the number has a direct reading: {value:.2f} hartleys is as "
            f"surprising as guessing that many random decimal digits right."
        )
    return NATS_READING


def whole(grid: Sequence[float]) -> list[str]:
    """Whole numbers with thousands separators, for a control's value texts."""
    return [f"{v:,.0f}" for v in grid]


def bag_of_zeros(probability: float, n: int, zero: str, one: str) -> str:
    """``zero``, ``one``: the surprisal of each colour once a single 1 is slipped in, formatted."""
    return (
        f"Every ball is a 0, so a 0 comes out with probability {probability:.0f}. "
        f"You knew the answer before you looked: the draw tells you nothing, however big the bag ({n}). "
        f"Slip in a single 1 and the bag of {n + 1} is no longer certain: a 0 now tells you a little "
        f"({zero}), the 1 a lot ({one}); "
        "the bigger the bag, the more the lone 1 surprises and the less a 0 does."
    )


def rare_zero_formula(latex_log: str, ones: int, value: float, unit: str) -> str:
    return (
        rf"h(0) = -{latex_log} \tfrac{{1}}{{{ones + 1}}} = {latex_log} {ones + 1}"
        rf" = {value:.4f}\ \text{{{unit}}}"
    )


def rare_zero(entropy: str) -> str:
    """``entropy``: the bag's entropy, formatted in the unit."""
    return RARE_ZERO_LEAD + f"{entropy} per draw: that average is the entropy of the next lesson."


def routine_or_trip(routine_days: float, every: int) -> str:
    return (
        "Your commute happens almost every day, so news of it carries almost no information. "
        "The trip is rare, so hearing about it carries a lot. Surprisals of independent days add up: "
        f"about {routine_days:,.0f} ordinary days together are as surprising as one trip "
        f"(once every {every:,} days)."
    )
