"""Shared links in a real browser: a copied link reproduces the view; hostile links stay inert."""

from __future__ import annotations

import pytest

import ce_core
from tests.e2e.helpers import (
    StreamMonitor,
    metrics,
    open_page,
    press,
    settle,
    slider,
    slider_info,
    wait_run_finished,
    wait_until,
)

pytestmark = pytest.mark.e2e


def share_link(page) -> str:
    """Open the sidebar's "Share and present" expander and read the link its box offers."""
    box = page.locator(".st-key-share")
    frame_element = box.locator("iframe").first
    if not frame_element.is_visible():
        box.locator("summary").first.click()
    frame_element.wait_for(state="visible", timeout=10_000)
    link = frame_element.content_frame.locator("#link")
    wait_until(page, lambda: bool(link.input_value()), timeout=10, message="the share box to show a link")
    return link.input_value().strip()


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(browser, app_url, open_lab, page, stream):
    open_lab("cross_entropy_kl", query="predict=false&unit=nats")
    for key, button in (("p0", "End"), ("q2", "End")):
        since = stream.finished_runs
        press(page, slider(page, key=key, area="sidebar"), button)
        wait_run_finished(page, stream, since)
        settle(page, stream)
    before = dict(metrics(page))
    link = share_link(page)
    assert "p0=100" in link
    assert "q2=100" in link

    fresh = browser.new_context(viewport={"width": 1280, "height": 800})  # no cookies, no session
    other = fresh.new_page()
    monitor = StreamMonitor().attach(other)
    url = link if link.startswith("http") else f"{app_url}/cross_entropy_kl{link}"
    other.goto(url)
    wait_run_finished(other, monitor, 0, timeout=60)
    settle(other, monitor)
    after = dict(metrics(other))
    fresh.close()

    weights_p = [100.0, 30.0, 20.0]
    weights_q = [20.0, 50.0, 100.0]
    expected = ce_core.cross_entropy(ce_core.normalize(weights_p), ce_core.normalize(weights_q))
    assert slider_info(slider(page, key="p0", area="sidebar"))["value"] == 100
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
    frame = page.locator(".st-key-share iframe").first.content_frame
    frame.locator("#copy").click()
    # (The button says "Copied" for 1.5 s; the clipboard is what counts.)
    wait_until(page, lambda: page.evaluate("navigator.clipboard.readText()") == link, timeout=10,
               message="the link on the clipboard")


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "\"><svg onload=alert(1)>", "javascript:alert(1)"])
def test_hostile_links_fire_no_dialog_and_render_no_markup(page, app_url, payload):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    monitor = StreamMonitor().attach(page)
    from urllib.parse import urlencode

    query = urlencode({"n0": payload, "n1": payload, "zz": payload, "hide": payload, "p0": payload})
    open_page(page, app_url, "cross_entropy_kl", monitor, query=query)
    page.wait_for_timeout(500)
    assert dialogs == []
    injected = page.evaluate("""() => [document.querySelectorAll('img[src="x"]').length,
        document.querySelectorAll('[data-testid=stMain] script, [data-testid=stSidebar] script').length,
        document.querySelectorAll('svg[onload]').length]""")
    assert injected == [0, 0, 0]
    notice = page.locator("[data-testid=stAlertContentWarning]").all_inner_texts()
    assert any("could not be used" in n for n in notice)
    # names are cleaned to plain text: no angle brackets anywhere in the class labels
    labels = page.locator("[data-testid=stSidebar] [data-testid=stSlider] [data-testid=stWidgetLabel]").all_inner_texts()
    assert labels
    assert all("<" not in label and ">" not in label for label in labels)
