"""A model's predictions, brought by the learner: read from the bytes of an upload, checked, summarised.

Pure Python and NumPy (pandas for the CSV reader); no Streamlit. The bytes are read in memory and
never written to disk. Every bad file raises :class:`PredictionsError`, a ``ValueError`` whose
message is written for the learner (what is wrong, where, and how to fix it).

Formats
-------
CSV
    One row per sample. A label column named ``label``, ``y`` or ``target`` (any case) holding a
    class index 0..K-1 or a class name equal to a column header; every other column is a class
    and holds probabilities or logits. Commas, semicolons (then a decimal comma is read too) or
    tabs; a UTF-8 byte-order mark is fine. A first column without a name, or one called ``id`` or
    ``index`` (a saved row index), is skipped.
NumPy ``.npz``
    Arrays ``labels`` (N,) and ``probs`` or ``logits`` (N, K), optionally ``class_names`` (K,) of
    text; read with ``allow_pickle=False``.

Probabilities or logits: every value in [0, 1] and every row summing to 1 within
:data:`SUM_TOLERANCE` means probabilities (then divided by their row sums, which the notes
report); any value outside [0, 1] means logits. The caller may say which instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ce_core.calibration import (
    LogLossDecomposition,
    fit_temperature,
    log_loss_decomposition,
    reliability_bins,
    temperature_sweep,
)
from ce_core.softmax import log_softmax, softmax
from lab.figures.calibration import temperature_grid

#: The largest upload read, in megabytes (also the file uploader's limit).
MAX_UPLOAD_MB = 50
MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: More classes than this are refused (the tables and charts are per class).
MAX_CLASSES = 1000
#: Names a label column may have (compared without case and surrounding spaces).
LABEL_COLUMNS = ("label", "y", "target")
#: Columns skipped as a saved row index.
INDEX_COLUMNS = ("", "id", "index", "unnamed: 0")
#: Probability rows may miss 1 by this much (rounded CSV values); they are then divided by their sums.
SUM_TOLERANCE = 1e-3
#: What the numbers are: found from the data, or said by the learner.
KINDS = ("auto", "probabilities", "logits")
#: log of a probability of exactly 0, for temperature scaling (exp(-708 / T) is 0 for every T <= 30).
LOG_ZERO = math.log(np.finfo(np.float64).tiny)


class PredictionsError(ValueError):
    """A file that cannot be read as predictions; the message says why, for the learner."""


class RowSumError(PredictionsError):
    """Numbers that look like probabilities but whose rows do not sum to 1 (perhaps logits)."""


@dataclass(frozen=True)
class Predictions:
    """Checked predictions: ``probs`` rows sum to 1; ``logits`` finite (``log probs`` for probabilities)."""

    labels: np.ndarray
    probs: np.ndarray
    logits: np.ndarray
    log_q_true: np.ndarray  # ln q_y per sample, exact (-inf where a probability of the label is 0)
    class_names: tuple[str, ...]
    kind: str  # "probabilities" or "logits": how the numbers were read
    detected: str  # what "auto" finds in them
    notes: tuple[str, ...] = field(default=())

    @property
    def n(self) -> int:
        return int(self.labels.size)

    @property
    def k(self) -> int:
        return int(self.probs.shape[1])


def digest(data: bytes) -> str:
    """The key of an upload in the session's cache: SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- reading


