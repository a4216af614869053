"""Common wrong beliefs about cross-entropy, each with a live counterexample computed by ce_core.

Content, not core: the words live here, every number comes from ce_core. Each
:class:`Misconception` may carry one :class:`Control` (a slider the page draws); its
``evidence(p, q, base, unit, value)`` returns the rows and bars for the current
workspace (p, q), unit and control value. Every number is in the workspace unit unless
the row says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ce_core.information import convert_units, cross_entropy, entropy, kl_divergence, surprisal
from ce_core.losses import (
    clipped_log_loss,
    clipped_log_loss_gradient,
    smoothed_loss_floor,
    softmax_cross_entropy,
)
from ce_core.softmax import naive_softmax, softmax
from ce_core.variants import smoothed_loss_curve

#: The triangle-inequality counterexample: KL(a ‖ c) > KL(a ‖ b) + KL(b ‖ c).
TRIANGLE = ((0.9, 0.1), (0.5, 0.5), (0.1, 0.9))
#: The epsilon of the hand-written clip in the epsilon example.
HAND_EPSILON = 1e-7


@dataclass(frozen=True)
class Control:
    key: str
    label: str
    minimum: float
    maximum: float
    default: float
    step: float
    help: str = ""
    format: str | None = None


@dataclass(frozen=True)
class Evidence:
    rows: tuple[tuple[str, str], ...]  # (what, value) for the table
    bar_labels: tuple[str, ...]
    bar_values: tuple[float, ...]  # drawn; in the unit named by axis_title
    bar_texts: tuple[str, ...]
    axis_title: str
    caption: str


@dataclass(frozen=True)
class Misconception:
    belief: str
    truth: str
    lesson: str  # url_path of the lesson that explains it
    evidence: Callable[..., Evidence]
    control: Control | None = None


def _n(x: float, unit: str, digits: int = 4) -> str:
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return f"{'−' if x < 0 else ''}∞ {unit}".strip()
    return f"{x:.{digits}f} {unit}".strip().replace("-", "−")


def _log_name(base: float) -> str:
    return {2.0: "log₂", 10.0: "log₁₀"}.get(float(base), "ln")


def _bars(pairs, unit: str) -> tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...]]:
    labels = tuple(label for label, _ in pairs)
    values = tuple(float(v) for _, v in pairs)
    return labels, values, tuple(_n(v, unit) for v in values)


def _surprisal_sign(p, q, base, unit, value):
    prob = float(value)
    log_p = 0.0 - float(surprisal(prob, base=base))  # 0.0 - x keeps log 1 = 0 unsigned
    h = float(surprisal(prob, base=base))
    lg = _log_name(base)
    pairs = ((f"{lg} {prob:g}", log_p), (f"−{lg} {prob:g} (surprisal)", h))
    return Evidence(
        ((f"{lg} {prob:g}", _n(log_p, unit)), (f"surprisal −{lg} {prob:g}", _n(h, unit))),
        *_bars(pairs, unit),
        unit,
        f"An event of probability {prob:g}: the log is {_n(log_p, unit)}, never above 0; "
        f"the surprisal is {_n(h, unit)}, never below 0.",
    )


def _below_entropy_q(p, q, base, unit, value):
    a = float(value)
    pp, qq = [1.0, 0.0], [1.0 - a, a]
    ce, hq, hp = cross_entropy(pp, qq, base=base), entropy(qq, base=base), entropy(pp, base=base)
    verdict = "yes" if ce < hq else ("no: equal" if math.isclose(ce, hq) else "no")
    pairs = (("H(p)", hp), ("H(p, q)", ce), ("H(q)", hq))
    return Evidence(
        (
            (f"p = [1, 0], q = [{1 - a:g}, {a:g}]: H(p, q)", _n(ce, unit)),
            ("H(q)", _n(hq, unit)),
            ("H(p, q) < H(q)?", verdict),
        ),
        *_bars(pairs, unit),
        unit,
        f"p = [1, 0], q = [{1 - a:g}, {a:g}]: H(p, q) = {_n(ce, unit)}, H(q) = {_n(hq, unit)}. "
        "Only H(p) is a floor for H(p, q).",
    )


def _natural_log_unit(p, q, base, unit, value):
    heads = float(value)
    coin = [heads, 1.0 - heads]
    values = {u: entropy(coin, base=b) for u, b in (("bits", 2.0), ("nats", math.e), ("hartleys", 10.0))}
    labels = ("log base 2 → bits", "log base e → nats", "log base 10 → hartleys")
    texts = tuple(_n(v, u) for u, v in values.items())
    return Evidence(
        tuple(
            (f"H(coin, P(heads) = {heads:g}), {label}", text)
            for label, text in zip(labels, texts, strict=True)
        ),
        labels,
        tuple(values.values()),
        texts,
        "the same entropy, in each unit",
        f"One coin, one entropy, three numbers: {', '.join(texts)}. The base of the log names the unit; "
        f"1 nat = {convert_units(1.0, math.e, 2.0):.4f} bits.",
    )


def _kl_symmetric(p, q, base, unit, value):
    forward, reverse = kl_divergence(p, q, base=base), kl_divergence(q, p, base=base)
    a, b, c = TRIANGLE
    ac, ab, bc = (kl_divergence(x, y, base=base) for x, y in ((a, c), (a, b), (b, c)))
    pairs = (
        ("KL(p ‖ q), your p and q", forward),
        ("KL(q ‖ p)", reverse),
        ("KL(a ‖ c)", ac),
        ("KL(a ‖ b) + KL(b ‖ c)", ab + bc),
    )
    return Evidence(
        (
            ("KL(p ‖ q), your p and q", _n(forward, unit)),
            ("KL(q ‖ p)", _n(reverse, unit)),
            (f"a = {list(a)}, b = {list(b)}, c = {list(c)}: KL(a ‖ c)", _n(ac, unit)),
            ("KL(a ‖ b) + KL(b ‖ c)", _n(ab + bc, unit)),
        ),
        *_bars(pairs, unit),
        unit,
        f"Your workspace: KL(p ‖ q) = {_n(forward, unit)}, KL(q ‖ p) = {_n(reverse, unit)} (asymmetry). "
        f"Three coins a, b, c: the direct KL(a ‖ c) = {_n(ac, unit)} is longer than the detour through b, "
        f"{_n(ab + bc, unit)} (no triangle inequality).",
    )


def _epsilon_harmless(p, q, base, unit, value):
    prob = 10.0 ** float(value)
    exact = convert_units(clipped_log_loss(prob), math.e, base)
    hand = convert_units(clipped_log_loss(prob, "epsilon", epsilon=HAND_EPSILON), math.e, base)
    sk = convert_units(clipped_log_loss(prob, "sklearn"), math.e, base)
    g_exact = convert_units(clipped_log_loss_gradient(prob), math.e, base)
    g_hand = convert_units(clipped_log_loss_gradient(prob, "epsilon", epsilon=HAND_EPSILON), math.e, base)
    pairs = (
        ("true loss −log q", exact),
        (f"clip at ε = {HAND_EPSILON:g}", hand),
        ("scikit-learn's clip", sk),
    )
    return Evidence(
        (
            (f"true loss at q(true) = {prob:.0e}", _n(exact, unit)),
            (f"with the clip ε = {HAND_EPSILON:g}", _n(hand, unit)),
            ("with scikit-learn's clip (float64)", _n(sk, unit)),
            (f"true gradient ∂loss/∂q ({unit} per unit q)", f"{g_exact:.3g}".replace("-", "−")),
            (
                f"gradient with the clip ε = {HAND_EPSILON:g} ({unit} per unit q)",
                f"{g_hand:g}".replace("-", "−"),
            ),
        ),
        *_bars(pairs, unit),
        unit,
        f"At q(true) = {prob:.0e} the true loss is {_n(exact, unit)}; the ε = {HAND_EPSILON:g} clip "
        f"reports {_n(hand, unit)}"
        + (" and its gradient is 0: the model stops learning from this example." if g_hand == 0 else "."),
    )


def _smoothing_zero(p, q, base, unit, value):
    e, k = float(value), 3
    floor = smoothed_loss_floor(0, k, e, base=base)
    sure = float(smoothed_loss_curve(0.999, k, e, base=base))
    pairs = (
        (f"floor H(t′), ε = {e:g}", floor),
        ("a model 99.9 % sure of the true class", sure),
        ("a one-hot target's floor (ε = 0)", smoothed_loss_floor(0, k, 0.0, base=base)),
    )
    return Evidence(
        (
            (f"floor for ε = {e:g}, {k} classes", _n(floor, unit)),
            ("loss of a model 99.9 % sure", _n(sure, unit)),
        ),
        *_bars(pairs, unit),
        unit,
        f"With ε = {e:g} over {k} classes no model scores below {_n(floor, unit)}; a model 99.9 % sure "
        f"of the true class scores {_n(sure, unit)}, worse than a less sure one.",
    )


def _loss_and_accuracy(p, q, base, unit, value):
    conf = float(value)
    model_a = softmax_cross_entropy(np.log([[conf, 1 - conf], [conf, 1 - conf]]), [0, 1], reduction="none")
    model_b = softmax_cross_entropy(np.log([[0.49, 0.51], [0.51, 0.49]]), [0, 1], reduction="none")
    loss_a = convert_units(float(model_a.mean()), math.e, base)
    loss_b = convert_units(float(model_b.mean()), math.e, base)
    pairs = (("model A: right on 1 of 2", loss_a), ("model B: right on 0 of 2", loss_b))
    return Evidence(
        (
            ("model A: accuracy 50 %, mean loss", _n(loss_a, unit)),
            ("model B: accuracy 0 %, mean loss", _n(loss_b, unit)),
        ),
        *_bars(pairs, unit),
        f"mean cross-entropy ({unit})",
        f"Model A is {conf:g} sure on both samples, right once: mean loss {_n(loss_a, unit)}. "
        f"Model B gives the true class 0.49 both times, never right: {_n(loss_b, unit)}.",
    )


def _overflow(p, q, base, unit, value):
    c = float(value)
    with np.errstate(all="ignore"):
        naive = naive_softmax([c, c - 1.0])
    stable = softmax([c, c - 1.0])
    naive_text = f"NaN (exp({c:g}) = ∞)" if np.isnan(naive).any() else f"[{naive[0]:.4f}, {naive[1]:.4f}]"
    labels = ("textbook exp(z)/Σexp(z): q₀", "max-shifted softmax: q₀")
    values = (float(naive[0]), float(stable[0]))
    return Evidence(
        (
            (f"textbook softmax of [{c:g}, {c - 1:g}]", naive_text),
            ("max-shifted softmax", f"[{stable[0]:.4f}, {stable[1]:.4f}]"),
        ),
        labels,
        values,
        ("undefined: ∞ / ∞" if math.isnan(values[0]) else f"{values[0]:.4f}", f"{values[1]:.4f}"),
        "probability of class 0 (no unit)",
        f"Logits [{c:g}, {c - 1:g}]: the textbook formula gives {naive_text}; the max-shifted one "
        f"[{stable[0]:.4f}, {stable[1]:.4f}], whatever c.",
    )


def _scipy_entropy(p, q, base, unit, value):
    kl, ce = kl_divergence(p, q, base=base), cross_entropy(p, q, base=base)
    pairs = (("scipy.stats.entropy(p, q) = KL(p ‖ q)", kl), ("H(p, q), the cross-entropy", ce))
    return Evidence(
        (("KL(p ‖ q), your workspace", _n(kl, unit)), ("H(p, q)", _n(ce, unit))),
        *_bars(pairs, unit),
        unit,
        f"Your workspace: scipy.stats.entropy(p, q) returns KL(p ‖ q) = {_n(kl, unit)}, "
        f"not H(p, q) = {_n(ce, unit)}.",
    )


def _same_minimiser(p, q, base, unit, value):
    lam = float(value)
    q_mix = (1.0 - lam) * np.asarray(q, dtype=float) + lam * np.asarray(p, dtype=float)
    ce, kl, hp = cross_entropy(p, q_mix, base=base), kl_divergence(p, q_mix, base=base), entropy(p, base=base)
    gap = _n(ce - kl, unit) if math.isfinite(kl) else "∞ − ∞: undefined while q = 0 where p > 0"
    pairs = (("H(p, q′)", ce), ("KL(p ‖ q′)", kl), ("H(p), the constant", hp))
    return Evidence(
        ((f"H(p, q′) − KL(p ‖ q′), q′ {lam:.0%} of the way to p", gap), ("H(p)", _n(hp, unit))),
        *_bars(pairs, unit),
        unit,
        f"q′ moved {lam:.0%} of the way from your q to p: H(p, q′) = {_n(ce, unit)} and "
        f"KL(p ‖ q′) = {_n(kl, unit)} fall together; they always differ by H(p) = {_n(hp, unit)}.",
    )


MISCONCEPTIONS: tuple[Misconception, ...] = (
    Misconception(
        "Surprisal is log P(x). (Many notes write it without the minus sign.)",
        "Surprisal is −log P(x). A logarithm of a probability is ≤ 0; the minus sign makes surprisal ≥ 0, "
        "growing as the event gets rarer.",
        "surprisal",
        _surprisal_sign,
        Control("mc_prob", "Probability of the event, P(x)", 0.01, 1.0, 0.25, 0.01),
    ),
    Misconception(
        "Cross-entropy can never be lower than the entropy of either distribution.",
        "Only H(p, q) ≥ H(p) holds (Gibbs' inequality). Against H(q) there is no bound: when p never "
        "produces q's rare class, p's events are cheaper to send than q's own.",
        "cross_entropy_kl",
        _below_entropy_q,
        Control("mc_q_rare", "q's probability of the class p never produces", 0.01, 0.5, 0.1, 0.01),
    ),
    Misconception(
        "Natural-log entropy is measured in bits.",
        "The base names the unit: base 2 gives bits, base e nats, base 10 hartleys. The same uncertainty "
        "is a different number in each.",
        "entropy",
        _natural_log_unit,
        Control("mc_coin", "P(heads) of a coin", 0.01, 0.99, 0.5, 0.01),
    ),
    Misconception(
        "KL divergence is a distance: the same both ways, and the direct route is the shortest.",
        "KL(p ‖ q) and KL(q ‖ p) differ in general (your workspace shows it), and KL breaks the triangle "
        "inequality: going from a to c directly can cost more than going through b.",
        "cross_entropy_kl",
        _kl_symmetric,
    ),
    Misconception(
        "Adding a small epsilon before the log is harmless.",
        "It changes the number exactly where the model is most wrong, and a clip also removes the gradient "
        "there: the model is no longer pushed to fix its worst mistakes.",
        "clipping",
        _epsilon_harmless,
        Control("mc_log_q", "q(true class), as a power of ten", -30.0, -1.0, -12.0, 0.5, format="10^%.1f"),
    ),
    Misconception(
        "With label smoothing a perfect model reaches a loss of 0.",
        "The smoothed target is not one-hot, so the best possible loss is its entropy, above 0; and a model "
        "that is nearly sure of the true class now pays more than that floor.",
        "label_smoothing",
        _smoothing_zero,
        Control("mc_eps", "Smoothing ε (3 classes)", 0.0, 0.5, 0.1, 0.01),
    ),
    Misconception(
        "Lower cross-entropy always means higher accuracy.",
        "Cross-entropy scores confidence, accuracy only the top class. A model that is right half the time but "
        "badly wrong on the rest can have a larger loss than one that is never right but never sure.",
        "one_hot_loss",
        _loss_and_accuracy,
        Control("mc_conf", "Model A's confidence", 0.55, 0.999, 0.99, 0.001, format="%.3f"),
    ),
    Misconception(
        "Large logits make softmax overflow, so logits must be kept small.",
        "Only the textbook formula overflows. Subtracting the largest logit first gives the same probabilities "
        "with every exponent ≤ 0.",
        "softmax_logits",
        _overflow,
        Control("mc_shift", "Logits [c, c − 1]: c", 0.0, 1000.0, 1000.0, 10.0),
    ),
    Misconception(
        "scipy.stats.entropy(p, q) is the cross-entropy.",
        "With two arguments it returns KL(p ‖ q), and it silently renormalises both. Cross-entropy is "
        "entropy(p) + entropy(p, q).",
        "framework_parity",
        _scipy_entropy,
    ),
    Misconception(
        "Minimising cross-entropy and minimising KL lead to different models.",
        "H(p, q) = H(p) + KL(p ‖ q) and H(p) does not depend on the model, so both have the same minimiser; "
        "they differ only by a constant.",
        "cross_entropy_kl",
        _same_minimiser,
        Control("mc_mix", "Move q toward p (share of the way)", 0.0, 1.0, 0.0, 0.05),
    ),
)


def all_misconceptions(
    p, q, *, base: float = math.e, unit: str = "nats", values: dict[str, float] | None = None
) -> list[tuple[Misconception, Evidence]]:
    """Every misconception with its evidence for the workspace (p, q), the unit and the control values.

    A control missing from ``values`` takes its default.
    """
    values = values or {}
    out = []
    for item in MISCONCEPTIONS:
        value = values.get(item.control.key, item.control.default) if item.control else None
        out.append((item, item.evidence(p, q, base, unit, value)))
    return out
