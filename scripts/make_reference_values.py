"""Write the golden values that ce_core is tested against, computed by the real libraries.

This script is NOT run by the tests; it needs libraries the lab itself does not
use. Install them by hand in a separate environment, e.g.::

    pip install torch==2.14.1 torchvision==0.29.1 scikit-learn scipy expecttest

then run, from the repository root::

    python scripts/make_reference_values.py

to rewrite ``tests/data/reference_values.json``. ``tests/test_reference_values.py``
reads that file and checks that ce_core agrees (1e-9 relative; the float32
scikit-learn case to float32 precision).

Every expected value comes from a library call in float64: scipy.stats.entropy
(entropy, KL, and cross-entropy as ``entropy(p) + entropy(p, q)``), torch
(softmax, log_softmax, binary_cross_entropy, cross_entropy, autograd gradients,
kl_div), torchvision.ops.sigmoid_focal_loss and sklearn.metrics.log_loss. The
multi-class focal loss has no library implementation: it is computed here from
torch's log_softmax with the paper's formula ``-alpha_t (1 - p_t)**gamma log p_t``.
The script does not import ce_core, so the two computations stay independent.

Two more lists: ``"upstream"``, the cases of the libraries' own test suites ported for
``tests/upstream/`` (each names its upstream file and test; ``expected`` is the library's value,
or ``raises`` the ValueError ce_core documents where it deliberately differs, with the library's
result in ``library``), and ``"random"``, seeded random batches (240 softmax cross-entropy,
60 BCE, 60 focal, 60 information) for ``tests/test_reference_random.py``. The ported
upstream helpers (``common_nn.py``'s reference functions) need ``pip install expecttest``.

Calibration (issue 18) has its own list, ``"calibration"``, with its own version stamp
``"calibration_versions"``: ECE by torchmetrics' ``multiclass_calibration_error(preds, target,
num_classes, n_bins=15, norm="l1")`` and ``binary_calibration_error``, and the temperature that
minimises the mean NLL by ``scipy.optimize.minimize_scalar`` (and, tighter, by ``scipy.optimize.brentq``
on the NLL's autograd derivative). torchmetrics needs torch but not torchvision, so that list can be
rewritten alone, leaving every other value and stamp in the file as it is::

    pip install torch==2.13.0 torchmetrics==1.9.0 scipy scikit-learn numpy
    python scripts/make_reference_values.py --calibration-only

JSON layout: ``{"versions": ..., "constants": ..., "calibration_versions": ..., "cases": [...], "upstream": [...],
"random": [...], "calibration": [...]}``. A case
names the ce_core function, its ``args`` and ``kwargs``, the ``expected`` output,
the library ``source`` and the tolerance ``rtol``. ``post: "mean"`` means the
test averages ce_core's per-row output (torch's "batchmean"). Infinite values
are written as the strings "inf" and "-inf".
"""

from __future__ import annotations

import functools
import json
import math
import platform
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.optimize
import scipy.special
import scipy.stats
import sklearn
import sklearn.metrics
import torch
import torch.nn.functional as F  # noqa: N812 (the name every torch user reads)

try:  # not needed by --calibration-only
    import torchvision
    from torchvision.ops import sigmoid_focal_loss as tv_sigmoid_focal_loss
except ImportError:
    torchvision = None

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "reference_values.json"
RTOL = 1e-9
#: float32 has a 24-bit significand (eps = 1.19e-7): compare float32 results to 1e-6 relative.
RTOL_FLOAT32 = 1e-6
#: torch computes BCE-with-logits as m + log(exp(-m) + exp(-x - m)): a true value below
#: float64 eps/2, e.g. log(1 + e**-40) = 4.2e-18, comes out as 0. ce_core uses log1p and
#: keeps it, so the torchvision focal cases also allow this absolute difference.
ATOL_TORCH_LOG_ROUNDING = float(np.finfo(np.float64).eps)
REDUCTIONS = ("none", "mean", "sum")

CASES: list[dict] = []


# --------------------------------------------------------------------------- helpers