def load(data: bytes, name: str, kind: str = "auto") -> Predictions:
    """Read an upload: a ``.npz`` (by its name or its zip signature) or else a CSV."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} (got {kind!r})")
    if len(data) > MAX_BYTES:
        raise PredictionsError(
            f"The file is {len(data) / 1024**2:.1f} MB; the limit is {MAX_UPLOAD_MB} MB. "
            "Save fewer rows, or float32 logits in a .npz (about 4 bytes per number)."
        )
    if not data.strip():
        raise PredictionsError("The file is empty.")
    if name.lower().endswith(".npz") or data[:4] == b"PK\x03\x04":
        return read_npz(data, kind)
    return read_csv(data, kind)


def read_npz(data: bytes, kind: str = "auto") -> Predictions:
    """Arrays ``labels`` and ``probs`` or ``logits`` (and optionally ``class_names``) from a ``.npz``."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PredictionsError(
            f"This is not a readable .npz file ({error}). Save it with "
            "np.savez(path, labels=..., logits=...) or np.savez_compressed."
        ) from None
    except ValueError as error:
        if "pickle" in str(error):
            raise PredictionsError(
                "The .npz holds Python objects (pickled arrays), which the lab never loads. "
                "Save plain number arrays: labels as integers, probs or logits as floats."
            ) from None
        raise PredictionsError(f"This .npz cannot be read: {error}") from None
    found = ", ".join(sorted(arrays)) or "none"
    if "labels" not in arrays:
        raise PredictionsError(f"The .npz needs an array called labels (found: {found}).")
    score_key = "logits" if "logits" in arrays else "probs" if "probs" in arrays else None
    if score_key is None:
        raise PredictionsError(f"The .npz needs an array called probs or logits (found: {found}).")
    notes = []
    if "logits" in arrays and "probs" in arrays:
        notes.append("The .npz holds both logits and probs: the logits are used.")
    values = arrays[score_key]
    if values.dtype.kind not in "fiu" or values.ndim != 2:
        raise PredictionsError(
            f"{score_key} must be a 2-D array of numbers, one row per sample and one column "
            f"per class (got dtype {values.dtype}, shape {values.shape})."
        )
    if values.shape[0] == 0:
        raise PredictionsError(f"{score_key} holds no samples (shape {values.shape}).")
    k = values.shape[1]
    _check_class_count(k)
    names = _npz_class_names(arrays.get("class_names"), k)
    labels = _npz_labels(arrays["labels"], values.shape[0], names)
    if kind == "auto" and score_key == "logits":
        kind = "logits"
    return _finish(labels, values.astype(np.float64), names, kind, notes, where="array")


def _npz_class_names(raw: np.ndarray | None, k: int) -> tuple[str, ...]:
    if raw is None:
        return tuple(str(i) for i in range(k))
    if raw.shape != (k,):
        raise PredictionsError(f"class_names must hold one name per class: {k} (got shape {raw.shape}).")
    return tuple(str(v) for v in raw.tolist())


def _npz_labels(raw: np.ndarray, n: int, names: tuple[str, ...]) -> np.ndarray:
    if raw.ndim == 2 and raw.shape[1] == 1:
        raw = raw[:, 0]
    if raw.shape != (n,):
        raise PredictionsError(
            f"labels must hold one class per sample: shape ({n},) (got shape {raw.shape})."
        )
    if raw.dtype.kind in "US":
        return _labels_from_text(raw.astype(str), names, lambda i: f"labels[{i}]")
    if raw.dtype.kind == "f":
        if not np.isfinite(raw).all() or (raw != np.round(raw)).any():
            i = int(np.argmax(~np.isfinite(raw) | (raw != np.round(raw))))
            raise PredictionsError(f"labels must be whole class numbers; labels[{i}] is {raw[i]!r}.")
        raw = raw.astype(np.int64)
    if raw.dtype.kind not in "iu":
        raise PredictionsError(f"labels must be class numbers 0..{len(names) - 1} (got dtype {raw.dtype}).")
    return _check_label_range(raw.astype(np.int64), len(names), lambda i: f"labels[{i}]")


