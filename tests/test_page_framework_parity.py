"""AppTest of the framework-parity page: it reads the other lessons' state and shows the matching snippets."""

import math

import numpy as np
import pytest

from ce_core.information import cross_entropy, entropy, kl_divergence, normalize
from ce_core.losses import binary_cross_entropy, clipped_log_loss
from ce_core.variants import smoothed_loss
from lab.content import parity
from lab.lesson_keys import (
    BCE_LABEL,
    BCE_PRED,
    CL_EPSILON,
    CL_PROB,
    CW_WEIGHT,
    FL_GAMMA,
    LS_EPSILON,
    LS_TRUE,
    PP_CASE,
    SM_LOGIT,
    SM_TRUE,
)
from lab.workspace import DEFAULT_P, DEFAULT_Q
from tests.apptest_utils import run_page

P = normalize(DEFAULT_P[:3])
Q = normalize(DEFAULT_Q[:3])


def _value(at) -> str:
    return next(m.value for m in at.metric if m.label.startswith("ce_core:"))


def _shown(value: float) -> str:
    return "∞ nats" if math.isinf(value) else f"{value:.10g} nats"


def _choose(at, key: str):
    at.selectbox(key=PP_CASE).set_value(key).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open_case(key: str, lesson_state: dict):
    """The page on case ``key`` after another lesson's controls were set (session keys -> values)."""
    at = _choose(run_page("framework_parity"), key)
    for name, value in lesson_state.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _codes(at) -> list[str]:
    return [c.value for c in at.code if "print(" in c.value]


def test_default_is_the_workspace_cross_entropy():
    at = run_page("framework_parity")
    assert at.selectbox(key=PP_CASE).value == "cross_entropy"
    assert _value(at) == _shown(cross_entropy(P, Q))
    codes = _codes(at)
    assert len(codes) == 3  # PyTorch, scikit-learn, SciPy
    assert all(repr(float(Q[1])) in code for code in codes)
    assert "torch.special.xlogy(p, q)" in codes[0]
    text = " ".join(m.value for m in at.markdown)
    assert f"`{parity.workspace_case('cross_entropy', P, Q).value!r}`" in text
    # the same in bits, beside it
    bits = next(m.value for m in at.metric if m.label == "The same in bits")
    assert bits == f"{cross_entropy(P, Q, base=2):.6f} bits"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("kl", kl_divergence(P, Q)),
        ("entropy", entropy(P)),
    ],
)
def test_other_workspace_measures(case, expected):
    at = _choose(run_page("framework_parity"), case)
    assert _value(at) == _shown(expected)


def test_reads_the_binary_lesson_state():
    at = _open_case("binary", {BCE_LABEL: 0, BCE_PRED: 0.93})
    assert _value(at) == _shown(binary_cross_entropy(0, 0.93))
    assert "log_loss([0], [0.93], labels=[0, 1])" in " ".join(_codes(at))


def test_reads_the_softmax_lesson_state():
    at = _open_case("softmax", {SM_LOGIT.format(0): 4.0, SM_TRUE: 2})
    z = np.array([4.0, 1.0, 0.1])  # the other two logits at their defaults
    expected = -(z[2] - np.log(np.exp(z).sum()))
    assert _value(at) == _shown(expected)


def test_follows_the_label_smoothing_lesson():
    at = _open_case("smoothing", {LS_EPSILON: 0.3, LS_TRUE: 1})
    assert _value(at) == _shown(smoothed_loss(Q, 1, 0.3))
    assert "label_smoothing=0.3" in _codes(at)[0]


def test_focal_has_only_a_pytorch_snippet():
    at = _open_case("focal", {FL_GAMMA: 1.5})
    assert "gamma=1.5" in _codes(at)[0]
    assert any("no focal loss" in i.value for i in at.info)


def test_class_weights_show_both_denominators():
    at = _open_case("weights", {CW_WEIGHT.format(2): 5.0})
    case = parity.weights_case([1.0, 3.0, 5.0])
    assert _value(at) == _shown(case.value)
    printed = " ".join(m.value for m in at.markdown)
    for line in case.snippet("PyTorch").lines:
        assert repr(line.expected) in printed


def test_clipping_at_zero_shows_each_library_cap():
    at = _open_case("clipping", {CL_PROB: 0.0, CL_EPSILON: -12.0})
    assert _value(at) == "∞ nats"
    printed = " ".join(m.value for m in at.markdown)
    assert "`100.0`" in printed
    assert repr(clipped_log_loss(0.0, "sklearn")) in printed
    assert repr(clipped_log_loss(0.0, "epsilon", epsilon=1e-12)) in printed


def test_disagreement_table():
    at = run_page("framework_parity")
    table = at.table[0].value
    assert list(table.columns) == ["Topic", "PyTorch", "scikit-learn", "SciPy", "Why it matters"]
    assert len(table) == len(parity.DISAGREEMENTS)
