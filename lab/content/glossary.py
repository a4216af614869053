"""Every term the lab uses: a plain definition, its formula (LaTeX) and the lesson that shows it."""

from typing import NamedTuple

#: The lab's one notation, shown in a box on the glossary page: (symbol, what it stands for).
NOTATION: tuple[tuple[str, str], ...] = (
    (r"p", "the truth: the distribution events really follow (a one-hot target in a classifier)"),
    (
        r"q",
        "the model: its predicted distribution; $q_i$ or $q(x)$ is the probability it gives class $i$ or event $x$",
    ),
    (r"x", "an event or outcome (in the training lesson: an input point)"),
    (r"y", "the label: the index of the true class, counted from 0 (binary: 0 or 1)"),
    (
        r"z",
        "the logits, the model's raw scores; $q = \\mathrm{softmax}(z)$, or $q = \\sigma(z)$ for one logit",
    ),
    (
        r"q_t",
        "the model's probability of the true class, $q_y$ (torchvision and the focal-loss paper write $p_t$)",
    ),
    (r"C,\ K", "the number of classes"),
    (r"w_c", "the weight of class $c$; $w_y$ the weight of a sample's true class"),
    (r"t'", "a smoothed target, $(1 - \\varepsilon)\\,\\mathrm{onehot}(y) + \\varepsilon / C$"),
    (r"H(p),\ H(p, q),\ \mathrm{KL}(p \| q)", "entropy of p, cross-entropy of q against p, KL divergence"),
    (r"\log", "in the unit you chose: log₂ for bits, ln for nats, log₁₀ for hartleys"),
)


class Term(NamedTuple):
    term: str
    definition: str
    formula: str
    lesson: str  # url_path


