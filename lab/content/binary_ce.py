"""The words of the binary cross-entropy lesson: its story, explanations and the mistakes table's help."""

from __future__ import annotations

INTRO = (
    "A spam filter outputs one number, **q**: the probability it gives to *spam* (class 1). "
    "The label **y** says what the email really is. Binary cross-entropy charges "
    "$-\\log q$ when the email is spam and $-\\log(1-q)$ when it is not: the surprisal of what "
    "actually happened, under the model."
)
FORMULA = r"\ell(y, q) = -\big[\,y \log q + (1 - y) \log (1 - q)\,\big]"
LABEL_HELP = "Which class the email really belongs to."


def slope_caption(unit: str) -> str:
    return (
        f"Slope: change of the loss per unit of probability ({unit} per unit of q), −y/q + (1−y)/(1−q) "
        "divided by ln b for your unit. Gradient to the logit: with q = sigmoid(z) the chain rule leaves "
        "q − y (in nats; other units divide by ln b), bounded by 1 even where the loss is infinite."
    )


def infinite_loss(x: float, unit: str, push: str) -> str:
    return (
        f"q = {x:.2f} gives the true label probability 0, so the loss is −log 0 = ∞ {unit} and the "
        "slope is infinite (no tangent line can be drawn). The gradient to the logit, "
        f"q − y = {push} nats, stays finite. Frameworks cap the infinity: see the clipping lab."
    )


def logit_push(gradient: float) -> str:
    return (
        f"In nats the gradient that reaches the logit z is exactly $q - y = {gradient:+.2f}$. "
        "That is why a sigmoid output paired with cross-entropy trains well: the push is proportional to "
        "the error, however confident the mistake."
    )


def why_not_errors(unit: str) -> str:
    return (
        "For a probability, squared error $(y-q)^2$ and absolute error $|y-q|$ never exceed 1: a model that "
        "is 99.9% sure and wrong pays at most 1. Cross-entropy has no ceiling: the loss grows without bound as "
        "the true class's probability goes to 0. MSE and MAE are plain numbers with no unit; only "
        f"cross-entropy is measured in {unit} (the natural log gives nats, log base 2 gives bits)."
    )


def ratio_answer(confident: float, unsure: float, ratio: float) -> str:
    return (
        f"−ln(1 − {confident}) / −ln(1 − {unsure}) = {ratio:.2f}: the loss is the surprisal of what "
        "happened, −log(1 − q), and it grows much faster than q as the model grows sure of the wrong answer."
    )


def column_help(unit: str, unit_short: str) -> dict[str, str]:
    """The help of the mistakes table's columns, by column name."""
    return {
        f"CE ({unit_short})": f"Binary cross-entropy in {unit}.",
        "CE ×": "Cross-entropy as a multiple of the 51% guess's.",
        "MSE": "Squared error (y − q)², no unit.",
        "MSE ×": "Squared error as a multiple of the 51% guess's.",
        "MAE": "Absolute error |y − q|, no unit.",
        "MAE ×": "Absolute error as a multiple of the 51% guess's.",
        "∂CE/∂z": "Gradient of cross-entropy (in nats) with respect to the logit z: q − y.",
        "∂MSE/∂z": "Gradient of squared error with respect to the logit z: 2(q − y)·q(1 − q).",
    }


def mistakes_caption(confident: float, ce: str, ratio: float, ce_unsure: str, ratios_999: tuple) -> str:
    """``ratios_999``: cross-entropy's, squared error's and absolute error's ratio at 99.9 %."""
    return (
        f"The email is not spam (y = 0). Being {confident:.0%} sure of spam costs "
        f"{ce}, {ratio:.2f} times the {ce_unsure} of the 51% guess. At 99.9% the ratio is "
        f"{ratios_999[0]:.2f} for cross-entropy but only {ratios_999[1]:.2f} "
        f"for squared error and {ratios_999[2]:.2f} for absolute error."
    )


def two_differences(squared_gradient: float, ce_gradient: float) -> str:
    return (
        "Two differences matter for training. The loss: only cross-entropy keeps growing as the mistake "
        "becomes more confident. The gradient: through a sigmoid, squared error's gradient "
        "$2(q-y)\\,q(1-q)$ *vanishes* when the model is confidently wrong "
        f"({squared_gradient:.4f} at 99.9%), while cross-entropy's $q - y$ stays near 1 "
        f"({ce_gradient:.4f}). The confident mistake is exactly where "
        "cross-entropy pushes hardest."
    )
