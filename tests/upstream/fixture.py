"""Shared reading of the ported upstream cases in ``tests/data/reference_values.json``.

``scripts/make_reference_values.py`` writes them with the real libraries (torch, torchvision,
scikit-learn, SciPy); the tests here need none of those. A case names the upstream file and test
it was ported from (``upstream``), the ce_core call (``function``, ``args``, ``kwargs``) and either
the library's value (``expected``, compared at ``rtol`` with an optional ``atol``) or, where
ce_core deliberately refuses the input, the start of the ValueError message it documents
(``raises``) next to what the library returned (``library``).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import ce_core

DATA = json.loads((Path(__file__).resolve().parent.parent / "data" / "reference_values.json").read_text())
UPSTREAM = DATA["upstream"]


def decode(obj):
    """JSON -> Python, with the strings "inf" and "-inf" back as floats."""
    if obj == "inf":
        return math.inf
    if obj == "-inf":
        return -math.inf
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    if isinstance(obj, dict):
        return {k: decode(v) for k, v in obj.items()}
    return obj


def call(case: dict):
    result = getattr(ce_core, case["function"])(*decode(case["args"]), **decode(case["kwargs"]))
    if case.get("post") == "mean":
        result = float(np.mean(result))
    return result


def cases(upstream_prefix: str) -> list[dict]:
    """The stored cases ported from one upstream file::test (prefix match)."""
    found = [c for c in UPSTREAM if c["upstream"].startswith(upstream_prefix)]
    assert found, f"no stored cases for {upstream_prefix}: rerun scripts/make_reference_values.py"
    return found


def ids(found: list[dict]) -> list[str]:
    return [c["id"] for c in found]


def check(case: dict) -> None:
    """ce_core agrees with the library's value, or raises the ValueError its docstring documents."""
    if "raises" in case:
        with pytest.raises(ValueError, match=re.escape(case["raises"])):
            call(case)
        return
    expected = np.asarray(decode(case["expected"]), dtype=np.float64)
    actual = call(case)
    assert np.shape(actual) == expected.shape, case["upstream"]
    np.testing.assert_allclose(
        actual,
        expected,
        rtol=case["rtol"],
        atol=case.get("atol", 0.0),
        err_msg=f"{case['upstream']} {case.get('note', '')}",
    )
