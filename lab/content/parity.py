"""Framework parity: snippets that reproduce the lab's numbers with PyTorch, scikit-learn and SciPy.

Pure Python plus :mod:`ce_core`: this module writes the *text* of small programs
and computes, with :mod:`ce_core`, the number each printed line must show. It
never imports torch, scikit-learn or SciPy; ``scripts/check_parity_snippets.py``
runs the snippets with the real libraries and compares.

Every snippet prints one number per line, in nats (the libraries' unit) unless
its :class:`Line` says otherwise. Where a library deliberately differs from the
mathematics (a clamp, a clip), the expected number is ce_core's model of that
library (for instance :func:`ce_core.clipped_log_loss` with ``policy="sklearn"``)
and the line's label says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ce_core._validation import as_float_array
from ce_core.information import cross_entropy, entropy, kl_divergence, normalize
from ce_core.losses import (
    TORCH_LOG_CLAMP,
    binary_cross_entropy,
    clipped_log_loss,
    clipped_log_loss_gradient,
    sigmoid_focal_loss,
    smooth_targets,
    smoothed_loss_floor,
    softmax_cross_entropy,
    softmax_focal_loss,
)
from ce_core.softmax import log_softmax, softmax
from ce_core.variants import (
    BATCH_CLASSES,
    BATCH_LOGITS,
    BATCH_TARGETS,
    focal_loss,
    smoothed_loss,
    weighted_batch,
)

LIBRARIES = ("PyTorch", "scikit-learn", "SciPy")
#: Relative tolerance of a printed number against ce_core (float64 computations).
RELATIVE_TOLERANCE = 1e-9
#: Absolute tolerance near 0 (a KL of 1e-17 against ce_core's exact 0).
ABSOLUTE_TOLERANCE = 1e-12
#: Relative tolerance for numbers a library computes in float32 (scikit-learn on float32 input).
FLOAT32_TOLERANCE = 1e-6

#: The lesson states the parity page offers, by key.
CASES = {
    "cross_entropy": "Workspace: cross-entropy H(p, q)",
    "kl": "Workspace: KL(p ‖ q)",
    "entropy": "Workspace: entropy H(p)",
    "binary": "Binary cross-entropy",
    "softmax": "Softmax and logits",
    "smoothing": "Label smoothing",
    "focal": "Focal loss",
    "weights": "Class weights",
    "clipping": "The clipping lab",
}


@dataclass(frozen=True)
class Line:
    """One printed line of a snippet and the number ce_core says it must show."""

    label: str
    expected: float
    tolerance: float = RELATIVE_TOLERANCE
    unit: str = "nats"


@dataclass(frozen=True)
class Snippet:
    """A runnable program for one library; it prints one number per :class:`Line`."""

    library: str
    code: str
    lines: tuple[Line, ...]
    note: str = ""


@dataclass(frozen=True)
class ParityCase:
    """A lesson state: its number (ce_core, exact, nats) and the snippets that reproduce it."""

    key: str
    title: str
    value: float
    value_label: str
    snippets: tuple[Snippet, ...]
    missing: dict[str, str] = field(default_factory=dict)

    def snippet(self, library: str) -> Snippet | None:
        for s in self.snippets:
            if s.library == library:
                return s
        return None


def agrees(printed: float, line: Line) -> bool:
    """Whether a printed number equals the expected one (inf = inf, nan = nan)."""
    if math.isnan(line.expected) or math.isnan(printed):
        return math.isnan(line.expected) and math.isnan(printed)
    if math.isinf(line.expected) or math.isinf(printed):
        return printed == line.expected
    return math.isclose(printed, line.expected, rel_tol=line.tolerance, abs_tol=ABSOLUTE_TOLERANCE)


# --------------------------------------------------------------------------- literals


def _f(x: float) -> str:
    """A float literal that reads back exactly (shortest repr)."""
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"snippet literals must be finite (got {v!r})")
    return repr(v)


def _list(values: Sequence[float]) -> str:
    return "[" + ", ".join(_f(v) for v in values) + "]"


def _matrix(rows: Sequence[Sequence[float]], indent: str = "    ") -> str:
    body = (",\n" + indent).join(_list(r) for r in rows)
    return "[\n" + indent + body + ",\n]"


def _code(*lines: str) -> str:
    return "\n".join(lines).strip() + "\n"


def _unit_name(base: float) -> str:
    for name, b in (("bits", 2.0), ("nats", math.e), ("hartleys", 10.0)):
        if math.isclose(base, b):
            return name
    return f"base {base:g}"


def _sklearn_weighted(q: np.ndarray, weights: np.ndarray) -> float:
    """scikit-learn's log_loss(classes, tile(q), sample_weight=weights): sum w (-log clip(q)) / sum w."""
    clipped = np.asarray(clipped_log_loss(q, "sklearn"))
    return float(np.sum(weights * clipped) / np.sum(weights))


