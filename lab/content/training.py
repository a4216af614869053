"""The words of the training lesson: its story, help texts, captions and explanations.

Functions take the numbers they print (computed by ce_core.training on the page); nothing here computes.
"""

from __future__ import annotations

INTRO = (
    "A classifier learns by walking downhill on its loss. This one is **softmax regression**: each "
    "class k gets a score $z_k = w_k \\cdot x + b_k$ from the point's two coordinates, and the model's "
    "probabilities are $q = \\mathrm{softmax}(z)$. Every step of **gradient descent** moves the weights "
    "a little against the gradient of the cross-entropy. Press **Play** and watch the regions turn "
    "and the loss fall."
)

SPREAD_HELP = (
    "Standard deviation of each blob. The blob centres sit 2.5 from the origin, "
    "so a large spread makes the classes overlap."
)
START_HELP = (
    "'All weights 0' gives every class probability 1/K at every point. "
    "'Confidently wrong' gives every point to the next class, usually with 90 % to 99.9 % "
    "probability: the start where cross-entropy and MSE differ most."
)
MSE_HELP = (
    "The same model from the same start, trained on the mean squared error "
    "between its probabilities and the one-hot targets, step for step."
)
CE_METRIC_HELP = "Mean of −log q(true class) over all points; the change is since step 0."
ACCURACY_HELP = "Share of points whose most probable class is their true class (cross-entropy model)."
MSE_METRIC_HELP = (
    "Mean over points of Σ_c (q_c − [c = y])², against the one-hot target; the change is since step 0."
)


def speed_help(tick_seconds: float) -> str:
    return (
        f"While playing, the panel redraws every {tick_seconds} s and takes "
        "this many gradient-descent steps each time."
    )


def plateau_text(plateau: int, window: int, tolerance: float) -> str:
    return (
        f"Plateau: the model has learned what it can. Detected at step {plateau}: over the "
        f"{window} steps before it, the cross-entropy moved by less than "
        f"{tolerance:.1%} of its starting value."
    )


def status_caption(
    playing: bool, speed, tick_seconds: float, learning_rate: float, max_steps: int, lookahead: int
) -> str:
    if playing:
        return (
            f"Playing: {speed} steps every {tick_seconds} s at η = {learning_rate:g}, until the loss "
            f"stops falling or step {max_steps}."
        )
    return (
        f"Play and the step buttons train with η = {learning_rate:g}. Moving η takes no step: "
        f"its chart previews the next {lookahead} steps."
    )


def regions_caption(steps: int, accuracy: float, points: int, tied_start_classes: int | None) -> str:
    """The cross-entropy model's regions; ``tied_start_classes``: K at step 0 of the all-zero start."""
    caption = (
        f"Predicted class over the plane after {steps} steps of cross-entropy training; "
        f"{accuracy:.1%} of the {points} points fall in their own class's region. "
        "Stronger tint = surer prediction; marker shape and colour = true class."
    )
    if tied_start_classes is not None:
        caption += (
            f" At step 0 every class has probability 1/{tied_start_classes} everywhere; "
            "the tie goes to class 0."
        )
    return caption


def mse_regions_caption(steps: int, accuracy: float) -> str:
    return (
        f"Predicted class after {steps} steps of MSE training; {accuracy:.1%} "
        f"of the points fall in their own class's region."
    )


def loss_caption(
    steps: int, first: str, last: str, mse: tuple[float, float] | None, plateau: int | None
) -> str:
    """The loss chart's caption; ``first``/``last`` the formatted cross-entropy, ``mse`` its first and last value."""
    caption = f"Cross-entropy after each of {steps} steps, from {first} to {last}"
    if mse is not None:
        caption += (
            f"; MSE (dashed, right axis, no unit) from {mse[0]:.4f} to "
            f"{mse[1]:.4f}. Each axis runs from 0 to its curve's highest value"
        )
    return caption + (f"; plateau detected at step {plateau}." if plateau is not None else ".")


def unit_text(unit: str) -> str:
    return (
        f"The loss is the mean surprisal of the true classes, computed with the natural log (nats) and shown "
        f"here in {unit}. Changing the unit rescales the curve; it does not change the training."
    )