def read_csv(data: bytes, kind: str = "auto") -> Predictions:
    """A CSV of one label column and one column per class (see the module docstring)."""
    notes: list[str] = []
    text = _decode(data, notes).lstrip("\r\n")
    while text and not text.partition("\n")[0].strip():  # blank lines before the header
        text = text.partition("\n")[2]
    first_line, _, body = text.partition("\n")
    if not first_line.strip():
        raise PredictionsError("The file is empty.")
    sep = _separator(first_line, notes)
    header = [h.strip() for h in next(csv.reader([first_line.rstrip("\r")], delimiter=sep))]
    if not body.strip():
        raise PredictionsError("The file has a header line but no rows of predictions under it.")
    label_at = _label_column(header)
    skip = [i for i, h in enumerate(header) if i != label_at and h.lower() in INDEX_COLUMNS]
    if skip:
        notes.append("Skipped " + ", ".join(repr(header[i]) for i in skip) + " (a row index, not a class).")
    class_at = [i for i in range(len(header)) if i != label_at and i not in skip]
    names = tuple(header[i] for i in class_at)
    _check_class_count(len(names))
    dupes = sorted({h for h in names if names.count(h) > 1})
    if dupes:
        raise PredictionsError(
            f"Two class columns have the same name: {dupes[0]!r}. Give every class its own name."
        )
    decimal = "," if sep == ";" and "," in body[:5000] else "."
    if decimal == ",":
        notes.append("Read decimal commas (0,25 as 0.25).")
    try:
        with (
            warnings.catch_warnings()
        ):  # pandas drops the extra cells of a long row with a warning: an error here
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(body),
                sep=sep,
                decimal=decimal,
                header=None,
                index_col=False,
                names=[f"c{i}" for i in range(len(header))],
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=True,
                skipinitialspace=True,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as error:
        _check_ragged(body, sep, len(header))  # a row with too many cells: say which
        raise PredictionsError(f"The rows cannot be read as a table: {error}") from None
    if frame.isna().to_numpy().any():
        _check_ragged(body, sep, len(header))  # a short row reads as missing cells: say it is short
    values = np.empty((len(frame), len(class_at)))
    for j, i in enumerate(class_at):
        values[:, j] = _numeric_column(frame[f"c{i}"], header[i], decimal)
    raw_labels = frame[f"c{label_at}"]
    if raw_labels.isna().any():
        r = int(np.argmax(raw_labels.isna().to_numpy()))
        raise PredictionsError(f"Row {r} has no label (the rows count from 0 after the header line).")
    where = lambda r: f"row {r} (the rows count from 0 after the header line)"  # noqa: E731
    if raw_labels.dtype.kind in "iu" and _numbers_mean_indices(raw_labels.to_numpy(), names):
        labels = _check_label_range(
            raw_labels.to_numpy(dtype=np.int64), len(names), where
        )  # class numbers: fast
    else:
        labels = _labels_from_text(raw_labels.astype(str), names, where)
    return _finish(labels, values, names, kind, notes, where="column")


def _decode(data: bytes, notes: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append("Removed a UTF-8 byte-order mark at the start.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(
            "The file is not UTF-8; read it as Windows-1252 (class names with accents may look odd)."
        )
        return data.decode("cp1252", errors="replace")


def _separator(header_line: str, notes: list[str]) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        raise PredictionsError(
            "The first line has a single column. It must name the columns, separated by commas: "
            "a label column (label, y or target), then one column per class, e.g. "
            "label,cat,dog."
        )
    if sep == ";":
        notes.append("Read a semicolon-separated file.")
    elif sep == "\t":
        notes.append("Read a tab-separated file.")
    return sep


def _check_ragged(body: str, sep: str, width: int) -> None:
    """Every row has as many cells as the header (counted fast when no cell is quoted)."""
    lines = body.splitlines()
    if '"' in body:
        rows = [row for row in csv.reader(lines, delimiter=sep) if any(c.strip() for c in row)]
        counts = np.array([len(row) for row in rows])
    else:
        counts = np.array([line.count(sep) + 1 for line in lines if line.strip()])
    _reject_first(
        counts != width,
        lambda r: (
            f"Row {r} has {counts[r]} cells but the header line has {width} (the rows count "
            "from 0 after the header line). Every row needs a label and one number per class."
        ),
    )


def _label_column(header: list[str]) -> int:
    lowered = [h.lower() for h in header]
    for name in LABEL_COLUMNS:
        if name in lowered:
            return lowered.index(name)
    raise PredictionsError(
        "No label column: name the column of true classes label, y or target "
        f"(the header line has {', '.join(repr(h) for h in header[:8])}"
        f"{', ...' if len(header) > 8 else ''})."
    )


def _check_class_count(k: int) -> None:
    if k == 0:
        raise PredictionsError("There are no class columns: after the label, give one column per class.")
    if k == 1:
        raise PredictionsError(
            "There is only one class column. Cross-entropy needs every class: for a binary model "
            "give two columns, P(class 0) = 1 − p and P(class 1) = p (or two logits, 0 and z)."
        )
    if k > MAX_CLASSES:
        raise PredictionsError(f"{k} classes: the lab handles at most {MAX_CLASSES:,} classes.")


def _reject_first(bad: np.ndarray, message: Callable[[int], str]) -> None:
    """Raise :class:`PredictionsError` with ``message(r)`` for the first row ``r`` flagged in ``bad``."""
    if bad.any():
        raise PredictionsError(message(int(np.argmax(bad))))


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)