_TORCH_HEAD = ("import torch", "import torch.nn.functional as F", "")
_F64 = "dtype=torch.float64"


def _torch_pq_snippet(
    p_lit: str,
    q_lit: str,
    value: float,
    direct: Sequence[str],
    direct_label: str,
    *,
    works: bool,
    function_lines: Sequence[str],
    function_label: str,
    failure_lines: Sequence[str],
    failure_note: str,
) -> Snippet:
    """PyTorch's snippet for a measure of the workspace's p and q.

    The ``direct`` lines print the measure written out with ``xlogy``; then the loss function's
    form follows where it ``works`` (it prints the same value), or comments on why it is left out.
    """
    torch_lines = [
        *_TORCH_HEAD,
        f"p = torch.tensor({p_lit}, {_F64})  # truth",
        f"q = torch.tensor({q_lit}, {_F64})  # model",
        *direct,
    ]
    if works:
        return Snippet(
            "PyTorch",
            _code(*torch_lines, *function_lines),
            (Line(direct_label, value), Line(function_label, value)),
            "",
        )
    return Snippet("PyTorch", _code(*torch_lines, *failure_lines), (Line(direct_label, value),), failure_note)


# --------------------------------------------------------------------------- workspace


def workspace_case(measure: str, p: Sequence[float], q: Sequence[float], base: float = math.e) -> ParityCase:
    """Cross-entropy, KL or entropy of the workspace distributions.

    Examples
    --------
    >>> case = workspace_case("cross_entropy", [0, 1, 0], [0.228, 0.619, 0.153])
    >>> round(case.value, 12)
    0.479650006298
    """
    if measure not in ("cross_entropy", "kl", "entropy"):
        raise ValueError(f"measure must be 'cross_entropy', 'kl' or 'entropy' (got {measure!r})")
    pa = normalize(p)
    qa = normalize(q)
    p_lit, q_lit = _list(pa), _list(qa)
    classes = "classes = np.arange(len(p))  # one sample per class, weighted by p"
    if measure == "cross_entropy":
        value = cross_entropy(pa, qa)
        torch = _torch_pq_snippet(
            p_lit,
            q_lit,
            value,
            (
                "# H(p, q) = -sum p log q; xlogy keeps 0 log 0 = 0",
                "print(float(-torch.special.xlogy(p, q).sum()))",
            ),
            "-sum xlogy(p, q)",
            works=bool((qa > 0).all()),
            function_lines=(
                "# the loss function: logits log q (softmax(log q) = q), probability target p,",
                "# classes on axis 1, so add a batch axis",
                "print(float(F.cross_entropy(torch.log(q)[None], p[None])))",
            ),
            function_label="F.cross_entropy(log q, p)",
            failure_lines=(
                "# F.cross_entropy(torch.log(q)[None], p[None]) fails here: log 0 = -inf,",
                "# and a class with p = 0 there gives 0 * -inf, which is not a number",
            ),
            failure_note="q has a zero, so the loss-function form is left out: it gives not-a-number, not the true value.",
        )
        sk_value = _sklearn_weighted(qa, pa)
        sklearn = Snippet(
            "scikit-learn",
            _code(
                "import numpy as np",
                "from sklearn.metrics import log_loss",
                "",
                f"p = np.array({p_lit})  # truth",
                f"q = np.array({q_lit})  # model",
                classes,
                "print(log_loss(classes, np.tile(q, (len(p), 1)), sample_weight=p, labels=classes))",
            ),
            (Line("log_loss with sample_weight = p", sk_value),),
            "log_loss averages -log q[y] over samples; one sample per class weighted by p gives H(p, q). "
            "It clips q to [eps, 1 - eps], eps = 2.2e-16"
            + (": a class with q = 0 < p costs 36.04 nats, not ∞." if ((qa == 0) & (pa > 0)).any() else "."),
        )
        scipy = Snippet(
            "SciPy",
            _code(
                "from scipy.stats import entropy",
                "",
                f"p = {p_lit}  # truth",
                f"q = {q_lit}  # model",
                "print(entropy(p) + entropy(p, q))  # H(p, q) = H(p) + KL(p || q)",
                "print(entropy(p, q))  # careful: with qk, scipy returns KL, never the cross-entropy",
            ),
            (
                Line("entropy(p) + entropy(p, q)", value),
                Line("entropy(p, q) is KL(p ‖ q)", kl_divergence(pa, qa)),
            ),
            "scipy.stats.entropy(pk, qk) returns KL(pk ‖ qk), and it renormalises pk and qk silently.",
        )
        return ParityCase("cross_entropy", CASES["cross_entropy"], value, "H(p, q)", (torch, sklearn, scipy))

    if measure == "kl":
        value = kl_divergence(pa, qa)
        torch = _torch_pq_snippet(
            p_lit,
            q_lit,
            value,
            ("print(float((torch.special.xlogy(p, p) - torch.special.xlogy(p, q)).sum()))",),
            "sum xlogy(p, p) - xlogy(p, q)",
            works=bool(((pa > 0) | (qa > 0)).all()),
            function_lines=(
                "# kl_div takes log q FIRST and p second, and needs batchmean for the true KL",
                'print(float(F.kl_div(torch.log(q)[None], p[None], reduction="batchmean")))',
            ),
            function_label='F.kl_div(log q, p, reduction="batchmean")',
            failure_lines=(
                '# F.kl_div(torch.log(q)[None], p[None], reduction="batchmean") fails here:',
                "# a class with p = q = 0 gives 0 * (log 0 - log 0), which is not a number",
            ),
            failure_note="A class has p = q = 0, where F.kl_div gives not-a-number; the xlogy form gives the true value.",
        )
        scipy = Snippet(
            "SciPy",
            _code(
                "from scipy.special import rel_entr",
                "from scipy.stats import entropy",
                "",
                f"p = {p_lit}  # truth",
                f"q = {q_lit}  # model",
                "print(entropy(p, q))  # KL(p || q): p first, as the notation reads",
                "print(rel_entr(p, q).sum())",
            ),
            (Line("entropy(p, q)", value), Line("rel_entr(p, q).sum()", value)),
        )
        return ParityCase(
            "kl",
            CASES["kl"],
            value,
            "KL(p ‖ q)",
            (torch, scipy),
            {"scikit-learn": "scikit-learn has no KL divergence between two distributions."},
        )

    value = entropy(pa)
    torch = Snippet(
        "PyTorch",
        _code(
            *_TORCH_HEAD,
            f"p = torch.tensor({p_lit}, {_F64})",
            "print(float(torch.distributions.Categorical(probs=p).entropy()))",
            "print(float(-torch.special.xlogy(p, p).sum()))",
        ),
        (Line("Categorical(probs=p).entropy()", value), Line("-sum xlogy(p, p)", value)),
    )
    sk_value = _sklearn_weighted(pa, pa)
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "import numpy as np",
            "from sklearn.metrics import log_loss",
            "",
            f"p = np.array({p_lit})",
            classes,
            "# H(p) = H(p, p): the log loss of p against itself",
            "print(log_loss(classes, np.tile(p, (len(p), 1)), sample_weight=p, labels=classes))",
        ),
        (Line("log_loss of p against itself", sk_value),),
        "scikit-learn has no entropy function; H(p) = H(p, p) does it, up to the clip "
        "(a class with p = 1 costs -log(1 - 2.2e-16) = 2.2e-16, not 0).",
    )
    scipy_lines = ["from scipy.stats import entropy", "", f"p = {p_lit}", "print(entropy(p))  # nats"]
    scipy_out = [Line("entropy(p)", value)]
    unit = _unit_name(base)
    if unit != "nats":
        scipy_lines.append(f"print(entropy(p, base={base:g}))  # {unit}")
        scipy_out.append(Line(f"entropy(p, base={base:g})", entropy(pa, base=base), unit=unit))
    scipy = Snippet("SciPy", _code(*scipy_lines), tuple(scipy_out))
    return ParityCase("entropy", CASES["entropy"], value, "H(p)", (torch, sklearn, scipy))


