"""Run the framework-parity snippets with the real libraries and compare with ce_core.

Usage:
    python scripts/check_parity_snippets.py [--python /opt/refvenv/bin/python] [--verbose]

Builds the snippets of :mod:`lab.content.parity` for several lesson states (defaults,
edges at 0 and 1, zeros in q, large logits), runs them all in ONE process of a
Python that has torch, torchvision, scikit-learn and SciPy (the app itself never
imports them), and checks that every printed number equals the number ce_core
expects for that line: within 1e-9 relative (1e-12 absolute near 0), inf equal
to inf, and float32 lines (scikit-learn on float32 input) within 1e-6 relative.
Exits 1 if any line disagrees or a snippet fails.

``--write tests/data/parity_outputs.json`` also stores what each snippet printed, keyed by the
SHA-256 of its code, with the library versions: ``tests/test_parity.py`` checks ce_core against
those printed numbers on machines without the libraries (CI), and fails when a snippet's code
changed since (run this again to refresh them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ce_core.variants import BATCH_CLASSES, BATCH_TARGETS, balanced_weights  # noqa: E402
from lab.content import parity  # noqa: E402
from lab.lesson_keys import (  # noqa: E402
    BCE_LABEL_DEFAULT,
    BCE_PRED_DEFAULT,
    CL_EPSILON_DEFAULT,
    CL_PROB_DEFAULT,
    CW_WEIGHT_DEFAULTS,
    FL_ALPHA_DEFAULT,
    FL_GAMMA_DEFAULT,
    LS_EPSILON_DEFAULT,
    SM_LOGIT_DEFAULTS,
    SM_TEMPERATURE_DEFAULT,
    SM_TRUE_DEFAULT,
)

REFERENCE_PYTHON = "/opt/refvenv/bin/python"

# Runs inside the reference interpreter: exec each snippet in a fresh namespace, capture what it prints.
RUNNER = r"""
import contextlib, io, json, sys, traceback, warnings
warnings.simplefilter("ignore")
jobs = json.load(sys.stdin)
out = {}
for job in jobs:
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(job["code"], job["id"], "exec"), {"__name__": "__main__"})
        out[job["id"]] = {"stdout": buf.getvalue(), "error": None}
    except Exception:
        out[job["id"]] = {"stdout": buf.getvalue(), "error": traceback.format_exc(limit=2)}
import torch, sklearn, scipy, torchvision
out["__versions__"] = {"torch": torch.__version__, "torchvision": torchvision.__version__,
                       "scikit-learn": sklearn.__version__, "scipy": scipy.__version__}
json.dump(out, sys.stdout)
"""

WORKSPACE_STATES = {
    "default p, q": ([0.5, 0.3, 0.2], [0.2, 0.5, 0.3]),
    "seed example": ([0.0, 1.0, 0.0], [0.228, 0.619, 0.153]),
    "q = 0 where p > 0": ([0.5, 0.5, 0.0], [1.0, 0.0, 0.0]),
    "p = q with a zero": ([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]),
    "one-hot p, 5 classes": ([0.0, 0.0, 1.0, 0.0, 0.0], [0.1, 0.2, 0.4, 0.2, 0.1]),
}
DEFAULT_Q = [0.2, 0.5, 0.3]


def cases() -> list[tuple[str, parity.ParityCase]]:
    out = []
    for name, (p, q) in WORKSPACE_STATES.items():
        for measure in ("cross_entropy", "kl", "entropy"):
            out.append((f"{measure}, {name}", parity.workspace_case(measure, p, q, base=2.0)))
    for y, x in ((BCE_LABEL_DEFAULT, BCE_PRED_DEFAULT), (0, 0.2), (1, 0.0), (0, 1.0), (1, 1e-30), (1, 1.0)):
        out.append((f"binary y={y} x={x:g}", parity.binary_case(y, x)))
    k = 3
    for z, y, t in (
        (SM_LOGIT_DEFAULTS[:k], SM_TRUE_DEFAULT, SM_TEMPERATURE_DEFAULT),
        (SM_LOGIT_DEFAULTS[:5], 2, 0.5),
        ((1000.0, 0.0, -1000.0), 2, 1.0),
        ((3.0, -2.0), 1, 4.0),
    ):
        out.append((f"softmax z={list(z)} y={y} T={t:g}", parity.softmax_case(z, y, t)))
    for q, y, e in (
        (DEFAULT_Q, 0, LS_EPSILON_DEFAULT),
        (DEFAULT_Q, 1, 0.0),
        (DEFAULT_Q, 2, 1.0),
        ([0.9, 0.1, 0.0], 0, 0.0),
        ([0.9, 0.1, 0.0], 0, 0.2),
        ([0.0, 1.0], 0, 0.1),
    ):
        out.append((f"smoothing q={q} y={y} e={e:g}", parity.smoothing_case(q, y, e)))
    for q, y, g, a in (
        (DEFAULT_Q, 0, FL_GAMMA_DEFAULT, FL_ALPHA_DEFAULT),
        (DEFAULT_Q, 1, 0.0, None),
        (DEFAULT_Q, 2, 5.0, 0.9),
        ([0.9, 0.1, 0.0], 0, 2.0, 0.25),
        ([1.0, 0.0], 0, 2.0, None),
    ):
        out.append((f"focal q={q} y={y} gamma={g:g} alpha={a}", parity.focal_case(q, y, g, a)))
    for w in (
        CW_WEIGHT_DEFAULTS,
        (1.0, 1.0, 1.0),
        tuple(balanced_weights(BATCH_TARGETS, BATCH_CLASSES)),
        (0.0, 1.0, 5.0),
        (0.0, 0.0, 0.0),
    ):
        out.append((f"weights W={[round(float(v), 4) for v in w]}", parity.weights_case(w)))
    for q, le in (
        (CL_PROB_DEFAULT, CL_EPSILON_DEFAULT),
        (0.0, -7.0),
        (1e-50, -30.0),
        (1e-20, -7.0),
        (1e-10, -1.0),
        (0.5, -7.0),
        (1.0, -7.0),
        (0.3, -3.5),
    ):
        out.append((f"clipping q={q:g} log10 eps={le:g}", parity.clipping_case(q, le)))
    return out


def code_key(code: str) -> str:
    """The key of a snippet's stored output: the SHA-256 of its code."""
    return hashlib.sha256(code.encode()).hexdigest()


