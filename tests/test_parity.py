"""lab.content.parity (snippet text and expected numbers) and ce_core.variants (the lessons' numbers)."""

import ast
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ce_core import losses
from ce_core.information import cross_entropy, entropy, kl_divergence
from ce_core.variants import (
    BATCH_CLASSES,
    BATCH_TARGETS,
    PROBABILITY_STEPS,
    REFERENCE_LOGITS,
    REFERENCE_TARGETS,
    REFERENCE_WEIGHT,
    balanced_weights,
    clip_policies,
    focal_loss,
    logits_from_probabilities,
    smoothed_loss,
    weighted_batch,
)
from lab.content import parity
from lab.lesson_keys import CL_PROB_DEFAULT

ROOT = Path(__file__).resolve().parent.parent


def distributions(k_min=2, k_max=6, allow_zero=True):
    low = 0.0 if allow_zero else 0.01
    return (
        st.integers(k_min, k_max)
        .flatmap(
            lambda k: st.lists(st.floats(low, 1.0), min_size=k, max_size=k).filter(lambda w: sum(w) > 0.05)
        )
        .map(lambda w: np.asarray(w) / np.sum(w))
    )


# --------------------------------------------------------------------------- variants: label smoothing


@given(distributions(allow_zero=False), st.floats(0.0, 1.0), st.data())
def test_smoothed_loss_is_the_cross_entropy_against_the_smoothed_target(q, e, data):
    y = data.draw(st.integers(0, q.size - 1))
    expected = cross_entropy(losses.smooth_targets(y, q.size, e), q)
    assert smoothed_loss(q, y, e) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert smoothed_loss(q, y, e) == pytest.approx(
        losses.softmax_cross_entropy(np.log(q), np.array(y), label_smoothing=e), rel=1e-12
    )


@given(distributions(), st.floats(0.0, 1.0), st.data())
def test_smoothed_loss_never_goes_below_its_floor(q, e, data):
    y = data.draw(st.integers(0, q.size - 1))
    assert smoothed_loss(q, y, e) >= losses.smoothed_loss_floor(y, q.size, e) - 1e-12


def test_smoothed_loss_with_zero_probabilities():
    q = [0.9, 0.1, 0.0]
    assert smoothed_loss(q, 0, 0.0) == pytest.approx(
        -math.log(0.9)
    )  # a ruled-out class weighs nothing at e = 0
    assert smoothed_loss(q, 0, 0.01) == math.inf  # smoothing gives it e / C > 0
    assert smoothed_loss(q, 2, 0.0) == math.inf  # the true class itself has q = 0
    assert smoothed_loss(q, 1, 0.0, base=2.0) == pytest.approx(-math.log2(0.1))


def test_smoothed_loss_floor_is_reached_when_q_is_the_smoothed_target():
    t = losses.smooth_targets(2, 4, 0.2)
    assert smoothed_loss(t, 2, 0.2) == pytest.approx(losses.smoothed_loss_floor(2, 4, 0.2), abs=1e-12)


def test_logits_from_probabilities_reproduce_q_and_reject_zero():
    from ce_core.softmax import softmax

    np.testing.assert_allclose(softmax(logits_from_probabilities([0.2, 0.5, 0.3])), [0.2, 0.5, 0.3])
    with pytest.raises(ValueError, match="q must be positive"):
        logits_from_probabilities([0.5, 0.5, 0.0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0.5, 0.5], 2, 0.1), "true_class must be between 0 and 1"),
        (([0.5, 0.5], 0, 1.5), "label_smoothing must be in"),
        (([0.5, 0.6], 0, 0.1), "q must sum to 1"),
    ],
)
def test_smoothed_loss_errors_name_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        smoothed_loss(*args)


# --------------------------------------------------------------------------- variants: focal


