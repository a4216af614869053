"""torchvision's own tests of ``sigmoid_focal_loss``, ported to ce_core.

Source: torchvision ``test/test_ops.py``, class ``TestFocalLoss`` (0.29.1). Its inputs come from
``_generate_diverse_input_target_pair``: nine blocks of logits ``log(p / (1 - p))`` with ``p``
small (0..0.2), big (0.8..1) or random, against targets all 0, all 1 or random 0/1. The script
``scripts/make_reference_values.py`` draws them with seeded generators (upstream's seeds 0..5) and
stores torchvision's values; the float32/half variants are float64 here (ce_core computes in
float64). The focal values may differ from torch's by float64 eps absolute: torch rounds
``log(1 + e^-40)`` to 0 where ce_core keeps it.
"""

from __future__ import annotations

import numpy as np
import pytest

import ce_core
from tests.upstream.fixture import cases, check, decode, ids

TV = "torchvision test/test_ops.py::TestFocalLoss"

CORRECT_RATIO = cases(f"{TV}::test_correct_ratio")


@pytest.mark.parametrize("case", CORRECT_RATIO, ids=ids(CORRECT_RATIO))
def test_correct_ratio(case):
    # test/test_ops.py::TestFocalLoss::test_correct_ratio: torchvision's values, and the ratio to BCE
    check(case)
    x, t = (np.asarray(v) for v in decode(case["args"]))
    alpha, gamma = case["kwargs"]["alpha"], case["kwargs"]["gamma"]
    focal = ce_core.sigmoid_focal_loss(x, t, alpha=alpha, gamma=gamma, reduction="none")
    ce = ce_core.sigmoid_focal_loss(x, t, alpha=-1.0, gamma=0.0, reduction="none")
    assert (focal <= ce).all(), "focal loss must be less or equal to cross entropy loss with same input"
    p = ce_core.sigmoid(x)
    p_t = p * t + (1 - p) * (1 - t)
    ratio = (1.0 - p_t) ** gamma
    if alpha >= 0:
        ratio = ratio * (alpha * t + (1 - alpha) * (1 - t))
    np.testing.assert_allclose(focal / ce, ratio, rtol=1e-5, atol=1e-5)  # upstream's tolerance


EQUAL_CE = cases(f"{TV}::test_equal_ce_loss")


@pytest.mark.parametrize("case", EQUAL_CE, ids=ids(EQUAL_CE))
def test_equal_ce_loss(case):
    # test/test_ops.py::TestFocalLoss::test_equal_ce_loss: alpha=-1, gamma=0 is BCE with logits
    # (the stored value is torch's binary_cross_entropy_with_logits)
    check(case)
    x, t = (np.asarray(v) for v in decode(case["args"]))
    via_probabilities = ce_core.binary_cross_entropy(
        t, ce_core.sigmoid(x), reduction=case["kwargs"]["reduction"]
    )
    assert ce_core.sigmoid_focal_loss(x, t, **case["kwargs"]) == pytest.approx(via_probabilities, rel=1e-12)


JIT = cases(f"{TV}::test_jit")


@pytest.mark.parametrize("case", JIT, ids=ids(JIT))
def test_jit_values(case):
    # test/test_ops.py::TestFocalLoss::test_jit compares the scripted op with the eager one; ce_core
    # has no TorchScript, so the eager values for every alpha, gamma and reduction are checked
    check(case)
