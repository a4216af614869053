"""Presenter mode at 1280x720: the first screen of a lesson holds its chart and main control, big.

Measured in the browser with ``?presenter=true`` (and predict-first off, so the answer panels
and their charts show):

- at least half of the lesson's first chart lies inside the first 720 px of the page;
- the lesson's first control (slider, select box, segmented control) lies inside it too, and so
  does its live control (lab.components.live_chart) if it has one; on the
  pages that read p and q the main control is the p/q editor's bars and the main chart the picture
  the editor draws beside them (both inside the editor's shadow root);
- every legend, annotation, in-chart label and tick label of every chart is drawn at >= 18 px;
- the intro and other long prose (containers keyed ``prose_...``) are hidden.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_page, page_by_file, save_screenshot, wait_ready

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1280, "height": 720}
QUERY = "presenter=true&predict=false"
MIN_PX = 18
#: Lessons whose main control is the p/q editor (issue 11: placed inline next to the main chart).
PQ_PAGES = ("surprisal", "entropy", "cross_entropy_kl", "one_hot_loss", "bits_on_the_wire")
OTHER_PAGES = (
    "binary_ce",
    "softmax_logits",
    "label_smoothing",
    "focal_loss",
    "class_weights",
    "clipping",
    "framework_parity",
    "training",
)

FIRST_SCREEN_JS = """
() => {
  const main = document.querySelector('[data-testid=stMain]');
  const top = main.getBoundingClientRect().top - main.scrollTop;  // page coordinates, whatever the scroll
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect(); return {top: r.top - top, height: r.height}; };
  // the first chart: a Plotly chart or a live or bar control's chart (a custom component), whichever is higher
  const inLive = (sel) => [...main.querySelectorAll('[class*="st-key-live_"] *')].filter(e => e.shadowRoot)
      .map(h => h.shadowRoot.querySelector(sel)).filter(Boolean);
  const charts = [...main.querySelectorAll('.js-plotly-plot'), ...inLive('.lc-svg')]
      .filter(el => el.getBoundingClientRect().height > 0)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  const chart = charts[0];
  // a native widget, or a lesson's custom control in a container keyed lesson_controls or pq_editor
  const control = [main.querySelector('[data-testid=stSlider], [data-testid=stSelectbox], '
                                     + '[data-testid=stSegmentedControl], [data-testid=stNumberInput], '
                                     + '.st-key-lesson_controls, [class*="st-key-pq_editor"]'),
                   ...inLive('.lc-control'), ...inLive('.bc-bars')].filter(Boolean)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
  const prose = Array.from(main.querySelectorAll('[class*="st-key-prose_"]')).filter(el => el.offsetParent !== null);
  const host = [...main.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector('.pqe'));
  const editor = host ? {picture: box(host.shadowRoot.querySelector('.pqe-svg')),
                         bars: box(host.shadowRoot.querySelector('.pqe-bars'))} : null;
  // the lesson's main live control: a bar control's bars, else the first live control
  const live = [...inLive('.bc-bars'), ...inLive('.lc-control')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
  return {chart: box(chart), control: box(control), live: box(live), editor, visibleProse: prose.length};
}
"""

FONTS_JS = """
(min) => {
  const small = [];
  const kinds = {legend: '.legend text', annotation: '.annotation text', 'in-chart label': '.textpoint text',
                 tick: '.xtick text, .ytick text, .x2tick text, .y2tick text'};
  let counted = 0;
  document.querySelectorAll('[data-testid=stMain] .js-plotly-plot').forEach((gd, i) => {
    for (const [kind, sel] of Object.entries(kinds)) {
      for (const t of gd.querySelectorAll(sel)) {
        if (!t.textContent.trim()) continue;
        counted += 1;
        const px = parseFloat(getComputedStyle(t).fontSize);
        if (px < min) small.push(`chart ${i} ${kind} "${t.textContent.slice(0, 30)}" ${px} px`);
      }
    }
  });
  // live controls: their chart text and legend, in the components' shadow roots
  [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => e.shadowRoot).forEach((host, i) => {
    for (const t of host.shadowRoot.querySelectorAll('.lc-svg text, .lc-key')) {
      if (!t.textContent.trim() || t.getBoundingClientRect().height === 0) continue;
      counted += 1;
      const px = parseFloat(getComputedStyle(t).fontSize);
      if (px < min) small.push(`live chart ${i} "${t.textContent.slice(0, 30)}" ${px} px`);
    }
  });
  return {counted, small};
}
"""


#: Lessons whose live control stays on the first screen with predict-first on too (before the guess).
PREDICT_ON_PAGES = ("binary_ce", "label_smoothing")


def _open(page, app_url, stream, stem: str, query: str = QUERY) -> None:
    lab_page = page_by_file(stem)
    assert lab_page is not None, f"pages/{stem}.py is not registered"
    page.set_viewport_size(PROJECTOR)
    open_page(page, app_url, lab_page.url_path, stream, query=query)
    wait_ready(page, settle_s=0.8)  # idle, no skeletons: a page without charts settles too


@pytest.mark.parametrize("stem", [*PQ_PAGES, *OTHER_PAGES])
def test_first_screen_holds_the_chart_and_main_control(page, app_url, stream, stem):
    _open(page, app_url, stream, stem)
    save_screenshot(page, f"{stem}-presenter", full_page=False)
    found = page.evaluate(FIRST_SCREEN_JS)
    assert found["visibleProse"] == 0, f"{stem}: {found['visibleProse']} prose blocks shown in presenter mode"
    screen = PROJECTOR["height"]
    if stem in PQ_PAGES:  # the editor's bars and the picture beside them
        assert found["editor"] is not None, f"{stem}: no p/q editor"
        bars, picture = found["editor"]["bars"], found["editor"]["picture"]
        assert bars["top"] + bars["height"] <= screen, (
            f"{stem}: the editor's bars end at {bars['top'] + bars['height']:.0f} px, below the first screen"
        )
        assert picture["top"] + picture["height"] / 2 <= screen, (
            f"{stem}: the editor's picture starts at {picture['top']:.0f} px, {picture['height']:.0f} px tall"
        )
    elif stem != "framework_parity":  # a page of code and tables, no chart
        chart = found["chart"]
        assert chart is not None, f"{stem}: no chart"
        assert chart["top"] + chart["height"] / 2 <= screen, (
            f"{stem}: the first chart starts at {chart['top']:.0f} px, {chart['height']:.0f} px tall: "
            f"less than half of it on the first {screen} px"
        )
    if stem not in PQ_PAGES:
        control = found["control"]
        assert control is not None, f"{stem}: no control in the page"
        assert control["top"] + control["height"] <= screen, (
            f"{stem}: the main control ends at "
            f"{control['top'] + control['height']:.0f} px, below the first screen"
        )
        live = found[
            "live"
        ]  # a live (or bar) control is the lesson's main control, wherever other widgets sit
        if live is not None:
            assert live["top"] + live["height"] <= screen, (
                f"{stem}: the live control ends at "
                f"{live['top'] + live['height']:.0f} px, below the first screen"
            )


@pytest.mark.parametrize("stem", list(PREDICT_ON_PAGES))
def test_the_question_leaves_the_live_control_on_the_first_screen(page, app_url, stream, stem):
    _open(page, app_url, stream, stem, query="presenter=true")  # predict-first on: no guess yet
    assert page.locator("[class*='st-key-predict_']").count() > 0, f"{stem}: no question asked"
    live = page.evaluate(FIRST_SCREEN_JS)["live"]
    assert live is not None, f"{stem}: no live control"
    assert live["top"] + live["height"] <= PROJECTOR["height"], (
        f"{stem}: before the guess the live control ends at {live['top'] + live['height']:.0f} px, "
        "below the first screen"
    )


@pytest.mark.parametrize("stem", [*PQ_PAGES, *OTHER_PAGES[:-2], OTHER_PAGES[-1]])
def test_chart_texts_are_at_least_18_px(page, app_url, stream, stem):
    _open(page, app_url, stream, stem)
    fonts = page.evaluate(FONTS_JS, MIN_PX)
    assert fonts["counted"] > 0, f"{stem}: no legend, annotation, label or tick text found in the charts"
    assert not fonts["small"], f"{stem}: text below {MIN_PX} px in presenter mode:\n" + "\n".join(
        fonts["small"][:10]
    )
