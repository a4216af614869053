"""No lesson keeps an in-figure Plotly slider (issue 11): each parameter has one live control.

The scrub figures (``layout.sliders`` + ``frames``) of surprisal, binary CE, softmax temperature,
label smoothing and focal loss were twins of the lessons' own sliders and could disagree with
them; they were replaced by lab.components.live_chart (tested in test_live_controls.py).
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import REVEAL_QUERY, charts, page_by_file

pytestmark = pytest.mark.e2e

FORMER_SCRUB_PAGES = ("surprisal", "binary_ce", "softmax_logits", "label_smoothing", "focal_loss")


@pytest.mark.parametrize("stem", FORMER_SCRUB_PAGES)
def test_no_chart_carries_its_own_slider(open_lab, stem):
    target = page_by_file(stem)
    assert target is not None, f"pages/{stem}.py is not registered in app.py"
    page = open_lab(target.url_path, query=REVEAL_QUERY)
    page.locator(".lc-slider").first.wait_for()  # the live control (a custom component) is on the page
    with_sliders = [c["key"] for c in charts(page) if c["sliders"]]
    assert with_sliders == [], f"{stem}: Plotly charts with an in-figure slider: {with_sliders}"
