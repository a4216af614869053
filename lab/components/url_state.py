"""A lesson control's value in session state and in the URL (the components have no ``bind=``).

Streamlit's own widgets mirror themselves in the URL with ``bind="query-params"``; custom
components cannot, so the live slider and the bar control keep their values here: read from the
link on the session's first run (a value that is not a grid position is left for
``lab.link_check.check_link`` to report while the default applies), written back on every run, and
dropped from the URL when equal to the default.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from ce_core.live import grid_index


def url_text(value: float) -> str:
    """How a value is written in the URL: the shortest text that reads back as the same float."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _from_url(key: str, grid: np.ndarray, default: float) -> float:
    """The link's value for ``key`` if it is a grid position, else the default.

    A value that is not taken stays in ``st.session_state[lab.state_keys.RAW_PARAMS]``; ``lab.link_check.check_link`` lists it in its
    warning ("... is not a valid value (kept ...)") and removes it from the address bar.
    """
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        return float(grid[grid_index(grid, raw)])
    except ValueError:
        return default


def current_value(key: str, grid, default: float) -> float:
    """The control's value as the page uses it: session state (set from the URL on the first run)."""
    grid = np.asarray(grid, dtype=float)
    ss = st.session_state
    if key not in ss:
        ss[key] = _from_url(key, grid, default)
    try:
        return float(grid[grid_index(grid, ss[key])])
    except ValueError:  # a value written by other code that is not a position: keep the default
        ss[key] = default
        return float(default)


def write_url(key: str, value: float, default: float) -> None:
    """Put ``key=value`` in the address bar, or take it out when the value is the default."""
    params = st.query_params
    if math.isclose(value, default, rel_tol=1e-9, abs_tol=0.0):
        if key in params:
            del params[key]
    elif params.get(key) != url_text(value):
        params[key] = url_text(value)
