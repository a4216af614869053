"""The shared workspace: two distributions p (the truth) and q (the model).

Drawn in the sidebar by ``app.py`` before the page runs, so every page sees the
same state, and every widget is bound to the URL, so a link restores it.

Normalisation policy (shown to the learner): each slider sets a *weight* from
0 to 100. The distribution used is the weights divided by their sum, so it
always sums to 1, and the sidebar prints the probabilities actually used. The
presets set weights that already sum to 100, so there a weight reads as a
percentage. All-zero weights cannot be normalised: the lab says so and uses
the uniform distribution until a slider is raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

import ce_core

MAX_CLASSES = 10
MIN_CLASSES = 2
DEFAULT_CLASSES = 3
DEFAULT_NAMES = ("cat", "dog", "bird", "fish", "horse", "frog", "owl", "bee", "fox", "deer")
DEFAULT_P = (50.0, 30.0, 20.0) + (10.0,) * 7
DEFAULT_Q = (20.0, 50.0, 30.0) + (10.0,) * 7
UNIT_NAMES = ("bits", "nats", "hartleys")
DEFAULT_UNIT = "bits"
UNIT_SHORT = {"bits": "bits", "nats": "nats", "hartleys": "Hart"}

PRESETS = (
    "Uniform",
    "One-hot truth",
    "Peaked",
    "Confident and wrong",
    "Random",
    "Seed example (0.4797 nats)",
)

_NAME_OK = re.compile(r"[^\w \-.']", flags=re.UNICODE)
MAX_NAME_LENGTH = 16


def clean_name(raw: object, index: int) -> str:
    """A class name safe to show anywhere: word characters, spaces, - . ' only."""
    text = _NAME_OK.sub("", str(raw or ""))[:MAX_NAME_LENGTH].strip()
    return text or DEFAULT_NAMES[index]


def preset_weights(name: str, k: int, seed: int = 0) -> tuple[list[float], list[float], int]:
    """Weights for p and q (each summing to 100) and the class count a preset sets."""
    if name == "Uniform":
        return [100 / k] * k, [100 / k] * k, k
    if name == "One-hot truth":
        p = [0.0] * k
        p[1] = 100.0
        q = [60.0 if i == 1 else 40.0 / (k - 1) for i in range(k)]
        return p, q, k
    if name == "Peaked":
        p = [70.0 if i == 0 else 30.0 / (k - 1) for i in range(k)]
        return p, [100 / k] * k, k
    if name == "Confident and wrong":
        p = [100.0 if i == 0 else 0.0 for i in range(k)]
        q = [90.0 if i == 1 else 10.0 / (k - 1) for i in range(k)]
        return p, q, k
    if name == "Random":
        rng = np.random.default_rng(seed)
        p = rng.dirichlet(np.ones(k)) * 100
        q = rng.dirichlet(np.ones(k)) * 100
        return [round(float(v), 1) for v in p], [round(float(v), 1) for v in q], k
    if name.startswith("Seed example"):
        return [0.0, 100.0, 0.0], [22.8, 61.9, 15.3], 3
    raise ValueError(f"preset must be one of {PRESETS} (got {name!r})")


@dataclass(frozen=True)
class Workspace:
    """What every page reads: names, weights, the distributions used, the unit."""

    names: tuple[str, ...]
    p_weights: np.ndarray
    q_weights: np.ndarray
    p: np.ndarray
    q: np.ndarray
    unit: str
    notices: tuple[str, ...] = field(default=())

    @property
    def k(self) -> int:
        return len(self.names)

    @property
    def base(self) -> float:
        return ce_core.UNITS[self.unit]

    @property
    def unit_short(self) -> str:
        return UNIT_SHORT[self.unit]


def _distribution(weights: np.ndarray, name: str) -> tuple[np.ndarray, str | None]:
    try:
        return ce_core.normalize(weights), None
    except ValueError:
        k = weights.size
        return np.full(k, 1.0 / k), (
            f"All {name} weights are 0, and a distribution needs some probability somewhere. "
            f"Using the uniform distribution for {name} until you raise a slider."
        )


