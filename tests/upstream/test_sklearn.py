"""scikit-learn's own tests of ``log_loss``, ported to ce_core.

Source: ``sklearn/metrics/tests/test_classification.py`` (scikit-learn 1.9.1): ``test_log_loss``,
``test_log_loss_eps``, ``test_log_loss_not_probabilities_warning``,
``test_log_loss_perfect_predictions``, ``test_log_loss_y_pred_deprecation``.

``log_loss(y, q)`` is the mean of ``-log q[y]`` after clipping ``q`` to ``[eps, 1 - eps]``.
ce_core computes the same number as the cross-entropy of the logits ``log q`` with class-index
targets (exact, no clip) or, with the clip, as :func:`ce_core.clipped_log_loss` with policy
"sklearn". ce_core has no string labels: they are ported as their sorted indices, as log_loss
orders them. Deliberate differences: rows that do not sum to 1 raise ValueError (scikit-learn
warns and goes on), and without the clip a confident mistake costs ``inf``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import ce_core
from tests.upstream.fixture import cases, check, ids

SRC = "sklearn/metrics/tests/test_classification.py"

STORED = cases(f"{SRC}::test_log_loss")


@pytest.mark.parametrize("case", STORED, ids=ids(STORED))
def test_log_loss_stored_values(case):
    # test_log_loss (binary symbolic labels, ham/spam), test_log_loss_eps, test_log_loss_y_pred_deprecation:
    # scikit-learn's own results, stored by scripts/make_reference_values.py
    check(case)


def log_loss(y, q, normalize=True):
    """ce_core's log_loss: cross-entropy of the logits log q (q > 0 here, so no clip is reached)."""
    return ce_core.softmax_cross_entropy(np.log(q), np.asarray(y), reduction="mean" if normalize else "sum")


def test_log_loss_multiclass():
    # test_log_loss: multiclass case (0.6904911), then y and q doubled with normalize=False
    y_true = [1, 0, 2]
    y_proba = [[0.2, 0.7, 0.1], [0.6, 0.2, 0.2], [0.6, 0.1, 0.3]]
    assert log_loss(y_true, y_proba) == pytest.approx(0.6904911, rel=1e-7)
    assert log_loss(y_true * 2, y_proba * 2, normalize=False) == pytest.approx(0.6904911 * 6, rel=1e-7)


def test_log_loss_errors():
    # test_log_loss: number of classes not equal (y_true holds class 2, y_proba has 2 columns)
    with pytest.raises(ValueError, match="target holds class index 2, out of range for 2 classes"):
        log_loss([1, 0, 2], [[0.3, 0.7], [0.6, 0.4], [0.4, 0.6]])
    # ... inconsistent numbers of samples: [3, 2]
    with pytest.raises(
        ValueError, match=r"target must have shape \(3,\) for class-index targets \(got \(2,\)\)"
    ):
        log_loss([1, 1], [[0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])


def test_log_loss_labels_option():
    # test_log_loss: labels=[1, 2] for y_true [2, 2] (indices [1, 1]); labels=[1, 2, 3] for [1, 2, 2]
    y_score = np.array([[0.1, 0.9], [0.1, 0.9]])
    assert log_loss([1, 1], y_score) == pytest.approx(-np.mean(np.log(y_score[:, 1])), rel=1e-15)
    y_score2 = [[0.7, 0.1, 0.2], [0.2, 0.7, 0.1], [0.1, 0.7, 0.2]]
    assert log_loss([0, 1, 1], y_score2) == pytest.approx(-np.log(0.7), rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_loss_eps(dtype):
    # test_log_loss_eps: y_true [0, 1], y_proba [1, 0] is finite only because of the dtype's clip
    clipped = ce_core.clipped_log_loss([0.0, 0.0], "sklearn", dtype=dtype)
    assert np.isfinite(clipped).all()
    assert clipped[0] == pytest.approx(-math.log(np.finfo(dtype).eps), rel=1e-6)
    # ce_core's exact value is the true one: a confident mistake costs inf (documented)
    assert ce_core.binary_cross_entropy([0.0, 1.0], [1.0, 0.0]) == math.inf


def test_log_loss_not_probabilities():
    # test_log_loss_not_probabilities_warning: rows that do not sum to one; scikit-learn warns,
    # ce_core raises (documented: nothing is renormalised)
    y_proba = np.array([[0.2, 0.7], [0.6, 0.3], [0.4, 0.7], [0.8, 0.3]])
    with pytest.raises(ValueError, match=r"q must sum to 1 \(got 0\.9\)"):
        ce_core.cross_entropy(np.eye(2)[[0, 1, 1, 0]], y_proba)


@pytest.mark.parametrize(
    ("y_true", "y_proba"),
    [
        ([0, 1, 0], [0, 1, 0]),
        ([0, 1, 0], [[1, 0], [0, 1], [1, 0]]),
        ([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    ],
)
def test_log_loss_perfect_predictions(y_true, y_proba):
    # test_log_loss_perfect_predictions: about 0 in scikit-learn (its clip), exactly 0 in ce_core
    y_proba = np.asarray(y_proba, dtype=float)
    if y_proba.ndim == 1:  # the probability of the positive class
        assert ce_core.binary_cross_entropy(np.asarray(y_true, float), y_proba) == 0.0
    else:
        assert np.mean(ce_core.cross_entropy(np.eye(y_proba.shape[1])[y_true], y_proba)) == 0.0
