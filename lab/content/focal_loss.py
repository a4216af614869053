"""The words of the focal-loss lesson: its story, the two library forms and the α explanation."""

from __future__ import annotations

INTRO = (
    "Most examples in a large data set are easy: the model already gives the true class a high "
    "probability $q_t$. Their small losses still add up. Focal loss multiplies cross-entropy by "
    "$(1-q_t)^\\gamma$, a factor near 0 for easy examples and near 1 for hard ones, so training "
    "spends its effort on the hard ones. With $\\gamma = 0$ and no $\\alpha$ it **is** cross-entropy."
)
FORMULA = r"\mathrm{FL}(q_t) = -\,\alpha_t\,(1-q_t)^{\gamma}\,\log q_t"
FORMS = (
    "Here $q_t$ is the model's probability of the true class, $q_y$. torchvision and the focal-loss paper "
    "write the same number as $p_t$; this lab keeps $p$ for the truth. Two forms share this formula:\n"
    "- **Binary, `torchvision.ops.sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2)`**: one logit "
    "$z$ per example, $q = \\sigma(z)$, $q_t = q$ for a positive (label $y = 1$) and $1-q$ for a negative; "
    "$\\alpha_t = \\alpha$ for positives and $1-\\alpha$ for negatives; `alpha=-1` switches the weighting "
    'off. Its default reduction is `"none"` (one loss per element).\n'
    "- **Multi-class, the paper's form** (Lin et al., 2017): $q_t = \\mathrm{softmax}(z)_y$ and $\\alpha_t$ a "
    "weight for the true class $y$.\n\n"
    "Below, $q_t$ is the workspace model's $q$ of the class you call true, and $\\alpha_t = \\alpha$ (a positive "
    "example in the binary form)."
)
ALPHA_STORY = (
    "torchvision multiplies the loss of a positive example by $\\alpha$ and of a negative one by "
    "$1-\\alpha$. Its default $\\alpha = 0.25$ gives the positives, the rare class in object detection, "
    "*less* weight: with $\\gamma = 2$ the many easy negatives are already turned down, and the focal-loss "
    "paper found that the rare class then needs less weight, not more. Without α ($\\alpha_t = 1$) both "
    "losses are the dotted curves."
)


def raise_gamma_answer(g: float, before: str, after: str) -> str:
    """The answer of "if γ goes up by 1, the focal loss ..."; ``before``/``after`` the formatted losses."""
    return (
        f"Focal loss at γ = {g:g}: {before}; at γ = {g + 1:g}: {after}. The factor (1 − q_t)^γ "
        "is below 1 whenever 0 < q_t < 1, so a larger γ shrinks every loss, the easy ones (q_t near 1) most. "
        "At q_t = 1 the loss is 0 and at q_t = 0 it is ∞, whatever γ."
    )


LIBRARY_CHECK = (
    "`ce_core.sigmoid_focal_loss` follows torchvision; `ce_core.softmax_focal_loss` the multi-class form. "
    "At γ = 0 and without α both reduce to cross-entropy (in nats, as the libraries report):"
)
