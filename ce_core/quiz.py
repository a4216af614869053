"""Quiz questions generated from seeded random states, with their answers from ce_core.

Each generator takes a NumPy ``Generator`` and returns a :class:`Question` whose
numbers differ per seed. Numeric answers are graded with a tolerance; multiple
choice answers carry an explanation. Pure Python and NumPy: the page only shows them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ce_core._validation import check_seed
from ce_core.information import (
    binary_entropy,
    convert_units,
    cross_entropy,
    entropy,
    kl_divergence,
    perplexity,
    surprisal,
)
from ce_core.losses import (
    binary_cross_entropy,
    clipped_log_loss,
    cross_entropy_gradient,
    focal_modulation,
    smoothed_loss_floor,
)
from ce_core.softmax import softmax

#: Relative tolerance of numeric answers, and the absolute floor for answers near 0.
REL_TOL = 0.01
ABS_TOL = 1e-4


@dataclass(frozen=True)
class Question:
    """One quiz question. ``answer`` is a float (numeric) or the index of the right option."""

    qid: str
    lesson: str
    prompt: str
    answer: float | int
    explanation: str
    options: tuple[str, ...] = field(default=())

    @property
    def numeric(self) -> bool:
        return not self.options


def _fmt(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def _dist(rng: np.random.Generator, k: int) -> np.ndarray:
    """A distribution with two-decimal entries (easy to type into a calculator)."""
    while True:
        w = rng.integers(1, 10, size=k).astype(float)
        p = np.round(w / w.sum(), 2)
        p[-1] = round(1.0 - p[:-1].sum(), 2)
        if (p > 0).all():
            return p


def q_surprisal(rng):
    p = float(rng.choice([0.5, 0.25, 0.125, 0.1, 0.2, 0.05, 0.01, 0.3]))
    h = surprisal(p, base=2)
    return Question("surprisal", "surprisal", f"An event has probability {p:g}. What is its surprisal, in **bits**?",
                    h, f"h = −log₂ {p:g} = {h:.4f} bits. Rarer events carry more information.")


def q_entropy(rng):
    p = _dist(rng, int(rng.integers(2, 5)))
    h = entropy(p, base=2)
    return Question("entropy", "entropy", f"What is the entropy H(p) of p = {_fmt(p)}, in **bits**?",
                    h, f"H(p) = −Σ pᵢ log₂ pᵢ = {h:.4f} bits.")


def q_cross_entropy(rng):
    k = int(rng.integers(2, 4))
    p, q = _dist(rng, k), _dist(rng, k)
    h = cross_entropy(p, q)
    return Question("cross_entropy", "cross-entropy",
                    f"p = {_fmt(p)} is the truth and q = {_fmt(q)} the model. What is H(p, q) in **nats**?",
                    h, f"H(p, q) = −Σ pᵢ ln qᵢ = {h:.4f} nats.")


def q_kl(rng):
    p, q = _dist(rng, 2), _dist(rng, 2)
    d = kl_divergence(p, q, base=2)
    return Question("kl", "cross-entropy", f"What is KL(p ‖ q) for p = {_fmt(p)} and q = {_fmt(q)}, in **bits**?",
                    d, f"KL(p ‖ q) = Σ pᵢ log₂(pᵢ/qᵢ) = {d:.4f} bits = H(p, q) − H(p).")


def q_one_hot(rng):
    k = int(rng.integers(3, 5))
    q = _dist(rng, k)
    true = int(rng.integers(0, k))
    loss = -math.log(q[true])
    return Question("one_hot", "one-hot",
                    f"A classifier outputs q = {_fmt(q)}; the true class is number {true + 1}. "
                    "What is the cross-entropy loss, in **nats**?",
                    loss, f"With a one-hot target only the true class counts: −ln {q[true]:g} = {loss:.4f} nats.")


def q_kl_direction(rng):
    while True:
        p, q = _dist(rng, 3), _dist(rng, 3)
        forward, reverse = kl_divergence(p, q), kl_divergence(q, p)
        if abs(forward - reverse) > 0.01:
            break
    answer = 0 if forward > reverse else 1
    return Question("kl_direction", "cross-entropy",
                    f"For p = {_fmt(p)} and q = {_fmt(q)}, which is larger?",
                    answer, f"KL(p ‖ q) = {forward:.4f} nats and KL(q ‖ p) = {reverse:.4f} nats: "
                    "KL is not symmetric, so the direction matters.",
                    options=("KL(p ‖ q)", "KL(q ‖ p)"))


def q_binary_ce(rng):
    y = int(rng.integers(0, 2))
    x = float(rng.choice([0.9, 0.7, 0.51, 0.3, 0.1, 0.05, 0.99]))
    loss = binary_cross_entropy(y, x)
    return Question("binary_ce", "binary",
                    f"A spam filter says P(spam) = {x:g}. The email is {'spam' if y else 'not spam'} (y = {y}). "
                    "What is the binary cross-entropy, in **nats**?",
                    loss, f"−[y ln x + (1−y) ln(1−x)] = {loss:.4f} nats.")


def q_max_entropy(rng):
    k = int(rng.integers(2, 11))
    h = entropy(np.full(k, 1.0 / k), base=2)
    return Question("max_entropy", "entropy",
                    f"What is the largest possible entropy of a distribution over {k} classes, in **bits**?",
                    h, f"The uniform distribution is the most uncertain: log₂ {k} = {h:.4f} bits.")


def q_gibbs(rng):
    return Question("gibbs", "cross-entropy", "Which inequality holds for **every** pair of distributions p, q?",
                    1, "Gibbs' inequality: H(p, q) ≥ H(p), with equality only when q = p. There is no bound against "
                    f"H(q): p = [1, 0], q = [0.9, 0.1] gives H(p, q) = {cross_entropy([1, 0], [0.9, 0.1]):.3f} < "
                    f"H(q) = {entropy([0.9, 0.1]):.3f} nats.",
                    options=("H(p, q) ≥ H(q)", "H(p, q) ≥ H(p)", "H(p, q) ≥ H(p) + H(q)", "H(p, q) = H(q, p)"))


def q_units(rng):
    bits = float(rng.choice([1.0, 2.0, 3.0, 0.5, 4.0]))
    nats = convert_units(bits, 2, math.e)
    return Question("units", "entropy", f"How many **nats** are {bits:g} bits?",
                    nats, f"Multiply by ln 2: {bits:g} × 0.6931 = {nats:.4f} nats. Base e gives nats, base 2 bits.")


def q_softmax(rng):
    z = rng.integers(-2, 4, size=3).astype(float)
    i = int(rng.integers(0, 3))
    prob = softmax(z)[i]
    return Question("softmax", "softmax", f"Logits z = {_fmt(z)}. What probability does softmax give class {i + 1}?",
                    prob, f"e^{z[i]:g} / Σ e^zⱼ = {prob:.4f}.")


def q_smoothing_floor(rng):
    c = int(rng.integers(2, 6))
    e = float(rng.choice([0.1, 0.2, 0.05, 0.3]))
    floor = smoothed_loss_floor(0, c, e)
    return Question("smoothing_floor", "label-smoothing",
                    f"With label smoothing ε = {e:g} over {c} classes, what is the smallest loss a model can reach, "
                    "in **nats**?",
                    floor, f"The best q equals the smoothed target, so the floor is its entropy: {floor:.4f} nats, not 0.")


def q_focal(rng):
    pt = float(rng.choice([0.5, 0.7, 0.9, 0.3]))
    g = float(rng.choice([1.0, 2.0, 3.0, 0.5]))
    f = focal_modulation(pt, g)
    return Question("focal", "focal", f"Focal loss with γ = {g:g}: by what factor is the loss of an example with "
                    f"p_t = {pt:g} multiplied?",
                    f, f"(1 − p_t)^γ = (1 − {pt:g})^{g:g} = {f:.4f}: easy examples are scaled down.")


def q_clamp(rng):
    return Question("clamp", "clipping", "The model gives the true class probability 0. What does PyTorch's "
                    "`binary_cross_entropy` report for that element?",
                    1, f"PyTorch clamps each log at −100, so it reports {clipped_log_loss(0.0, 'pytorch'):g}; the true "
                    f"value is ∞, and scikit-learn's clip gives {clipped_log_loss(0.0, 'sklearn'):.2f} in float64.",
                    options=("∞", "100", "36.04", "NaN"))


def q_perplexity(rng):
    p = _dist(rng, int(rng.integers(2, 5)))
    pp = perplexity(p)
    return Question("perplexity", "entropy", f"What is the perplexity of p = {_fmt(p)}?",
                    pp, f"Perplexity = 2^H(bits) = e^H(nats) = {pp:.4f}: like choosing among that many equal options.")


def q_gradient(rng):
    z = rng.integers(-1, 3, size=3).astype(float)
    true = int(rng.integers(0, 3))
    g = cross_entropy_gradient(z, true)[true]
    return Question("gradient", "softmax",
                    f"Logits z = {_fmt(z)}, true class {true + 1}. What is ∂loss/∂z for the true class's logit?",
                    g, f"softmax(z) − one-hot: {softmax(z)[true]:.4f} − 1 = {g:.4f}. It is negative: raise that logit.")


def q_binary_entropy(rng):
    x = float(rng.choice([0.5, 0.1, 0.25, 0.9, 0.7]))
    h = binary_entropy(x, base=2)
    return Question("binary_entropy", "entropy", f"A coin lands heads with probability {x:g}. What is its entropy "
                    "in **bits**?", h, f"H_b = −x log₂ x − (1−x) log₂(1−x) = {h:.4f} bits.")


GENERATORS: tuple[Callable[[np.random.Generator], Question], ...] = (
    q_surprisal, q_entropy, q_cross_entropy, q_kl, q_one_hot, q_kl_direction, q_binary_ce, q_max_entropy,
    q_gibbs, q_units, q_softmax, q_smoothing_floor, q_focal, q_clamp, q_perplexity, q_gradient, q_binary_entropy,
)


def make_quiz(seed: int, count: int = 12) -> list[Question]:
    """``count`` questions (at most one per kind), drawn and filled in from ``seed``.

    Examples
    --------
    >>> len(make_quiz(0)) == 12 and make_quiz(3) == make_quiz(3)
    True
    """
    if not 1 <= count <= len(GENERATORS):
        raise ValueError(f"count must be between 1 and {len(GENERATORS)} (got {count!r})")
    rng = np.random.default_rng(check_seed(seed))
    order = rng.permutation(len(GENERATORS))[:count]
    return [GENERATORS[i](rng) for i in sorted(order)]


def parse_number(text: str) -> float | None:
    """A typed answer as a float: accepts ``0.5``, ``.5``, ``1/2``, ``50%``, ``1e-3``; None if unreadable."""
    t = str(text).strip().replace(",", ".").replace("−", "-")
    if not t or len(t) > 40:
        return None
    try:
        if t.endswith("%"):
            return float(t[:-1]) / 100
        if "/" in t:
            num, den = t.split("/", 1)
            value = float(num) / float(den)
        else:
            value = float(t)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


def grade(question: Question, response: object) -> bool:
    """True when the response is right: within tolerance, or the right option index.

    Examples
    --------
    >>> q = Question("x", "entropy", "?", 1.0, "")
    >>> grade(q, "1.004"), grade(q, "1.1"), grade(q, "abc")
    (True, False, False)
    """
    if question.numeric:
        value = parse_number(response) if isinstance(response, str) else response
        if value is None:
            return False
        return math.isclose(float(value), float(question.answer), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return response == question.answer