# --------------------------------------------------------------------------- binary


def binary_case(label: int, prediction: float) -> ParityCase:
    """Binary cross-entropy of one prediction (the binary lesson's state).

    Examples
    --------
    >>> round(binary_case(1, 0.7).value, 10)
    0.3566749439
    """
    y = float(label)
    if y not in (0.0, 1.0):
        raise ValueError(f"label must be 0 or 1 (got {label!r})")
    x = float(prediction)
    value = binary_cross_entropy(y, x)
    torch_value = binary_cross_entropy(y, x, log_clamp=TORCH_LOG_CLAMP)
    torch_lines = [
        *_TORCH_HEAD,
        f"q = torch.tensor([{_f(x)}], {_F64})  # P(class 1)",
        f"y = torch.tensor([{_f(y)}], {_F64})  # the label",
        "print(float(F.binary_cross_entropy(q, y)))  # each log clamped at -100",
    ]
    lines = [Line("F.binary_cross_entropy (log clamped at -100)", torch_value)]
    if 0 < x < 1:
        logit = math.log(x) - math.log1p(-x)
        torch_lines += [
            "# from the logit: log-sigmoid inside, no clamp needed",
            f"z = torch.tensor([{_f(logit)}], {_F64})  # log(q / (1 - q))",
            "print(float(F.binary_cross_entropy_with_logits(z, y)))",
        ]
        # torchvision's focal loss at gamma = 0, alpha < 0 is exactly BCE with logits (REFERENCE.md)
        lines.append(
            Line(
                "F.binary_cross_entropy_with_logits",
                float(sigmoid_focal_loss(logit, y, alpha=-1.0, gamma=0.0)),
            )
        )
    torch = Snippet(
        "PyTorch",
        _code(*torch_lines),
        tuple(lines),
        "" if math.isfinite(value) else "The true loss is ∞; BCELoss reports 100.",
    )
    prob_of_label = x if y == 1 else 1.0 - x
    sk_value = clipped_log_loss(prob_of_label, "sklearn")
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "from sklearn.metrics import log_loss",
            "",
            f"print(log_loss([{int(y)}], [{_f(x)}], labels=[0, 1]))  # a 1-D input is P(class 1)",
        ),
        (Line("log_loss (clipped to [eps, 1 - eps])", sk_value),),
        "" if math.isfinite(value) else "The true loss is ∞; log_loss clips to 36.04 nats.",
    )
    scipy = Snippet(
        "SciPy",
        _code(
            "from scipy.special import xlogy",
            "",
            f"y, q = {_f(y)}, {_f(x)}",
            "print(-(xlogy(y, q) + xlogy(1 - y, 1 - q)))  # exact: inf when the label has probability 0",
        ),
        (Line("-(xlogy(y, q) + xlogy(1 - y, 1 - q))", value),),
    )
    return ParityCase(
        "binary", CASES["binary"], value, f"BCE(y = {int(y)}, q = {x:g})", (torch, sklearn, scipy)
    )


