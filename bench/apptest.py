"""The lab's pages run in AppTest (``streamlit.testing``), as the test-suite runs them.

For the benchmarks that time a server rerun without a browser (bench/latency.py,
bench/training_preview.py). tests/conftest.py applies :func:`keep_navigation_mode` too.
"""

from __future__ import annotations

import urllib.parse

from bench.harness import ROOT

APP = ROOT / "app.py"


def keep_navigation_mode() -> None:
    """Make AppTest reruns behave as the real server does with a `pages/` folder.

    In a real server `st.navigation` sets `PagesManager.uses_pages_directory = False`
    once and for all. AppTest resets it to None before every run, so the new
    PagesManager sees our `pages/` folder and reruns the page script alone, in the
    multipage-v1 way, without app.py and its sidebar. Pinning the flag to False keeps
    AppTest on the st.navigation path, exactly as `streamlit run app.py` is.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__
    if getattr(original_init, "_ce_lab_patched", False):
        return

    def init(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        original_init(self, *args, **kwargs)

    init._ce_lab_patched = True
    PagesManager.__init__ = init


def run_page(file: str | None = None, query: str = "", timeout: float = 60):
    """An AppTest that has run app.py (sidebar included) with ``query``, then ``file`` (``pages/x.py``)."""
    from streamlit.testing.v1 import AppTest

    keep_navigation_mode()
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for name, value in urllib.parse.parse_qsl(query):
        at.query_params[name] = value
    at.run()
    if file is not None:
        at.switch_page(file).run()
    return at
