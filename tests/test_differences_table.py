"""README's table "Where ce_core differs from the frameworks, and why" is generated from the docstrings.

``scripts/differences_table.py`` collects every "Differences from the frameworks" section of the
package and public function docstrings. These tests fail when the README and the docstrings
disagree, when a quoted ValueError message does not occur in ce_core, or when one of the
differences the lab must document has no entry.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("differences_table", ROOT / "scripts" / "differences_table.py")
table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(table)

SOURCE = "\n".join(p.read_text() for p in sorted((ROOT / "ce_core").glob("*.py")))
ROWS = table.collect()


def test_readme_section_is_the_generated_table():
    section = table.readme_section((ROOT / "README.md").read_text())
    assert section == table.render(), "run: python scripts/differences_table.py"


def test_every_readme_row_is_backed_by_a_docstring():
    section = table.readme_section((ROOT / "README.md").read_text())
    body = [
        line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| function")
    ]
    assert len(body) == len(ROWS) >= 20
    for line, row in zip(body, ROWS, strict=True):
        assert line.split(" | ")[1] == table._cell(row["input"])


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['where']}: {r['input'][:40]}" for r in ROWS])
def test_quoted_messages_exist_in_ce_core(row):
    """A message quoted after 'ValueError' is one ce_core raises (the argument name may be a placeholder)."""
    for quoted in re.findall(r'ValueError "([^"]+)"', row["ce_core"]):
        for part in quoted.split("..."):
            part = re.sub(r"^[a-z_]+ (?=must )", "", part.strip())  # "p must ..." is f"{name} must ..."
            if len(part) >= 8:
                assert part in SOURCE, f"{part!r} is not in ce_core's source"


def _inputs(where: str) -> str:
    return " / ".join(r["input"] for r in ROWS if r["where"] == where).lower()


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (
            "`softmax_cross_entropy`",
            [
                "empty batch",
                "every sample ignored",
                "negative class weights",
                "-inf for a masked class",
                "ignore_index with probability targets",
                "not distributions",
            ],
        ),
        ("`binary_cross_entropy`", ["negative weights", "empty input", "probability 0"]),
        ("`sigmoid_focal_loss`", ["empty input", "non-finite logits"]),
        ("`logsumexp`", ["an empty array", "non-finite", "complex", "tiny term"]),
        ("`log_softmax`", ["-inf for a masked class", "tiny terms"]),
        ("`entropy`", ["does not sum to 1"]),
        ("`cross_entropy`", ["different shapes", "does not sum to 1"]),
        ("every function", ["complex input", "different shapes"]),
    ],
)
def test_the_issue_differences_are_documented(where, words):
    documented = _inputs(where)
    for word in words:
        assert word in documented, f"{where} documents no {word!r}"
