""" "Show the code behind this": nothing is drawn until the learner opens it, then the real source."""

from __future__ import annotations

import inspect

import pytest

from ce_core.entropy_parts import entropy_terms
from ce_core.information import binary_entropy, entropy
from tests.e2e.helpers import exception_texts, server_traceback, wait_until

pytestmark = pytest.mark.e2e


def test_the_code_expander_sends_its_code_only_once_opened(open_lab, stream):
    page = open_lab("entropy")
    box = page.locator("[data-testid=stExpander]").filter(has_text="Show the code behind this")
    assert box.count() == 1
    assert box.locator("pre").count() == 0, "code drawn inside the closed expander"
    runs = stream.finished_runs
    box.locator("summary").click()
    wait_until(page, lambda: box.locator("pre").count() == 3, 20, "three code blocks in the opened expander")
    assert stream.finished_runs > runs, "opening the expander did not rerun the page"
    shown = [text.strip() for text in box.locator("pre").all_inner_texts()]
    for func, text in zip((entropy, entropy_terms, binary_entropy), shown, strict=True):
        source = inspect.getsource(func)
        assert text.splitlines()[0] == source.splitlines()[0]
        assert len(text.splitlines()) == len(source.rstrip().splitlines())
    page.wait_for_timeout(500)
    assert box.locator("details").first.get_attribute("open") is not None, (
        "expander closed itself after the rerun"
    )
    assert exception_texts(page) == [], server_traceback()
    # Closing it again removes the code from the page on the next run.
    box.locator("summary").click()
    wait_until(page, lambda: box.locator("pre").count() == 0, 20, "the code to leave the closed expander")