def _init_state() -> None:
    ss = st.session_state
    ss.setdefault("k", DEFAULT_CLASSES)
    ss.setdefault("unit", DEFAULT_UNIT)
    for i in range(MAX_CLASSES):
        ss.setdefault(f"p{i}", DEFAULT_P[i])
        ss.setdefault(f"q{i}", DEFAULT_Q[i])
        ss.setdefault(f"n{i}", DEFAULT_NAMES[i])


def _apply_preset() -> None:
    ss = st.session_state
    k = int(ss.get("k", DEFAULT_CLASSES))
    p, q, k = preset_weights(ss.get("preset", PRESETS[0]), k, int(ss.get("preset_seed", 0)))
    ss["k"] = k
    for i in range(k):
        ss[f"p{i}"] = float(p[i])
        ss[f"q{i}"] = float(q[i])


def render_sidebar() -> Workspace:
    """Draw the workspace controls in the sidebar and return the state they set."""
    _init_state()
    box = st.sidebar.container(key="workspace")
    with box:
        return _render_workspace(box)


def _render_workspace(sb) -> Workspace:
    sb.markdown("### Workspace")
    sb.segmented_control("Unit", UNIT_NAMES, default=DEFAULT_UNIT, key="unit", required=True, bind="query-params",
                         help="Log base 2 gives bits, base e nats, base 10 hartleys. It changes every number and axis.")
    k = sb.slider("Number of classes", MIN_CLASSES, MAX_CLASSES, value=DEFAULT_CLASSES, key="k",
                  bind="query-params")
    with sb.container(key="presets"), st.expander("Presets"):
        # Not bound to the URL: the weights a preset sets are what a link carries. (A bound integer
        # number_input also crashes Streamlit's deserializer on a link with a huge number.)
        st.selectbox("Preset", PRESETS, key="preset")
        st.number_input("Seed for Random", 0, 10_000, value=0, key="preset_seed")
        st.button("Apply preset", on_click=_apply_preset, width="stretch")
    with sb.container(key="names"), st.expander("Class names"):
        raw_names = [st.text_input(f"Class {i + 1}", value=DEFAULT_NAMES[i], key=f"n{i}", max_chars=40,
                                   bind="query-params") for i in range(k)]
    names = tuple(clean_name(raw, i) for i, raw in enumerate(raw_names))
    notices = []
    if any(clean_name(raw, i) != str(raw).strip() for i, raw in enumerate(raw_names)):
        notices.append("Class names keep only letters, digits, spaces and - . ' (at most 16 characters).")

    sb.caption("Sliders set **weights** (0 to 100). The lab divides by their sum, so each "
               "distribution adds up to 1; the numbers under the sliders are the probabilities used.")
    col_p, col_q = sb.columns(2)
    col_p.markdown(":blue[**p · truth**] ━")
    col_q.markdown(":orange[**q · model**] ┅")
    p_w = np.array([col_p.slider(names[i], 0.0, 100.0, value=DEFAULT_P[i], step=0.1, key=f"p{i}",
                                 bind="query-params") for i in range(k)])
    q_w = np.array([col_q.slider(names[i], 0.0, 100.0, value=DEFAULT_Q[i], step=0.1, key=f"q{i}",
                                 bind="query-params") for i in range(k)])
    p, p_notice = _distribution(p_w, "p")
    q, q_notice = _distribution(q_w, "q")
    notices += [n for n in (p_notice, q_notice) if n]
    col_p.caption(_sum_badge(p_w, p))
    col_q.caption(_sum_badge(q_w, q))
    unit = st.session_state.get("unit") or DEFAULT_UNIT
    return Workspace(names=names, p_weights=p_w, q_weights=q_w, p=p, q=q, unit=unit, notices=tuple(notices))


def _sum_badge(weights: np.ndarray, dist: np.ndarray) -> str:
    used = " · ".join(f"{v:.3f}" for v in dist)
    return f"Σ weights = {weights.sum():g} → used: {used} (Σ = {dist.sum():.3f})"


def current() -> Workspace:
    """The workspace drawn in this run (set by ``app.py``)."""
    ws = st.session_state.get("_workspace")
    if ws is None:  # a page run on its own (not through app.py), e.g. a unit test
        ws = render_sidebar()
        st.session_state["_workspace"] = ws
    return ws
