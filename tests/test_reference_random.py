"""Seeded random cross-checks of ce_core against the real libraries.

``scripts/make_reference_values.py`` draws the batches with a fixed random seed and stores them,
with the libraries' results, under ``"random"`` in ``tests/data/reference_values.json``:
softmax cross-entropy against ``torch.nn.functional.cross_entropy`` (K = 2..10 classes, random
class weights including zeros, label smoothing, ignore_index, probability targets, every
reduction, logits up to about 1e4), binary cross-entropy against ``F.binary_cross_entropy``,
torchvision's ``sigmoid_focal_loss`` and the information functions against
``scipy.stats.entropy``. Each must agree to 1e-9 relative; the absolute floor stored with each
case is 64 ulps of the largest input magnitude (at least 1e-15): the loss is a difference of
logits of that size, and torch computes ``log`` of a sum where ce_core uses ``log1p``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tests.upstream.fixture import DATA, call, decode

RANDOM = DATA["random"]


@pytest.mark.parametrize("case", RANDOM, ids=[c["id"] for c in RANDOM])
def test_random_batch_agrees_with_library(case):
    expected = np.asarray(decode(case["expected"]), dtype=np.float64)
    actual = call(case)
    assert np.shape(actual) == expected.shape
    assert case["rtol"] == 1e-9
    # the floor is the documented one: 64 ulps of the largest logit (1 for probabilities), at least 1e-15
    scale = (
        float(np.abs(np.asarray(decode(case["args"])[0])).max())
        if case["function"] == "softmax_cross_entropy"
        else 1.0
    )
    assert case["atol"] == pytest.approx(max(1e-15, 64 * np.finfo(np.float64).eps * scale), rel=1e-12)
    np.testing.assert_allclose(actual, expected, rtol=case["rtol"], atol=case["atol"], err_msg=case["source"])


def test_the_random_batches_cover_what_the_issue_asks():
    ce = [c for c in RANDOM if c["function"] == "softmax_cross_entropy"]
    assert len(ce) >= 200
    classes = {len(decode(c["args"])[0][0]) for c in ce}
    assert classes == set(range(2, 11))
    assert {c["kwargs"]["reduction"] for c in ce} == {"none", "mean", "sum"}
    weights = [c["kwargs"]["weight"] for c in ce if "weight" in c["kwargs"]]
    assert any(0.0 in w for w in weights)
    assert any("label_smoothing" in c["kwargs"] for c in ce)
    assert any("ignore_index" in c["kwargs"] for c in ce)
    assert any(isinstance(decode(c["args"])[1][0], list) for c in ce)  # probability targets
    assert max(np.abs(np.asarray(decode(c["args"])[0])).max() for c in ce) > 1e4
    counts = Counter(c["function"] for c in RANDOM)
    assert counts["binary_cross_entropy"] >= 50
    assert counts["sigmoid_focal_loss"] >= 50
    assert counts["entropy"] + counts["kl_divergence"] + counts["cross_entropy"] >= 50
