"""Input checks shared by every public function of :mod:`ce_core`.

Each check raises :class:`ValueError` whose message names the argument and the
offending value, so that a page can show it to a learner as it is.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

#: A distribution must sum to 1 within this absolute tolerance (per row).
SUM_TOLERANCE = 1e-6

REDUCTIONS = ("none", "mean", "sum")


def _describe(value: object) -> str:
    """Short printable form of an offending value."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return f"{arr.item()!r}"
    text = np.array2string(arr.ravel()[:6], precision=6, separator=", ")
    return text if arr.size <= 6 else text[:-1] + ", ...]"


def _to_float64(x: object, name: str) -> np.ndarray:
    """float64 array of ``x``; complex input is an error, never a silent drop of the imaginary part."""
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested lists
        raise ValueError(f"{name} must be numeric (got {x!r})") from None
    if raw.dtype.kind == "c" or (raw.dtype.kind == "O" and any(isinstance(v, complex) for v in raw.flat)):
        raise ValueError(f"{name} must be real, not complex (got {_describe(raw)})")
    try:
        return raw.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric (got {x!r})") from None


def _nan_error(arr: np.ndarray, name: str) -> ValueError:
    return ValueError(f"{name} must not contain NaN (got {_describe(arr)})")


def as_float_array(x: object, name: str) -> np.ndarray:
    """Convert ``x`` to a float64 array; reject NaN and non-numeric input."""
    arr = _to_float64(x, name)
    if np.isnan(arr).any():
        raise _nan_error(arr, name)
    return arr


def check_probabilities(x: object, name: str) -> np.ndarray:
    """Array of probabilities, each in [0, 1] (no summing required)."""
    arr = as_float_array(x, name)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        raise ValueError(f"{name} must lie in [0, 1] (got {_describe(arr[bad].ravel()[0])})")
    return arr


def check_distribution(x: object, name: str) -> np.ndarray:
    """Array whose last axis is a probability distribution.

    Entries must be finite and non-negative and each row must sum to 1 within
    :data:`SUM_TOLERANCE`. Nothing is renormalised.
    """
    arr = as_float_array(x, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one axis (got the scalar {arr.item()!r})")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class (got shape {arr.shape})")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (got {_describe(arr[~np.isfinite(arr)][0])})")
    if (arr < 0).any():
        raise ValueError(f"{name} must be non-negative (got {_describe(arr[arr < 0][0])})")
    with np.errstate(over="ignore"):  # huge entries sum to inf, which is reported below
        sums = arr.sum(axis=-1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        raise ValueError(f"{name} must sum to 1 (got {np.asarray(sums)[off].ravel()[0]:.6g})")
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str]) -> None:
    """Two arrays of samples must have the same shape: ce_core never broadcasts one against the other.

    NumPy would broadcast shapes (25, 1) and (25,) to 625 elements and return a
    number for the wrong count of samples; PyTorch's losses refuse such shapes,
    and so does ce_core (a single number against an array included).
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have matching shapes (got {a.shape} and {b.shape}); "
            "ce_core does not broadcast one against the other"
        )


def check_same_classes(p: np.ndarray, q: np.ndarray, names: tuple[str, str] = ("p", "q")) -> None:
    """Two distributions (or batches of them) must have the same shape, class axis included."""
    if p.ndim and q.ndim and p.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have matching shapes (got {p.shape} and {q.shape}): "
            f"they have different numbers of classes, {p.shape[-1]} and {q.shape[-1]}"
        )
    check_same_shape(p, q, names)


def log_base(base: object) -> float:
    """Natural log of a valid base: positive, finite, not 1."""
    if isinstance(base, bool) or not isinstance(base, Real):
        raise ValueError(f"base must be a positive number other than 1 (got {base!r})")
    b = float(base)
    if not math.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base must be a positive number other than 1 (got {base!r})")
    return math.log(b)


def check_reduction(reduction: object) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'none', 'mean', 'sum' (got {reduction!r})")
    return reduction  # type: ignore[return-value]


def check_unit_interval(value: object, name: str) -> float:
    """A scalar in [0, 1], e.g. label_smoothing."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1] (got {value!r})") from None
    if not 0.0 <= v <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be in [0, 1] (got {value!r})")
    return v


def check_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {value!r})") from None
    ok = v >= 0 if allow_zero else v > 0
    if not (ok and math.isfinite(v)):
        bound = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be finite and {bound} (got {value!r})")
    return v


def check_logits(x: object, name: str = "logits") -> np.ndarray:
    """Finite float64 scores with a non-empty class axis (the last).

    One pass over the data when all is well (``isfinite`` covers NaN too); the
    checks and messages are those of :func:`as_float_array` followed by the shape
    and finiteness checks.
    """
    arr = _to_float64(x, name)
    all_finite = bool(np.isfinite(arr).all())
    if not all_finite and np.isnan(arr).any():
        raise _nan_error(arr, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a class axis (got the scalar {arr.item()!r})")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class (got shape {arr.shape})")
    if not all_finite:
        raise ValueError(f"{name} must be finite (got {_describe(arr[~np.isfinite(arr)][0])})")
    return arr


