"""Shared links in a real browser: a copied link reproduces the view; hostile links stay inert."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.helpers import (
    StreamMonitor,
    metrics,
    open_page,
    press,
    settle,
    wait_run_finished,
    wait_until,
)

pytestmark = pytest.mark.e2e

#: The p/q editor's bars (role=slider in the component's shadow root), ordered p0, q0, p1, q1, ...
TRACKS = ".pqe-track"
#: The share box's field and Copy button (lab.components.share_box, in the component's shadow root).
SHARE_LINK = ".st-key-share .sb-link"
SHARE_COPY = ".st-key-share .sb-copy"


def link_dist(link: str, name: str) -> list[float] | None:
    values = parse_qs(urlparse(link).query).get(name)
    return None if values is None else [float(v) for v in values[0].split(",")]


def share_link(page) -> str:
    """Open the sidebar's "Share and present" expander and read the link its box offers."""
    box = page.locator(".st-key-share")
    link = page.locator(SHARE_LINK).first
    if not link.is_visible():
        box.locator("summary").first.click()
    link.wait_for(state="visible", timeout=10_000)
    wait_until(page, lambda: bool(link.input_value()), timeout=10, message="the share box to show a link")
    return link.input_value().strip()


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(browser, app_url, open_lab, page, stream):
    open_lab("cross_entropy_kl", query="predict=false&unit=nats")
    # p(cat) to 1 (End); q(cat) 0.25 -> 0.35 (Page Up: ten grid steps), the others rescaled.
    for bar, button in ((0, "End"), (1, "PageUp")):
        since = stream.finished_runs
        press(page, page.locator(TRACKS).nth(bar), button)  # commits 350 ms after the key
        wait_run_finished(page, stream, since)
        settle(page, stream)
    before = dict(metrics(page))
    link = share_link(page)
    assert link_dist(link, "p") == [1.0, 0.0, 0.0]
    assert link_dist(link, "q")[0] == 0.35

    fresh = browser.new_context(viewport={"width": 1280, "height": 800})  # no cookies, no session
    other = fresh.new_page()
    monitor = StreamMonitor().attach(other)
    url = link if link.startswith("http") else f"{app_url}/cross_entropy_kl{link}"
    other.goto(url)
    wait_run_finished(other, monitor, 0, timeout=60)
    settle(other, monitor)
    after = dict(metrics(other))
    fresh.close()

    # With a one-hot p on cat, H(p, q) is the surprisal of cat under q: -ln 0.35.
    expected = -math.log(0.35)
    assert page.locator(TRACKS).nth(0).get_attribute("aria-valuenow") == "1.000"
    assert after == before
    assert after["H(p, q)"] == f"{expected:.4f} nats"


def test_the_share_link_follows_a_lesson_control_that_reruns_only_its_panel(app_url, open_lab, page, stream):
    """Lesson controls live in st.fragment: app.py does not rerun, yet the offered link must change."""
    open_lab("binary_ce", query="predict=false")
    control = page.locator(".st-key-live_bce_pred .lc-slider")  # a live control (lab.components.live_chart)
    before = control.get_attribute("aria-valuenow")
    since = stream.finished_runs
    control.focus()
    page.keyboard.press("End")
    wait_run_finished(page, stream, since)
    settle(page, stream)
    assert float(control.get_attribute("aria-valuenow")) == 1.0 != float(before)
    # The box reads the address bar in the browser (a few times a second), no server run needed.
    wait_until(page, lambda: "bce_pred=1" in share_link(page), timeout=10, message="share link updated")
    link = share_link(page)
    assert link == page.url  # exactly what the address bar holds

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = page.locator(SHARE_COPY).first
    button.click()
    # (The button says "Copied" for 1.5 s; the clipboard is what counts: the address the bar holds.)
    seen: list[tuple[str, str, str]] = []

    def copied() -> bool:
        clip = page.evaluate("navigator.clipboard.readText()")
        seen.append((clip, page.url, button.inner_text()))
        return clip == page.url and "bce_pred=1" in clip

    try:
        wait_until(page, copied, timeout=10, message="the link on the clipboard")
    except TimeoutError as error:
        raise AssertionError(
            f"clipboard, address bar, button (first and last read): {seen[:1]} {seen[-1:]}; "
            f"the box showed {link!r}"
        ) from error


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "javascript:alert(1)",
    ],
)
def test_hostile_links_fire_no_dialog_and_render_no_markup(page, app_url, payload):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    monitor = StreamMonitor().attach(page)
    from urllib.parse import urlencode

    query = urlencode(
        {
            "n0": payload,
            "n1": payload,
            "zz": payload,
            "hide": payload,
            "p0": payload,
            "q": payload,
            "k": payload,
        }
    )
    open_page(page, app_url, "cross_entropy_kl", monitor, query=query)
    page.wait_for_timeout(500)
    assert dialogs == []
    # In the page and inside the p/q editor's shadow root.
    injected = page.evaluate("""() => {
        const roots = [document, ...[...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot)];
        const count = sel => roots.reduce((n, r) => n + r.querySelectorAll(sel).length, 0);
        return [count('img[src="x"]'), count('[data-testid=stMain] script, [data-testid=stSidebar] script')
                + roots.slice(1).reduce((n, r) => n + r.querySelectorAll('script').length, 0), count('svg[onload]')];
    }""")
    assert injected == [0, 0, 0]
    notice = page.locator("[data-testid=stAlertContentWarning]").all_inner_texts()
    assert any("could not be used" in n for n in notice)
    # names are cleaned to plain text: no angle brackets anywhere in the editor's class names
    labels = page.locator(".pqe-name").all_inner_texts()
    assert labels
    assert all("<" not in label and ">" not in label for label in labels)