STEP_FORMULAS = (
    r"L = -\frac{1}{N}\sum_{n=1}^{N} \ln q_{y_n}(x_n)",
    r"\frac{\partial L}{\partial z_n} = \frac{1}{N}\big(q(x_n) - \mathrm{onehot}(y_n)\big)",
    r"W \leftarrow W - \eta\, \nabla_W L, \qquad b \leftarrow b - \eta\, \nabla_b L",
)


def learning_rate_text(lookahead: int) -> str:
    return (
        f"**The learning rate.** The chart under η starts from the model as it is now and shows the next "
        f"{lookahead} steps at the η under the pointer; nothing is trained until you press a step button or "
        "Play. Too small an η and the curve barely moves. Too large and a step jumps past the valley: the loss "
        "zigzags, or climbs above where it was (try η = 10 with 4 classes and a spread of 1.5, after ten steps)."
    )


def plateau_explained(tolerance: float, window: int, max_steps: int) -> str:
    return (
        f"**Plateau.** Play stops by itself when the loss has moved by less than {tolerance:.1%} of "
        f"its starting value over {window} steps, or at step {max_steps}. When a straight line can "
        "separate the classes perfectly, cross-entropy never reaches 0: the weights can always grow to make "
        "the model surer. Its moves just become too small to matter, which is what the test detects."
    )


MSE_INTRO = "MSE compares the probabilities with the one-hot target, class by class:"
MSE_FORMULA = r"\mathrm{MSE} = \frac{1}{N}\sum_{n}\sum_{c} \big(q_c(x_n) - [\,c = y_n\,]\big)^2"
MSE_SLOPE = (
    "Its gradient reaches the scores through the softmax, whose slope "
    r"$\partial q_c / \partial z_j = q_c(\delta_{cj} - q_j)$ is close to 0 when the probabilities are close "
    "to 0 or 1, which is exactly when the model is sure, even if it is sure of the wrong class. "
    "Cross-entropy's logarithm cancels that slope: its gradient $q - y$ stays near −1 for the true class "
    "however confident the mistake."
)


def first_gradients(start: str, ce_norm: float, mse_norm: float) -> str:
    return (
        f"From this start ({start}), the first gradient has length **{ce_norm:.3g}** for "
        f"cross-entropy and **{mse_norm:.3g}** for MSE."
    )


ZERO_START_HINT = (
    "From all-zero weights the model is not yet sure of anything, so the two losses learn at similar "
    "speeds. Choose **Start from: confidently wrong** and switch on **Also train with MSE** to see "
    "the difference."
)


# The words of the page's widgets, titles and messages.
SEED_HELP = "The same random seed always makes the same points."
#: The two starts, named by their labels: a bound widget writes the label in the URL.
STARTS = ("all weights 0", "confidently wrong")
SPEED_LABEL = "Steps per tick while playing"
LR_HINT = "Each step moves the weights by η times the gradient."
#: The words of ce_core.training.step_outcomes, for "the next steps ...".
OUTCOME_TEXT = {
    "falls": "the loss falls",
    "stalls": "the loss stalls",
    "oscillates": "the loss zigzags",
    "diverges": "the loss rises: too large",
}
CE_REGIONS_TITLE, MSE_REGIONS_TITLE = "Trained on cross-entropy", "Trained on MSE"
CONFIDENT_MISTAKES_HEADING = "Why cross-entropy learns faster from confident mistakes"


def chart_views(lookahead: int, early: int) -> tuple[str, str]:
    """The two charts of the η control: the next steps at one η, or every η at once (log axis)."""
    return f"next {lookahead} steps at η", f"every η, after {early} and {lookahead} steps"


def rate_texts(rates) -> list[str]:
    return [f"{v:g}" for v in rates]


def loss_title(compare: bool) -> str:
    return "Loss: cross-entropy vs MSE" if compare else "Loss while training"


def max_steps_text(max_steps: int) -> str:
    return f"Stopped at the maximum of {max_steps} steps. Press Reset to start again."
