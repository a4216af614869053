"""ce_core against golden values computed by SciPy, PyTorch, torchvision and scikit-learn.

The values live in ``tests/data/reference_values.json``, written by
``scripts/make_reference_values.py`` (which needs those libraries; the tests do
not). Each case calls one ce_core function and must agree to 1e-9 relative.
The one float32 case (scikit-learn's clip for float32 input, which it computes
in float32) is compared to float32 precision, 1e-6 relative; its ``rtol`` is
stored with the case. The torchvision focal-loss cases also allow an absolute
difference of float64 eps (2.2e-16): torch rounds log(1 + e^-40) = 4.2e-18 to 0,
where ce_core keeps the exact value; so do torch's log_softmax cases (torch takes the log of
the whole sum, ce_core log1p of the terms other than the maximum).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import ce_core
from ce_core import losses
from tests.upstream.fixture import DATA, call, decode

CASES = DATA["cases"]
RTOL = 1e-9


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_agrees_with_library(case):
    expected = np.asarray(decode(case["expected"]), dtype=np.float64)
    actual = call(case)
    assert np.shape(actual) == expected.shape, case["source"]
    assert case["rtol"] <= (1e-6 if "float32" in case["id"] else RTOL)
    # atol is 0 except for the torchvision focal cases and torch's log_softmax: torch rounds
    # log(1 + e^-40) = 4.2e-18 to 0 where ce_core (log1p) keeps it; those cases allow float64 eps absolute.
    atol = case.get("atol", 0.0)
    assert atol <= np.finfo(np.float64).eps
    np.testing.assert_allclose(
        actual, expected, rtol=case["rtol"], atol=atol, err_msg=f"{case['source']} {case.get('note', '')}"
    )


def test_every_public_loss_and_measure_is_covered():
    covered = {c["function"] for c in CASES}
    wanted = {
        "normalize",
        "surprisal",
        "entropy",
        "cross_entropy",
        "kl_divergence",
        "binary_entropy",
        "perplexity",
        "convert_units",
        "softmax",
        "log_softmax",
        "logsumexp",
        "sigmoid",
        "binary_cross_entropy",
        "binary_cross_entropy_gradient",
        "squared_error",
        "absolute_error",
        "clipped_log_loss",
        "clipped_log_loss_gradient",
        "smooth_targets",
        "smoothed_loss_floor",
        "softmax_cross_entropy",
        "cross_entropy_gradient",
        "sigmoid_focal_loss",
        "softmax_focal_loss",
        "focal_modulation",
    }
    assert wanted <= covered, sorted(wanted - covered)


@pytest.mark.parametrize(
    ("function", "option"),
    [
        ("entropy", ("base", 2)),
        ("entropy", ("base", 10)),
        ("entropy", ("base", 3.5)),
        ("kl_divergence", ("base", 2)),
        ("cross_entropy", ("base", 10)),
        ("softmax", ("temperature", 2.0)),
        ("binary_cross_entropy", ("weight", None)),
        ("binary_cross_entropy", ("log_clamp", -100.0)),
        ("softmax_cross_entropy", ("weight", None)),
        ("softmax_cross_entropy", ("label_smoothing", None)),
        ("softmax_cross_entropy", ("ignore_index", None)),
        ("sigmoid_focal_loss", ("alpha", -1.0)),
        ("sigmoid_focal_loss", ("gamma", 0.0)),
        ("softmax_focal_loss", ("alpha", None)),
        ("clipped_log_loss", ("dtype", "float32")),
        ("clipped_log_loss", ("epsilon", None)),
    ],
    ids=lambda v: v if isinstance(v, str) else f"{v[0]}={v[1]}",
)
def test_every_option_is_covered(function, option):
    name, value = option
    hits = [
        c
        for c in CASES
        if c["function"] == function and name in c["kwargs"] and (value is None or c["kwargs"][name] == value)
    ]
    assert hits


@pytest.mark.parametrize(
    "function", ["binary_cross_entropy", "softmax_cross_entropy", "sigmoid_focal_loss", "softmax_focal_loss"]
)
def test_every_reduction_is_covered(function):
    seen = {c["kwargs"].get("reduction") for c in CASES if c["function"] == function}
    assert {"none", "mean", "sum"} <= seen


# Figures printed in /work/shared/REFERENCE.md (and the seed's worked example), obtained
# there by running the libraries. The JSON must hold them and ce_core must reproduce them.
PRINTED = [
    ("cross-entropy-seed-worked-example-nats", None, 0.47965000629754095, 1e-15),
    ("entropy-fair-coin-bits", None, 1.0, 1e-15),
    ("kl-half-vs-09-bits", None, 0.7369655941662061, 1e-15),
    ("kl-q-zero-where-p-positive-inf", None, math.inf, 0),
    ("kl-p-zero-term-is-zero-ln2", None, math.log(2), 1e-15),
    ("cross-entropy-below-H-of-q-counterexample", None, 0.105, 5e-3),
    ("entropy-of-q-in-counterexample", None, 0.325, 5e-3),
    ("ce-reference-index-plain-mean", None, 1.4185397696, 1e-10),
    ("ce-reference-index-plain-none", 0, 0.4170300163, 1e-10),
    ("ce-reference-index-plain-none", 1, 2.4200495230, 1e-10),
    ("ce-reference-index-smoothing-mean", None, 1.4268731030, 1e-10),
    ("ce-reference-index-weight-mean", None, 1.9192946463, 1e-10),
    ("ce-reference-index-weight-smoothing-mean", None, 1.8950524920, 1e-10),
    ("ce-reference-onehot-probability-weight-mean", None, 3.8385892927, 1e-10),
    ("ce-reference-ignore-minus-100-mean", None, 0.4170300163, 1e-10),
    ("bce-reference-weighted-mean", None, 0.5130527989, 1e-10),
    ("bce-clamped-scalar-100", None, 100.0, 0),
    ("clipped-log-loss-gradient-pytorch", 0, -1e12, 1e-8),
    ("clipped-log-loss-sklearn-float64", 0, 36.04365338911715, 1e-15),
    ("clipped-log-loss-sklearn-float32", 0, 15.9424, 1e-4),
    ("clipped-log-loss-sklearn-row-not-renormalised", None, 1.2039728043, 1e-10),
    ("sigmoid-focal-reference-defaults", 0, 0.00045089071, 1e-11),
    ("sigmoid-focal-reference-defaults", 1, 0.17546707585, 1e-11),
    ("sigmoid-focal-reference-defaults", 2, 0.28305870064, 1e-11),
    ("sigmoid-focal-reference-alpha-off-gamma-0", 0, 0.12692801104, 1e-11),
    ("sigmoid-focal-reference-alpha-off-gamma-0", 1, 1.31326168752, 1e-11),
    ("sigmoid-focal-reference-alpha-off-gamma-0", 2, 0.97407698418, 1e-11),
    ("torch-kl-div-batchmean-reference", None, 0.5108256, 1e-7),
    ("log-softmax-exp-overflow-1000-vs-1", 1, -999.0, 0),
]


@pytest.mark.parametrize(
    ("case_id", "index", "printed", "tolerance"),
    PRINTED,
    ids=[f"{p[0]}[{p[1]}]" if p[1] is not None else p[0] for p in PRINTED],
)
def test_reference_md_check_value(case_id, index, printed, tolerance):
    (case,) = [c for c in CASES if c["id"] == case_id]
    stored = decode(case["expected"])
    actual = call(case)
    if index is not None:
        stored, actual = stored[index], actual[index]
    for value in (stored, actual):
        if math.isinf(printed):
            assert value == printed
        else:
            assert abs(value - printed) <= tolerance * max(1.0, abs(printed))


def test_constants_match_the_libraries():
    constants = DATA["constants"]
    assert constants["torch_log_clamp"] == ce_core.TORCH_LOG_CLAMP
    assert constants["torch_bce_grad_eps"] == losses.TORCH_GRAD_EPS
    assert -math.log(ce_core.sklearn_epsilon(np.float64)) == constants["sklearn_max_loss_float64"]
    assert math.isclose(
        -math.log(ce_core.sklearn_epsilon("float32")), constants["sklearn_max_loss_float32"], rel_tol=1e-6
    )


def test_library_versions_are_recorded():
    versions = DATA["versions"]
    assert {"scipy", "torch", "torchvision", "scikit-learn", "numpy"} <= set(versions)
    assert versions["torch"].startswith("2.14.1")
    assert versions["torchvision"].startswith("0.29.1")


# Calibration (issue 18): torchmetrics' ECE and SciPy's best temperature, written by
# `scripts/make_reference_values.py --calibration-only` (torch 2.13.0, torchmetrics 1.9.0).
CALIBRATION = DATA["calibration"]


def run_calibration_case(case: dict):
    result = getattr(ce_core, case["function"])(*decode(case["args"]), **decode(case["kwargs"]))
    if case.get("post"):  # a field of the returned NamedTuple, e.g. ReliabilityBins.calibration_error
        result = getattr(result, case["post"])
    return result


@pytest.mark.parametrize("case", CALIBRATION, ids=[c["id"] for c in CALIBRATION])
def test_calibration_agrees_with_library(case):
    """ECE: torchmetrics rounds confidences to float32, so its public value agrees to 1e-6 absolute;
    the cases on edges (and binary_calibration_error, which keeps float64) to 1e-12. Temperature:
    SciPy's minimize_scalar locates a flat minimum from function values (about 1e-8 relative at best):
    1e-6 relative; brentq on the autograd derivative: 1e-12 relative."""
    actual = run_calibration_case(case)
    assert case["atol"] <= 1e-6
    assert case["rtol"] <= 1e-6
    np.testing.assert_allclose(
        actual,
        case["expected"],
        rtol=case["rtol"],
        atol=case["atol"],
        err_msg=f"{case['source']} {case.get('note', '')}",
    )
    if "root" in case:
        np.testing.assert_allclose(actual, case["root"], rtol=1e-12, err_msg="brentq on dNLL/dT")


@pytest.mark.parametrize(
    "case", [c for c in CALIBRATION if "library" in c], ids=[c["id"] for c in CALIBRATION if "library" in c]
)
def test_calibration_float32_edges_are_the_documented_difference(case):
    """Where the public torchmetrics value differs, it is by its float32 rounding of edges and confidences."""
    actual = run_calibration_case(case)
    if "float32" in case["id"]:
        assert abs(actual - case["library"]) > 0.01  # the examples the module's notes describe
    else:
        assert abs(actual - case["library"]) <= 1e-6  # on these edges float32 moves no sample across


def test_calibration_covers_every_function():
    covered = {c["function"] for c in CALIBRATION}
    assert {
        "expected_calibration_error",
        "classwise_reliability",
        "fit_temperature",
        "log_loss_decomposition",
    } <= covered
    assert DATA["calibration_versions"]["torchmetrics"] == "1.9.0"