# --------------------------------------------------------------------------- softmax


def softmax_case(logits: Sequence[float], true_class: int, temperature: float = 1.0) -> ParityCase:
    """Softmax cross-entropy of one row of logits at a temperature (the softmax lesson's state).

    Examples
    --------
    >>> round(softmax_case([2.0, 1.0, 0.1], 0).value, 10)
    0.4170300163
    """
    z = as_float_array(logits, "logits")
    t = float(temperature)
    y = int(true_class)
    value = float(-log_softmax(z, temperature=t)[y])
    torch_value = softmax_cross_entropy((z / t)[None], np.array([y]))
    z_lit = _list(z)
    torch = Snippet(
        "PyTorch",
        _code(
            *_TORCH_HEAD,
            f"z = torch.tensor([{z_lit}], {_F64})  # one sample; classes on axis 1",
            f"T = {_f(t)}  # temperature",
            f"y = torch.tensor([{y}])  # the true class index",
            "print(float(F.cross_entropy(z / T, y)))",
        ),
        (Line("F.cross_entropy(z / T, y)", torch_value),),
    )
    proba = softmax(z, temperature=t)
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "import numpy as np",
            "from sklearn.metrics import log_loss",
            "",
            f"z = np.array({z_lit})",
            f"T = {_f(t)}",
            "s = z / T",
            "proba = np.exp(s - s.max())  # softmax, max subtracted",
            "proba /= proba.sum()",
            f"print(log_loss([{y}], [proba], labels=list(range(len(z)))))",
        ),
        (Line("log_loss on softmax(z / T)", clipped_log_loss(float(proba[y]), "sklearn")),),
        "log_loss takes probabilities, not logits: a true class below 2.2e-16 is clipped there.",
    )
    scipy = Snippet(
        "SciPy",
        _code(
            "import numpy as np",
            "from scipy.special import log_softmax",
            "",
            f"z = np.array({z_lit})",
            f"T = {_f(t)}",
            f"print(-log_softmax(z / T)[{y}])",
        ),
        (Line("-log_softmax(z / T)[y]", value),),
    )
    return ParityCase(
        "softmax", CASES["softmax"], value, f"−log softmax(z / T)[{y}]", (torch, sklearn, scipy)
    )