@given(st.floats(1e-6, 1 - 1e-6), st.floats(0.0, 5.0), st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_focal_loss_matches_both_library_forms(p, gamma, alpha):
    ours = focal_loss(p, gamma, alpha)
    logit = math.log(p) - math.log1p(-p)
    torchvision = losses.sigmoid_focal_loss(logit, 1.0, alpha=-1.0 if alpha is None else alpha, gamma=gamma)
    multi = losses.softmax_focal_loss(
        [[math.log(p), math.log1p(-p)]], np.array([0]), gamma=gamma, alpha=alpha
    )
    assert ours == pytest.approx(torchvision, rel=1e-8, abs=1e-300)
    assert ours == pytest.approx(multi, rel=1e-8, abs=1e-300)


def test_focal_loss_at_gamma_zero_is_cross_entropy_and_has_its_limits():
    p = np.linspace(0.01, 1.0, 50)
    np.testing.assert_allclose(focal_loss(p, 0.0), -np.log(p))
    assert focal_loss(0.0, 2.0) == math.inf
    assert focal_loss(0.0, 2.0, alpha=0.0) == 0.0
    assert focal_loss(1.0, 0.0) == 0.0
    assert focal_loss(0.5, 1.0, base=2.0) == pytest.approx(0.5)


# --------------------------------------------------------------------------- variants: class weights


def test_weighted_batch_reproduces_reference_check_values():
    b = weighted_batch(REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT)
    assert b.index_mean == pytest.approx(1.9192946463, abs=1e-10)  # PyTorch, index targets
    assert b.probability_mean == pytest.approx(
        3.8385892927, abs=1e-10
    )  # PyTorch, one-hot probability targets
    np.testing.assert_allclose(b.per_sample, [0.4170300163, 2.4200495230], atol=1e-10)
    assert b.index_denominator == 4.0
    assert b.probability_denominator == 2


@given(st.lists(st.floats(0.0, 10.0), min_size=3, max_size=3).filter(lambda w: w[0] + w[1] + w[2] > 0.01))
def test_weighted_batch_denominators(w):
    from ce_core.variants import BATCH_LOGITS

    b = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, w)
    total = float(np.sum(np.asarray(w)[BATCH_TARGETS]))
    assert b.index_mean == pytest.approx(b.weighted_sum / total, rel=1e-12)
    assert b.probability_mean == pytest.approx(b.weighted_sum / BATCH_TARGETS.size, rel=1e-12)
    assert b.sklearn_mean == pytest.approx(b.index_mean, rel=1e-12)  # no clip bites in this batch
    scaled = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, np.asarray(w) * 10)
    assert scaled.index_mean == pytest.approx(b.index_mean, rel=1e-12)  # a weighted mean ignores scale
    assert scaled.probability_mean == pytest.approx(10 * b.probability_mean, rel=1e-12)  # / N does not


def test_balanced_weights_make_both_means_agree():
    from ce_core.variants import BATCH_LOGITS

    w = balanced_weights(BATCH_TARGETS, BATCH_CLASSES)
    np.testing.assert_allclose(w, [8 / 18, 8 / 3, 8 / 3])
    b = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, w)
    assert b.index_denominator == pytest.approx(8)
    assert b.index_mean == pytest.approx(b.probability_mean, rel=1e-12)


def test_weighted_batch_all_zero_weights_is_undefined_not_an_error():
    from ce_core.variants import BATCH_LOGITS

    b = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, [0.0, 0.0, 0.0])
    assert math.isnan(b.index_mean)
    assert b.probability_mean == 0.0


# --------------------------------------------------------------------------- variants: clipping


def test_probability_steps_cover_zero_to_one_on_a_log_scale():
    steps = np.asarray(PROBABILITY_STEPS)
    assert steps[0] == 0.0
    assert steps[1] == 1e-50
    assert steps[-1] == 1.0
    assert (np.diff(steps) > 0).all()
    assert CL_PROB_DEFAULT in PROBABILITY_STEPS


def test_clip_policy_caps_are_the_frameworks():
    exact, torch, sk64, sk32, mine = clip_policies(1e-7)
    assert exact.cap() == math.inf
    assert torch.cap() == 100.0
    assert sk64.cap() == pytest.approx(36.04365338911715, rel=1e-15)
    assert sk32.cap() == pytest.approx(15.9424, abs=1e-4)
    assert mine.cap() == pytest.approx(-math.log(1e-7))
    assert torch.cap(base=2.0) == pytest.approx(100 / math.log(2))