def _numeric_column(column: pd.Series, name: str, decimal: str) -> np.ndarray:
    """A class column as float64; the first missing or non-numeric cell or NaN/inf is reported."""
    if column.dtype.kind == "f":
        values = column.to_numpy(dtype=np.float64)
        _reject_first(
            np.isnan(values),
            lambda r: (
                f"Row {r} has no value in column {name!r} (the rows count from 0 after the header "
                "line). Fill every cell."
            ),
        )
    elif column.dtype.kind in "iu":
        values = column.to_numpy(dtype=np.float64)
    else:
        cells = [str(c).strip() for c in column.tolist()]
        for r, cell in enumerate(cells):
            if cell == "":
                raise PredictionsError(
                    f"Row {r} has no value in column {name!r} (the rows count from 0 after the "
                    "header line). Fill every cell."
                )
            if not _NUMBER.fullmatch(cell.replace(decimal, ".") if decimal == "," else cell):
                raise PredictionsError(
                    f"Row {r}, column {name!r} holds {cell[:40]!r}, not a number (the rows count "
                    "from 0 after the header line)."
                )
        values = np.array([float(c.replace(decimal, ".")) for c in cells])
    _reject_first(
        ~np.isfinite(values),
        lambda r: (
            f"Row {r}, column {name!r} holds {float(values[r])!r}: every probability or logit must be a "
            "finite number (the rows count from 0 after the header line)."
        ),
    )
    return values


def _numbers_mean_indices(labels: np.ndarray, names: tuple[str, ...]) -> bool:
    """Whole-number labels are class indices unless every one is a class *name* at another position."""
    used = np.unique(labels)
    if not set(names) >= {str(v) for v in used.tolist()}:
        return True
    return all(0 <= v < len(names) and names[v] == str(v) for v in used.tolist())


def _labels_from_text(cells, names: tuple[str, ...], where) -> np.ndarray:
    """Class names (when every label is one) or else whole numbers 0..K-1 (a name also counts in a mix)."""
    cells = pd.Series(cells, dtype=str).str.strip()
    by_name = cells.map({name: float(i) for i, name in enumerate(names)})
    if not by_name.isna().any():
        return by_name.to_numpy(dtype=np.int64)
    numbers = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)
    numbers = np.where(np.isnan(numbers), by_name.to_numpy(dtype=np.float64), numbers)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    _reject_first(
        bad,
        lambda r: (
            f"The label {cells.iloc[r][:40]!r} in {where(r)} names no class: a label is a class "
            f"number 0..{len(names) - 1} or one of the class names ({shown})."
        ),
    )
    return _check_label_range(numbers.astype(np.int64), len(names), where)


def _check_label_range(labels: np.ndarray, k: int, where) -> np.ndarray:
    _reject_first(
        (labels < 0) | (labels >= k),
        lambda r: (
            f"The label {int(labels[r])} in {where(r)} is outside 0..{k - 1}: there are {k} "
            "class columns, numbered from 0."
        ),
    )
    return labels