def parse(text: str) -> list[float]:
    return [float(line) for line in text.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=REFERENCE_PYTHON, help="interpreter with torch, sklearn, scipy")
    parser.add_argument(
        "--verbose", action="store_true", help="print every line, not only a summary per case"
    )
    parser.add_argument(
        "--write", type=Path, help="store the printed outputs here (JSON), for tests/test_parity.py"
    )
    args = parser.parse_args()

    all_cases = cases()
    jobs = []
    for i, (_name, case) in enumerate(all_cases):
        for snippet in case.snippets:
            jobs.append({"id": f"{i}:{snippet.library}", "code": snippet.code})
    proc = subprocess.run(
        [args.python, "-c", RUNNER],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return 1
    results = json.loads(proc.stdout)
    versions = results.pop("__versions__")
    print("Reference libraries:", ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"{len(all_cases)} lesson states, {len(jobs)} snippets\n")

    failures = checked = 0
    for i, (name, case) in enumerate(all_cases):
        value = "undefined" if math.isnan(case.value) else f"{case.value!r}"
        print(f"== {name}: ce_core {case.value_label} = {value} nats")
        for snippet in case.snippets:
            result = results[f"{i}:{snippet.library}"]
            if result["error"]:
                failures += 1
                print(f"   {snippet.library:<13} ERROR\n{result['error']}")
                continue
            try:
                printed = parse(result["stdout"])
            except ValueError:
                printed = []
            if len(printed) != len(snippet.lines):
                failures += 1
                print(
                    f"   {snippet.library:<13} FAIL: printed {result['stdout']!r}, expected {len(snippet.lines)} numbers"
                )
                continue
            for got, line in zip(printed, snippet.lines, strict=True):
                checked += 1
                ok = parity.agrees(got, line)
                failures += not ok
                if args.verbose or not ok:
                    print(
                        f"   {snippet.library:<13} {'ok  ' if ok else 'FAIL'} {line.label}: "
                        f"printed {got!r}, ce_core {line.expected!r} ({line.unit})"
                    )
            if not args.verbose and all(
                parity.agrees(g, ln) for g, ln in zip(printed, snippet.lines, strict=True)
            ):
                shown = ", ".join(f"{g!r}" for g in printed)
                print(f"   {snippet.library:<13} ok: printed {shown} = ce_core")
        for library, why in case.missing.items():
            print(f"   {library:<13} no snippet: {why}")
    print(f"\n{checked} printed numbers checked, {failures} disagreement(s) or error(s).")
    if args.write and not failures:
        outputs = {
            code_key(snippet.code): results[f"{i}:{snippet.library}"]["stdout"]
            for i, (_name, case) in enumerate(all_cases)
            for snippet in case.snippets
        }
        args.write.write_text(
            json.dumps({"versions": versions, "outputs": outputs}, indent=1, sort_keys=True) + "\n"
        )
        print(f"wrote {len(outputs)} printed outputs to {args.write}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