def test_clip_policies_reject_a_bad_epsilon():
    with pytest.raises(ValueError, match=r"epsilon must be below 0\.5"):
        clip_policies(0.6)


# --------------------------------------------------------------------------- parity: cases


P = [0.5, 0.3, 0.2]
Q = [0.2, 0.5, 0.3]


def all_cases():
    return [
        parity.workspace_case("cross_entropy", P, Q, base=2.0),
        parity.workspace_case("cross_entropy", [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]),
        parity.workspace_case("kl", P, Q),
        parity.workspace_case("kl", [0.5, 0.5, 0.0], [0.5, 0.5, 0.0]),
        parity.workspace_case("entropy", P, Q, base=2.0),
        parity.binary_case(1, 0.7),
        parity.binary_case(0, 1.0),
        parity.softmax_case([2.0, 1.0, 0.1], 0, 1.0),
        parity.softmax_case([1000.0, 0.0, -1000.0], 2, 0.5),
        parity.smoothing_case(Q, 0, 0.1),
        parity.smoothing_case([0.9, 0.1, 0.0], 0, 0.2),
        parity.focal_case(Q, 0, 2.0, 0.25),
        parity.focal_case([0.9, 0.1, 0.0], 0, 2.0, None),
        parity.focal_case([1.0, 0.0], 0, 2.0, None),
        parity.weights_case([1.0, 3.0, 3.0]),
        parity.weights_case([0.0, 0.0, 0.0]),
        parity.clipping_case(0.01, -7.0),
        parity.clipping_case(0.0, -30.0),
    ]


def _printing_lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.lstrip().startswith("print("))


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.key}:{c.value_label}")
def test_every_snippet_compiles_and_prints_one_line_per_expected_number(case):
    for snippet in case.snippets:
        compile(snippet.code, f"{case.key}:{snippet.library}", "exec")
        assert _printing_lines(snippet.code) == len(snippet.lines)
        assert snippet.library in parity.LIBRARIES
        for line in snippet.code.splitlines():  # literals are finite: no inf or nan outside comments
            assert not re.search(r"\b(inf|nan)\b", line.split("#")[0]), line
    assert set(case.missing) | {s.library for s in case.snippets} == set(parity.LIBRARIES)


def test_workspace_cases_value_is_ce_core():
    assert parity.workspace_case("cross_entropy", P, Q).value == cross_entropy(P, Q)
    assert parity.workspace_case("kl", P, Q).value == kl_divergence(P, Q)
    assert parity.workspace_case("entropy", P, Q).value == entropy(P)
    scipy = parity.workspace_case("entropy", P, Q, base=2.0).snippet("SciPy")
    assert scipy.lines[-1].expected == pytest.approx(entropy(P, base=2.0))
    assert "base=2" in scipy.code


def test_seed_example_parity_value():
    case = parity.workspace_case("cross_entropy", [0, 1, 0], [0.228, 0.619, 0.153])
    assert case.value == pytest.approx(0.47965000629754095, rel=1e-12)
    assert "0.619" in case.snippet("PyTorch").code


