"""Fixtures for the browser tests: one `streamlit run app.py` per session, Debian's Chromium.

Without /usr/bin/chromium the tests skip, except under CI=true, where they fail: CI must
prove the app in a real browser (.ci/run installs Chromium first).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    StreamMonitor,
    open_page,
    streamlit_server,
)


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = (
        f"{CHROMIUM} not found: install Debian's chromium (scripts/test.sh does) to run the browser tests"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: browser tests must run, but {reason}", pytrace=False)
    pytest.skip(reason)


#: A browser test drives a real server and a real browser on a shared two-core machine, where a
#: timing can be missed once (the suite's history: a readout caught between two renders, a
#: clipboard read). Each browser test is tried once more when it fails; a test that fails twice
#: fails the run, and every retry is printed in the summary ("rerun"), so a flake stays visible.
BROWSER_RERUNS = 1
_HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items) -> None:
    if not config.pluginmanager.hasplugin("rerunfailures"):  # pytest-rerunfailures (requirements-dev.txt)
        return
    for item in items:
        if _HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS, reruns_delay=1))


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    _require_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_url(_chromium_present) -> str:
    """Base URL of a `streamlit run app.py` started for this test session."""
    with streamlit_server("app.py", log_name="server-e2e") as url:
        yield url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, app_url):
    return {**browser_context_args, "viewport": VIEWPORT, "base_url": app_url}


@pytest.fixture
def stream(page) -> StreamMonitor:
    """Websocket monitor attached to the test's page (before any navigation)."""
    return StreamMonitor().attach(page)


@pytest.fixture
def open_lab(page, app_url, stream):
    """open_lab("entropy", query="p0=10") opens a page and waits for its run and charts."""

    def _open(url_path: str, query: str = ""):
        open_page(page, app_url, url_path, stream, query=query)
        return page

    return _open