# --------------------------------------------------------------------------- label smoothing


def smoothing_case(q: Sequence[float], true_class: int, label_smoothing: float) -> ParityCase:
    """Label-smoothed loss of the workspace model (the label-smoothing lesson's state).

    Examples
    --------
    >>> round(smoothing_case([0.8, 0.1, 0.1], 0, 0.0).value, 6)
    0.223144
    """
    qa = normalize(q)
    y = int(true_class)
    e = float(label_smoothing)
    k = qa.size
    value = smoothed_loss(qa, y, e)
    target = smooth_targets(y, k, e)
    q_lit = _list(qa)
    torch_lines = [
        *_TORCH_HEAD,
        f"q = torch.tensor({q_lit}, {_F64})  # the model's probabilities",
        f"y = torch.tensor([{y}])  # the true class index",
        "# log q are logits for q: softmax(log q) = q",
        f"print(float(F.cross_entropy(torch.log(q)[None], y, label_smoothing={_f(e)})))",
    ]
    lines = [Line(f"F.cross_entropy(log q, y, label_smoothing={e:g})", value)]
    if (qa > 0).all():
        torch_lines += [
            "# the same, as a probability target: (1 - e) one_hot + e / C",
            f"t = (1 - {_f(e)}) * F.one_hot(y, {k}).double() + {_f(e)} / {k}",
            "print(float(F.cross_entropy(torch.log(q)[None], t)))",
        ]
        lines.append(Line("F.cross_entropy(log q, smoothed target)", value))
    torch = Snippet("PyTorch", _code(*torch_lines), tuple(lines))
    t_lit = _list(target)
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "import numpy as np",
            "from sklearn.metrics import log_loss",
            "",
            f"q = np.array({q_lit})",
            f"t = np.array({t_lit})  # the smoothed target",
            "classes = np.arange(len(q))",
            "print(log_loss(classes, np.tile(q, (len(q), 1)), sample_weight=t, labels=classes))",
        ),
        (Line("log_loss with sample_weight = smoothed target", _sklearn_weighted(qa, target)),),
        "scikit-learn has no label-smoothing option; the smoothed loss is the cross-entropy against t′, "
        "which log_loss computes with sample weights (and its clip).",
    )
    scipy = Snippet(
        "SciPy",
        _code(
            "from scipy.stats import entropy",
            "",
            f"q = {q_lit}",
            f"t = {t_lit}  # (1 - e) one_hot + e / C",
            "print(entropy(t) + entropy(t, q))  # the smoothed loss = H(t) + KL(t || q)",
            "print(entropy(t))  # its floor: no q scores below H(t)",
        ),
        (
            Line("entropy(t) + entropy(t, q)", value),
            Line("entropy(t), the floor", smoothed_loss_floor(y, k, e)),
        ),
    )
    return ParityCase(
        "smoothing", CASES["smoothing"], value, f"smoothed loss, ε = {e:g}", (torch, sklearn, scipy)
    )


# --------------------------------------------------------------------------- focal


