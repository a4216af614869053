"""Live dragging: the in-figure Plotly slider of a scrub figure moves the picture in the browser alone.

A scrub figure is a Plotly figure with ``layout.sliders`` and precomputed ``frames`` (found in
the DOM through ``_fullLayout.sliders``). The test drags its grip with the mouse (down, several
moves, up) and checks that

- the plotted data changes while the button is still down (the picture follows the pointer),
- the data after the drag is exactly the frame of the step the slider stopped on,
- no script run happens: no ``rerun_script`` BackMsg leaves the browser, no ``script_finished``
  arrives, and the app's script state never turns to "running".
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.apptest_utils import decode
from tests.e2e.helpers import (
    REVEAL_QUERY,
    charts,
    close_dialogs,
    is_placeholder,
    page_by_file,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

#: Lessons driven by one parameter (issue 5), by page file: each must have a scrub figure.
#: Surprisal, binary CE, label smoothing and focal loss moved to one live control each (lab.components.live_chart; tests in
#: test_live_controls.py): their Plotly twins are gone.
SCRUB_PAGES = ("softmax_logits",)

SCRUB_STATE_JS = """
(i) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[i];
  const slider = gd._fullLayout.sliders[0];
  const step = slider.steps[slider.active] || {};
  const name = step.args && step.args[0] && step.args[0][0];
  const frame = ((gd._transitionData || {})._frameHash || {})[name] || null;
  const plain = v => (v === undefined || v === null) ? null
      : (ArrayBuffer.isView(v) || Array.isArray(v)) ? Array.from(v, e => (ArrayBuffer.isView(e) || Array.isArray(e)) ? Array.from(e) : e)
      : v;
  return {
    active: slider.active, frameName: name === undefined ? null : String(name),
    frame: frame ? {traces: frame.traces || null, data: frame.data || []} : null,
    traces: gd._fullData.map(t => ({x: plain(t.x), y: plain(t.y)})),
  };
}
"""

RERUN_WATCH_JS = """
() => {
  window.__reruns = 0;
  const app = document.querySelector('[data-testid=stApp]');
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__reruns += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""


def _scrub_indices(page) -> list[int]:
    return [i for i, c in enumerate(charts(page)) if c["sliders"]]


def _plotted(state: dict) -> str:
    return json.dumps(state["traces"], default=str)


def _as_array(value) -> np.ndarray:
    return np.asarray(decode(value), dtype=float) if value is not None else np.array([])


def _assert_shows_its_frame(state: dict, where: str) -> None:
    """The traces a frame updates hold exactly that frame's x and y."""
    frame = state["frame"]
    assert frame is not None, f"{where}: slider step {state['active']} names no known frame ({state['frameName']!r})"
    indices = frame["traces"] or list(range(len(frame["data"])))
    for j, trace_index in enumerate(indices):
        want = frame["data"][j]
        shown = state["traces"][trace_index]
        for axis in ("x", "y"):
            if axis in want and isinstance(want[axis], list | dict):
                np.testing.assert_allclose(_as_array(shown[axis]), _as_array(want[axis]), rtol=0, atol=1e-12,
                                           err_msg=f"{where}: trace {trace_index} {axis} differs from "
                                                   f"frame {state['frameName']!r}")


def _drag(page, stream, index: int, name: str) -> None:
    gd = page.locator(".js-plotly-plot").nth(index)
    gd.scroll_into_view_if_needed()
    grip = gd.locator(".slider-grip-rect").first.bounding_box()
    rail = gd.locator(".slider-rail-rect").first.bounding_box()
    assert grip, f"{name}: scrub figure {index} has no visible slider grip"
    assert rail, f"{name}: scrub figure {index} has no visible slider rail"
    start_x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    # Drag toward the far end of the rail, in several moves, like a hand.
    rail_mid = rail["x"] + rail["width"] / 2
    end_x = rail["x"] + rail["width"] * (0.85 if start_x < rail_mid else 0.15)

    before = page.evaluate(SCRUB_STATE_JS, index)
    _assert_shows_its_frame(before, f"{name} before the drag")
    page.evaluate(RERUN_WATCH_JS)
    sent, finished, received = stream.rerun_requests, stream.all_finished, len(stream.received)

    page.mouse.move(start_x, y)
    page.mouse.down()
    seen = []
    moves = 8
    for k in range(1, moves + 1):
        page.mouse.move(start_x + (end_x - start_x) * k / moves, y, steps=2)
        page.wait_for_timeout(60)
        seen.append(page.evaluate(SCRUB_STATE_JS, index))
    mid = seen[moves // 2 - 1]
    page.mouse.up()
    page.wait_for_timeout(800)  # time for any (unwanted) rerun to show up
    after = page.evaluate(SCRUB_STATE_JS, index)
    save_screenshot(page, f"{name}-scrub{index}-after-drag", full_page=False)

    assert _plotted(mid) != _plotted(before), f"{name}: the plotted data did not change while dragging"
    assert len({s["active"] for s in seen}) >= 3, f"{name}: the slider did not follow the pointer through steps"
    assert after["active"] != before["active"], f"{name}: the slider step did not change"
    assert _plotted(after) != _plotted(before), f"{name}: the plotted data is unchanged after the drag"
    _assert_shows_its_frame(mid, f"{name} mid-drag")
    _assert_shows_its_frame(after, f"{name} after the drag")

    new_messages = [kind for kind, _, _ in stream.received[received:]]
    assert stream.rerun_requests == sent, f"{name}: the drag asked the server for a rerun"
    assert stream.all_finished == finished, f"{name}: a script run finished during the drag: {new_messages}"
    assert page.evaluate("window.__reruns") == 0, f"{name}: the app's script state went to running"
    assert "delta" not in new_messages, f"{name}: the server sent new elements during the drag"


@pytest.mark.parametrize("stem", SCRUB_PAGES)
def test_dragging_a_scrub_figure_moves_the_data_without_a_rerun(open_lab, stream, stem):
    target = page_by_file(stem)
    if target is None:
        pytest.fail(f"pages/{stem}.py is not registered in app.py")
    url_path = target.url_path
    page = open_lab(url_path, query=REVEAL_QUERY)
    close_dialogs(page)  # a dialog would swallow the mouse; test_pages reports any on load
    indices = _scrub_indices(page)
    if not indices:
        if is_placeholder(page):
            pytest.skip(f"{url_path} is still a placeholder")
        pytest.fail(f"{url_path}: no Plotly figure with layout.sliders (a scrub figure) on the page")
    for index in indices:
        _drag(page, stream, index, url_path)