def _finish(
    labels: np.ndarray, values: np.ndarray, names: tuple[str, ...], kind: str, notes: list[str], where: str
) -> Predictions:
    """Check the numbers, decide probabilities or logits, and build both views."""
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise PredictionsError(
            f"Sample {r}, class {names[c]!r} holds {float(values[r, c])!r}: every probability or "
            "logit must be a finite number."
        )
    in_unit = bool(((values >= 0) & (values <= 1)).all())
    sums = values.sum(axis=1)
    off = np.abs(sums - 1.0)
    sums_to_one = bool((off <= SUM_TOLERANCE).all())
    detected = "probabilities" if in_unit and sums_to_one else "logits"
    if kind == "auto" and in_unit != sums_to_one:
        # all in [0, 1], or rows summing to 1 with a negative value: meant as probabilities, so say what is
        # wrong and offer logits (rows of logits that sum to 1 exactly are rare)
        kind = "probabilities"
    if kind == "auto":
        kind = detected
    if kind == "probabilities":
        negative = values < 0
        if negative.any():
            r, c = np.argwhere(negative)[0]
            raise PredictionsError(
                f"Sample {r}, class {names[c]!r} holds {float(values[r, c])!r}: a probability cannot be "
                "negative. If these numbers are logits (raw scores), choose logits."
            )
        if not sums_to_one:
            r = int(np.argmax(off > SUM_TOLERANCE))
            raise RowSumError(
                f"The rows must sum to 1 to be probabilities, but sample {r} sums to {sums[r]:.6g}. If these are "
                "logits (raw scores before the softmax), choose logits; if they are probabilities, give a column "
                "for every class."
            )
        if off.max() > 1e-12:
            notes.append(
                f"Probability rows summed to 1 within {off.max():.1g}; each row was divided by its sum."
            )
        probs = values / sums[:, None]
        with np.errstate(divide="ignore"):
            log_probs = np.log(probs)
        rows = np.arange(labels.size)
        log_q_true = log_probs[rows, labels]
        if (probs == 0).any():
            notes.append(
                "Some probabilities are exactly 0; for temperature scaling their log counts as "
                f"{LOG_ZERO:.0f} (still 0 after scaling)."
            )
        logits = np.maximum(log_probs, LOG_ZERO)
    else:
        logits = values
        probs = softmax(values)
        log_q_true = log_softmax(values)[np.arange(labels.size), labels]
    return Predictions(labels, probs, logits, log_q_true, names, kind, detected, tuple(notes))


# --------------------------------------------------------------------------- summaries


def per_sample_loss(pred: Predictions, base: float = math.e) -> np.ndarray:
    """``-log_base q_y`` for every sample (``inf`` where the label's probability is 0)."""
    return -pred.log_q_true / math.log(base)


def class_table(pred: Predictions, losses: np.ndarray) -> dict[str, list]:
    """Per true class: count, mean loss, share of the total loss, accuracy (columns of equal length)."""
    k = pred.k
    counts = np.bincount(pred.labels, minlength=k)
    with np.errstate(invalid="ignore"):
        loss_sums = np.bincount(pred.labels, weights=losses, minlength=k)
        right = np.bincount(pred.labels, weights=(pred.probs.argmax(axis=1) == pred.labels), minlength=k)
        total = losses.sum()
        mean_loss = np.where(counts > 0, loss_sums / np.maximum(counts, 1), np.nan)
        share = loss_sums / total if total > 0 else np.zeros(k)
        accuracy = np.where(counts > 0, right / np.maximum(counts, 1), np.nan)
    return {
        "class": list(pred.class_names),
        "count": counts.tolist(),
        "mean loss": _cells(mean_loss),
        "share of total loss": _cells(share),
        "accuracy": _cells(accuracy),
    }


def worst_samples(pred: Predictions, losses: np.ndarray, count: int = 10) -> dict[str, list]:
    """The ``count`` samples of largest loss: row, label, predicted class, q_y, loss (largest first)."""
    count = min(count, pred.n)
    order = np.argsort(-losses, kind="stable")[:count]
    predicted = pred.probs[order].argmax(axis=1)
    names = pred.class_names
    return {
        "row": order.tolist(),
        "label": [names[i] for i in pred.labels[order]],
        "predicted": [names[i] for i in predicted],
        "q_y": np.exp(pred.log_q_true[order]).tolist(),
        "loss": losses[order].tolist(),
    }


def bin_table(bins) -> dict[str, list]:
    """A :class:`ce_core.calibration.ReliabilityBins` as columns (the last bin is [1, 1]; empty bins: None)."""
    gap = np.abs(bins.accuracy - bins.confidence)
    return {
        "bin": [
            f"[{lo:.3f}, {hi:.3f})" if lo < hi else "[1, 1]"
            for lo, hi in zip(bins.lower, bins.upper, strict=True)
        ],
        "count": bins.counts.tolist(),
        "mean confidence": _cells(bins.confidence),
        "accuracy": _cells(bins.accuracy),
        "|gap|": _cells(gap),
    }