def focal_case(q: Sequence[float], true_class: int, gamma: float, alpha: float | None) -> ParityCase:
    """Focal loss of the workspace example (the focal lesson's state).

    Examples
    --------
    >>> round(focal_case([0.5, 0.5], 0, 0.0, None).value, 10)
    0.6931471806
    """
    qa = normalize(q)
    y = int(true_class)
    g = float(gamma)
    p_t = float(qa[y])
    value = focal_loss(p_t, g, alpha)
    torch_alpha = -1.0 if alpha is None else float(alpha)
    torch_lines = [*_TORCH_HEAD]
    lines: list[Line] = []
    if 0 < p_t < 1:
        logit = math.log(p_t) - math.log1p(-p_t)
        torch_lines += [
            "from torchvision.ops import sigmoid_focal_loss",
            "",
            "# binary form: the true class as a positive example, from its logit log(p / (1 - p))",
            f"x = torch.tensor([{_f(logit)}], {_F64})",
            f"t = torch.tensor([1.0], {_F64})",
            f"print(float(sigmoid_focal_loss(x, t, alpha={_f(torch_alpha)}, gamma={_f(g)})))"
            + ("  # alpha=-1: no weighting" if alpha is None else ""),
        ]
        lines.append(
            Line(
                "torchvision sigmoid_focal_loss",
                float(sigmoid_focal_loss(logit, 1.0, alpha=torch_alpha, gamma=g)),
            )
        )
    if (qa > 0).all():
        z = np.log(qa)
        a = 1.0 if alpha is None else float(alpha)
        torch_lines += [
            "",
            "# multi-class form: -alpha (1 - p_t)^gamma log p_t, with p_t = softmax(z)[y]",
            f"z = torch.tensor([{_list(z)}], {_F64})  # logits log q",
            f"logp_t = F.log_softmax(z, dim=1)[0, {y}]",
            f"print(float(-{_f(a)} * (-torch.expm1(logp_t)) ** {_f(g)} * logp_t))",
        ]
        lines.append(
            Line(
                "multi-class focal loss",
                softmax_focal_loss(z, np.array(y), gamma=g, alpha=None if alpha is None else float(alpha)),
            )
        )
    missing = {"scikit-learn": "scikit-learn has no focal loss.", "SciPy": "SciPy has no focal loss."}
    if not lines:
        missing["PyTorch"] = (
            f"p_t = {p_t:g} has no finite logit, so neither torch form can take it; "
            "the loss is " + ("∞." if math.isinf(value) else f"{value:g}.")
        )
        return ParityCase("focal", CASES["focal"], value, f"FL(p_t = {p_t:.4g})", (), missing)
    torch = Snippet(
        "PyTorch",
        _code(*torch_lines),
        tuple(lines),
        "" if (qa > 0).all() else "q has a zero, so only the binary form (from p_t's logit) is shown.",
    )
    return ParityCase("focal", CASES["focal"], value, f"FL(p_t = {p_t:.4g})", (torch,), missing)


# --------------------------------------------------------------------------- class weights