def t64(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def plain(x):
    """Library output -> JSON-ready Python floats/lists, inf as a string."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return _encode_float(float(arr))
    return [plain(row) for row in arr]


def _encode_float(v: float):
    if math.isnan(v):
        raise ValueError("a reference value is NaN: fix the case")
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def encode(obj):
    if isinstance(obj, float):
        return _encode_float(obj)
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        return {k: encode(v) for k, v in obj.items()}
    return obj


def _new_case(
    cases: list, kind: str, case_id: str, function: str, args, kwargs, expected, source, rtol
) -> dict:
    """The keys every case has, in the order they are written; its id must be new in ``cases``."""
    if any(c["id"] == case_id for c in cases):
        raise ValueError(f"duplicate {kind} id {case_id}")
    return {
        "id": case_id,
        "function": function,
        "args": encode(args),
        "kwargs": encode(kwargs or {}),
        "expected": plain(expected),
        "source": source,
        "rtol": rtol,
    }


def _with_post_and_note(case: dict, post: str | None, note: str | None) -> dict:
    if post:
        case["post"] = post
    if note:
        case["note"] = note
    return case


def _record(
    cases: list,
    kind: str,
    case_id: str,
    function: str,
    args: list,
    kwargs: dict | None,
    expected,
    source: str,
    *,
    rtol: float,
    atol: float = 0.0,
    atol_always: bool = False,
    post: str | None = None,
    note: str | None = None,
    **extra,
) -> None:
    """Append one case to ``cases``: atol where it is not 0 (always with ``atol_always``), then the extra keys."""
    case = _new_case(cases, kind, case_id, function, args, kwargs, expected, source, rtol)
    if atol or atol_always:
        case["atol"] = atol
    case = _with_post_and_note(case, post, note)
    case.update({k: encode(v) for k, v in extra.items()})
    cases.append(case)


#: add(case_id, function, args, kwargs, expected, source, *, rtol=RTOL, atol=0.0, post=None, note=None)
add = functools.partial(_record, CASES, "case", rtol=RTOL)


def check(value, printed: float, digits: int | None = None, *, rel: float | None = None) -> None:
    """The library result must agree with the figure printed in REFERENCE.md."""
    got = float(value)
    ok = math.isclose(got, printed, rel_tol=rel) if rel else round(got, digits) == round(printed, digits)
    if not ok:
        raise AssertionError(f"library gives {got!r}, REFERENCE.md says {printed!r}")


def rng_array(seed: int, shape, scale: float = 1.0) -> list:
    return (scale * np.random.default_rng(seed).standard_normal(shape)).tolist()


def rng_distributions(seed: int, shape, zeros: bool = False) -> list:
    rng = np.random.default_rng(seed)
    w = rng.random(shape)
    if zeros:
        w[rng.random(shape) < 0.3] = 0.0
        w[..., 0] = np.maximum(w[..., 0], 0.1)  # keep every row non-empty
    return (w / w.sum(axis=-1, keepdims=True)).tolist()


# --------------------------------------------------------------------------- information


def information_cases() -> None:
    src_h = "scipy.stats.entropy(p, base=b, axis=-1)"
    src_kl = "scipy.stats.entropy(p, q, base=b, axis=-1)"
    src_ce = "scipy.stats.entropy(p, base=b, axis=-1) + scipy.stats.entropy(p, q, base=b, axis=-1)"

    def h(p, base=None):
        return scipy.stats.entropy(np.asarray(p, float), base=base, axis=-1)

    def kl(p, q, base=None):
        return scipy.stats.entropy(np.asarray(p, float), np.asarray(q, float), base=base, axis=-1)

    # REFERENCE.md check values.
    v = h([0.5, 0.5], 2)
    check(v, 1.0, 15)
    add("entropy-fair-coin-bits", "entropy", [[0.5, 0.5]], {"base": 2}, v, src_h)
    v = kl([0.5, 0.5], [0.9, 0.1], 2)
    check(v, 0.7369655941662061, 15)
    add("kl-half-vs-09-bits", "kl_divergence", [[0.5, 0.5], [0.9, 0.1]], {"base": 2}, v, src_kl)
    v = kl([0.5, 0.5], [1.0, 0.0])
    assert math.isinf(v)
    add("kl-q-zero-where-p-positive-inf", "kl_divergence", [[0.5, 0.5], [1.0, 0.0]], {}, v, src_kl)
    v = kl([1.0, 0.0], [0.5, 0.5])
    check(v, math.log(2), 15)
    add("kl-p-zero-term-is-zero-ln2", "kl_divergence", [[1.0, 0.0], [0.5, 0.5]], {}, v, src_kl)
    # The seed's worked example.
    p, q = [0.0, 1.0, 0.0], [0.228, 0.619, 0.153]
    v = h(p) + kl(p, q)
    check(v, 0.47965000629754095, 16)
    add("cross-entropy-seed-worked-example-nats", "cross_entropy", [p, q], {}, v, src_ce)
    # Gibbs: only H(p,q) >= H(p); H(p,q) can be below H(q).
    p, q = [1.0, 0.0], [0.9, 0.1]
    v = h(p) + kl(p, q)
    check(v, 0.105, 3)
    add("cross-entropy-below-H-of-q-counterexample", "cross_entropy", [p, q], {}, v, src_ce)
    v = h(q)
    check(v, 0.325, 3)
    add("entropy-of-q-in-counterexample", "entropy", [q], {}, v, src_h)
    add(
        "cross-entropy-p-positive-q-zero-inf",
        "cross_entropy",
        [[0.5, 0.5], [1.0, 0.0]],
        {},
        h([0.5, 0.5]) + kl([0.5, 0.5], [1.0, 0.0]),
        src_ce,
    )
    add(
        "entropy-16-equal-outcomes-4-bits",
        "entropy",
        [[1 / 16] * 16],
        {"base": 2},
        h([1 / 16] * 16, 2),
        src_h,
    )

    bases = {"bits": 2, "nats": math.e, "hartleys": 10, "base3.5": 3.5, "base0.5": 0.5}
    p1 = [0.1, 0.2, 0.3, 0.4]
    q1 = [0.25, 0.25, 0.4, 0.1]
    pz = [0.0, 0.5, 0.25, 0.25]
    for name, b in bases.items():
        kw = {} if b is math.e else {"base": b}
        sb = None if b is math.e else b
        add(f"entropy-{name}", "entropy", [p1], kw, h(p1, sb), src_h)
        add(f"entropy-zeros-in-p-{name}", "entropy", [pz], kw, h(pz, sb), src_h)
        add(f"kl-{name}", "kl_divergence", [p1, q1], kw, kl(p1, q1, sb), src_kl)
        add(f"kl-zeros-in-p-{name}", "kl_divergence", [pz, q1], kw, kl(pz, q1, sb), src_kl)
        add(f"cross-entropy-{name}", "cross_entropy", [p1, q1], kw, h(p1, sb) + kl(p1, q1, sb), src_ce)
        add(
            f"cross-entropy-zeros-in-p-{name}",
            "cross_entropy",
            [pz, q1],
            kw,
            h(pz, sb) + kl(pz, q1, sb),
            src_ce,
        )
    add("kl-p-equals-q-zero", "kl_divergence", [p1, p1], {}, kl(p1, p1), src_kl)

    # Batches: distributions along the last axis (scipy axis=-1).
    P = rng_distributions(1, (5, 6), zeros=True)
    Q = rng_distributions(2, (5, 6))
    Qz = [row[:] for row in Q]
    Qz[2] = [0.0] + [v / (1 - Qz[2][0]) for v in Qz[2][1:]]  # row 2: q = 0 where p > 0 -> inf
    for name, b in (("nats", math.e), ("bits", 2), ("base3.5", 3.5)):
        kw = {} if b is math.e else {"base": b}
        sb = None if b is math.e else b
        add(f"entropy-batch-{name}", "entropy", [P], kw, h(P, sb), src_h)
        add(f"kl-batch-{name}", "kl_divergence", [P, Q], kw, kl(P, Q, sb), src_kl)
        add(f"cross-entropy-batch-{name}", "cross_entropy", [P, Q], kw, h(P, sb) + kl(P, Q, sb), src_ce)
    add("kl-batch-one-row-inf", "kl_divergence", [P, Qz], {}, kl(P, Qz), src_kl)
    add("cross-entropy-batch-one-row-inf", "cross_entropy", [P, Qz], {}, h(P) + kl(P, Qz), src_ce)
    # A single q against a batch of p: ce_core does not broadcast, so q is repeated explicitly.
    add(
        "kl-batch-p-against-one-q",
        "kl_divergence",
        [P, [Q[0]] * len(P)],
        {"base": 2},
        kl(P, np.broadcast_to(Q[0], np.shape(P)), 2),
        src_kl,
    )

    # Binary entropy: scipy.stats.entropy([p, 1 - p]).
    ps = [0.0, 0.01, 0.11, 0.5, 0.9, 1.0]
    for name, b in (("nats", math.e), ("bits", 2), ("hartleys", 10)):
        kw = {} if b is math.e else {"base": b}
        sb = None if b is math.e else b
        add(
            f"binary-entropy-{name}",
            "binary_entropy",
            [ps],
            kw,
            [h([x, 1 - x], sb) for x in ps],
            "scipy.stats.entropy([p, 1 - p], base=b)",
        )
    add(
        "binary-entropy-fair-coin-bits-scalar",
        "binary_entropy",
        [0.5],
        {"base": 2},
        h([0.5, 0.5], 2),
        "scipy.stats.entropy([0.5, 0.5], base=2)",
    )

    # Surprisal: -log(p) / log(b) with torch (inf at p = 0).
    qs = [0.0, 1e-300, 0.125, 0.5, 0.619, 1.0]
    for name, b in (("nats", math.e), ("bits", 2), ("base3.5", 3.5)):
        kw = {} if b is math.e else {"base": b}
        add(
            f"surprisal-{name}",
            "surprisal",
            [qs],
            kw,
            -torch.log(t64(qs)) / math.log(b),
            "-torch.log(p) / math.log(b)",
        )
    # Perplexity: exp(H) with H from scipy.
    add("perplexity-entropy", "perplexity", [p1], {}, np.exp(h(p1)), "numpy.exp(scipy.stats.entropy(p))")
    add(
        "perplexity-cross-entropy",
        "perplexity",
        [p1, q1],
        {},
        np.exp(h(p1) + kl(p1, q1)),
        "numpy.exp(scipy.stats.entropy(p) + scipy.stats.entropy(p, q))",
    )
    add(
        "perplexity-batch-bits-invariant",
        "perplexity",
        [P],
        {},
        2.0 ** h(P, 2),
        "2 ** scipy.stats.entropy(p, base=2, axis=-1)",
    )
    # Unit conversion: the same entropy computed by scipy in two bases.
    add(
        "convert-units-nats-to-bits",
        "convert_units",
        [float(h(p1))],
        {"from_base": math.e, "to_base": 2},
        h(p1, 2),
        "scipy.stats.entropy(p, base=2) from scipy.stats.entropy(p) in nats",
    )
    add(
        "convert-units-bits-to-hartleys",
        "convert_units",
        [float(h(p1, 2))],
        {"from_base": 2, "to_base": 10},
        h(p1, 10),
        "scipy.stats.entropy(p, base=10) from scipy.stats.entropy(p, base=2)",
    )
    # normalize: torch.nn.functional.normalize with the 1-norm.
    W = [[1.0, 1.0, 2.0], [0.0, 3.0, 1.0], [5.0, 0.0, 0.0]]
    add(
        "normalize-batch",
        "normalize",
        [W],
        {},
        F.normalize(t64(W), p=1, dim=-1),
        "torch.nn.functional.normalize(w, p=1, dim=-1)",
    )
    add(
        "normalize-single",
        "normalize",
        [[2.0, 6.0]],
        {},
        F.normalize(t64([2.0, 6.0]), p=1, dim=-1),
        "torch.nn.functional.normalize(w, p=1, dim=-1)",
    )


# --------------------------------------------------------------------------- softmax


#: torch's log_softmax takes log of the whole sum, so the largest class of [0, -40] gets 0
#: instead of -log1p(e**-40) = -4.2e-18; ce_core uses log1p (as SciPy's logsumexp since gh-18295).
LOG_SOFTMAX_NOTE = (
    "torch computes log(sum exp): a term below eps/2 next to the maximum is lost; "
    "ce_core uses log1p of the other terms, so the two differ by less than eps absolute"
)


def softmax_cases() -> None:
    logit_sets = {
        "reference": [2.0, 1.0, 0.1],
        "magnitude-1e4": [1e4, 0.0, -1e4, 9999.0],
        "magnitude-1e10": [1e10, 1e10 - 1.0, -1e10],
        "magnitude-1e300": [1e300, -1e300, 0.0],
        "equal-1000": [1000.0, 1000.0],
        "exp-overflow-1000-vs-1": [1000.0, 1.0],
        "batch": rng_array(3, (4, 5), 3.0),
        "batch-3d": rng_array(4, (2, 3, 4), 50.0),
    }
    for name, z in logit_sets.items():
        add(f"softmax-{name}", "softmax", [z], {}, torch.softmax(t64(z), dim=-1), "torch.softmax(z, dim=-1)")
        add(
            f"log-softmax-{name}",
            "log_softmax",
            [z],
            {},
            torch.log_softmax(t64(z), dim=-1),
            "torch.log_softmax(z, dim=-1)",
            atol=ATOL_TORCH_LOG_ROUNDING,
            note=LOG_SOFTMAX_NOTE,
        )
        add(
            f"logsumexp-{name}",
            "logsumexp",
            [z],
            {},
            scipy.special.logsumexp(np.asarray(z), axis=-1),
            "scipy.special.logsumexp(z, axis=-1)",
        )
    # log(softmax) underflows to -inf where log_softmax is exactly -999.
    assert torch.log(torch.softmax(t64([1000.0, 1.0]), -1))[1].item() == -math.inf
    assert torch.log_softmax(t64([1000.0, 1.0]), -1)[1].item() == -999.0
    for temperature in (0.5, 2.0, 10.0):
        z = logit_sets["batch"]
        add(
            f"softmax-temperature-{temperature}",
            "softmax",
            [z],
            {"temperature": temperature},
            torch.softmax(t64(z) / temperature, dim=-1),
            "torch.softmax(z / T, dim=-1)",
        )
        add(
            f"log-softmax-temperature-{temperature}",
            "log_softmax",
            [z],
            {"temperature": temperature},
            torch.log_softmax(t64(z) / temperature, dim=-1),
            "torch.log_softmax(z / T, dim=-1)",
            atol=ATOL_TORCH_LOG_ROUNDING,
            note=LOG_SOFTMAX_NOTE,
        )
    x = [-800.0, -30.0, -1.0, 0.0, 0.5, 40.0, 800.0]
    add("sigmoid-wide-range", "sigmoid", [x], {}, torch.sigmoid(t64(x)), "torch.sigmoid(x)")
    add("sigmoid-scalar", "sigmoid", [0.75], {}, torch.sigmoid(t64(0.75)), "torch.sigmoid(x)")


# --------------------------------------------------------------------------- binary


def _add_bce(case_id: str, x, y, source: str, *, weight=None, **kw) -> None:
    """binary_cross_entropy(y, x, weight=weight, **kw) against PyTorch's (log_clamp is ce_core's alone)."""
    case_kw = kw if weight is None else {"weight": weight, **kw}
    torch_kw = {k: v for k, v in kw.items() if k != "log_clamp"}
    if weight is not None:
        torch_kw["weight"] = t64(weight)
    expected = F.binary_cross_entropy(t64(x), t64(y), **torch_kw)
    add(case_id, "binary_cross_entropy", [y, x], case_kw, expected, source)


def binary_cases() -> None:
    # The clamp, read off the library: BCE(0, 1) = -clamp.
    clamp = -F.binary_cross_entropy(t64([0.0]), t64([1.0])).item()
    assert clamp == -100.0

    x, y, w = [0.7, 0.2], [1.0, 0.0], [1.0, 3.0]
    v = F.binary_cross_entropy(t64(x), t64(y), weight=t64(w))
    check(v, 0.5130527989, 10)
    for reduction in REDUCTIONS:
        src = f"torch.nn.functional.binary_cross_entropy(x, y, weight=w, reduction={reduction!r})"
        _add_bce(f"bce-reference-weighted-{reduction}", x, y, src, weight=w, reduction=reduction)

    # Interior predictions (PyTorch finite, no clamp reached): exact BCE equals torch.
    rng = np.random.default_rng(5)
    xs = rng.uniform(0.01, 0.99, (4, 3)).tolist()
    ys = (rng.random((4, 3)) < 0.5).astype(float).tolist()
    soft = rng.random((4, 3)).tolist()
    wrow = [0.5, 2.0, 1.0]  # broadcast along the rows
    for reduction in REDUCTIONS:
        _add_bce(
            f"bce-batch-hard-labels-{reduction}",
            xs,
            ys,
            f"torch.nn.functional.binary_cross_entropy(x, y, reduction={reduction!r})",
            reduction=reduction,
        )
        _add_bce(
            f"bce-batch-soft-labels-broadcast-weight-{reduction}",
            xs,
            soft,
            f"torch.nn.functional.binary_cross_entropy(x, y_soft, weight=w_row, reduction={reduction!r})",
            weight=wrow,
            reduction=reduction,
        )

    # Clamped cases: compare with ce_core's log_clamp=TORCH_LOG_CLAMP.
    xc = [0.0, 1.0, 1e-50, 1.0 - 1e-16, 0.0, 1.0, 0.3]
    yc = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.5]
    wc = [1.0, 2.0, 0.5, 1.0, 1.0, 1.0, 4.0]
    for reduction in REDUCTIONS:
        _add_bce(
            f"bce-clamped-{reduction}",
            xc,
            yc,
            f"torch.nn.functional.binary_cross_entropy(x, y, reduction={reduction!r})",
            reduction=reduction,
            log_clamp=clamp,
        )
        _add_bce(
            f"bce-clamped-weighted-{reduction}",
            xc,
            yc,
            f"torch.nn.functional.binary_cross_entropy(x, y, weight=w, reduction={reduction!r})",
            weight=wc,
            reduction=reduction,
            log_clamp=clamp,
        )
    _add_bce(
        "bce-clamped-scalar-100",
        0.0,
        1.0,
        "torch.nn.functional.binary_cross_entropy(0., 1.)",
        log_clamp=clamp,
    )

    # Gradient with respect to the probability: torch autograd of BCE (sum).
    xg = t64([0.05, 0.3, 0.5, 0.8, 0.97, 0.4]).requires_grad_()
    yg = [1.0, 0.0, 1.0, 0.0, 0.25, 0.7]
    F.binary_cross_entropy(xg, t64(yg), reduction="sum").backward()
    add(
        "bce-gradient-autograd",
        "binary_cross_entropy_gradient",
        [yg, xg.detach().tolist()],
        {},
        xg.grad,
        "torch.autograd.grad of binary_cross_entropy(x, y, reduction='sum') w.r.t. x",
    )

    # squared and absolute error (torch mse_loss / l1_loss).
    add(
        "squared-error",
        "squared_error",
        [ys, xs],
        {},
        F.mse_loss(t64(xs), t64(ys), reduction="none"),
        "torch.nn.functional.mse_loss(x, y, reduction='none')",
    )
    add(
        "absolute-error",
        "absolute_error",
        [ys, xs],
        {},
        F.l1_loss(t64(xs), t64(ys), reduction="none"),
        "torch.nn.functional.l1_loss(x, y, reduction='none')",
    )


def clipping_cases() -> dict:
    q = [0.0, 1e-300, 1e-20, 1e-9, 0.3, 0.5, 0.999, 1.0]
    # exact: -log q.
    add("clipped-log-loss-exact", "clipped_log_loss", [q, "exact"], {}, -torch.log(t64(q)), "-torch.log(q)")
    # pytorch: BCE with label 1 (log clamped at -100).
    add(
        "clipped-log-loss-pytorch",
        "clipped_log_loss",
        [q, "pytorch"],
        {},
        F.binary_cross_entropy(t64(q), torch.ones(len(q), dtype=torch.float64), reduction="none"),
        "torch.nn.functional.binary_cross_entropy(q, ones, reduction='none')",
    )
    # sklearn: log_loss of one sample of the positive class (1-D input = P(positive)), in float64 and
    # in float32. The float32 inputs are exactly representable (1 - 2**-10, not 0.999): scikit-learn
    # rounds the input to float32, and -log q near q = 1 magnifies that rounding beyond 1e-6 relative.
    q32 = [0.0, 1e-20, 1e-9, 0.3, 0.5, 1.0 - 2.0**-10, 1.0]
    max_loss = {}  # the loss at q = 0, in each dtype
    float32_note = "scikit-learn computes in float32 here: agreement to float32 precision (1e-6 relative)"
    for dtype, qs, first, digits, tolerance in (
        ("float64", q, 36.04365338911715, 14, {}),
        ("float32", q32, 15.9424, 4, {"rtol": RTOL_FLOAT32, "note": float32_note}),
    ):
        vals = [sklearn.metrics.log_loss([1], np.array([v], dtype=dtype), labels=[0, 1]) for v in qs]
        check(vals[0], first, digits)
        max_loss[dtype] = vals[0]
        source = f"sklearn.metrics.log_loss([1], [q] as {dtype}, labels=[0, 1])"
        add(
            f"clipped-log-loss-sklearn-{dtype}",
            "clipped_log_loss",
            [qs, "sklearn"],
            {"dtype": dtype},
            vals,
            source,
            **tolerance,
        )
    # A row that does not sum to 1 is not renormalised: y = 1, row [0.2, 0.3] -> -ln 0.3.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = sklearn.metrics.log_loss([1], [[0.2, 0.3]], labels=[0, 1])
    check(v, 1.2039728043, 10)
    add(
        "clipped-log-loss-sklearn-row-not-renormalised",
        "clipped_log_loss",
        [0.3, "sklearn"],
        {},
        v,
        "sklearn.metrics.log_loss([1], [[0.2, 0.3]], labels=[0, 1]) (warns, does not renormalise)",
    )
    # epsilon: -log clamp(q, eps, 1 - eps).
    for eps in (1e-7, 1e-3, 0.05):
        add(
            f"clipped-log-loss-epsilon-{eps}",
            "clipped_log_loss",
            [q, "epsilon"],
            {"epsilon": eps},
            -torch.log(torch.clamp(t64(q), eps, 1 - eps)),
            "-torch.log(torch.clamp(q, eps, 1 - eps))",
        )

    # Gradients by autograd (points away from the clip boundaries).
    qg = [1e-20, 1e-9, 0.3, 0.5, 0.999]
    a = t64(qg).requires_grad_()
    (-torch.log(a)).sum().backward()
    add(
        "clipped-log-loss-gradient-exact",
        "clipped_log_loss_gradient",
        [qg, "exact"],
        {},
        a.grad,
        "torch.autograd of -log(q)",
    )
    qp = [0.0, 1e-20, 1e-9, 0.3, 0.5, 0.999]
    a = t64(qp).requires_grad_()
    F.binary_cross_entropy(a, torch.ones(len(qp), dtype=torch.float64), reduction="sum").backward()
    grad0 = a.grad[0].item()
    # "about -1e12": torch divides by max(q(1-q), 1e-12) with 1e-12 rounded to float32.
    check(grad0, -1e12, rel=1e-8)
    add(
        "clipped-log-loss-gradient-pytorch",
        "clipped_log_loss_gradient",
        [qp, "pytorch"],
        {},
        a.grad,
        "torch.autograd of binary_cross_entropy(q, ones, reduction='sum')",
    )
    eps64 = float(np.finfo(np.float64).eps)
    a = t64(qg).requires_grad_()
    (-torch.log(torch.clamp(a, eps64, 1 - eps64))).sum().backward()
    add(
        "clipped-log-loss-gradient-sklearn",
        "clipped_log_loss_gradient",
        [qg, "sklearn"],
        {},
        a.grad,
        "torch.autograd of -log(clamp(q, finfo(float64).eps, 1 - eps)): 0 where clipped",
    )
    a = t64(qg).requires_grad_()
    (-torch.log(torch.clamp(a, 1e-3, 1 - 1e-3))).sum().backward()
    add(
        "clipped-log-loss-gradient-epsilon-1e-3",
        "clipped_log_loss_gradient",
        [qg, "epsilon"],
        {"epsilon": 1e-3},
        a.grad,
        "torch.autograd of -log(clamp(q, 1e-3, 1 - 1e-3))",
    )
    return {
        "torch_bce_grad_eps": -1.0 / grad0,
        "sklearn_max_loss_float64": max_loss["float64"],
        "sklearn_max_loss_float32": float(max_loss["float32"]),
    }


# --------------------------------------------------------------------------- softmax CE


def _ce(logits, target, **kw):
    """torch cross_entropy with classes moved from the last axis to axis 1."""
    x = t64(logits)
    tgt = torch.tensor(target) if isinstance(np.asarray(target).flat[0].item(), int) else t64(target)
    if x.ndim > 2:
        x = x.movedim(-1, 1)
        if tgt.is_floating_point():
            tgt = tgt.movedim(-1, 1)
    out = F.cross_entropy(x, tgt, **kw)
    return out


def cross_entropy_cases() -> None:
    logits = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]
    targets = [0, 2]
    W = [1.0, 2.0, 3.0]
    checks = {
        ("plain", "mean"): 1.4185397696,
        ("smoothing", "mean"): 1.4268731030,
        ("weight", "mean"): 1.9192946463,
        ("weight-smoothing", "mean"): 1.8950524920,
    }
    option_sets = {
        "plain": {},
        "smoothing": {"label_smoothing": 0.1},
        "weight": {"weight": W},
        "weight-smoothing": {"weight": W, "label_smoothing": 0.1},
        "smoothing-1.0": {"label_smoothing": 1.0},
        "weight-smoothing-0.5": {"weight": W, "label_smoothing": 0.5},
    }
    for name, opts in option_sets.items():
        for reduction in REDUCTIONS:
            kw = {**opts, "reduction": reduction}
            tkw = {**kw, "weight": t64(opts["weight"])} if "weight" in opts else kw
            v = _ce(logits, targets, **tkw)
            if (name, reduction) in checks:
                check(v, checks[name, reduction], 10)
            if (name, reduction) == ("plain", "none"):
                check(v[0], 0.4170300163, 10)
                check(v[1], 2.4200495230, 10)
            add(
                f"ce-reference-index-{name}-{reduction}",
                "softmax_cross_entropy",
                [logits, targets],
                kw,
                v,
                f"torch.nn.functional.cross_entropy(x, y, {', '.join(f'{k}={v!r}' for k, v in kw.items())})",
            )

    onehot = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    for name, opts in option_sets.items():
        for reduction in REDUCTIONS:
            kw = {**opts, "reduction": reduction}
            tkw = {**kw, "weight": t64(opts["weight"])} if "weight" in opts else kw
            v = _ce(logits, onehot, **tkw)
            if (name, reduction) == ("weight", "mean"):
                check(v, 3.8385892927, 10)
            add(
                f"ce-reference-onehot-probability-{name}-{reduction}",
                "softmax_cross_entropy",
                [logits, onehot],
                kw,
                v,
                f"torch.nn.functional.cross_entropy(x, p_onehot, {', '.join(f'{k}={v!r}' for k, v in kw.items())})",
            )

    # ignore_index.
    for reduction in REDUCTIONS:
        v = _ce(logits, [0, -100], reduction=reduction)
        if reduction == "mean":
            check(v, 0.4170300163, 10)
        add(
            f"ce-reference-ignore-minus-100-{reduction}",
            "softmax_cross_entropy",
            [logits, [0, -100]],
            {"ignore_index": -100, "reduction": reduction},
            v,
            f"torch.nn.functional.cross_entropy(x, [0, -100], reduction={reduction!r}) (default ignore_index)",
        )

    rng = np.random.default_rng(7)
    Z = rng_array(8, (9, 5), 2.0)
    y = rng.integers(0, 5, 9).tolist()
    y_ign = [t if i % 3 else 1 for i, t in enumerate(y)]  # some samples hold class 1, which is ignored
    Wb = [0.5, 1.0, 2.0, 0.25, 3.0]
    P = rng_distributions(9, (9, 5), zeros=True)
    variants = {
        "batch-index": ({}, y),
        "batch-index-weight": ({"weight": Wb}, y),
        "batch-index-smoothing-0.2": ({"label_smoothing": 0.2}, y),
        "batch-index-weight-smoothing-0.2": ({"weight": Wb, "label_smoothing": 0.2}, y),
        "batch-index-ignore-1": ({"ignore_index": 1}, y_ign),
        "batch-index-ignore-1-weight-smoothing-0.3": (
            {"ignore_index": 1, "weight": Wb, "label_smoothing": 0.3},
            y_ign,
        ),
        "batch-probability": ({}, P),
        "batch-probability-weight": ({"weight": Wb}, P),
        "batch-probability-smoothing-0.2": ({"label_smoothing": 0.2}, P),
        "batch-probability-weight-smoothing-0.2": ({"weight": Wb, "label_smoothing": 0.2}, P),
    }
    for name, (opts, tgt) in variants.items():
        for reduction in REDUCTIONS:
            kw = {**opts, "reduction": reduction}
            tkw = {**kw, "weight": t64(opts["weight"])} if "weight" in opts else kw
            add(
                f"ce-{name}-{reduction}",
                "softmax_cross_entropy",
                [Z, tgt],
                kw,
                _ce(Z, tgt, **tkw),
                f"torch.nn.functional.cross_entropy(x, y, {', '.join(f'{k}={v!r}' for k, v in kw.items())})",
            )

    # Large logits, a K-dimensional batch (classes moved to axis 1 for torch) and one unbatched sample.
    big = rng_array(10, (4, 6), 1e4)
    ybig = [0, 5, 2, 3]
    for reduction in REDUCTIONS:
        add(
            f"ce-logits-magnitude-1e4-{reduction}",
            "softmax_cross_entropy",
            [big, ybig],
            {"reduction": reduction, "label_smoothing": 0.05},
            _ce(big, ybig, reduction=reduction, label_smoothing=0.05),
            f"torch.nn.functional.cross_entropy(x, y, label_smoothing=0.05, reduction={reduction!r})",
        )
    Z3 = rng_array(11, (2, 3, 4), 2.0)
    y3 = [[0, 3, 1], [2, 2, 0]]
    P3 = rng_distributions(12, (2, 3, 4))
    for reduction in REDUCTIONS:
        add(
            f"ce-k-dimensional-index-weight-smoothing-{reduction}",
            "softmax_cross_entropy",
            [Z3, y3],
            {"weight": [1.0, 0.5, 2.0, 1.5], "label_smoothing": 0.1, "reduction": reduction},
            _ce(Z3, y3, weight=t64([1.0, 0.5, 2.0, 1.5]), label_smoothing=0.1, reduction=reduction),
            "torch.nn.functional.cross_entropy(x.movedim(-1, 1), y, weight, label_smoothing=0.1, ...)",
        )
        add(
            f"ce-k-dimensional-probability-{reduction}",
            "softmax_cross_entropy",
            [Z3, P3],
            {"reduction": reduction},
            _ce(Z3, P3, reduction=reduction),
            "torch.nn.functional.cross_entropy(x.movedim(-1, 1), p.movedim(-1, 1), ...)",
        )
    add(
        "ce-unbatched-single-sample",
        "softmax_cross_entropy",
        [[0.2, -1.0, 3.0], 1],
        {},
        F.cross_entropy(t64([0.2, -1.0, 3.0]), torch.tensor(1)),
        "torch.nn.functional.cross_entropy(x of shape (C,), y of shape ())",
    )

    # Gradient w.r.t. the logits: per sample, as autograd of the summed loss (samples are independent).
    grad_sets = {
        "reference-index": (logits, targets, 0.0),
        "batch-index": (Z, y, 0.0),
        "batch-index-smoothing-0.2": (Z, y, 0.2),
        "batch-probability": (Z, P, 0.0),
        "batch-probability-smoothing-0.1": (Z, P, 0.1),
        "logits-magnitude-1e4": (big, ybig, 0.0),
    }
    for name, (z, tgt, e) in grad_sets.items():
        x = t64(z).requires_grad_()
        tt = torch.tensor(tgt) if isinstance(tgt[0], int) else t64(tgt)
        F.cross_entropy(x, tt, label_smoothing=e, reduction="none").sum().backward()
        kw = {"label_smoothing": e} if e else {}
        add(
            f"ce-gradient-{name}",
            "cross_entropy_gradient",
            [z, tgt],
            kw,
            x.grad,
            "torch autograd: d/dx cross_entropy(x, y, reduction='none').sum()",
        )

    # Loss floor with smoothing: torch's loss at logits = log(smoothed target) is H(smoothed target).
    for e in (0.0, 0.1, 0.5):
        C = 4
        smoothed = torch.full((C,), e / C, dtype=torch.float64)
        smoothed[2] += 1 - e
        with torch.no_grad():
            floor = F.cross_entropy(torch.log(smoothed)[None], torch.tensor([2]), label_smoothing=e)
        add(
            f"smoothed-loss-floor-{e}",
            "smoothed_loss_floor",
            [2, C, e],
            {},
            floor,
            "torch.nn.functional.cross_entropy(log(t_smoothed), y, label_smoothing=e)",
        )
        add(
            f"smooth-targets-{e}",
            "smooth_targets",
            [[2, 0], C, e],
            {},
            (1 - e) * F.one_hot(torch.tensor([2, 0]), C).double() + e / C,
            "(1 - e) * torch.nn.functional.one_hot(y, C) + e / C",
        )


# --------------------------------------------------------------------------- focal


FOCAL_NOTE = (
    "x = -40 with t = 0: torch rounds log(1 + e^-40) = 4.2e-18 to 0, ce_core keeps it; "
    "absolute tolerance float64 eps"
)


def focal_cases() -> None:
    x, t = [2.0, -1.0, 0.5], [1.0, 1.0, 0.0]
    for name, options, printed_values, source in (
        (
            "defaults",
            {},
            [0.00045089071, 0.17546707585, 0.28305870064],
            "torchvision.ops.sigmoid_focal_loss(x, t) (alpha=0.25, gamma=2, reduction='none')",
        ),
        (
            "alpha-off-gamma-0",
            {"alpha": -1, "gamma": 0},
            [0.12692801104, 1.31326168752, 0.97407698418],
            "torchvision.ops.sigmoid_focal_loss(x, t, alpha=-1, gamma=0)",
        ),
    ):
        v = tv_sigmoid_focal_loss(t64(x), t64(t), **options)
        for got, printed in zip(v.tolist(), printed_values, strict=True):
            check(got, printed, 11)
        add(f"sigmoid-focal-reference-{name}", "sigmoid_focal_loss", [x, t], options, v, source)
    # (v is now the alpha-off, gamma-0 loss)
    # gamma = 0, alpha = -1 is BCE with logits.
    bce = F.binary_cross_entropy_with_logits(t64(x), t64(t), reduction="none")
    assert torch.allclose(v, bce, rtol=1e-15, atol=0)

    xb = rng_array(13, (3, 4), 3.0)
    xb[0][0], xb[1][1], xb[2][2] = 800.0, -800.0, -40.0  # very confident logits
    rng = np.random.default_rng(14)
    tb = (rng.random((3, 4)) < 0.5).astype(float)
    tb[0][0], tb[1][1], tb[2][2] = 0.0, 1.0, 0.0  # two confident mistakes, one confident success
    tb = tb.tolist()
    ts = rng.random((3, 4)).tolist()  # soft targets
    for alpha in (0.25, 0.5, 0.9, 0.0, -1.0):
        for gamma in (0.0, 0.5, 2.0, 5.0):
            for reduction in REDUCTIONS:
                add(
                    f"sigmoid-focal-alpha{alpha}-gamma{gamma}-{reduction}",
                    "sigmoid_focal_loss",
                    [xb, tb],
                    {"alpha": alpha, "gamma": gamma, "reduction": reduction},
                    tv_sigmoid_focal_loss(t64(xb), t64(tb), alpha=alpha, gamma=gamma, reduction=reduction),
                    f"torchvision.ops.sigmoid_focal_loss(x, t, alpha={alpha}, gamma={gamma}, reduction={reduction!r})",
                    atol=ATOL_TORCH_LOG_ROUNDING,
                    note=FOCAL_NOTE,
                )
    for reduction in REDUCTIONS:
        add(
            f"sigmoid-focal-soft-targets-{reduction}",
            "sigmoid_focal_loss",
            [xb, ts],
            {"alpha": 0.25, "gamma": 1.5, "reduction": reduction},
            tv_sigmoid_focal_loss(t64(xb), t64(ts), alpha=0.25, gamma=1.5, reduction=reduction),
            f"torchvision.ops.sigmoid_focal_loss(x, t_soft, alpha=0.25, gamma=1.5, reduction={reduction!r})",
            atol=ATOL_TORCH_LOG_ROUNDING,
            note=FOCAL_NOTE,
        )
    add(
        "sigmoid-focal-scalar",
        "sigmoid_focal_loss",
        [1.5, 0.0],
        {},
        tv_sigmoid_focal_loss(t64(1.5), t64(0.0)),
        "torchvision.ops.sigmoid_focal_loss(x, t) on 0-d tensors",
    )

    # Multi-class focal loss: no library has it; the formula on torch's log_softmax.
    def softmax_focal(z, y, gamma, alpha, reduction):
        logp = torch.log_softmax(t64(z), dim=-1)
        logp_t = logp.gather(-1, torch.tensor(y)[..., None])[..., 0]
        p_t = logp_t.exp()
        loss = -((1 - p_t) ** gamma) * logp_t
        if alpha is not None:
            a = t64(alpha)
            loss = loss * (a if a.ndim == 0 else a[torch.tensor(y)])
        return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]

    Z = rng_array(15, (6, 4), 2.5)
    y = [0, 3, 1, 1, 2, 0]
    src = "-alpha_t * (1 - p_t)**gamma * log p_t, log p_t = torch.log_softmax(x)[y]"
    for gamma in (0.0, 0.5, 2.0, 5.0):
        for alpha_name, alpha in (("none", None), ("scalar0.25", 0.25), ("per-class", [0.1, 0.4, 0.3, 0.2])):
            for reduction in REDUCTIONS:
                kw = {"gamma": gamma, "reduction": reduction}
                if alpha is not None:
                    kw["alpha"] = alpha
                add(
                    f"softmax-focal-gamma{gamma}-alpha-{alpha_name}-{reduction}",
                    "softmax_focal_loss",
                    [Z, y],
                    kw,
                    softmax_focal(Z, y, gamma, alpha, reduction),
                    src,
                )
    logits = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]
    v = softmax_focal(logits, [0, 2], 0.0, None, "mean")
    check(v, 1.4185397696, 10)
    add(
        "softmax-focal-gamma0-equals-reference-ce",
        "softmax_focal_loss",
        [logits, [0, 2]],
        {"gamma": 0.0},
        v,
        src,
    )
    big = rng_array(16, (3, 5), 1e4)
    add(
        "softmax-focal-logits-magnitude-1e4",
        "softmax_focal_loss",
        [big, [0, 4, 2]],
        {"gamma": 2.0, "reduction": "none"},
        softmax_focal(big, [0, 4, 2], 2.0, None, "none"),
        src,
    )
    # focal_modulation: (1 - p)^gamma.
    pt = [0.0, 0.1, 0.5, 0.9, 0.99, 1.0]
    for gamma in (0.0, 0.5, 2.0):
        add(
            f"focal-modulation-gamma{gamma}",
            "focal_modulation",
            [pt, gamma],
            {},
            torch.pow(1 - t64(pt), gamma),
            "torch.pow(1 - p_t, gamma)",
        )


# --------------------------------------------------------------------------- kl_div


def kl_div_cases() -> None:
    q, p = [0.9, 0.1], [0.5, 0.5]
    v = F.kl_div(torch.log(t64([q])), t64([p]), reduction="batchmean")
    check(v, 0.5108256, 7)
    add(
        "torch-kl-div-batchmean-reference",
        "kl_divergence",
        [[p], [q]],
        {},
        v,
        "torch.nn.functional.kl_div(log q, p, reduction='batchmean') (log q FIRST)",
        post="mean",
    )
    P = rng_distributions(17, (4, 5), zeros=True)
    Q = rng_distributions(18, (4, 5))
    add(
        "torch-kl-div-batchmean-batch",
        "kl_divergence",
        [P, Q],
        {},
        F.kl_div(torch.log(t64(Q)), t64(P), reduction="batchmean"),
        "torch.nn.functional.kl_div(log q, p, reduction='batchmean')",
        post="mean",
    )


# --------------------------------------------------------------------------- upstream test suites

#: Cases ported from the libraries' own test suites (tests/upstream/ reads them). Each names the
#: upstream file and test in "upstream". "expected" is the library's value; "raises" (instead)
#: means ce_core deliberately refuses the input (documented in its docstring) and "library"
#: records what the library returned there.
UPSTREAM: list[dict] = []
CN = "torch/testing/_internal/common_nn.py"
CM = "torch/testing/_internal/common_modules.py"
CMI = "torch/testing/_internal/common_methods_invocations.py"
TNN = "test/test_nn.py"
TV = "torchvision test/test_ops.py"


def _library_repr(value) -> str:
    if isinstance(value, torch.Tensor):
        value = value.detach().numpy()
    return np.array2string(np.asarray(value, dtype=np.float64).ravel()[:6], precision=6)


def up(
    case_id: str,
    upstream: str,
    function: str,
    args: list,
    kwargs: dict | None,
    *,
    expected=None,
    raises: str | None = None,
    library=None,
    rtol: float = RTOL,
    atol: float = 0.0,
    post: str | None = None,
    note: str | None = None,
) -> None:
    """Record one ported upstream case (a value, or a ValueError that ce_core documents)."""
    if any(c["id"] == case_id for c in UPSTREAM):
        raise ValueError(f"duplicate upstream case id {case_id}")
    case = {
        "id": case_id,
        "upstream": upstream,
        "function": function,
        "args": encode(args),
        "kwargs": encode(kwargs or {}),
    }
    if raises is None:
        case["expected"] = plain(expected)
        case["rtol"] = rtol
        if atol:
            case["atol"] = atol
    else:
        case["raises"] = raises
        case["library"] = _library_repr(library) if library is not None else "raises"
    UPSTREAM.append(_with_post_and_note(case, post, note))


def _listed(kw: dict, **more) -> dict:
    """Keyword arguments as a case stores them: tensors as nested lists (then ``more``)."""
    return {**{k: (v.tolist() if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}, **more}


def _up_bce(case_id: str, src: str, i: torch.Tensor, t: torch.Tensor, kw: dict) -> None:
    """A binary_cross_entropy case: targets ``t``, probabilities ``i``, expected from PyTorch."""
    expected = F.binary_cross_entropy(i, t, **kw)
    up(case_id, src, "binary_cross_entropy", [t.tolist(), i.tolist()], _listed(kw), expected=expected)


def _up_bce_with_logits(case_id: str, src: str, x: torch.Tensor, t: torch.Tensor, reduction: str) -> None:
    """binary_cross_entropy_with_logits as ce_core's sigmoid_focal_loss with alpha off and gamma 0."""
    args, kwargs = [x.tolist(), t.tolist()], {"alpha": -1.0, "gamma": 0.0, "reduction": reduction}
    expected = F.binary_cross_entropy_with_logits(x, t, reduction=reduction)
    up(case_id, src, "sigmoid_focal_loss", args, kwargs, expected=expected, atol=ATOL_TORCH_LOG_ROUNDING)