def test_cross_entropy_with_a_zero_leaves_the_nan_form_out():
    case = parity.workspace_case("cross_entropy", [0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    assert case.value == math.inf
    torch = case.snippet("PyTorch")
    assert len(torch.lines) == 1
    assert "fails here" in torch.code
    sk = case.snippet("scikit-learn").lines[0].expected  # sklearn clips: 0.5 * 36.04
    assert sk == pytest.approx(
        0.5 * losses.clipped_log_loss(0.0, "sklearn") + 0.5 * losses.clipped_log_loss(1.0, "sklearn")
    )


def test_kl_case_order_and_batchmean():
    code = parity.workspace_case("kl", P, Q).snippet("PyTorch").code
    assert 'F.kl_div(torch.log(q)[None], p[None], reduction="batchmean")' in code


def test_binary_case_reports_each_library_cap():
    case = parity.binary_case(1, 0.0)
    assert case.value == math.inf
    assert case.snippet("PyTorch").lines[0].expected == 100.0
    assert case.snippet("scikit-learn").lines[0].expected == pytest.approx(36.04365338911715)
    assert case.snippet("SciPy").lines[0].expected == math.inf


def test_weights_case_shows_both_denominators():
    torch = parity.weights_case([1.0, 3.0, 3.0]).snippet("PyTorch")
    from ce_core.variants import BATCH_LOGITS

    b = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, [1.0, 3.0, 3.0])
    assert [line.expected for line in torch.lines] == [b.index_mean, b.probability_mean]
    assert "F.one_hot(y, 3).double()" in torch.code


def test_clipping_case_float32_line_has_a_float32_tolerance():
    sk = parity.clipping_case(0.01, -7.0).snippet("scikit-learn")
    assert sk.lines[1].tolerance == parity.FLOAT32_TOLERANCE
    assert sk.lines[0].tolerance == parity.RELATIVE_TOLERANCE


@pytest.mark.parametrize(
    ("printed", "expected", "ok"),
    [
        (1.0 + 1e-12, 1.0, True),
        (1.0 + 1e-6, 1.0, False),
        (math.inf, math.inf, True),
        (100.0, math.inf, False),
        (math.nan, math.nan, True),
        (0.0, math.nan, False),
        (1e-17, 0.0, True),
    ],
)
def test_agrees(printed, expected, ok):
    assert parity.agrees(printed, parity.Line("x", expected)) is ok


def test_literals_read_back_exactly():
    v = 2 / 7
    case = parity.workspace_case("entropy", [v, 1 - v], [0.5, 0.5])
    assert repr(v) in case.snippet("SciPy").code


def test_disagreement_table_rows_have_every_column():
    for row in parity.DISAGREEMENTS:
        assert set(row) == {"topic", "PyTorch", "scikit-learn", "SciPy", "why"}
    topics = " ".join(r["topic"] for r in parity.DISAGREEMENTS)
    for needed in ("Probability 0", "sum to 1", "KL", "class weights", "Ignored", "Class axis"):
        assert needed in topics


# --------------------------------------------------------------------------- the app imports none of them


def test_the_app_never_imports_torch_sklearn_or_scipy():
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "lab").glob("*.py")),
        *sorted((ROOT / "ce_core").rglob("*.py")),
    ]
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"torch", "torchvision", "sklearn", "scipy"}, (path, name)


# --------------------------------------------------------------------------- with the real libraries


def _snippet_script():
    """scripts/check_parity_snippets.py as a module: its lesson states and the key of a stored output."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check_parity_snippets", ROOT / "scripts" / "check_parity_snippets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_snippets_print_ce_core_numbers_with_the_real_libraries():
    """What every parity snippet printed when run with torch, torchvision, scikit-learn and SciPy
    (stored by ``scripts/check_parity_snippets.py --write``) equals the numbers ce_core expects.

    A snippet whose code changed since has no stored output: the test fails until the script is run
    again with the real libraries (the app and this test need none of them).
    """
    script = _snippet_script()
    stored = json.loads((ROOT / "tests" / "data" / "parity_outputs.json").read_text())
    assert {"torch", "torchvision", "scikit-learn", "scipy"} <= set(stored["versions"])
    outputs = stored["outputs"]
    checked = 0
    for name, case in script.cases():
        for s in case.snippets:
            key = script.code_key(s.code)
            assert key in outputs, (
                f"{name}, {s.library}: this snippet's code has no stored output; run "
                "scripts/check_parity_snippets.py --write tests/data/parity_outputs.json "
                "with the reference libraries"
            )
            numbers = [float(v) for v in outputs[key].split()]
            assert len(numbers) == len(s.lines), (name, s.library, outputs[key])
            for got, line in zip(numbers, s.lines, strict=True):
                assert parity.agrees(got, line), (name, s.library, line.label, got, line.expected)
                checked += 1
    assert checked >= 200
