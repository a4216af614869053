"""Why softmax subtracts the maximum: the textbook formula next to the stable one.

``exp`` of a float64 overflows to ``inf`` above about 709.78 and underflows to 0
below about -745. The textbook softmax ``exp(z) / sum(exp(z))`` then divides
``inf`` by ``inf`` or 0 by 0, both NaN. Softmax does not change when one constant
is added to every logit, so subtracting the largest logit first keeps every
exponent at or below 0 and gives the right answer for logits of any size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ce_core._validation import as_float_array, check_logits, check_positive
from ce_core.softmax import logsumexp, naive_softmax, softmax
from ce_core.temperature import scale_logits

#: ``exp(x)`` is ``inf`` in float64 for ``x`` above this (``ln`` of the largest float).
EXP_OVERFLOW = float(np.log(np.finfo(np.float64).max))

#: What happened to each class in the textbook formula.
STATUSES = ("ok", "overflow", "finite_over_inf", "underflow")


@dataclass(frozen=True)
class SoftmaxOverflow:
    """Both softmax computations for one vector of logits, step by step."""

    scaled: np.ndarray  #: (z + shift) / T, the exponents of the textbook formula
    naive_exp: np.ndarray  #: exp(scaled): may be inf (overflow) or 0 (underflow)
    naive_sum: float  #: sum of naive_exp: inf as soon as one term is
    naive: np.ndarray  #: naive_softmax: NaN where inf/inf or 0/0
    shifted: np.ndarray  #: scaled - max(scaled), all <= 0
    stable_exp: np.ndarray  #: exp(shifted), in (0, 1], the largest is exactly 1
    stable: np.ndarray  #: softmax: the right answer
    status: tuple[str, ...]  #: one of STATUSES per class
    change_from_shift: float  #: max |softmax(z + shift) - softmax(z)|: rounding only


def softmax_overflow(logits: object, shift: float = 0.0, temperature: float = 1.0) -> SoftmaxOverflow:
    """Compute softmax both ways for ``z + shift`` and say where the textbook way fails.

    .. math:: \\frac{e^{s_i}}{\\sum_j e^{s_j}} = \\frac{e^{s_i - m}}{\\sum_j e^{s_j - m}},
              \\quad s = (z + c) / T,\\ m = \\max_j s_j

    Parameters
    ----------
    logits : array_like, shape (C,)
        One sample's logits.
    shift : float, default 0
        The constant ``c`` added to every logit. It cannot change the softmax.
    temperature : float, default 1

    Returns
    -------
    SoftmaxOverflow
        Status per class: "overflow" (``exp = inf``, so ``inf / inf = NaN``),
        "finite_over_inf" (finite ``exp`` divided by an infinite sum gives 0),
        "underflow" (every ``exp`` is 0, so ``0 / 0 = NaN``) or "ok".

    Examples
    --------
    >>> r = softmax_overflow([1000.0, 999.0])
    >>> r.status, r.stable.round(4).tolist()
    (('overflow', 'overflow'), [0.7311, 0.2689])
    >>> softmax_overflow([0.0, 0.0], shift=-1000.0).status
    ('underflow', 'underflow')
    """
    z = check_logits(logits)
    if z.ndim != 1:
        raise ValueError(f"logits must be one sample, shape (C,) (got shape {z.shape})")
    c = float(as_float_array(shift, "shift"))
    if not np.isfinite(c):
        raise ValueError(f"shift must be finite (got {shift!r})")
    moved = z + c
    scaled = scale_logits(moved, temperature)
    with np.errstate(over="ignore", under="ignore"):
        naive_exp = np.exp(scaled)
        naive_sum = float(naive_exp.sum())
    shifted = scaled - scaled.max()
    stable = softmax(moved, temperature)
    if np.isinf(naive_sum):
        status = tuple("overflow" if np.isinf(e) else "finite_over_inf" for e in naive_exp)
    elif naive_sum == 0.0:
        status = ("underflow",) * z.size
    else:
        status = ("ok",) * z.size
    return SoftmaxOverflow(
        scaled=scaled,
        naive_exp=naive_exp,
        naive_sum=naive_sum,
        naive=naive_softmax(moved, temperature),
        shifted=shifted,
        stable_exp=np.exp(shifted),
        stable=stable,
        status=status,
        change_from_shift=float(np.max(np.abs(stable - softmax(z, temperature)))),
    )


def overflow_shift(logits: object, temperature: float = 1.0) -> float:
    """The constant above which the textbook softmax of ``z + c`` overflows.

    The textbook formula fails as soon as the *sum* of the exponentials exceeds
    the largest float, that is when ``logsumexp((z + c) / T)`` exceeds
    :data:`EXP_OVERFLOW` (two equal logits overflow the sum a little before
    either exponential does):

    .. math:: c^* = T \\left(\\mathrm{EXP\\_OVERFLOW} - \\operatorname{LSE}(z / T)\\right)

    Examples
    --------
    >>> round(overflow_shift([2.0, 1.0, 0.1]), 2)
    707.37
    >>> softmax_overflow([2.0, 1.0, 0.1], shift=708.0).status[0]
    'overflow'
    >>> softmax_overflow([0.0, 0.0], shift=709.5).status  # each exp is finite, their sum is not
    ('finite_over_inf', 'finite_over_inf')
    """
    z = check_logits(logits)
    if z.ndim != 1:
        raise ValueError(f"logits must be one sample, shape (C,) (got shape {z.shape})")
    t = check_positive(temperature, "temperature")
    return t * (EXP_OVERFLOW - float(logsumexp(scale_logits(z, t))))