def reduce(values: np.ndarray, reduction: str, name: str = "input") -> np.ndarray | float:
    """Apply a reduction; the mean of no elements is undefined, so an empty input is an error."""
    if reduction == "none":
        return values
    if reduction == "sum":
        with np.errstate(over="ignore"):  # a sum beyond the largest float is inf, correctly rounded
            return float(np.sum(values))
    if np.size(values) == 0:
        raise ValueError(
            f"{name} must not be empty with reduction='mean' (got shape {np.shape(values)}): "
            "the mean of no samples is undefined"
        )
    with np.errstate(over="ignore"):
        mean = float(np.mean(values))
        if math.isinf(mean) and np.isfinite(values).all():  # the sum overflowed, the mean need not
            mean = float(np.sum(np.asarray(values) / np.size(values)))
    return mean


def check_whole_number(value: object, name: str, minimum: int) -> int:
    """A whole number >= ``minimum``: an int or NumPy integer, not a bool, not a float."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum} (got {value!r})")
    return int(value)


def check_seed(value: object, name: str = "seed") -> int:
    """A seed for ``np.random.default_rng``: a whole number >= 0."""
    return check_whole_number(value, name, 0)


MAX_CLASSES = 1_000_000


def check_num_classes(value: object, name: str = "num_classes") -> int:
    """A whole number of classes, from 1 to ``MAX_CLASSES`` (a million: more would not fit in memory)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= MAX_CLASSES:
        raise ValueError(f"{name} must be a whole number from 1 to {MAX_CLASSES} (got {value!r})")
    return int(value)


# --------------------------------------------------------------------------- calibration


BINNINGS = ("uniform", "quantile")


def _check_sample_rows(arr: np.ndarray, name: str) -> np.ndarray:
    """``arr`` itself, once it is 2-D, one row per sample, with at least one row."""
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (N, K), one row per sample (got shape {arr.shape})"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample (got shape {arr.shape})")
    return arr


def check_probability_rows(x: object, name: str = "probs") -> np.ndarray:
    """Predicted probabilities, shape (N, K): N >= 1 samples, K >= 1 classes, rows summing to 1.

    The message for a bad row names the row, e.g. "probs must sum to 1 in every row
    (row 3 sums to 0.93)". Nothing is renormalised.
    """
    arr = _check_sample_rows(as_float_array(x, name), name)
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must have at least one class (got shape {arr.shape})")
    finite = np.isfinite(arr)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        raise ValueError(f"{name} must be finite (got {float(arr[row, col])!r} in row {row})")
    negative = arr < 0
    if negative.any():
        row, col = np.argwhere(negative)[0]
        raise ValueError(f"{name} must be non-negative (got {float(arr[row, col])!r} in row {row})")
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        row = int(np.argmax(off))
        raise ValueError(f"{name} must sum to 1 in every row (row {row} sums to {sums[row]:.6g})")
    return arr


def check_sample_logits(x: object, name: str = "logits") -> np.ndarray:
    """Finite logits of shape (N, K) with N >= 1 (see :func:`check_logits`)."""
    return _check_sample_rows(check_logits(x, name), name)


def check_class_labels(
    target: object, num_samples: int, num_classes: int, name: str = "target"
) -> np.ndarray:
    """Integer class indices, shape (num_samples,), each in 0..num_classes - 1."""
    t = np.asarray(target)
    if t.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class indices (got dtype {t.dtype}: {_describe(t)})")
    if t.shape != (num_samples,):
        raise ValueError(
            f"{name} must have shape ({num_samples},), one class index per sample (got shape {t.shape})"
        )
    bad = (t < 0) | (t >= num_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"{name} holds class index {int(t[i])} at sample {i}, "
            f"outside 0..{num_classes - 1} for {num_classes} classes"
        )
    return t.astype(np.intp, copy=False)


def check_n_bins(value: object, name: str = "n_bins") -> int:
    """A whole number of bins >= 1."""
    return check_whole_number(value, name, 1)


def check_binning(value: object) -> str:
    if value not in BINNINGS:
        raise ValueError(f"binning must be 'uniform' or 'quantile' (got {value!r})")
    return value  # type: ignore[return-value]


def check_temperatures(x: object, name: str = "temperatures") -> np.ndarray:
    """A 1-D, non-empty array of finite positive temperatures."""
    arr = as_float_array(x, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array (got shape {arr.shape})")
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        raise ValueError(f"{name} must be finite and positive (got {float(arr[bad][0])!r})")
    return arr
