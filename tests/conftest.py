"""Test settings shared by every test module."""

import json
import os
import sys

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit as st
from hypothesis import HealthCheck, settings

from ce_core.figures.spec import FigureSpec

settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
# HYPOTHESIS_PROFILE=stress: a long hunt before a release (the ci profile is derandomised and short).
settings.register_profile("stress", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st.cache_data is process-wide: start every test from a clean cache."""
    st.cache_data.clear()
    st.cache_resource.clear()


def _builder_name() -> str:
    """The ``make_*`` function on the call stack (the builder that is finishing a figure)."""
    frame = sys._getframe(2)
    while frame is not None and not frame.f_code.co_name.startswith("make_"):
        frame = frame.f_back
    return frame.f_code.co_name if frame is not None else "?"


def assert_valid_plotly(fig: go.Figure) -> None:
    """Builders skip Plotly's validation (see ce_core/figures/spec.py); here it runs.

    Plotly's validators reject any unknown property or bad value (ValueError). Validation
    must also change nothing the browser receives: the JSON of the validated figure equals
    the JSON of the unvalidated one.
    """
    raw = fig.to_dict()
    validated = go.Figure(raw)
    assert json.loads(pio.to_json(validated, validate=False)) == json.loads(pio.to_json(fig, validate=False))


@pytest.fixture(autouse=True)
def _figures_are_valid_plotly(request, monkeypatch):
    """In the figure tests, every figure a builder returns is checked by Plotly's validators."""
    if not request.module.__name__.rsplit(".", 1)[-1].startswith("test_figures_"):
        yield
        return
    made: list[tuple[str, go.Figure]] = []
    original = FigureSpec.figure

    def figure(self):
        fig = original(self)
        made.append((_builder_name(), fig))
        return fig

    monkeypatch.setattr(FigureSpec, "figure", figure)
    yield
    for name, fig in made:
        try:
            assert_valid_plotly(fig)
        except (ValueError, AssertionError) as err:
            raise AssertionError(f"{name} built a figure Plotly does not accept as it is: {err}") from err


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