def _last(x: torch.Tensor) -> list:
    """Classes from axis 1 (PyTorch) to the last axis (ce_core)."""
    return x.movedim(1, -1).tolist() if x.ndim > 1 else x.tolist()


def _make(gen: torch.Generator, shape, low=-9.0, high=9.0) -> torch.Tensor:
    """torch.testing.make_tensor's float range (default [-9, 9)), from a seeded generator."""
    return low + (high - low) * torch.rand(shape, generator=gen, dtype=torch.float64)


def _up_bce_no_reduce(scalar: str, args: list, ref: torch.Tensor, w: torch.Tensor, w_case) -> None:
    """common_nn.py's bceloss{,_weights}_no_reduce{,_scalar}_test: ``ref`` without the weight, ``ref * w`` with it."""
    suffix = scalar.replace("_", "-")
    for weights, kw, expected in (("", {}, ref), ("_weights", {"weight": w_case}, ref * w)):
        case_id = f"bce{weights.replace('_', '-')}-no-reduce{suffix}"
        source = f"{CN}::bceloss{weights}_no_reduce{scalar}_test"
        up(case_id, source, "binary_cross_entropy", args, {**kw, "reduction": "none"}, expected=expected)


def upstream_torch_cases() -> None:
    from torch.testing._internal.common_nn import (
        cross_entropy_loss_reference,
        nllloss_reference,
        nlllossNd_reference,
    )

    gen = torch.Generator().manual_seed(2024)
    # -- common_modules.py::module_inputs_torch_nn_CrossEntropyLoss, with common_nn.py's
    #    cross_entropy_loss_reference as the expected value (checked against F.cross_entropy).
    weight_raw = _make(gen, (3,))
    weight = weight_raw.abs()
    cases = [
        ("", {}),
        ("weights", {"weight": weight}),
        ("ignore_index", {"ignore_index": 1}),
        ("label_smoothing", {"label_smoothing": 0.15}),
        ("ignore_index_label_smoothing", {"ignore_index": 1, "label_smoothing": 0.15}),
    ]
    index_shapes = {"4d": (2, 3, 5, 5), "3d": (2, 3, 5), "2d": (2, 3), "higher_dim": (2, 3, 5, 5, 2, 2)}
    prob_shapes = {
        "4d_prob_target": (5, 3, 4, 2),
        "3d_prob_target": (5, 3, 4),
        "2d_prob_target": (5, 3),
        "higher_dim_prob_target": (2, 3, 5, 5, 2, 2),
    }
    src = f"{CM}::module_inputs_torch_nn_CrossEntropyLoss, expected from {CN}::cross_entropy_loss_reference"
    for reduction in REDUCTIONS:
        for desc, kw in cases:
            for shape_name, shape in index_shapes.items():
                x = _make(gen, shape)
                t = torch.randint(0, 3, (shape[0], *shape[2:]), generator=gen)
                ref = cross_entropy_loss_reference(x, t, reduction=reduction, **kw)
                lib = F.cross_entropy(x, t, reduction=reduction, **kw)
                assert torch.allclose(ref, lib, rtol=1e-12, atol=1e-12, equal_nan=True)
                ck = _listed(kw, reduction=reduction)
                cid = f"ce-module-{shape_name}_{desc}_{reduction}".replace("__", "_")
                if reduction == "mean" and torch.isnan(ref):
                    up(
                        cid,
                        src,
                        "softmax_cross_entropy",
                        [_last(x), t.tolist()],
                        ck,
                        raises="every sample equals ignore_index",
                        library=ref,
                    )
                else:
                    up(cid, src, "softmax_cross_entropy", [_last(x), t.tolist()], ck, expected=ref)
            if "ignore_index" in kw:
                continue
            for shape_name, shape in prob_shapes.items():
                x = _make(gen, shape)
                t = _make(gen, shape).softmax(dim=1)
                ref = cross_entropy_loss_reference(x, t, reduction=reduction, **kw)
                assert torch.allclose(
                    ref, F.cross_entropy(x, t, reduction=reduction, **kw), rtol=1e-12, atol=1e-12
                )
                ck = _listed(kw, reduction=reduction)
                up(
                    f"ce-module-{shape_name}_{desc}_{reduction}".replace("__", "_"),
                    src,
                    "softmax_cross_entropy",
                    [_last(x), _last(t)],
                    ck,
                    expected=ref,
                )
            # no_batch_dim: one sample, logits (3,), target ()
            x = _make(gen, (3,))
            t = torch.randint(0, 3, (), generator=gen)
            ck = _listed(kw, reduction=reduction)
            up(
                f"ce-module-no_batch_dim_{desc}_{reduction}".replace("__", "_"),
                src,
                "softmax_cross_entropy",
                [x.tolist(), int(t)],
                ck,
                expected=F.cross_entropy(x, t, reduction=reduction, **kw),
            )
    # the same module inputs with make_tensor's signed weight: PyTorch accepts negative class weights
    x = _make(gen, (2, 3))
    t = torch.tensor([0, 1])
    up(
        "ce-module-2d_weights_signed_mean",
        src,
        "softmax_cross_entropy",
        [x.tolist(), t.tolist()],
        {"weight": [-abs(float(weight_raw[0])), float(weight[1]), float(weight[2])]},
        raises="weight must be finite and non-negative",
        library=F.cross_entropy(
            x, t, weight=torch.tensor([-float(weight[0]), float(weight[1]), float(weight[2])])
        ),
    )

    # -- common_modules.py::module_inputs_torch_nn_NLLLoss: log_softmax inputs, so NLL = cross-entropy
    #    of the same scores; expected from common_nn.py's nllloss_reference / nlllossNd_reference.
    nll_cases = [
        ("", {}),
        ("reduction_sum", {"reduction": "sum"}),
        ("reduction_none", {"reduction": "none"}),
        ("ignore_index", {"ignore_index": 2}),
        ("weights", {"weight": _make(gen, (4,)).abs()}),
        ("weights_ignore_index", {"weight": _make(gen, (4,)).abs(), "ignore_index": 2}),
        ("weights_ignore_index_neg", {"weight": _make(gen, (4,)).abs(), "ignore_index": -1}),
    ]
    nll_shapes = {
        "": ((15, 4), nllloss_reference),
        "nd_": ((2, 4, 5, 5), nlllossNd_reference),
        "higher_dim_": ((2, 4, 5, 5, 2, 2), nlllossNd_reference),
        "3d_": ((2, 4, 5), nlllossNd_reference),
    }
    src = f"{CM}::module_inputs_torch_nn_NLLLoss, expected from {CN}::nllloss_reference / nlllossNd_reference"
    for desc, kw in nll_cases:
        for prefix, (shape, ref_fn) in nll_shapes.items():
            logp = _make(gen, shape).log_softmax(dim=1)
            t = torch.floor(torch.rand((shape[0], *shape[2:]), generator=gen) * 4).long()
            ref = ref_fn(logp, t, **kw)
            assert torch.allclose(ref, F.nll_loss(logp, t, **kw), rtol=1e-12, atol=1e-12)
            ck = _listed(kw)
            up(
                f"nll-module-{prefix}{desc or 'default'}",
                src,
                "softmax_cross_entropy",
                [_last(logp), t.tolist()],
                ck,
                expected=ref,
                note="NLL of log-probabilities = cross-entropy of those scores",
            )

    # -- common_nn.py::bceloss_no_reduce_test and friends: reference_fn -(t log i + (1 - t) log(1 - i)) [* w]
    t = (torch.randn(15, 10, generator=gen) > 0).double()
    i = torch.rand(15, 10, generator=gen, dtype=torch.float64).clamp_(2.8e-2, 1 - 2.8e-2)
    w = torch.rand(10, generator=gen, dtype=torch.float64)
    ref = -(t * i.log() + (1 - t) * (1 - i).log())
    assert torch.allclose(ref, F.binary_cross_entropy(i, t, reduction="none"), rtol=1e-12)
    _up_bce_no_reduce("", [t.tolist(), i.tolist()], ref, w, w.tolist())
    ts = (torch.randn((), generator=gen) > 0).double()
    i_s = torch.rand((), generator=gen, dtype=torch.float64).clamp_(2.8e-2, 1 - 2.8e-2)
    ws = torch.rand((), generator=gen, dtype=torch.float64)
    ref_s = -(ts * i_s.log() + (1 - ts) * (1 - i_s).log())
    _up_bce_no_reduce("_scalar", [float(ts), float(i_s)], ref_s, ws, float(ws))
    # bce_with_logistic_no_reduce_test: BCE with logits = focal loss at gamma 0, alpha off.
    xl = torch.rand(15, 10, generator=gen, dtype=torch.float64).clamp_(2.8e-2, 1 - 2.8e-2)
    ref = -(t * torch.sigmoid(xl).log() + (1 - t) * (1 - torch.sigmoid(xl)).log())
    assert torch.allclose(ref, F.binary_cross_entropy_with_logits(xl, t, reduction="none"), rtol=1e-12)
    up(
        "bce-with-logits-no-reduce",
        f"{CN}::bce_with_logistic_no_reduce_test",
        "sigmoid_focal_loss",
        [xl.tolist(), t.tolist()],
        {"alpha": -1.0, "gamma": 0.0, "reduction": "none"},
        expected=ref,
        rtol=1e-12 * 1e3,
    )

    # -- common_modules.py::module_inputs_torch_nn_BCELoss (reference bce_loss_reference_fn; mean = sum / numel)
    src = f"{CM}::module_inputs_torch_nn_BCELoss"
    wb = _make(gen, (10,))
    for desc, kw in [
        ("", {}),
        ("reduction_sum", {"reduction": "sum"}),
        ("reduction_mean", {"reduction": "mean"}),
        ("reduction_none", {"reduction": "none"}),
        ("weights", {"weight": wb.abs()}),
    ]:
        i = _make(gen, (15, 10), 1e-2, 1 - 1e-2)
        t = (_make(gen, (15, 10)) > 0).double()
        _up_bce(f"bce-module-{desc or 'default'}", src, i, t, kw)
    i = _make(gen, (15, 10), 1e-2, 1 - 1e-2)
    t = (_make(gen, (15, 10)) > 0).double()
    wneg = wb.clone()
    wneg[0] = -abs(float(wneg[0]))
    up(
        "bce-module-weights-signed",
        src,
        "binary_cross_entropy",
        [t.tolist(), i.tolist()],
        {"weight": wneg.tolist()},
        raises="weight must be finite and non-negative",
        library=F.binary_cross_entropy(i, t, weight=wneg),
    )
    sw = _make(gen, ()).abs()
    i = _make(gen, (), 1e-2, 1 - 1e-2)
    t = (_make(gen, ()) > 0).double()
    up(
        "bce-module-scalar_weight",
        src,
        "binary_cross_entropy",
        [float(t), float(i)],
        {"weight": float(sw)},
        expected=F.binary_cross_entropy(i, t, weight=sw),
    )

    # -- common_methods_invocations.py::sample_inputs_cross_entropy
    src = f"{CMI}::sample_inputs_cross_entropy"
    shape = (2, 3)
    w_signed = _make(gen, (3,))
    samples = [
        (shape, {}),
        ((*shape, 1), {}),
        ((*shape, 1, 2), {}),
        ((*shape, 1, 2, 3), {}),
        *[(shape, {"reduction": r}) for r in REDUCTIONS],
        *[(shape, {"weight": w_signed.abs(), "reduction": r}) for r in REDUCTIONS],
        (shape, {"ignore_index": 1}),
    ]
    for n, (s, kw) in enumerate(samples):
        ck = _listed(kw)
        x = _make(gen, s)
        t = torch.randint(0, 3, (2, *s[2:]), generator=gen)
        if "ignore_index" in kw and torch.all(t == 1):
            t[0] = 0  # as upstream: at least one sample not ignored
        up(
            f"ce-sample-{n}-index",
            src,
            "softmax_cross_entropy",
            [_last(x), t.tolist()],
            ck,
            expected=F.cross_entropy(x, t, **kw),
        )
        if "ignore_index" in kw:
            continue
        tp = _make(gen, s, 0.0, 1.0)  # upstream: make_tensor(low=0, high=1), not a distribution
        up(
            f"ce-sample-{n}-probability-raw",
            src,
            "softmax_cross_entropy",
            [_last(x), _last(tp)],
            ck,
            raises="target must sum to 1",
            library=F.cross_entropy(x, tp, **kw),
        )
        tn = tp / tp.sum(dim=1, keepdim=True)
        up(
            f"ce-sample-{n}-probability-normalised",
            src,
            "softmax_cross_entropy",
            [_last(x), _last(tn)],
            ck,
            expected=F.cross_entropy(x, tn, **kw),
            note="the upstream target divided by its sum over classes",
        )
    x = _make(gen, shape)
    wneg = w_signed.clone()
    wneg[0] = -abs(float(wneg[0]))  # make_tensor's weights are signed: one negative class weight
    up(
        "ce-sample-signed-weight",
        src,
        "softmax_cross_entropy",
        [x.tolist(), [0, 2]],
        {"weight": wneg.tolist()},
        raises="weight must be finite and non-negative",
        library=F.cross_entropy(x, torch.tensor([0, 2]), weight=wneg),
    )

    # -- common_methods_invocations.py::sample_inputs_nll_loss (inputs made log-probabilities)
    src = f"{CMI}::sample_inputs_nll_loss"
    for reduction in REDUCTIONS:
        for s in ((2, 3), (3,), (2, 3, 2, 2)):
            tshape = (s[0], *s[2:]) if len(s) > 1 else ()
            hi = s[1] if len(s) > 1 else s[0]
            dim = 1 if len(s) > 1 else 0
            variants = [
                ("plain", {}),
                ("weight", {"weight": _make(gen, (3,)).abs()}),
                ("weight-low0", {"weight": _make(gen, (3,), 0.0, 9.0)}),
                ("ignore", {"ignore_index": 1}),
                ("ignore-weight", {"ignore_index": 1, "weight": _make(gen, (3,)).abs()}),
            ]
            for name, kw in variants:
                logp = _make(gen, s).log_softmax(dim=dim)
                t = torch.randint(0, hi, tshape, generator=gen)
                if "ignore_index" in kw and reduction == "mean" and bool(torch.all(t == 1)):
                    t.fill_(0)  # as upstream
                ck = _listed(kw, reduction=reduction)
                tt = t.tolist() if t.ndim else int(t)
                up(
                    f"nll-sample-{reduction}-{'x'.join(map(str, s))}-{name}",
                    src,
                    "softmax_cross_entropy",
                    [_last(logp), tt],
                    ck,
                    expected=F.nll_loss(logp, t, **kw, reduction=reduction),
                )
            # weight(high=0): non-positive class weights; PyTorch accepts them
            logp = _make(gen, s).log_softmax(dim=dim)
            t = torch.randint(0, hi, tshape, generator=gen)
            wn = _make(gen, (3,), -9.0, 0.0)
            up(
                f"nll-sample-{reduction}-{'x'.join(map(str, s))}-weight-high0",
                src,
                "softmax_cross_entropy",
                [_last(logp), t.tolist() if t.ndim else int(t)],
                {"weight": wn.tolist(), "reduction": reduction},
                raises="weight must be finite and non-negative",
                library=F.nll_loss(logp, t, weight=wn, reduction=reduction),
            )
            if reduction != "mean" and len(s) > 1:
                logp = _make(gen, s).log_softmax(dim=dim)
                t = torch.zeros(tshape, dtype=torch.long)
                up(
                    f"nll-sample-{reduction}-{'x'.join(map(str, s))}-all-ignored",
                    src,
                    "softmax_cross_entropy",
                    [_last(logp), t.tolist()],
                    {"ignore_index": 0, "reduction": reduction},
                    expected=F.nll_loss(logp, t, ignore_index=0, reduction=reduction),
                )
    logp = _make(gen, (2, 3)).log_softmax(dim=1)
    up(
        "nll-sample-ignore-minus-1",
        src,
        "softmax_cross_entropy",
        [logp.tolist(), [-1, 2]],
        {"ignore_index": -1},
        expected=F.nll_loss(logp, torch.tensor([-1, 2]), ignore_index=-1),
    )

    # -- common_methods_invocations.py::sample_inputs_binary_cross_entropy (S = 5; soft targets)
    src = f"{CMI}::sample_inputs_binary_cross_entropy"
    S = 5
    bce_samples = [
        *[(s, {}) for s in ((), (1,), (S,), (S, S), (S, S, S))],
        *[((S, S), {"reduction": r}) for r in REDUCTIONS],
        *[((S, S), {"reduction": r, "weight": _make(gen, (S, S)).abs()}) for r in REDUCTIONS],
    ]
    for n, (s, kw) in enumerate(bce_samples):
        i = _make(gen, s, 1e-6, 1.0)
        t = _make(gen, s, 1e-6, 1.0)
        _up_bce(f"bce-sample-{n}", src, i, t, kw)
    # with logits (same sample list, weight left out: sigmoid_focal_loss has none)
    for n, (s, kw) in enumerate(bce_samples[:8]):
        x = _make(gen, s)
        t = _make(gen, s, 1e-6, 1.0)
        r = kw.get("reduction", "mean")
        _up_bce_with_logits(
            f"bce-with-logits-sample-{n}", f"{CMI}::sample_inputs_binary_cross_entropy_with_logits", x, t, r
        )

    # -- common_methods_invocations.py::sample_inputs_logsumexp / reference_inputs_logsumexp
    src = f"{CMI}::sample_inputs_logsumexp"
    for low in (None, 1e3, 1e6):
        lo, hi = (-9.0, 9.0) if low is None else (low, 2 * low)
        a = _make(gen, (5, 5), lo, hi)
        up(
            f"logsumexp-sample-low{low}-dim1",
            src,
            "logsumexp",
            [a.tolist()],
            {},
            expected=torch.logsumexp(a, 1),
        )
        up(
            f"logsumexp-sample-low{low}-dim-2",
            src,
            "logsumexp",
            [a.T.tolist()],
            {},
            expected=torch.logsumexp(a, -2),
            note="dim=-2: the transpose, classes last",
        )
        up(
            f"logsumexp-sample-low{low}-dims01",
            src,
            "logsumexp",
            [a.reshape(-1).tolist()],
            {},
            expected=torch.logsumexp(a, (0, 1)),
            note="dims (0, 1): the flattened array",
        )
        s0 = _make(gen, (), lo, hi)
        up(
            f"logsumexp-sample-low{low}-scalar",
            src,
            "logsumexp",
            [float(s0)],
            {},
            raises="logits must have a class axis",
            library=torch.logsumexp(s0, 0),
        )
    src = f"{CMI}::reference_inputs_logsumexp"
    up(
        "logsumexp-reference-20-30-100",
        src,
        "logsumexp",
        [[20.0, 30.0, 100.0]],
        {},
        expected=torch.logsumexp(t64([20.0, 30.0, 100.0]), 0),
    )
    up(
        "logsumexp-reference-empty",
        src,
        "logsumexp",
        [[]],
        {},
        raises="logits must have at least one class",
        library=torch.logsumexp(t64([]), 0),
    )
    up(
        "logsumexp-reference-inf",
        src,
        "logsumexp",
        [["inf"]],
        {},
        raises="logits must be finite",
        library=torch.logsumexp(t64([math.inf]), 0),
    )


