"""Test settings shared by every test module."""

import os

import pytest
import streamlit as st
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st.cache_data is process-wide: start every test from a clean cache."""
    st.cache_data.clear()
    st.cache_resource.clear()


def _keep_navigation_mode() -> None:
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


_keep_navigation_mode()
