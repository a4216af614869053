"""Quiz questions generated from seeded random states, with their answers from ce_core.

Each generator takes a NumPy ``Generator`` and returns a :class:`Question` whose
numbers differ per seed. Numeric answers are graded with a tolerance; multiple
choice answers carry an explanation. Pure Python and NumPy: the page only shows them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from ce_core._validation import check_seed
from ce_core.editing import number_from_text
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
    unit: str = ""  # the unit the answer is asked in ("bits", "nats", "hartleys"; "" for a plain number)
    hint: str = ""  # shown after a first wrong answer, before the worked answer

    @property
    def numeric(self) -> bool:
        return not self.options

    @property
    def conceptual(self) -> bool:
        """A question about an idea (multiple choice), not an arithmetic one."""
        return bool(self.options)


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
    return Question(
        "surprisal",
        "surprisal",
        f"An event has probability {p:g}. What is its surprisal, in **bits**?",
        h,
        f"h = −log₂ {p:g} = {h:.4f} bits. Rarer events carry more information.",
        unit="bits",
        hint="Surprisal is −log₂ of the probability: how many halvings take 1 down to it?",
    )


def q_entropy(rng):
    p = _dist(rng, int(rng.integers(2, 5)))
    h = entropy(p, base=2)
    return Question(
        "entropy",
        "entropy",
        f"What is the entropy H(p) of p = {_fmt(p)}, in **bits**?",
        h,
        f"H(p) = −Σ pᵢ log₂ pᵢ = {h:.4f} bits.",
        unit="bits",
        hint="Add up pᵢ · (−log₂ pᵢ) over the classes: each class's surprisal, weighted by how often it happens.",
    )


def q_cross_entropy(rng):
    k = int(rng.integers(2, 4))
    p, q = _dist(rng, k), _dist(rng, k)
    h = cross_entropy(p, q)
    return Question(
        "cross_entropy",
        "cross-entropy",
        f"p = {_fmt(p)} is the truth and q = {_fmt(q)} the model. What is H(p, q) in **nats**?",
        h,
        f"H(p, q) = −Σ pᵢ ln qᵢ = {h:.4f} nats.",
        unit="nats",
        hint="Frequencies from p, code lengths from q: add pᵢ · (−ln qᵢ). Natural log for nats.",
    )


def q_kl(rng):
    p, q = _dist(rng, 2), _dist(rng, 2)
    d = kl_divergence(p, q, base=2)
    return Question(
        "kl",
        "cross-entropy",
        f"What is KL(p ‖ q) for p = {_fmt(p)} and q = {_fmt(q)}, in **bits**?",
        d,
        f"KL(p ‖ q) = Σ pᵢ log₂(pᵢ/qᵢ) = {d:.4f} bits = H(p, q) − H(p).",
        unit="bits",
        hint="KL(p ‖ q) = Σ pᵢ log₂(pᵢ / qᵢ): the weights are p's, and the log is base 2 for bits.",
    )


def q_one_hot(rng):
    k = int(rng.integers(3, 5))
    q = _dist(rng, k)
    true = int(rng.integers(0, k))
    loss = -math.log(q[true])
    return Question(
        "one_hot",
        "one-hot",
        f"A classifier outputs q = {_fmt(q)} for classes 0 to {k - 1}; the true class is y = {true}. "
        "What is the cross-entropy loss, in **nats**?",
        loss,
        f"With a one-hot target only the true class counts: q[{true}] = {q[true]:g} (counting from 0), "
        f"so the loss is −ln {q[true]:g} = {loss:.4f} nats.",
        unit="nats",
        hint="Only the true class's term survives. Count the classes from 0: q[0] is the first entry.",
    )


def q_kl_direction(rng):
    while True:
        p, q = _dist(rng, 3), _dist(rng, 3)
        forward, reverse = kl_divergence(p, q), kl_divergence(q, p)
        if abs(forward - reverse) > 0.01:
            break
    answer = 0 if forward > reverse else 1
    return Question(
        "kl_direction",
        "cross-entropy",
        f"For p = {_fmt(p)} and q = {_fmt(q)}, which is larger?",
        answer,
        f"KL(p ‖ q) = {forward:.4f} nats and KL(q ‖ p) = {reverse:.4f} nats. KL(p ‖ q) weights "
        "each log-ratio log(p/q) by p, KL(q ‖ p) weights log(q/p) by q: the larger one is the direction "
        "whose weights fall where the other distribution is small. KL is not symmetric.",
        options=("KL(p ‖ q)", "KL(q ‖ p)"),
        hint="Look for the class where the two differ most in ratio: whose probability weights that "
        "class's log-ratio in each direction?",
    )


def q_binary_ce(rng):
    y = int(rng.integers(0, 2))
    x = float(rng.choice([0.9, 0.7, 0.51, 0.3, 0.1, 0.05, 0.99]))
    loss = binary_cross_entropy(y, x)
    return Question(
        "binary_ce",
        "binary",
        f"A spam filter says q = P(spam) = {x:g}. The email is {'spam' if y else 'not spam'} (y = {y}). "
        "What is the binary cross-entropy, in **nats**?",
        loss,
        f"−[y ln q + (1−y) ln(1−q)] = −ln {x if y else 1 - x:g} = {loss:.4f} nats: the surprisal of "
        "what happened.",
        unit="nats",
        hint="Take −ln of the probability the filter gave to what really happened: q if spam, 1 − q if not.",
    )


def q_max_entropy(rng):
    k = int(rng.integers(2, 11))
    h = entropy(np.full(k, 1.0 / k), base=2)
    return Question(
        "max_entropy",
        "entropy",
        f"What is the largest possible entropy of a distribution over {k} classes, in **bits**?",
        h,
        f"The uniform distribution is the most uncertain: log₂ {k} = {h:.4f} bits.",
        unit="bits",
        hint="The most uncertain distribution is uniform; its entropy is log₂ of the number of classes.",
    )


def q_gibbs(rng):
    return Question(
        "gibbs",
        "cross-entropy",
        "Which inequality holds for **every** pair of distributions p, q?",
        1,
        "Gibbs' inequality: H(p, q) ≥ H(p), with equality only when q = p. There is no bound against "
        f"H(q): p = [1, 0], q = [0.9, 0.1] gives H(p, q) = {cross_entropy([1, 0], [0.9, 0.1]):.3f} < "
        f"H(q) = {entropy([0.9, 0.1]):.3f} nats.",
        options=("H(p, q) ≥ H(q)", "H(p, q) ≥ H(p)", "H(p, q) ≥ H(p) + H(q)", "H(p, q) = H(q, p)"),
        hint="Try p = [1, 0] and a q that is nearly sure of the same class: which inequality survives?",
    )


def q_units(rng):
    bits = float(rng.choice([1.0, 2.0, 3.0, 0.5, 4.0]))
    nats = convert_units(bits, 2, math.e)
    return Question(
        "units",
        "entropy",
        f"How many **nats** are {bits:g} bits?",
        nats,
        f"Multiply by ln 2: {bits:g} × 0.6931 = {nats:.4f} nats. Base e gives nats, base 2 bits.",
        unit="nats",
        hint="A nat is larger than a bit (1 nat ≈ 1.4427 bits), so the number of nats is smaller.",
    )


def q_softmax(rng):
    z = rng.integers(-2, 4, size=3).astype(float)
    i = int(rng.integers(0, 3))
    prob = softmax(z)[i]
    return Question(
        "softmax",
        "softmax",
        f"Logits z = {_fmt(z)} for classes 0, 1, 2. What probability does softmax "
        f"give class {i}? (A probability: no unit.)",
        prob,
        f"q[{i}] = e^{z[i]:g} / Σ e^zⱼ = {prob:.4f} (counting from 0).",
        hint=f"Exponentiate every logit, then divide e^z[{i}] by the sum. Class 0 is the first logit.",
    )


def q_smoothing_floor(rng):
    c = int(rng.integers(2, 6))
    e = float(rng.choice([0.1, 0.2, 0.05, 0.3]))
    floor = smoothed_loss_floor(0, c, e)
    return Question(
        "smoothing_floor",
        "label-smoothing",
        f"With label smoothing ε = {e:g} over {c} classes, what is the smallest loss a model can reach, "
        "in **nats**?",
        floor,
        f"The best q equals the smoothed target, so the floor is its entropy: {floor:.4f} nats, not 0.",
        unit="nats",
        hint="The best model copies the smoothed target t′ = (1 − ε) one-hot + ε/C; its loss is H(t′).",
    )


def q_focal(rng):
    pt = float(rng.choice([0.5, 0.7, 0.9, 0.3]))
    g = float(rng.choice([1.0, 2.0, 3.0, 0.5]))
    f = focal_modulation(pt, g)
    return Question(
        "focal",
        "focal",
        f"Focal loss with γ = {g:g}: by what factor is the loss of an example multiplied "
        f"when the model gives its true class q_t = {pt:g}? (A factor: no unit.)",
        f,
        f"(1 − q_t)^γ = (1 − {pt:g})^{g:g} = {f:.4f}: easy examples are scaled down.",
        hint="The focal factor is (1 − q_t)^γ: what the model left for the other classes, to the power γ.",
    )


def q_clamp(rng):
    return Question(
        "clamp",
        "clipping",
        "The model gives the true class probability 0. What does PyTorch's "
        "`binary_cross_entropy` report for that element?",
        1,
        f"PyTorch clamps each log at −100, so it reports {clipped_log_loss(0.0, 'pytorch'):g}; the true "
        f"value is ∞, and scikit-learn's clip gives {clipped_log_loss(0.0, 'sklearn'):.2f} in float64.",
        options=("∞", "100", "36.04", "NaN"),
        hint="PyTorch's binary_cross_entropy clamps each log term at −100 (in nats).",
    )


def q_perplexity(rng):
    p = _dist(rng, int(rng.integers(2, 5)))
    pp = perplexity(p)
    return Question(
        "perplexity",
        "entropy",
        f"What is the perplexity of p = {_fmt(p)}? (A number of choices: no unit.)",
        pp,
        f"Perplexity = 2^H(bits) = e^H(nats) = {pp:.4f}: like choosing among that many equal options.",
        hint="Compute the entropy in bits, then raise 2 to that power (or e to the entropy in nats).",
    )


def q_gradient(rng):
    z = rng.integers(-1, 3, size=3).astype(float)
    true = int(rng.integers(0, 3))
    g = cross_entropy_gradient(z, true)[true]
    return Question(
        "gradient",
        "softmax",
        f"Logits z = {_fmt(z)} for classes 0, 1, 2; the true class is y = {true}. With the loss in "
        "**nats** (natural log, as PyTorch computes it), what is ∂loss/∂z for the true class's logit?",
        g,
        f"softmax(z) − one-hot: q[{true}] − 1 = {softmax(z)[true]:.4f} − 1 = {g:.4f} nats per unit of "
        "logit. It is negative: gradient descent raises that logit. (In bits it would be divided by ln 2.)",
        unit="nats",
        hint="The gradient of softmax cross-entropy is softmax(z) − one-hot(y): for the true class, q[y] − 1.",
    )


def q_binary_entropy(rng):
    x = float(rng.choice([0.5, 0.1, 0.25, 0.9, 0.7]))
    h = binary_entropy(x, base=2)
    return Question(
        "binary_entropy",
        "entropy",
        f"A coin lands heads with probability {x:g}. What is its entropy in **bits**?",
        h,
        f"H_b(θ) = −θ log₂ θ − (1−θ) log₂(1−θ) = {h:.4f} bits, with θ = {x:g}.",
        unit="bits",
        hint="A coin is a distribution over two outcomes: add −θ log₂ θ and −(1−θ) log₂(1−θ).",
    )


# --------------------------------------------------------------------------- conceptual questions


def q_kl_infinite(rng):
    k = int(rng.integers(3, 5))
    zero = int(rng.integers(0, k))
    return Question(
        "kl_infinite",
        "cross-entropy",
        f"The model q gives class {zero} probability 0, but the truth p gives it some probability. "
        "Which divergence is infinite?",
        0,
        "KL(p ‖ q) = Σ pᵢ log(pᵢ/qᵢ) has the term pᵢ log(pᵢ/0) = ∞ with a positive weight pᵢ. "
        "In KL(q ‖ p) that class has weight qᵢ = 0, so its term is 0. That is why the cross-entropy "
        "loss (forward KL plus a constant) punishes a model that rules out something that happens.",
        options=("KL(p ‖ q)", "KL(q ‖ p)", "both", "neither"),
        hint="Each direction weights its terms by its first argument. Which argument is 0 at that class?",
    )


def q_smoothing_minimiser(rng):
    e = float(rng.choice([0.1, 0.2, 0.05]))
    c = int(rng.integers(3, 6))
    floor = smoothed_loss_floor(0, c, e)
    return Question(
        "smoothing_minimiser",
        "label-smoothing",
        f"Label smoothing with ε = {e:g} over {c} classes. Which model output q gives the smallest loss?",
        1,
        f"The loss is H(t′) + KL(t′ ‖ q), smallest when q = t′ = (1 − ε) one-hot + ε/C: "
        f"{1 - e + e / c:.3f} on the true class, {e / c:.3f} on each other. Its minimum is H(t′) = "
        f"{floor:.4f} nats, not 0; a one-hot q would cost ∞ (the smoothed target puts ε/C on classes "
        "it rules out).",
        options=(
            "q = one-hot on the true class",
            f"q = the smoothed target ({1 - e + e / c:.3f} on the true class)",
            "q = uniform",
            "any q with q(true) = 1 − ε",
        ),
        hint="Write the loss as H(t′) + KL(t′ ‖ q). When is a KL divergence smallest?",
    )


def q_smoothing_near_one(rng):
    e = float(rng.choice([0.1, 0.2]))
    return Question(
        "smoothing_near_one",
        "label-smoothing",
        f"With label smoothing ε = {e:g}, the model grows ever surer of the true class: q(true) → 1. "
        "What does the loss do?",
        2,
        "It falls to the floor H(t′), reached where q(true) equals the smoothed target's value, and then "
        "rises again, without bound: the smoothed target still puts ε/C on the other classes, and "
        "−log q of those goes to ∞ as their probability goes to 0.",
        options=(
            "falls to 0",
            "falls to the floor H(t′) and stays there",
            "falls to H(t′), then rises again",
            "stays constant",
        ),
        hint="Every class, not only the true one, carries weight ε/C in the smoothed target.",
    )


def q_clipping_zero_gradient(rng):
    return Question(
        "clip_gradient",
        "clipping",
        "The model gives the true class a probability q(true) → 0 (below 1e-16). Which policy still "
        "reports a finite loss but sends **no** gradient back, so training stops fixing this mistake?",
        2,
        f"scikit-learn clips q to [ε, 1 − ε]: below ε the loss is flat at {clipped_log_loss(0.0, 'sklearn'):.2f} "
        "nats and its gradient is 0. The exact −log q goes to ∞ with gradient −1/q; PyTorch's "
        "binary_cross_entropy stops the loss at 100 nats but its backward pass keeps returning about −1e12.",
        options=(
            "the exact −log q",
            "PyTorch's binary_cross_entropy (log clamped at −100)",
            "scikit-learn's log_loss (q clipped to [ε, 1 − ε])",
            "all of them",
        ),
        hint="A clip makes the loss flat below ε. What is the slope of a flat line?",
    )


def q_clipping_largest(rng):
    q = float(rng.choice([1e-50, 1e-60, 1e-45]))
    values = {
        "exact": clipped_log_loss(q),
        "pytorch": clipped_log_loss(q, "pytorch"),
        "sklearn": clipped_log_loss(q, "sklearn"),
        "float32": clipped_log_loss(q, "sklearn", dtype=np.float32),
    }
    order = list(values)
    answer = order.index(max(values, key=values.get))
    return Question(
        "clip_largest",
        "clipping",
        f"q(true) = {q:g}. Which computation reports the largest loss?",
        answer,
        f"exact −ln q = {values['exact']:.2f} nats; PyTorch's clamp {values['pytorch']:.2f}; "
        f"scikit-learn float64 {values['sklearn']:.2f}; float32 {values['float32']:.2f}. Every clip "
        "caps the loss; only the exact value keeps growing as q → 0.",
        options=(
            "the exact −ln q",
            "PyTorch (log clamped at −100)",
            "scikit-learn, float64",
            "scikit-learn, float32",
        ),
        hint=f"−ln {q:g} is {-math.log10(q):g} × ln 10. Compare it with each cap: 100, 36.04, 15.94 nats.",
    )


def q_one_hot_why(rng):
    return Question(
        "one_hot_why",
        "one-hot",
        "With a one-hot target p, why do the wrong classes' terms p_i · log q_i drop out of the loss?",
        0,
        "Their weight p_i is 0, so each term is 0 whatever q_i is, even q_i = 0 (log 0 = −∞): a class "
        "that did not happen carries no weight in the average. (0 · log 0 = 0 is the rule for entropy, "
        "where weight and log come from the same distribution.)",
        options=(
            "their weight p_i is 0",
            "their q_i is small",
            "softmax removes them",
            "they are added back by the mean",
        ),
        hint="The loss is a weighted average of code lengths. What are the weights?",
    )


def q_unit_change(rng):
    return Question(
        "unit_change",
        "entropy",
        "You switch a training loss from nats (ln) to bits (log₂). What happens to the best model?",
        1,
        "Every loss is divided by the same ln 2 ≈ 0.693, so the numbers grow by 1.4427× but their "
        "order, and so the minimiser, stays the same. (The gradient scales too, like a learning rate.)",
        options=(
            "it changes: bits punish mistakes more",
            "nothing: every loss is scaled by the same factor",
            "the loss can now reach 0",
            "it changes only with label smoothing",
        ),
        hint="log₂ x = ln x / ln 2 for every x.",
    )


def q_focal_share(rng):
    g = float(rng.choice([1.0, 2.0, 3.0]))
    easy, hard = focal_modulation(0.9, g), focal_modulation(0.1, g)
    return Question(
        "focal_share",
        "focal",
        f"Focal loss with γ = {g:g}. Which example keeps the larger share of its cross-entropy: an easy "
        "one (q_t = 0.9) or a hard one (q_t = 0.1)?",
        1,
        f"The share kept is (1 − q_t)^γ: {easy:.4g} for the easy one, {hard:.4g} for the hard one. Both "
        "shrink, the easy one far more: training spends its effort on the hard examples.",
        options=("the easy one", "the hard one", "the same share"),
        hint="The share kept is (1 − q_t)^γ. Which q_t leaves more of 1?",
    )


def q_mse_gradient(rng):
    return Question(
        "mse_gradient",
        "binary",
        "A sigmoid classifier is confidently wrong: q = 0.999 for class 1, but y = 0. Through the "
        "sigmoid, which loss still sends a large gradient to the logit z?",
        0,
        f"Cross-entropy's gradient is q − y = {0.999:.3f}; squared error's is 2(q − y) q (1 − q) ≈ "
        f"{2 * 0.999 * 0.999 * 0.001:.4f}: it vanishes exactly where the mistake is worst.",
        options=("cross-entropy", "squared error", "both the same"),
        hint="Squared error's gradient through the sigmoid carries the factor q(1 − q). What is it near q = 1?",
    )


GENERATORS: tuple[Callable[[np.random.Generator], Question], ...] = (
    q_surprisal,
    q_entropy,
    q_cross_entropy,
    q_kl,
    q_one_hot,
    q_kl_direction,
    q_binary_ce,
    q_max_entropy,
    q_gibbs,
    q_units,
    q_softmax,
    q_smoothing_floor,
    q_focal,
    q_clamp,
    q_perplexity,
    q_gradient,
    q_binary_entropy,
    q_kl_infinite,
    q_smoothing_minimiser,
    q_smoothing_near_one,
    q_clipping_zero_gradient,
    q_clipping_largest,
    q_one_hot_why,
    q_unit_change,
    q_focal_share,
    q_mse_gradient,
)
#: Which generators ask about an idea (multiple choice) rather than arithmetic.
CONCEPTUAL = (
    q_kl_direction,
    q_gibbs,
    q_clamp,
    q_kl_infinite,
    q_smoothing_minimiser,
    q_smoothing_near_one,
    q_clipping_zero_gradient,
    q_clipping_largest,
    q_one_hot_why,
    q_unit_change,
    q_focal_share,
    q_mse_gradient,
)


def make_quiz(seed: int, count: int = 12) -> list[Question]:
    """``count`` questions (at most one per kind), drawn and filled in from ``seed``.

    At least a third of them (rounded up) are conceptual questions.

    Examples
    --------
    >>> len(make_quiz(0)) == 12 and make_quiz(3) == make_quiz(3)
    True
    """
    if not 1 <= count <= len(GENERATORS):
        raise ValueError(f"count must be between 1 and {len(GENERATORS)} (got {count!r})")
    rng = np.random.default_rng(check_seed(seed))
    concept = [i for i, g in enumerate(GENERATORS) if g in CONCEPTUAL]
    arithmetic = [i for i, g in enumerate(GENERATORS) if g not in CONCEPTUAL]
    n_concept = max(-(-count // 3), count - len(arithmetic))
    chosen = list(rng.choice(concept, size=min(n_concept, len(concept)), replace=False))
    chosen += list(rng.choice(arithmetic, size=count - len(chosen), replace=False))
    return [_shuffle_options(rng, GENERATORS[i](rng)) for i in sorted(int(i) for i in chosen)]


def _shuffle_options(rng: np.random.Generator, question: Question) -> Question:
    """The options of a multiple-choice question in a random order (the right one moves with them)."""
    if not question.options:
        return question
    order = [int(i) for i in rng.permutation(len(question.options))]
    return replace(
        question, options=tuple(question.options[i] for i in order), answer=order.index(question.answer)
    )


#: The words a learner may type after a number, per unit.
UNIT_WORDS = {
    "bits": ("bit", "bits", "b", "shannon", "shannons", "sh"),
    "nats": ("nat", "nats", "nit", "nits"),
    "hartleys": ("hartley", "hartleys", "ban", "bans", "dit", "dits"),
}


def parse_number(text: str) -> float | None:
    """A typed answer as a float: accepts ``0.5``, ``.5``, ``1/2``, ``50%``, ``1e-3``; None if unreadable."""
    t = str(text).strip().replace(",", ".").replace("−", "-")
    if not t or len(t) > 40:
        return None
    try:
        value = number_from_text(t)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_answer(text: str) -> tuple[float | None, str | None]:
    """A typed answer split into its number and its unit: ``"1 bit"`` gives ``(1.0, "bits")``.

    The unit is None when none was typed, and ``"?"`` for a word that is not a unit.

    Examples
    --------
    >>> parse_answer("1 bit"), parse_answer("0.69 nats"), parse_answer("1.0"), parse_answer("2 apples")
    ((1.0, 'bits'), (0.69, 'nats'), (1.0, None), (2.0, '?'))
    """
    t = str(text).strip()
    if len(t) > 40:
        return None, None
    body = t.rstrip(".").strip()
    word = ""
    while body and (body[-1].isalpha() or body[-1] == " "):
        word = body[-1] + word
        body = body[:-1]
    word = word.strip().lower()
    if not word:
        return parse_number(t), None
    unit = next((name for name, words in UNIT_WORDS.items() if word in words), "?")
    return parse_number(body), unit


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer: right or not, and a sentence saying why when not."""

    right: bool
    message: str = ""