def upstream_test_nn_cases() -> None:
    gen = torch.Generator().manual_seed(2025)
    # test/test_nn.py::test_cross_entropy_loss_prob_target_all_reductions: k-dimensional, N=5, C=4,
    # target = randn (any real numbers for PyTorch; a distribution for ce_core, so softmaxed here).
    from torch.testing._internal.common_nn import cross_entropy_loss_reference

    src = f"{TNN}::test_cross_entropy_loss_prob_target_all_reductions (reference {CN}::cross_entropy_loss_reference)"
    for k in range(5):
        other = [int(torch.randint(2, 5, (1,), generator=gen)) for _ in range(k)]
        x = torch.randn(5, 4, *other, generator=gen, dtype=torch.float64)
        t_raw = torch.randn(5, 4, *other, generator=gen, dtype=torch.float64)
        t = t_raw.softmax(dim=1)
        w = torch.randn(4, generator=gen, dtype=torch.float64).abs()
        for reduction in REDUCTIONS:
            for wname, ww in (("noweight", None), ("weight", w)):
                kw = {"reduction": reduction} | ({} if ww is None else {"weight": ww.tolist()})
                up(
                    f"ce-prob-all-reductions-k{k}-{reduction}-{wname}",
                    src,
                    "softmax_cross_entropy",
                    [_last(x), _last(t)],
                    kw,
                    expected=cross_entropy_loss_reference(x, t, reduction=reduction, weight=ww),
                    note="upstream target softmaxed over the classes",
                )
        up(
            f"ce-prob-all-reductions-k{k}-randn-target",
            src,
            "softmax_cross_entropy",
            [_last(x), _last(t_raw)],
            {},
            raises="target must",
            library=F.cross_entropy(x, t_raw),
        )
    # test/test_nn.py::test_cross_entropy_label_smoothing_with_probs: target = log_softmax(randn) upstream,
    # which is no distribution; ce_core takes its softmax. Smoothing by option = smoothing by hand.
    src = f"{TNN}::test_cross_entropy_label_smoothing_with_probs"
    for k in range(3):
        other = [int(torch.randint(2, 5, (1,), generator=gen)) for _ in range(k)]
        x = torch.randn(10, 4, *other, generator=gen, dtype=torch.float64)
        raw = F.log_softmax(torch.randn(10, 4, *other, generator=gen, dtype=torch.float64), dim=1)
        t = raw.exp()
        for ls in (0.05, 0.15):
            for reduction in REDUCTIONS:
                up(
                    f"ce-smoothing-with-probs-k{k}-{ls}-{reduction}",
                    src,
                    "softmax_cross_entropy",
                    [_last(x), _last(t)],
                    {"label_smoothing": ls, "reduction": reduction},
                    expected=F.cross_entropy(x, t, label_smoothing=ls, reduction=reduction),
                )
        up(
            f"ce-smoothing-with-probs-k{k}-log-target",
            src,
            "softmax_cross_entropy",
            [_last(x), _last(raw)],
            {"label_smoothing": 0.05},
            raises="target must be non-negative",
            library=F.cross_entropy(x, raw, label_smoothing=0.05),
        )


