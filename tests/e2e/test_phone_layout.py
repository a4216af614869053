"""Phone layout (390x844): nothing on any page sticks out past the right edge of the screen.

Every element of the page must lie inside the viewport, unless an ancestor clips it: a
scrolling frame (overflow-x auto/scroll, e.g. a wide table or a code block that scrolls
sideways) or a clipping box (overflow hidden, e.g. a chart's SVG) that itself lies inside the
viewport; such a frame must fade out at its right edge (the cue that there is more). Formulas are stricter: display maths must break into lines or scale down, never
scroll (a scrolled formula showed only "l = -1"). A full-page screenshot of every page is kept in
artifacts/e2e/<page>-phone.png for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import REVEAL_QUERY, open_page, registered_pages, save_screenshot, wait_ready

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PAGES = registered_pages()
#: Pages whose formulas and tables grow with the number of classes: checked again with 10.
MANY_CLASSES = ("entropy", "cross_entropy_kl", "one_hot_loss", "bits_on_the_wire", "surprisal")

OVERFLOW_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const inside = r => r.left >= -1 && r.right <= vw + 1;
  const clipped = el => {  // an ancestor that scrolls or clips, lying inside the viewport itself
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible' && inside(a.getBoundingClientRect())) return true;
    }
    return false;
  };
  const describe = el => {
    const box = el.closest('[data-testid]');
    const r = el.getBoundingClientRect();
    return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}`
      + ` in ${box ? box.getAttribute('data-testid') : '?'} [${Math.round(r.left)}, ${Math.round(r.right)}]`
      + ` "${(el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40)}"`;
  };
  const problems = [];
  const root = document.querySelector('[data-testid=stMain]');
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (!inside(r) && !clipped(el)) problems.push('sticks out: ' + describe(el));
  }
  for (const f of root.querySelectorAll('.katex-display')) {
    if (f.scrollWidth > f.clientWidth + 3) problems.push(`formula scrolls (${f.scrollWidth} px in ${f.clientWidth}): ` + describe(f));
  }
  // a frame that scrolls sideways shows it: its right edge fades out (lab.view.PHONE_CSS)
  for (const f of root.querySelectorAll('[data-testid=stCode] pre, [data-testid=stTable] > div, [data-testid=stDataFrame]')) {
    const scroller = f.matches('[data-testid=stDataFrame]') ? f.querySelector('.dvn-scroller') : f;
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 1 && scroller.scrollLeft === 0
        && getComputedStyle(f).maskImage === 'none') problems.push('wide frame without a scroll cue: ' + describe(f));
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > vw + 1) problems.push(`the page scrolls sideways: ${doc.scrollWidth} px in ${vw}`);
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`the main area scrolls sideways: ${root.scrollWidth} px`);
  return problems;
}
"""


def _check(page, app_url, stream, url_path: str, name: str, query: str) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, app_url, url_path, stream, query=query)
    wait_ready(page, settle_s=0.8)  # idle, no skeletons; KaTeX and Plotly laid out
    save_screenshot(page, f"{name}-phone")
    problems = page.evaluate(OVERFLOW_JS)
    assert not problems, f"{name} at 390x844 ({len(problems)}):\n" + "\n".join(problems[:12])


@pytest.mark.parametrize("lab_page", PAGES, ids=[p.name for p in PAGES])
def test_nothing_sticks_out_on_a_phone(page, app_url, stream, lab_page):
    _check(page, app_url, stream, lab_page.url_path, lab_page.name, REVEAL_QUERY)


@pytest.mark.parametrize("stem", MANY_CLASSES)
def test_nothing_sticks_out_on_a_phone_with_ten_classes(page, app_url, stream, stem):
    lab_page = next(p for p in PAGES if p.file == f"pages/{stem}.py")
    _check(page, app_url, stream, lab_page.url_path, f"{lab_page.name}-k10", f"{REVEAL_QUERY}&k=10")


#: Pages checked again with a setting that draws more: a control shown only when it is turned on.
MORE_DRAWN = {"focal_loss": "fl_alpha_on=true"}


@pytest.mark.parametrize("stem", list(MORE_DRAWN))
def test_nothing_sticks_out_on_a_phone_with_more_drawn(page, app_url, stream, stem):
    lab_page = next(p for p in PAGES if p.file == f"pages/{stem}.py")
    _check(
        page,
        app_url,
        stream,
        lab_page.url_path,
        f"{lab_page.name}-more",
        f"{REVEAL_QUERY}&{MORE_DRAWN[stem]}",
    )
