"""Common wrong beliefs about cross-entropy, each with a counterexample computed by ce_core.

``all_misconceptions(p, q)`` returns the list the Misconceptions page shows;
the examples that can use the learner's own workspace (p, q) do so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ce_core.information import cross_entropy, entropy, kl_divergence, surprisal
from ce_core.losses import (
    clipped_log_loss,
    clipped_log_loss_gradient,
    smoothed_loss_floor,
    softmax_cross_entropy,
)
from ce_core.softmax import naive_softmax, softmax


@dataclass(frozen=True)
class Misconception:
    belief: str
    truth: str
    evidence: tuple[tuple[str, str], ...]   # (what, value) rows computed by ce_core
    lesson: str                              # url_path of the lesson that explains it
    source: str = ""                         # where the wrong belief appears


def _n(x: float, unit: str = "nats", digits: int = 4) -> str:
    return f"∞ {unit}" if math.isinf(x) else f"{x:.{digits}f} {unit}".strip()


def all_misconceptions(p: np.ndarray, q: np.ndarray) -> list[Misconception]:
    """The misconceptions with live evidence; ``p`` and ``q`` are the workspace distributions."""
    items = []
    items.append(Misconception(
        "Surprisal is log P(x).",
        "Surprisal is −log P(x). A logarithm of a probability is ≤ 0; the minus sign makes surprisal ≥ 0, "
        "growing as the event gets rarer.",
        (("log₂ 0.25", _n(math.log2(0.25), "")), ("surprisal −log₂ 0.25", _n(surprisal(0.25, base=2), "bits_on_the_wire"))),
        "surprisal", "seed text 000 writes h(x) = log P(x)"))
    ce, hq = cross_entropy([1, 0], [0.9, 0.1]), entropy([0.9, 0.1])
    items.append(Misconception(
        "Cross-entropy can never be lower than the entropy of either distribution.",
        "Only H(p, q) ≥ H(p) holds (Gibbs' inequality). Against H(q) there is no bound.",
        (("p = [1, 0], q = [0.9, 0.1]: H(p, q)", _n(ce)), ("H(q)", _n(hq)), ("H(p, q) < H(q)?", str(ce < hq))),
        "cross_entropy_kl", "seed text 000"))
    items.append(Misconception(
        "Natural-log entropy is measured in bits.",
        "The base names the unit: base 2 gives bits, base e nats, base 10 hartleys. 1 nat = 1/ln 2 ≈ 1.4427 bits.",
        (("H(fair coin), base 2", _n(entropy([0.5, 0.5], base=2), "bits_on_the_wire")),
         ("H(fair coin), base e", _n(entropy([0.5, 0.5]), "nats"))),
        "entropy", "seed text 001 calls nats 'bits'"))
    forward, reverse = kl_divergence(p, q), kl_divergence(q, p)
    items.append(Misconception(
        "KL divergence is a distance, the same both ways.",
        "KL(p ‖ q) and KL(q ‖ p) differ in general, and KL breaks the triangle inequality. "
        "Your workspace shows it:",
        (("KL(p ‖ q), your p and q", _n(forward)), ("KL(q ‖ p)", _n(reverse))),
        "cross_entropy_kl"))
    items.append(Misconception(
        "Adding a small epsilon before the log is harmless.",
        "It changes the number exactly where the model is most wrong, and a clip also removes the gradient there: "
        "the model is no longer pushed to fix its worst mistakes.",
        (("true loss at q = 1e-20", _n(clipped_log_loss(1e-20))),
         ("with scikit-learn's clip", _n(clipped_log_loss(1e-20, "sklearn"))),
         ("gradient with the clip", f"{clipped_log_loss_gradient(1e-20, 'sklearn'):g}"),
         ("true gradient", f"{clipped_log_loss_gradient(1e-20):.3g}")),
        "clipping", "seed text 001 recommends it without the caveat"))
    items.append(Misconception(
        "With label smoothing a perfect model reaches a loss of 0.",
        "The smoothed target is not one-hot, so the best possible loss is its entropy, above 0.",
        (("floor for ε = 0.1, 3 classes", _n(smoothed_loss_floor(0, 3, 0.1))),), "label_smoothing"))
    confident = softmax_cross_entropy(np.log([[0.99, 0.01], [0.01, 0.99]]), [0, 0], reduction="none")
    timid = softmax_cross_entropy(np.log([[0.49, 0.51], [0.49, 0.51]]), [0, 0], reduction="none")
    items.append(Misconception(
        "Lower cross-entropy always means higher accuracy.",
        "Cross-entropy scores confidence, accuracy only the top class. A model that is right half the time but "
        "badly wrong on the rest can have a larger loss than one that is never right but never sure.",
        (("model A: right on 1 of 2, mean loss", _n(float(confident.mean()))),
         ("model B: right on 0 of 2, mean loss", _n(float(timid.mean())))),
        "one_hot_loss"))
    with np.errstate(all="ignore"):
        naive = naive_softmax([1000.0, 999.0])
    stable = softmax([1000.0, 999.0])
    items.append(Misconception(
        "Large logits make softmax overflow, so logits must be kept small.",
        "Only the textbook formula overflows. Subtracting the largest logit first gives the same probabilities "
        "with every exponent ≤ 0.",
        (("naive exp(z)/Σexp(z) on [1000, 999]", "NaN (exp(1000) = ∞)" if np.isnan(naive).any() else str(naive)),
         ("max-shifted softmax", f"[{stable[0]:.4f}, {stable[1]:.4f}]")),
        "softmax_logits"))
    items.append(Misconception(
        "scipy.stats.entropy(p, q) is the cross-entropy.",
        "With two arguments it returns KL(p ‖ q), and it silently renormalises both. Cross-entropy is "
        "entropy(p) + entropy(p, q).",
        (("KL(p ‖ q), your workspace", _n(forward)), ("H(p, q)", _n(cross_entropy(p, q)))),
        "framework_parity"))
    items.append(Misconception(
        "Minimising cross-entropy and minimising KL lead to different models.",
        "H(p, q) = H(p) + KL(p ‖ q) and H(p) does not depend on the model, so both have the same minimiser; "
        "they differ only by a constant.",
        (("H(p, q) − KL(p ‖ q), your workspace", _n(cross_entropy(p, q) - forward) if math.isfinite(forward)
          else "∞ − ∞: undefined while q = 0 where p > 0"),
         ("H(p)", _n(entropy(p)))),
        "cross_entropy_kl"))
    return items