def upstream_torchvision_cases() -> None:
    # torchvision test/test_ops.py::TestFocalLoss._generate_diverse_input_target_pair(shape=(5, 2)):
    # 9 blocks of inputs logit(p) with p small / big / random and targets zeros / ones / random binary.
    def diverse(seed: int):
        gen = torch.Generator().manual_seed(seed)
        ranges = {
            "small": (0.0, 0.2),
            "big": (0.8, 1.0),
            "zeros": (0.0, 0.0),
            "ones": (1.0, 1.0),
            "random": (0.0, 1.0),
        }
        xs, ts = [], []
        for pin, ptg in [
            ("small", "zeros"),
            ("small", "ones"),
            ("small", "random_binary"),
            ("big", "zeros"),
            ("big", "ones"),
            ("big", "random_binary"),
            ("random", "zeros"),
            ("random", "ones"),
            ("random", "random_binary"),
        ]:
            lo, hi = ranges[pin]
            p = lo + (hi - lo) * torch.rand((5, 2), generator=gen, dtype=torch.float64)
            p = p.clamp(1e-12, 1 - 1e-12)  # make_tensor's open range: logit stays finite
            xs.append(torch.log(p / (1 - p)))
            if ptg == "random_binary":
                ts.append(torch.randint(0, 2, (5, 2), generator=gen).double())
            else:
                ts.append(torch.full((5, 2), ranges[ptg][0], dtype=torch.float64))
        return torch.cat(xs), torch.cat(ts)

    for seed in (0, 1):  # test_correct_ratio
        x, t = diverse(seed)
        for alpha in (-1.0, 0.0, 0.58, 1.0):
            for gamma in (0, 2):
                up(
                    f"tv-correct-ratio-seed{seed}-alpha{alpha}-gamma{gamma}",
                    f"{TV}::TestFocalLoss::test_correct_ratio",
                    "sigmoid_focal_loss",
                    [x.tolist(), t.tolist()],
                    {"alpha": alpha, "gamma": float(gamma), "reduction": "none"},
                    expected=tv_sigmoid_focal_loss(x, t, alpha=alpha, gamma=gamma, reduction="none"),
                    atol=ATOL_TORCH_LOG_ROUNDING,
                    note=FOCAL_NOTE,
                )
    for seed in (2, 3):  # test_equal_ce_loss
        x, t = diverse(seed)
        for reduction in ("mean", "sum"):
            _up_bce_with_logits(
                f"tv-equal-ce-seed{seed}-{reduction}",
                f"{TV}::TestFocalLoss::test_equal_ce_loss",
                x,
                t,
                reduction,
            )
    for seed in (4, 5):  # test_jit: the eager values for every alpha, gamma, reduction
        x, t = diverse(seed)
        for alpha in (-1.0, 0.0, 0.58, 1.0):
            for gamma in (0, 2):
                for reduction in REDUCTIONS:
                    up(
                        f"tv-jit-seed{seed}-alpha{alpha}-gamma{gamma}-{reduction}",
                        f"{TV}::TestFocalLoss::test_jit",
                        "sigmoid_focal_loss",
                        [x.tolist(), t.tolist()],
                        {"alpha": alpha, "gamma": float(gamma), "reduction": reduction},
                        expected=tv_sigmoid_focal_loss(x, t, alpha=alpha, gamma=gamma, reduction=reduction),
                        atol=ATOL_TORCH_LOG_ROUNDING * 10,
                        note=FOCAL_NOTE,
                    )