def weights_case(weight: Sequence[float]) -> ParityCase:
    """The class-weights lesson's batch with weights ``weight``.

    Examples
    --------
    >>> case = weights_case([1.0, 1.0, 1.0])  # all weights 1: both means are the plain mean
    >>> math.isclose(case.value, case.snippets[0].lines[1].expected)
    True
    """
    w = as_float_array(weight, "weight")
    batch = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, w)
    w_lit, y_lit, z_lit = (
        _list(w),
        "[" + ", ".join(str(int(t)) for t in BATCH_TARGETS) + "]",
        _matrix(BATCH_LOGITS),
    )
    undefined = batch.index_denominator == 0
    torch = Snippet(
        "PyTorch",
        _code(
            *_TORCH_HEAD,
            f"logits = torch.tensor({z_lit}, {_F64})",
            f"y = torch.tensor({y_lit})",
            f"W = torch.tensor({w_lit}, {_F64})  # one weight per class",
            "print(float(F.cross_entropy(logits, y, weight=W)))  # index targets: / sum W[y]",
            f"print(float(F.cross_entropy(logits, F.one_hot(y, {BATCH_CLASSES}).double(), weight=W)))"
            "  # probability targets: / N",
        ),
        (
            Line(
                "index targets (÷ Σ w[y])" + (": 0 / 0, not a number" if undefined else ""), batch.index_mean
            ),
            Line("one-hot probability targets (÷ N)", batch.probability_mean),
        ),
        "Every target class has weight 0: the weighted mean is 0 / 0, and PyTorch prints not-a-number."
        if undefined
        else "",
    )
    if undefined:
        why = "Every target class has weight 0, so the weighted mean is 0 / 0 (undefined)."
        return ParityCase(
            "weights",
            CASES["weights"],
            math.nan,
            "mean with index targets (undefined)",
            (torch,),
            dict.fromkeys(("scikit-learn", "SciPy"), why),
        )
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "import numpy as np",
            "from sklearn.metrics import log_loss",
            "",
            f"logits = np.array({z_lit})",
            f"y = np.array({y_lit})",
            f"W = np.array({w_lit})",
            "proba = np.exp(logits - logits.max(axis=1, keepdims=True))",
            "proba /= proba.sum(axis=1, keepdims=True)",
            f"print(log_loss(y, proba, sample_weight=W[y], labels=list(range({BATCH_CLASSES}))))  # sum w l / sum w",
        ),
        (Line("log_loss with sample_weight = W[y]", batch.sklearn_mean),),
    )
    scipy = Snippet(
        "SciPy",
        _code(
            "import numpy as np",
            "from scipy.special import log_softmax",
            "",
            f"logits = np.array({z_lit})",
            f"y = np.array({y_lit})",
            f"W = np.array({w_lit})",
            "weighted = W[y] * -log_softmax(logits, axis=1)[np.arange(len(y)), y]",
            "print(weighted.sum() / W[y].sum())  # PyTorch's mean for index targets",
            "print(weighted.sum() / len(y))  # its mean for probability targets",
        ),
        (Line("Σ w l / Σ w[y]", batch.index_mean), Line("Σ w l / N", batch.probability_mean)),
        "SciPy has no weighted cross-entropy; the formula itself, with scipy.special.log_softmax.",
    )
    return ParityCase(
        "weights",
        CASES["weights"],
        batch.index_mean,
        "mean with index targets (÷ Σ w[y])",
        (torch, sklearn, scipy),
    )


# --------------------------------------------------------------------------- clipping


def clipping_case(prob_true: float, log10_epsilon: float) -> ParityCase:
    """``-log q`` of the true class under each library's clamp or clip (the clipping lab's state).

    Examples
    --------
    >>> clipping_case(0.0, -7.0).snippets[0].lines[0].expected
    100.0
    """
    q = float(prob_true)
    eps = 10.0 ** float(log10_epsilon)
    value = clipped_log_loss(q, "exact")
    torch = Snippet(
        "PyTorch",
        _code(
            *_TORCH_HEAD,
            f"q = torch.tensor([{_f(q)}], {_F64}, requires_grad=True)  # q(true class)",
            f"one = torch.tensor([1.0], {_F64})",
            "loss = F.binary_cross_entropy(q, one)  # the log is clamped at -100",
            "loss.backward()",
            "print(float(loss))",
            "print(float(q.grad))  # (q - 1) / max(q (1 - q), 1e-12)",
            f"eps = {_f(eps)}  # a hand-written clip",
            "print(float(-torch.log(q.detach().clamp(eps, 1 - eps))))",
        ),
        (
            Line("BCELoss (clamped at 100)", clipped_log_loss(q, "pytorch")),
            Line("its gradient ∂loss/∂q", clipped_log_loss_gradient(q, "pytorch"), unit="nats per unit of q"),
            Line(f"-log clamp(q, ε, 1 - ε), ε = {eps:.3g}", clipped_log_loss(q, "epsilon", epsilon=eps)),
        ),
    )
    q32 = float(np.float32(q))
    sklearn = Snippet(
        "scikit-learn",
        _code(
            "import numpy as np",
            "from sklearn.metrics import log_loss",
            "",
            f"print(log_loss([1], [{_f(q)}], labels=[0, 1]))  # float64: clip at 2.2e-16",
            f"print(log_loss([1], np.array([{_f(q)}], dtype=np.float32), labels=[0, 1]))  # float32: clip at 1.19e-7",
        ),
        (
            Line("float64", clipped_log_loss(q, "sklearn")),
            Line(
                "float32 (compared to float32 precision)",
                clipped_log_loss(q32, "sklearn", dtype=np.float32),
                tolerance=FLOAT32_TOLERANCE,
            ),
        ),
        "On float32 input scikit-learn also computes the log in float32, so that line agrees to about 7 digits."
        + (f" float32 rounds q to {q32:g} first." if q32 != q else ""),
    )
    scipy = Snippet(
        "SciPy",
        _code(
            "from scipy.stats import entropy",
            "",
            f"q = {_f(q)}",
            "print(entropy([1, 0], [q, 1 - q]))  # KL(onehot || q) = -log q, since H(onehot) = 0: exact",
        ),
        (Line("entropy([1, 0], [q, 1 - q])", value),),
    )
    return ParityCase("clipping", CASES["clipping"], value, f"−log q, q = {q:g}", (torch, sklearn, scipy))


