"""Test settings shared by every test module."""

import json
import os
import sys

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit as st
from hypothesis import HealthCheck, settings

from bench.apptest import keep_navigation_mode
from lab.figures.spec import FigureSpec

settings.register_profile(
    "ci", max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
# HYPOTHESIS_PROFILE=stress: a long hunt before a release (the ci profile is derandomised and short).
settings.register_profile(
    "stress", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
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
    """Builders skip Plotly's validation (see lab/figures/spec.py); here it runs.

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


# AppTest reruns on the st.navigation path, as `streamlit run app.py` does (see there).
keep_navigation_mode()