def _up_log_loss(case_id: str, src: str, q, y, expected, **kw) -> None:
    """A log_loss case: log_loss(y, q) = cross-entropy of the logits log q."""
    up(case_id, src, "softmax_cross_entropy", [np.log(q).tolist(), y], {}, expected=expected, **kw)


def upstream_sklearn_cases() -> None:
    from scipy.stats import bernoulli

    src = "sklearn/metrics/tests/test_classification.py::test_log_loss"
    # binary case with symbolic labels ("no" < "yes"): columns [P(no), P(yes)], labels as indices 0/1.
    y_true = ["no", "no", "no", "yes", "yes", "yes"]
    y_proba = np.array([[0.5, 0.5], [0.1, 0.9], [0.01, 0.99], [0.9, 0.1], [0.75, 0.25], [0.001, 0.999]])
    y = [int(v == "yes") for v in y_true]
    v = sklearn.metrics.log_loss(y_true, y_proba)
    assert math.isclose(
        v, -np.mean(bernoulli.logpmf(np.array(y_true) == "yes", y_proba[:, 1])), rel_tol=1e-12
    )
    _up_log_loss(
        "log-loss-binary-symbolic",
        src,
        y_proba,
        y,
        v,
        note="log_loss(y, q) = mean -log q[y] = cross-entropy of the logits log q",
    )
    y_ham = [0, 1, 1, 0]  # "ham" < "spam"
    q_ham = [[0.3, 0.7], [0.6, 0.4], [0.4, 0.6], [0.7, 0.3]]
    v = sklearn.metrics.log_loss(["ham", "spam", "spam", "ham"], q_ham)
    check(v, 0.7469410, 7)
    _up_log_loss("log-loss-string-labels-ham-spam", src, q_ham, y_ham, v)
    q_bin = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    v = sklearn.metrics.log_loss([0, 1, 1, 0], q_bin)
    _up_log_loss(
        "log-loss-y-pred-deprecation-values",
        "sklearn/metrics/tests/test_classification.py::test_log_loss_y_pred_deprecation",
        q_bin,
        [0, 1, 1, 0],
        v,
    )
    # test_log_loss_eps: y_true [0, 1], y_proba [1, 0] -> finite only because of the clip.
    for dtype in ("float64", "float32"):
        v = sklearn.metrics.log_loss(np.array([0, 1], dtype=dtype), np.array([1, 0], dtype=dtype))
        up(
            f"log-loss-eps-{dtype}",
            "sklearn/metrics/tests/test_classification.py::test_log_loss_eps",
            "clipped_log_loss",
            [[0.0, 0.0], "sklearn"],
            {"dtype": dtype},
            expected=v,
            rtol=RTOL if dtype == "float64" else RTOL_FLOAT32,
            post="mean",
        )