# --------------------------------------------------------------------------- disagreements

#: Where the three libraries differ, and why it matters (from REFERENCE.md).
DISAGREEMENTS: tuple[dict[str, str], ...] = (
    {
        "topic": "Probability 0 for the true class",
        "PyTorch": "BCELoss clamps each log at −100: at most 100 nats. Its backward still gives ≈ −1e12.",
        "scikit-learn": "log_loss clips q to [eps, 1 − eps], eps of the dtype: at most 36.04 nats (float64), "
        "15.94 (float32).",
        "SciPy": "entropy / xlogy return inf: the true value.",
        "why": "The true loss is ∞; each cap hides a confident mistake differently.",
    },
    {
        "topic": "Rows that do not sum to 1",
        "PyTorch": "cross_entropy with probability targets does not check them.",
        "scikit-learn": "Since 1.5 no renormalisation (a warning only): y = 1 with [0.2, 0.3] gives −ln 0.3.",
        "SciPy": "entropy(pk, qk) renormalises both silently.",
        "why": "Silent renormalisation made bad models look better; scikit-learn removed it.",
    },
    {
        "topic": "What is returned",
        "PyTorch": "CrossEntropyLoss: the loss from logits, averaged over the batch.",
        "scikit-learn": "log_loss: the mean −log q[y] from probabilities.",
        "SciPy": "entropy(pk) is H(p); entropy(pk, qk) is KL(p ‖ q), never the cross-entropy.",
        "why": "H(p, q) = entropy(p) + entropy(p, q) in SciPy.",
    },
    {
        "topic": "KL divergence",
        "PyTorch": 'F.kl_div(input=log q, target=p): log q FIRST; reduction="batchmean" for the true KL '
        '("mean" also divides by the classes); not a number where p = q = 0.',
        "scikit-learn": "No KL function.",
        "SciPy": "entropy(p, q) or rel_entr(p, q).sum(): p first.",
        "why": "The argument order is the reverse of KL(p ‖ q) in torch.",
    },
    {
        "topic": "Mean with class weights",
        "PyTorch": "Index targets: Σ w[y] ℓ / Σ w[y] (a weighted mean). Probability targets: / N.",
        "scikit-learn": "sample_weight: Σ w ℓ / Σ w.",
        "SciPy": "—",
        "why": "One-hot probability targets equal index targets only without weights.",
    },
    {
        "topic": "Ignored samples",
        "PyTorch": "ignore_index=−100 by default: those samples add 0 and leave the denominator; all ignored → 0 / 0, not a number.",
        "scikit-learn": "—",
        "SciPy": "—",
        "why": "A label of −100 is silently skipped, not an error.",
    },
    {
        "topic": "Class axis",
        "PyTorch": "Axis 1: input (N, C) or (N, C, d1, …).",
        "scikit-learn": "Last axis: y_pred (n_samples, n_classes).",
        "SciPy": "entropy sums over axis=0 by default.",
        "why": "A batch passed to scipy.stats.entropy without axis=1 sums the wrong way.",
    },
    {
        "topic": "Label smoothing, focal loss",
        "PyTorch": "label_smoothing=ε puts ε/C on every class, the true one included; torchvision.ops."
        'sigmoid_focal_loss (logits, alpha=0.25, gamma=2, reduction "none").',
        "scikit-learn": "Neither.",
        "SciPy": "Neither.",
        "why": "Smoothing's floor is H(t′) > 0; focal at γ = 0 without α is cross-entropy.",
    },
    {
        "topic": "Unit",
        "PyTorch": "nats.",
        "scikit-learn": "nats.",
        "SciPy": "nats, or base= (2 for bits).",
        "why": "Divide nats by ln 2 for bits.",
    },
)