TERMS: tuple[Term, ...] = (
    Term(
        "Surprisal (self-information)",
        "How much an outcome x tells you: rare outcomes tell more. Under the "
        "model q it is the cost of x in q's code.",
        r"h(x) = -\log q(x)",
        "surprisal",
    ),
    Term(
        "Bit, nat, hartley",
        "Units of information, named by the log base: 2, e, 10.",
        r"1\ \text{nat} = \tfrac{1}{\ln 2}\ \text{bits} \approx 1.4427\ \text{bits}",
        "entropy",
    ),
    Term(
        "Entropy",
        "The average surprisal of outcomes drawn from p: a lower bound on the bits per outcome any code "
        "can average (an ideal code reaches it; whole-bit codes come within 1 bit).",
        r"H(p) = -\sum_i p_i \log p_i",
        "entropy",
    ),
    Term(
        "Binary entropy",
        "The entropy of a coin that lands heads with probability θ.",
        r"H_b(\theta) = -\theta\log \theta - (1-\theta)\log(1-\theta)",
        "entropy",
    ),
    Term(
        "Perplexity",
        "The number of equally likely choices with the same entropy; the same in every unit.",
        r"\mathrm{PP}(p) = 2^{H(p)\ \text{in bits}} = e^{H(p)\ \text{in nats}}",
        "entropy",
    ),
    Term(
        "Cross-entropy",
        "The average code length when outcomes follow p but the code was built for q.",
        r"H(p, q) = -\sum_i p_i \log q_i",
        "cross_entropy_kl",
    ),
    Term(
        "KL divergence",
        "The extra cost of using q instead of p; zero only when q = p; not symmetric.",
        r"\mathrm{KL}(p\,\|\,q) = \sum_i p_i \log \frac{p_i}{q_i} = H(p, q) - H(p)",
        "cross_entropy_kl",
    ),
    Term(
        "Gibbs' inequality",
        "Cross-entropy is never below the entropy of the truth.",
        r"H(p, q) \ge H(p),\ \text{equality iff } q = p",
        "cross_entropy_kl",
    ),
    Term(
        "One-hot target",
        "A target that puts probability 1 on the true class; the loss becomes −log q(true).",
        r"H(\mathbf{e}_y, q) = -\log q_y",
        "one_hot_loss",
    ),
    Term(
        "Prefix code, Shannon code",
        "Codewords no one of which starts another; lengths ⌈−log₂ q⌉ always give one.",
        r"\ell_i = \lceil -\log_2 q_i \rceil,\quad \sum_i 2^{-\ell_i} \le 1\ \text{(Kraft)}",
        "bits_on_the_wire",
    ),
    Term(
        "Binary cross-entropy (BCE)",
        "Cross-entropy for two classes: y is the label (0 or 1), q the predicted probability of class 1.",
        r"\ell(y, q) = -[\,y\log q + (1-y)\log(1-q)\,]",
        "binary_ce",
    ),
    Term(
        "MSE, MAE",
        "Squared and absolute error; bounded by 1 on probabilities, so they punish confident mistakes "
        "far less than cross-entropy.",
        r"(y - q)^2,\quad |y - q|",
        "binary_ce",
    ),
    Term(
        "Logit",
        "An unnormalised score; softmax turns a vector of them into probabilities.",
        r"z \in \mathbb{R}^C",
        "softmax_logits",
    ),
    Term(
        "Softmax",
        "Exponentiate and normalise; computed with the largest logit subtracted so it never overflows.",
        r"\sigma(z)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}",
        "softmax_logits",
    ),
    Term(
        "Temperature",
        "Divides the logits: above 1 flattens the distribution, below 1 sharpens it.",
        r"\sigma(z/T)",
        "softmax_logits",
    ),
    Term(
        "Log-sum-exp",
        "The stable way to compute log Σ e^z, and so log-softmax.",
        r"\log\sum_i e^{z_i} = m + \log\sum_i e^{z_i - m},\ m = \max_i z_i",
        "softmax_logits",
    ),
    Term(
        "Gradient of the loss",
        "What backpropagation sends to the logits; it sums to 0.",
        r"\frac{\partial \ell}{\partial z} = \mathrm{softmax}(z) - t",
        "softmax_logits",
    ),
    Term(
        "Label smoothing",
        "Mixes the one-hot target with the uniform distribution; the loss can no longer reach 0.",
        r"t' = (1-\varepsilon)\,t + \varepsilon / C",
        "label_smoothing",
    ),
    Term(
        "Focal loss",
        "Scales each example's loss down by how easy it already is; q_t is the model's probability of the true "
        "class (torchvision and the paper call it p_t).",
        r"\mathrm{FL}(q_t) = -\alpha_t (1 - q_t)^{\gamma} \log q_t",
        "focal_loss",
    ),
    Term(
        "Class weights",
        "Multiply each sample's loss by the weight of its class; PyTorch's mean then divides by "
        "the sum of those weights.",
        r"\frac{\sum_n w_{y_n} \ell_n}{\sum_n w_{y_n}}",
        "class_weights",
    ),
    Term(
        "Reduction",
        "How per-sample losses become one number: none, sum or mean.",
        r"\text{mean} = \tfrac{1}{N}\sum_n \ell_n\ \text{(unweighted)}",
        "class_weights",
    ),
    Term(
        "ignore_index",
        "A target value whose samples count neither in the loss nor in the mean's denominator "
        "(PyTorch's default is −100).",
        r"\ell_n = 0,\ w_n = 0",
        "framework_parity",
    ),
    Term(
        "Clamping and clipping",
        "Frameworks cap the log to avoid ∞: PyTorch at −100, scikit-learn by clipping q to [ε, 1 − ε].",
        r"\min(-\ln q, 100),\quad -\ln \max(q, \varepsilon)",
        "clipping",
    ),
    Term(
        "Gradient descent",
        "Move the parameters a small step against the gradient of the loss.",
        r"\theta \leftarrow \theta - \eta\,\nabla_\theta \ell",
        "training",
    ),
)
