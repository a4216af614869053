"""Hypothesis strategies for the property tests of ce_core.

Distributions are drawn as non-negative weights (exact zeros included, so that
``0 log 0`` and ``q = 0 < p`` are exercised) divided by their sum; logits as
finite floats of a chosen magnitude; targets as class indices or distributions.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_CLASSES = 8

#: Weights: exact zeros, ordinary values and tiny positive ones (down to subnormals).
weights = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-3, max_value=1.0),
    st.floats(min_value=0.0, max_value=1.0),
)

#: Log bases: the three units, others above 1 and some below 1 (allowed; values flip sign).
bases = st.one_of(
    st.sampled_from([2.0, math.e, 10.0]),
    st.floats(min_value=1.01, max_value=1e6),
    st.floats(min_value=1e-3, max_value=0.99),
)


def _normalised(w: list[float]) -> np.ndarray:
    arr = np.asarray(w, dtype=np.float64)
    return arr / arr.sum()


@st.composite
def distributions(
    draw,
    num_classes: int | None = None,
    *,
    min_classes: int = 1,
    max_classes: int = MAX_CLASSES,
    positive: bool = False,
) -> np.ndarray:
    """One probability distribution; ``positive=True`` keeps every entry above 1e-3 before normalising."""
    k = num_classes if num_classes is not None else draw(st.integers(min_classes, max_classes))
    element = st.floats(min_value=1e-3, max_value=1.0) if positive else weights
    w = draw(st.lists(element, min_size=k, max_size=k).filter(lambda v: sum(v) > 0))
    return _normalised(w)


@st.composite
def distribution_pairs(draw, *, min_classes: int = 1, positive_q: bool = False):
    """``(p, q)`` over the same classes."""
    k = draw(st.integers(min_classes, MAX_CLASSES))
    return draw(distributions(k)), draw(distributions(k, positive=positive_q))


@st.composite
def distribution_batches(
    draw, num_classes: int | None = None, *, max_rows: int = 5, positive: bool = False
) -> np.ndarray:
    """A batch of distributions, shape (N, C)."""
    k = num_classes if num_classes is not None else draw(st.integers(1, MAX_CLASSES))
    rows = draw(st.integers(1, max_rows))
    return np.stack([draw(distributions(k, positive=positive)) for _ in range(rows)])


def logits(num_classes: int, *, batch: int | None = None, magnitude: float = 30.0):
    """Finite logits in [-magnitude, magnitude], shape (C,) or (batch, C)."""
    shape = (num_classes,) if batch is None else (batch, num_classes)
    return hnp.arrays(
        np.float64, shape, elements=st.floats(-magnitude, magnitude, allow_nan=False, allow_infinity=False)
    )


@st.composite
def classification_batches(draw, *, max_rows: int = 6, magnitude: float = 30.0, min_classes: int = 2):
    """``(logits (N, C), class indices (N,))`` for a softmax classifier."""
    k = draw(st.integers(min_classes, MAX_CLASSES))
    n = draw(st.integers(1, max_rows))
    z = draw(logits(k, batch=n, magnitude=magnitude))
    y = np.asarray(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)), dtype=np.int64)
    return z, y


@st.composite
def probability_target_batches(draw, *, max_rows: int = 6, magnitude: float = 30.0):
    """``(logits (N, C), probability targets (N, C))``."""
    k = draw(st.integers(2, MAX_CLASSES))
    n = draw(st.integers(1, max_rows))
    z = draw(logits(k, batch=n, magnitude=magnitude))
    return z, np.stack([draw(distributions(k)) for _ in range(n)])


@st.composite
def class_weights(draw, num_classes: int) -> np.ndarray:
    """Positive per-class weights."""
    return np.asarray(draw(st.lists(st.floats(0.1, 10.0), min_size=num_classes, max_size=num_classes)))


label_smoothings = st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))
gammas = st.one_of(st.just(0.0), st.floats(0.0, 5.0))


@st.composite
def labelled_probability_batches(
    draw, *, num_classes: int | None = None, max_rows: int = 12, positive: bool = False
):
    """``(probs (N, K), class indices (N,))`` for calibration measures; ``positive`` keeps every probability > 0."""
    k = num_classes if num_classes is not None else draw(st.integers(1, MAX_CLASSES))
    probs = draw(distribution_batches(k, max_rows=max_rows, positive=positive))
    y = draw(st.lists(st.integers(0, k - 1), min_size=len(probs), max_size=len(probs)))
    return probs, np.asarray(y, dtype=np.int64)