def random_cases() -> list[dict]:
    """Seeded random batches: ce_core against the real libraries over many shapes and options."""
    out: list[dict] = []
    rng = np.random.default_rng(20261201)

    def rec(kind: str, function: str, args, kwargs, expected, source: str, scale: float) -> None:
        # The absolute floor: a few ulps of the largest input magnitude (the loss is a difference
        # of logits of that size), and never below 1e-15.
        out.append(
            {
                "id": f"random-{kind}-{len(out):03d}",
                "function": function,
                "args": encode(args),
                "kwargs": encode(kwargs),
                "expected": plain(expected),
                "source": source,
                "rtol": RTOL,
                "atol": max(1e-15, 64 * float(np.finfo(np.float64).eps) * scale),
            }
        )

    # 240 batches of softmax cross-entropy: K = 2..10, every reduction, weights with zeros, smoothing,
    # ignore_index, probability targets, logits up to 1e4.
    for b in range(240):
        k = int(rng.integers(2, 11))
        n = int(rng.integers(1, 9))
        scale = float(10.0 ** rng.uniform(-1, 4))
        z = rng.standard_normal((n, k)) * scale
        reduction = REDUCTIONS[b % 3]
        kw: dict = {"reduction": reduction}
        tkw: dict = {"reduction": reduction}
        if rng.random() < 0.5:
            w = rng.uniform(0.0, 3.0, k)
            w[rng.random(k) < 0.25] = 0.0
            kw["weight"] = w.tolist()
            tkw["weight"] = t64(w)
        if rng.random() < 0.5:
            e = float(rng.choice([0.05, 0.1, 0.3, 0.5, 1.0, float(rng.uniform(0, 1))]))
            kw["label_smoothing"] = tkw["label_smoothing"] = e
        probability = rng.random() < 0.35
        if probability:
            p = rng.random((n, k)) ** 3
            p[rng.random((n, k)) < 0.2] = 0.0
            p[:, int(rng.integers(0, k))] += 0.01
            target = (p / p.sum(axis=-1, keepdims=True)).tolist()
            expected = F.cross_entropy(t64(z), t64(target), **tkw)
        else:
            y = rng.integers(0, k, n)
            if rng.random() < 0.4:
                ignore = int(rng.choice([-100, -1, int(rng.integers(0, k))]))
                y[rng.random(n) < 0.3] = ignore
                kw["ignore_index"] = tkw["ignore_index"] = ignore
            target = y.tolist()
            expected = F.cross_entropy(t64(z), torch.tensor(target), **tkw)
            if bool(
                torch.isnan(expected).any()
            ):  # all ignored or zero total weight with "mean": ce_core raises
                kw["reduction"] = tkw["reduction"] = "sum"
                expected = F.cross_entropy(t64(z), torch.tensor(target), **tkw)
        rec(
            "ce",
            "softmax_cross_entropy",
            [z.tolist(), target],
            kw,
            expected,
            f"torch.nn.functional.cross_entropy({', '.join(f'{a}=' for a in tkw)})",
            float(np.abs(z).max()),
        )
    # 60 batches of BCE (probabilities), hard and soft labels, weights with zeros.
    for b in range(60):
        shape = tuple(int(s) for s in rng.integers(1, 7, int(rng.integers(1, 3))))
        x = rng.uniform(1e-6, 1 - 1e-6, shape)
        y = rng.random(shape) if b % 2 else (rng.random(shape) < 0.5).astype(float)
        kw = {"reduction": REDUCTIONS[b % 3]}
        tkw = dict(kw)
        if rng.random() < 0.5:
            w = rng.uniform(0, 2, shape[-1:])
            w[rng.random(w.shape) < 0.3] = 0.0
            kw["weight"] = w.tolist()
            tkw["weight"] = t64(w)
        rec(
            "bce",
            "binary_cross_entropy",
            [y.tolist(), x.tolist()],
            kw,
            F.binary_cross_entropy(t64(x), t64(y), **tkw),
            "torch.nn.functional.binary_cross_entropy",
            1.0,
        )
    # 60 batches of torchvision's sigmoid focal loss, logits up to 50.
    for b in range(60):
        shape = (int(rng.integers(1, 8)), int(rng.integers(1, 5)))
        x = rng.standard_normal(shape) * float(10.0 ** rng.uniform(-1, 1.7))
        t = (rng.random(shape) < 0.5).astype(float) if b % 2 else rng.random(shape)
        alpha = float(rng.choice([-1.0, 0.0, 0.25, 0.5, 0.9, 1.0]))
        gamma = float(rng.choice([0.0, 0.5, 1.0, 2.0, 5.0]))
        kw = {"alpha": alpha, "gamma": gamma, "reduction": REDUCTIONS[b % 3]}
        rec(
            "focal",
            "sigmoid_focal_loss",
            [x.tolist(), t.tolist()],
            kw,
            tv_sigmoid_focal_loss(t64(x), t64(t), **kw),
            "torchvision.ops.sigmoid_focal_loss",
            1.0,
        )
    # 60 sets of the information functions against scipy.stats.entropy.
    for b in range(60):
        k = int(rng.integers(2, 11))
        n = int(rng.integers(1, 6))
        p = rng.random((n, k)) ** 2
        p[rng.random((n, k)) < 0.2] = 0.0
        p[:, 0] += 0.05
        p /= p.sum(axis=-1, keepdims=True)
        q = rng.random((n, k)) + 1e-3
        q /= q.sum(axis=-1, keepdims=True)
        base = [None, 2.0, 10.0][b % 3]
        kw = {} if base is None else {"base": base}
        fn = ("entropy", "kl_divergence", "cross_entropy")[(b // 3) % 3]
        if fn == "entropy":
            rec(
                "info",
                fn,
                [p.tolist()],
                kw,
                scipy.stats.entropy(p, base=base, axis=-1),
                "scipy.stats.entropy(p, axis=-1)",
                1.0,
            )
        elif fn == "kl_divergence":
            rec(
                "info",
                fn,
                [p.tolist(), q.tolist()],
                kw,
                scipy.stats.entropy(p, q, base=base, axis=-1),
                "scipy.stats.entropy(p, q, axis=-1)",
                1.0,
            )
        else:
            rec(
                "info",
                fn,
                [p.tolist(), q.tolist()],
                kw,
                scipy.stats.entropy(p, base=base, axis=-1) + scipy.stats.entropy(p, q, base=base, axis=-1),
                "scipy.stats.entropy(p) + scipy.stats.entropy(p, q)",
                1.0,
            )
    return out


# --------------------------------------------------------------------------- calibration

CALIBRATION: list[dict] = []
#: torchmetrics rounds confidences to float32 (``.float()``): its ECE agrees to float32 precision.
ATOL_ECE_FLOAT32 = 1e-6
#: minimize_scalar finds a minimiser from function values only: near a minimum f changes by
#: (dT)^2, so the location is known to about sqrt(float64 eps) = 1.5e-8 relative at best.
RTOL_MINIMIZE_SCALAR = 1e-6
RTOL_DERIVATIVE_ROOT = 1e-12


#: cal(case_id, function, args, kwargs, expected, source, *, rtol=0.0, atol=0.0, post=None, note=None, **extra):
#: atol is always written.
cal = functools.partial(_record, CALIBRATION, "calibration case", rtol=0.0, atol_always=True)


def _model(seed: int, n: int, k: int, *, scale: float, sharpen: float) -> tuple[list, list, list]:
    """Logits, their float64 softmax (torch, to 10 decimals) and labels drawn from softmax(logits / sharpen).

    ``sharpen > 1`` draws labels from flatter probabilities than the model's: an overconfident
    model, whose best temperature is above 1.
    """
    rng = np.random.default_rng(seed)
    z = np.round(scale * rng.standard_normal((n, k)), 4)  # short decimals keep the JSON small
    truth = torch.softmax(torch.tensor(z / sharpen, dtype=torch.float64), dim=1).numpy()
    y = np.array([rng.choice(k, p=row) for row in truth])
    probs = np.round(torch.softmax(torch.tensor(z, dtype=torch.float64), dim=1).numpy(), 10)
    return z.tolist(), probs.tolist(), y.tolist()  # rows of probs sum to 1 within 1e-9


def _torchmetrics_ece_exact_edges(probs, y, n_bins: int) -> float:
    """torchmetrics' own binning (_ce_compute) in float64 with the edges m / M as exact as float64 has them."""
    from torchmetrics.functional.classification.calibration_error import _ce_compute

    p = torch.tensor(probs, dtype=torch.float64)
    confidence, prediction = p.max(dim=1)
    accuracy = (prediction == torch.tensor(y)).to(torch.float64)
    edges = torch.tensor(np.arange(n_bins + 1) / n_bins, dtype=torch.float64)
    return float(_ce_compute(confidence, accuracy, edges, norm="l1"))


def _edge_heavy(seed: int, n: int) -> tuple[list, list]:
    """Rows whose top confidence is exactly an edge m/15 (0.2, 1/3, 0.4, 0.6, 2/3, 0.8), 0.5 or 1."""
    rng = np.random.default_rng(seed)
    rows = [
        [0.2] * 5,
        [1 / 3, 1 / 3, 1 / 3, 0.0, 0.0],
        [0.4, 0.3, 0.3, 0.0, 0.0],
        [0.6, 0.1, 0.1, 0.1, 0.1],
        [2 / 3, 1 / 3, 0.0, 0.0, 0.0],
        [0.8, 0.05, 0.05, 0.05, 0.05],
        [0.5, 0.5, 0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [0.7, 0.1, 0.1, 0.05, 0.05],
    ]
    probs = []
    for i in rng.integers(0, len(rows), n):
        perm = rng.permutation(5)
        probs.append([rows[i][j] for j in perm])
    y = rng.integers(0, 5, n).tolist()
    return probs, y


def calibration_cases() -> None:
    from torchmetrics.functional.classification import binary_calibration_error, multiclass_calibration_error

    def tm_ece(probs, y, k, n_bins=15) -> float:
        return float(
            multiclass_calibration_error(
                torch.tensor(probs, dtype=torch.float64),
                torch.tensor(y),
                num_classes=k,
                n_bins=n_bins,
                norm="l1",
            )
        )

    src = "torchmetrics multiclass_calibration_error(preds, target, num_classes, n_bins={}, norm='l1')"
    # Random models: the float32 confidences rarely sit within a float32 step of an edge.
    for seed, n, k, scale, sharpen, n_bins in [
        (1801, 400, 3, 2.0, 1.0, 15),
        (1802, 300, 10, 3.0, 2.0, 15),
        (1803, 300, 5, 4.0, 3.0, 10),
        (1804, 500, 4, 1.0, 0.5, 15),
    ]:
        _, probs, y = _model(seed, n, k, scale=scale, sharpen=sharpen)
        cal(
            f"ece-torchmetrics-random-{seed}",
            "expected_calibration_error",
            [probs, y],
            {"n_bins": n_bins},
            tm_ece(probs, y, k, n_bins),
            src.format(n_bins),
            atol=ATOL_ECE_FLOAT32,
            note="torchmetrics works in float32",
        )
    # Edge-heavy data: confidences exactly on edges, and exactly 1 (a bin of its own in torchmetrics).
    for seed, n in [(1811, 60), (1812, 200)]:
        probs, y = _edge_heavy(seed, n)
        library = tm_ece(probs, y, 5)
        exact = _torchmetrics_ece_exact_edges(probs, y, 15)
        cal(
            f"ece-torchmetrics-edges-{seed}",
            "expected_calibration_error",
            [probs, y],
            {"n_bins": 15},
            exact,
            "torchmetrics _ce_compute(confidences, accuracies, bin_boundaries=m/15 in float64, norm='l1')",
            rtol=1e-12,
            library=library,
            note="the public multiclass_calibration_error (float32 confidences and linspace edges) gives 'library'",
        )
    # Where torchmetrics' float32 moves a confidence across an edge and the ECE changes. Its float32 linspace
    # edge 6/15 is one float32 step above 0.4, so 0.4 joins [1/3, 0.4) with the 0.35s; and 1 - 1e-9 rounds to
    # float32 1.0, a bin of its own, instead of staying in [14/15, 1) with the 0.95s.
    for case_id, probs, y in [
        (
            "ece-torchmetrics-float32-edge-0.4",
            [[0.35, 0.35, 0.3]] * 10 + [[0.4, 0.3, 0.3]] * 10,
            [0] * 10 + [1] * 10,
        ),
        (
            "ece-torchmetrics-float32-near-1",
            [[0.95, 0.05, 0.0]] * 10 + [[1 - 1e-9, 1e-9, 0.0]] * 10,
            [0] * 10 + [1] * 10,
        ),
    ]:
        cal(
            case_id,
            "expected_calibration_error",
            [probs, y],
            {"n_bins": 15},
            _torchmetrics_ece_exact_edges(probs, y, 15),
            "torchmetrics _ce_compute(confidences, accuracies, bin_boundaries=m/15 in float64, norm='l1')",
            rtol=1e-12,
            library=tm_ece(probs, y, 3),
            note="ce_core deliberately differs from the public float32 multiclass_calibration_error ('library')",
        )
    # Binary (one-vs-rest for class 1), with forecasts of exactly 0 and 1.
    rng = np.random.default_rng(1821)
    f = rng.random(300)
    f[:20] = 0.0
    f[20:40] = 1.0
    f[40:60] = 0.2
    y = (rng.random(300) < np.clip(f + 0.1 * rng.standard_normal(300), 0, 1)).astype(int)
    probs = np.stack([1 - f, f], axis=1).tolist()
    value = float(
        binary_calibration_error(torch.tensor(f, dtype=torch.float64), torch.tensor(y), n_bins=15, norm="l1")
    )
    cal(
        "binary-calibration-torchmetrics-1821",
        "classwise_reliability",
        [probs, y.tolist(), 1],
        {"n_bins": 15},
        value,
        "torchmetrics binary_calibration_error(probs[:, 1], target, n_bins=15, norm='l1')",
        rtol=1e-12,
        post="calibration_error",
        note="the binary path keeps float64 (no .float() as in the multiclass one)",
    )
    # The decomposition's parts add up to the mean cross-entropy: sklearn's log_loss.
    _, probs, y = _model(1831, 400, 2, scale=2.0, sharpen=1.5)
    cal(
        "log-loss-decomposition-total-sklearn-1831",
        "log_loss_decomposition",
        [probs, y],
        {"n_bins": 15},
        sklearn.metrics.log_loss(y, probs, labels=[0, 1]),
        "sklearn.metrics.log_loss(y, probs)",
        rtol=1e-12,
        post="total",
    )
    # Temperature scaling: scipy minimises the mean NLL (torch's cross_entropy) over T.
    for seed, n, k, scale, sharpen in [
        (1841, 300, 4, 2.0, 2.0),
        (1842, 250, 10, 3.0, 1.5),
        (1843, 200, 3, 1.0, 0.5),
        (1844, 400, 6, 5.0, 4.0),
    ]:
        z, _, y = _model(seed, n, k, scale=scale, sharpen=sharpen)
        zt, yt = torch.tensor(z, dtype=torch.float64), torch.tensor(y)

        def nll(t: float, zt=zt, yt=yt) -> float:
            return float(F.cross_entropy(zt / t, yt))

        def slope(t: float, zt=zt, yt=yt) -> float:
            tt = torch.tensor(t, dtype=torch.float64, requires_grad=True)
            F.cross_entropy(zt / tt, yt).backward()
            return float(tt.grad)

        res = scipy.optimize.minimize_scalar(
            nll, bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-12, "maxiter": 10_000}
        )
        root = scipy.optimize.brentq(slope, res.x / 2, res.x * 2, xtol=1e-300, rtol=4 * np.finfo(float).eps)
        cal(
            f"fit-temperature-scipy-{seed}",
            "fit_temperature",
            [z, y],
            {},
            float(res.x),
            "scipy.optimize.minimize_scalar(mean NLL of softmax(z / T) by torch, bounds=(1e-3, 1e3), "
            "method='bounded', xatol=1e-12)",
            rtol=RTOL_MINIMIZE_SCALAR,
            root=root,
            note=f"'root': scipy.optimize.brentq on the autograd dNLL/dT, rtol {RTOL_DERIVATIVE_ROOT} expected",
        )


def calibration_versions() -> dict:
    import torchmetrics

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "torch": torch.__version__,
        "torchmetrics": torchmetrics.__version__,
        "scikit-learn": sklearn.__version__,
    }


LISTS = ("cases", "upstream", "random", "calibration")


def write_json(data: dict) -> None:
    """One line per case keeps the file short and its diffs readable."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lists = [key for key in LISTS if key in data]
    head = json.dumps({k: v for k, v in data.items() if k not in lists}, indent=1, allow_nan=False)[:-2]
    bodies = [
        f' "{key}": [\n  ' + ",\n  ".join(json.dumps(case, allow_nan=False) for case in data[key]) + "\n ]"
        for key in lists
    ]
    OUT.write_text(head + ",\n" + ",\n".join(bodies) + "\n}\n")


def main_calibration_only() -> None:
    """Rewrite only "calibration" and "calibration_versions"; every other value stays as it is."""
    calibration_cases()
    data = json.loads(OUT.read_text())
    data["calibration_versions"] = calibration_versions()
    data["calibration"] = CALIBRATION
    write_json(data)
    print(f"wrote {len(CALIBRATION)} calibration cases to {OUT}")


def main() -> None:
    if torchvision is None:
        raise SystemExit(
            "torchvision is needed to rewrite every value; --calibration-only needs only torchmetrics"
        )
    information_cases()
    softmax_cases()
    binary_cases()
    constants = clipping_cases()
    cross_entropy_cases()
    focal_cases()
    kl_div_cases()
    constants["torch_log_clamp"] = -F.binary_cross_entropy(t64([0.0]), t64([1.0])).item()
    upstream_torch_cases()
    upstream_test_nn_cases()
    upstream_torchvision_cases()
    upstream_sklearn_cases()
    random = random_cases()
    data = {
        "about": "Golden values from the real libraries, float64 on CPU. Written by "
        "scripts/make_reference_values.py; read by tests/test_reference_values.py.",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "scikit-learn": sklearn.__version__,
        },
        "constants": constants,
        "cases": CASES,
        "upstream": UPSTREAM,
        "random": random,
    }
    calibration_cases()
    data["calibration_versions"] = calibration_versions()
    data["calibration"] = CALIBRATION
    write_json(data)
    print(
        f"wrote {len(CASES)} cases, {len(UPSTREAM)} upstream cases, {len(random)} random batches to {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}"
    )


if __name__ == "__main__":
    import sys

    torch.set_default_dtype(torch.float64)
    main_calibration_only() if "--calibration-only" in sys.argv[1:] else main()
