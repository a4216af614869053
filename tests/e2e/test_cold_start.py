"""A class opening the link at once on a freshly started server: no error for anyone (issue 14).

The first script runs of a new process import Plotly, pandas and NumPy and build the lab's
Plotly template. When several first runs start together (a teacher restarts the server and
the class opens the links together), two script threads can race through those first-time
imports: "partially initialized module 'pandas'" or an import deadlock, and a learner sees
"This app has encountered an error". Each round here starts a FRESH ``streamlit run app.py``
and opens several different lesson links at the same moment, one browser context each (a
lesson link opened first takes Streamlit's older page lookup, which runs the page without
app.py). Nothing may show an exception, and the server log may hold no traceback.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.helpers import (
    VIEWPORT,
    StreamMonitor,
    dialog_texts,
    exception_texts,
    page_by_file,
    page_heading,
    streamlit_server,
    wait_until,
)

pytestmark = pytest.mark.e2e

#: Different lessons, each importing its own figure modules first.
STEMS = ("entropy", "cross_entropy_kl", "surprisal", "binary_ce", "label_smoothing")
ROUNDS = 3


def _lessons():
    lessons = [page_by_file(stem) for stem in STEMS]
    missing = [stem for stem, lesson in zip(STEMS, lessons, strict=True) if lesson is None]
    assert not missing, f"pages not registered in app.py: {missing}"
    return lessons


def _done(page, monitor: StreamMonitor, heading: str | None) -> bool:
    """The page's run is over: its title or an exception box is on screen."""
    if monitor.finished_runs < 1:
        return False
    if page.locator("[data-testid=stException]").count():
        return True
    if heading is None:
        return page.locator("[data-testid=stMain] h1").count() > 0
    return page.locator("[data-testid=stMain] h1", has_text=heading).count() > 0


@pytest.mark.parametrize("round_", range(1, ROUNDS + 1), ids=lambda r: f"fresh-server-{r}")
def test_a_class_opening_lesson_links_at_once_on_a_fresh_server(browser, round_):
    lessons = _lessons()
    log_name = f"server-e2e-cold-{round_}"
    with streamlit_server("app.py", log_name=log_name) as url:
        from bench import harness

        log_path = harness.LAST_SERVER_LOG
        contexts = [browser.new_context(viewport=VIEWPORT) for _ in lessons]
        try:
            tabs = [context.new_page() for context in contexts]
            monitors = [StreamMonitor().attach(tab) for tab in tabs]
            # Navigate every tab without waiting for its load: the pages' scripts (each a first
            # run of this process) start within a few milliseconds of each other.
            started = time.monotonic()
            for tab, lesson in zip(tabs, lessons, strict=True):
                tab.goto(f"{url}/{lesson.url_path}", wait_until="commit")
            spread = time.monotonic() - started
            problems = []
            for tab, monitor, lesson in zip(tabs, monitors, lessons, strict=True):
                heading = page_heading(lesson)
                try:
                    wait_until(
                        tab,
                        lambda t=tab, m=monitor, h=heading: _done(t, m, h),
                        90,
                        f"/{lesson.url_path} to show its title or an exception",
                    )
                except TimeoutError as err:
                    problems.append(f"/{lesson.url_path}: {err}")
                    continue
                tab.wait_for_timeout(300)  # a rerun (ensure_app_run) may still be drawing
                errors = exception_texts(tab)
                if errors:
                    problems.append(f"/{lesson.url_path}: exception box {errors[0][:200]!r}")
                if [t for t in dialog_texts(tab) if "not found" in t.lower()]:
                    problems.append(f"/{lesson.url_path}: 'Page not found' dialog")
        finally:
            for context in contexts:
                context.close()
    log = log_path.read_text(errors="replace") if log_path else ""
    if "Traceback" in log:
        start = log.find("Traceback")
        problems.append("server log holds a traceback:\n" + "\n".join(log[start:].splitlines()[:30]))
    assert not problems, (
        f"{len(lessons)} links opened within {spread * 1000:.0f} ms on a fresh server:\n"
        + "\n".join(problems)
    )