def check(question: Question, response: object) -> Verdict:
    """Check a response: a number with or without its unit, or the index of an option.

    A number in another unit than the one asked for is wrong, with a message naming both
    units; so is a unit on a question whose answer is a plain number.

    Examples
    --------
    >>> q = Question("x", "entropy", "?", 1.0, "", unit="bits")
    >>> check(q, "1 bit").right, check(q, "1 bits").right, check(q, "1.0").right, check(q, "1 nat").message
    (True, True, True, 'That number is in nats; this question asks for bits.')
    """
    if not question.numeric:
        return Verdict(response == question.answer)
    if isinstance(response, (int, float)) and not isinstance(response, bool):
        value, unit = float(response), None
    elif isinstance(response, str):
        value, unit = parse_answer(response)
    else:
        return Verdict(False, "Give an answer first.")
    if value is None:
        return Verdict(
            False,
            "That is not a number I can read. Type, for example, 0.25, 1/4 or 25 %"
            + (f", optionally followed by '{question.unit}'." if question.unit else "."),
        )
    if unit == "?":
        return Verdict(
            False,
            "The word after the number is not a unit I know"
            + (
                f"; this question asks for {question.unit}."
                if question.unit
                else "; this answer is a plain number, with no unit."
            ),
        )
    if unit is not None and unit != question.unit:
        return Verdict(
            False,
            f"That number is in {unit}; this question asks for {question.unit}."
            if question.unit
            else f"This answer is a plain number, with no unit (you wrote {unit}).",
        )
    right = math.isclose(value, float(question.answer), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return Verdict(right, "" if right else "Not within 1 % of the exact value.")


def grade(question: Question, response: object) -> bool:
    """True when the response is right: within tolerance (with or without the unit asked for), or the right option.

    Examples
    --------
    >>> q = Question("x", "entropy", "?", 1.0, "")
    >>> grade(q, "1.004"), grade(q, "1.1"), grade(q, "abc")
    (True, False, False)
    """
    if response is None:
        return False
    return check(question, response).right