def decomposition_table(decomposition: LogLossDecomposition, unit: str) -> dict[str, list]:
    """The decomposition's terms and their sum (the mean CE), the values in a column named ``unit``."""
    d = decomposition
    return {"term": [*d._fields, "sum (= mean CE)"], unit: [*d, d.total]}


def download_tables(analysis: Analysis, worst: int = 100) -> dict[str, dict[str, list]]:
    """The tables offered as CSV, by name, losses in nats: per class, per bin and the ``worst`` samples."""
    a = analysis
    return {
        "per-class table": class_table(a.pred, a.losses),
        "per-bin table": bin_table(a.bins),
        "worst samples": worst_samples(a.pred, a.losses, worst),
    }


def frame(columns: dict[str, list]) -> pd.DataFrame:
    """A table whose empty cells (a bin or class without samples) show as empty, never as NaN."""
    return pd.DataFrame(columns).convert_dtypes()


def _cells(values: np.ndarray) -> list:
    """Table cells: None where a mean has no samples (NaN), so a table shows an empty cell, not "NaN"."""
    return [None if math.isnan(v) else v for v in np.asarray(values, dtype=float).tolist()]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_csv(columns: dict[str, list]) -> str:
    """Columns as CSV text, every text cell escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([escape_cell(name) for name in columns])
    writer.writerows([escape_cell(v) for v in row] for row in zip(*columns.values(), strict=True))
    return out.getvalue()


# --------------------------------------------------------------------------- one upload's numbers


@dataclass(frozen=True)
class Analysis:
    """Everything the page shows of one upload that does not depend on a control (nats throughout)."""

    pred: Predictions
    losses: np.ndarray  # per sample, nats
    mean_ce: float
    accuracy: float
    ece: float  # 15 equal-width bins, as Guo et al. 2017
    bins: object  # ce_core ReliabilityBins of the top label, uniform
    fitted_t: float | None
    fit_message: str  # why there is no fitted T ("" when there is one)
    mean_ce_fitted: float  # mean CE at the fitted T (nan without one)
    ece_fitted: float
    grid: np.ndarray  # temperatures of the live control
    sweep: object  # ce_core TemperatureSweep over grid (fast=True)
    decomposition: object | None  # K = 2 only, nats


def analyse(pred: Predictions, *, n_bins: int = 15) -> Analysis:
    """The loss, calibration, fitted temperature, sweep and (for K = 2) decomposition of ``pred``."""
    losses = per_sample_loss(pred)
    bins = reliability_bins(pred.probs, pred.labels, n_bins=n_bins)
    try:
        fitted, message = fit_temperature(pred.logits, pred.labels), ""
    except ValueError as error:
        fitted, message = None, str(error).removeprefix("fit_temperature: ")
    grid = temperature_grid(fitted)
    sweep = temperature_sweep(pred.logits, pred.labels, grid, n_bins=n_bins, fast=True)
    if fitted is not None:
        exact = temperature_sweep(pred.logits, pred.labels, [fitted], n_bins=n_bins)
        ce_fit, ece_fit = float(exact.mean_cross_entropy[0]), float(exact.calibration_error[0])
    else:
        ce_fit = ece_fit = math.nan
    decomposition = log_loss_decomposition(pred.probs, pred.labels, n_bins=n_bins) if pred.k == 2 else None
    return Analysis(
        pred,
        losses,
        float(np.mean(losses)),
        float(np.mean(pred.probs.argmax(axis=1) == pred.labels)),
        bins.calibration_error,
        bins,
        fitted,
        message,
        ce_fit,
        ece_fit,
        grid,
        sweep,
        decomposition,
    )


def mean_confidence(sweep) -> np.ndarray:
    """The average top-label confidence at every temperature of a sweep."""
    counts = np.asarray(sweep.counts)
    return np.nansum(sweep.confidence * counts, axis=1) / counts.sum(axis=1)


def in_unit(nats, base: float):
    """A value (or array) in nats, in the unit of log base ``base``."""
    return nats / math.log(base)


def decomposition_in_unit(decomposition: LogLossDecomposition, base: float) -> LogLossDecomposition:
    """A decomposition computed in nats, each term in the unit of ``base``."""
    return LogLossDecomposition(*(float(v) / math.log(base) for v in decomposition))
