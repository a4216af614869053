"""The shared workspace: two distributions p (the truth) and q (the model) over named classes.

One state for the whole session, read by every page and kept in the URL:

- ``k`` classes with names, and p and q as probabilities (each sums to 1). The learner edits
  them with the p/q editor (``lab/components/pq_editor``), drawn inline on the lessons that use
  them (``editor(...)``), next to the picture it drives. The rule that keeps the sum at 1 is
  ``ce_core.editing.set_probability``: the dragged bar takes the value, the others share the
  rest in proportion.
- The sidebar holds only what is global: the unit, the presets (and share/presenter, in app.py).
- The URL carries ``k``, ``p`` and ``q`` (comma-separated probabilities, exact), names as
  ``n0``..``n9`` and the unit. Older links with weights ``p0``..``p9``/``q0``..``q9`` (0 to 100,
  divided by their sum) still open the same view.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

import ce_core
from ce_core._validation import check_distribution
from ce_core.editing import DRAG_STEPS, parse_distribution, set_probability
from lab import state_keys
from lab.components.pq_editor import pq_editor
from lab.view import hidden_now

MAX_CLASSES = 10
MIN_CLASSES = 2
DEFAULT_CLASSES = 3
DEFAULT_NAMES = ("cat", "dog", "bird", "fish", "horse", "frog", "owl", "bee", "fox", "deer")
#: The opening state: p and q differ in shape (H(q) != H(p)) and in their favourite class.
DEFAULT_P = (0.6, 0.3, 0.1)
DEFAULT_Q = (0.25, 0.45, 0.3)
#: The weights older links were made against (a link held only the weights that differed).
LEGACY_P_WEIGHTS = (50.0, 30.0, 20.0) + (10.0,) * 7
LEGACY_Q_WEIGHTS = (20.0, 50.0, 30.0) + (10.0,) * 7
UNIT_NAMES = ("bits", "nats", "hartleys")
DEFAULT_UNIT = "bits"
UNIT_SHORT = {"bits": "bits", "nats": "nats", "hartleys": "Hart"}
STORE = state_keys.WORKSPACE_STATE  # where the state lives in st.session_state
#: URL parameters the workspace reads and writes itself (not widget keys).
LINK_KEYS = (
    "k",
    "p",
    "q",
    *(f"n{i}" for i in range(MAX_CLASSES)),
    *(f"p{i}" for i in range(MAX_CLASSES)),
    *(f"q{i}" for i in range(MAX_CLASSES)),
)

PRESETS = (
    "Uniform",
    "One-hot truth",
    "Peaked",
    "Confident and wrong",
    "Random",
    "Worked example (0.4797 nats)",
)

_NAME_OK = re.compile(r"[^\w \-.']", flags=re.UNICODE)
MAX_NAME_LENGTH = 16


def clean_name(raw: object, index: int) -> str:
    """A class name safe to show anywhere: word characters, spaces, - . ' only."""
    text = _NAME_OK.sub("", str(raw or ""))[:MAX_NAME_LENGTH].strip()
    return text or DEFAULT_NAMES[index]


def resize(dist: object, k: int) -> np.ndarray:
    """A distribution over ``k`` classes from one over another count.

    Dropped classes give their mass back in proportion (all-zero remainder: uniform); each
    added class gets 1/k and the old ones shrink in proportion.
    """
    d = np.asarray(dist, dtype=float)
    n = d.size
    if k == n:
        return d.copy()
    if k < n:
        kept = d[:k]
        return ce_core.normalize(kept) if kept.sum() > 0 else np.full(k, 1.0 / k)
    return np.concatenate([d * (n / k), np.full(k - n, 1.0 / k)])


def default_distributions(k: int) -> tuple[np.ndarray, np.ndarray]:
    return resize(DEFAULT_P, k), resize(DEFAULT_Q, k)


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
    if name.startswith("Worked example"):
        return [0.0, 100.0, 0.0], [22.8, 61.9, 15.3], 3
    raise ValueError(f"preset must be one of {PRESETS} (got {name!r})")


@dataclass(frozen=True)
class Workspace:
    """What every page reads: names, the distributions, the unit."""

    names: tuple[str, ...]
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


# ---- the state ------------------------------------------------------------------------------


def _state() -> dict:
    ss = st.session_state
    if STORE not in ss:
        ss[STORE] = _state_from_link(ss.get(state_keys.RAW_PARAMS, {}))
    return ss[STORE]


def _format_dist(dist: np.ndarray) -> str:
    """Exact and short: each probability as the shortest text that reads back as the same float."""
    return ",".join(repr(float(v)) for v in dist)


def _markdown_plain(text: str) -> str:
    """Text that Markdown shows as it is: every ASCII punctuation mark backslash-escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text.replace("\n", " "))


def _state_from_link(raw: dict[str, str]) -> dict:
    """The workspace a link opens (defaults where it says nothing); problems are listed."""
    problems: list[str] = []
    k = DEFAULT_CLASSES
    if "k" in raw:
        try:
            number = float(raw["k"])
            if not (number.is_integer() and MIN_CLASSES <= number <= MAX_CLASSES):
                raise ValueError
            k = int(number)
        except ValueError:
            problems.append(f"`k` must be a whole number from {MIN_CLASSES} to {MAX_CLASSES}")
    names = list(DEFAULT_NAMES)
    for i in range(MAX_CLASSES):
        if f"n{i}" in raw:
            names[i] = clean_name(raw[f"n{i}"], i)
            if names[i] != str(raw[f"n{i}"]).strip():
                problems.append(f"class name `n{i}` keeps only letters, digits, spaces and - . '")
    p, q = default_distributions(k)
    dists = {"p": p, "q": q}
    legacy = {"p": LEGACY_P_WEIGHTS, "q": LEGACY_Q_WEIGHTS}
    # A link made before the editor holds weights p0..q9 (only those that differed from the old
    # defaults): the distribution it does not mention was the old default, not today's.
    legacy_link = any(f"{name}{i}" in raw for name in "pq" for i in range(MAX_CLASSES))
    for name in ("p", "q"):
        if name in raw:
            try:
                dists[name] = parse_distribution(raw[name], k, name)
            except ValueError as err:  # the message may quote the link's text: show it inert
                problems.append(f"`{name}`: {_markdown_plain(str(err))}")
        elif legacy_link:
            weights = list(legacy[name][:k])
            for i in range(k):
                key = f"{name}{i}"
                if key in raw:
                    try:
                        w = float(raw[key])
                        if not (math.isfinite(w) and 0 <= w <= 100):
                            raise ValueError
                        weights[i] = w
                    except ValueError:
                        problems.append(f"`{key}` must be a weight from 0 to 100")
            if sum(weights) > 0:
                dists[name] = ce_core.normalize(weights)
            else:
                dists[name] = np.full(k, 1.0 / k)
                problems.append(f"all {name} weights in this link are 0; {name} starts uniform")
    return {
        "k": k,
        "names": names,
        "p": tuple(dists["p"]),
        "q": tuple(dists["q"]),
        "link_problems": problems,
        "error": None,
    }


def set_workspace(
    *, p: object | None = None, q: object | None = None, k: int | None = None, names: object | None = None
) -> None:
    """Replace parts of the workspace (presets, a lesson's example). p and q must sum to 1."""
    state = _state()
    if k is not None:
        k = int(k)
        if not MIN_CLASSES <= k <= MAX_CLASSES:
            raise ValueError(f"k must be a whole number from {MIN_CLASSES} to {MAX_CLASSES} (got {k})")
        if k != state["k"]:
            state["p"] = tuple(resize(state["p"], k))
            state["q"] = tuple(resize(state["q"], k))
            state["k"] = k
    for name, value in (("p", p), ("q", q)):
        if value is not None:
            arr = check_distribution(value, name)
            if arr.shape != (state["k"],):
                raise ValueError(f"{name} must have {state['k']} classes (got shape {arr.shape})")
            state[name] = tuple(float(v) for v in arr)
    if names is not None:
        for i, raw in enumerate(names):
            state["names"][i] = clean_name(raw, i)
    state["error"] = None


def apply_edit(state: dict, edit: dict) -> None:
    """Apply one edit from the p/q editor to ``state`` (in place); a bad edit sets ``error``.

    A drag sets bar ``bar`` to grid position ``g`` with ``set_probability`` (the same rule that
    made the editor's table). A typed list replaces a distribution when it is one.
    """
    k = state["k"]
    kind = edit.get("kind")
    state["error"] = None
    if kind == "drag":
        bar, g = edit.get("bar"), edit.get("g")
        if not (isinstance(bar, int) and isinstance(g, int) and 0 <= bar < 2 * k and 0 <= g <= DRAG_STEPS):
            return  # not from this editor's layout (a stale page): ignore it
        name, index = ("p", bar) if bar < k else ("q", bar - k)
        state[name] = tuple(float(v) for v in set_probability(state[name], index, g / DRAG_STEPS))
    elif kind == "type":
        name = edit.get("dist")
        if name not in ("p", "q"):
            return
        try:
            state[name] = tuple(float(v) for v in parse_distribution(edit.get("text", ""), k, name))
        except ValueError as err:
            state["error"] = f"{err}. {name} was kept as it was; type {k} numbers that add up to 1."


def _on_edit(edit: dict) -> None:
    apply_edit(_state(), edit)


# ---- the sidebar (global controls) ----------------------------------------------------------


def _apply_preset() -> None:
    ss = st.session_state
    k = _state()["k"]
    p, q, k = preset_weights(ss.get("preset", PRESETS[0]), k, int(ss.get("preset_seed", 0)))
    set_workspace(k=k)
    set_workspace(p=ce_core.normalize(p), q=ce_core.normalize(q))


def render_sidebar() -> Workspace:
    """Draw the global controls (unit, presets) in the sidebar; return the workspace."""
    ss = st.session_state
    ss.setdefault("unit", DEFAULT_UNIT)
    box = st.sidebar.container(key="workspace")
    box.segmented_control(
        "Unit",
        UNIT_NAMES,
        default=DEFAULT_UNIT,
        key="unit",
        required=True,
        bind="query-params",
        help="Log base 2 gives bits, base e nats, base 10 hartleys. It changes every number and axis.",
    )
    with box.container(key="presets"), st.expander("Presets for p and q"):
        # Not bound to the URL: the p and q a preset sets are what a link carries.
        st.selectbox("Preset", PRESETS, key="preset")
        st.number_input("Random seed (for Random)", 0, 10_000, value=0, key="preset_seed")
        st.button("Apply preset", on_click=_apply_preset, width="stretch")
    return current_workspace()


def current_workspace() -> Workspace:
    state = _state()
    k = state["k"]
    unit = st.session_state.get("unit") or DEFAULT_UNIT
    return Workspace(
        names=tuple(state["names"][:k]), p=np.array(state["p"]), q=np.array(state["q"]), unit=unit, notices=()
    )


def link_problems() -> list[str]:
    """What the opening link said about the workspace that could not be used (once)."""
    return _state().pop("link_problems", [])


def write_url() -> None:
    """Keep the workspace in the address bar (only what differs from the defaults)."""
    state = _state()
    k = state["k"]
    p0, q0 = default_distributions(k)
    wanted = {}
    if k != DEFAULT_CLASSES:
        wanted["k"] = str(k)
    if not np.array_equal(np.array(state["p"]), p0):
        wanted["p"] = _format_dist(np.array(state["p"]))
    if not np.array_equal(np.array(state["q"]), q0):
        wanted["q"] = _format_dist(np.array(state["q"]))
    for i in range(k):
        if state["names"][i] != DEFAULT_NAMES[i]:
            wanted[f"n{i}"] = state["names"][i]
    params = st.query_params
    for key in LINK_KEYS:
        if key in wanted:
            if params.get(key) != wanted[key]:
                params[key] = wanted[key]
        elif key in params:
            del params[key]


# ---- the inline editor ----------------------------------------------------------------------


def _on_classes_change() -> None:
    ss = st.session_state
    set_workspace(k=int(ss["ws_k"]))


def _on_name_change(i: int) -> None:
    state = _state()
    state["names"][i] = clean_name(st.session_state.get(f"ws_n{i}", ""), i)


def class_settings() -> None:
    """The number of classes and their names, in a popover (also on lessons without the editor)."""
    if "names" in hidden_now():
        return
    state = _state()
    ss = st.session_state
    k = state["k"]
    with (
        st.container(key="ws_classes"),
        st.popover(f"{k} classes: " + ", ".join(state["names"][:k]), icon=":material/tune:"),
    ):
        ss["ws_k"] = k
        st.slider("Number of classes", MIN_CLASSES, MAX_CLASSES, key="ws_k", on_change=_on_classes_change)
        for i in range(k):
            ss[f"ws_n{i}"] = state["names"][i]
            st.text_input(
                f"Name of class {i + 1}", key=f"ws_n{i}", max_chars=40, on_change=_on_name_change, args=(i,)
            )
        st.caption("Names keep letters, digits, spaces and - . ' (at most 16 characters).")


def editor(*, picture: str | None = "area", dists: str = "pq") -> None:
    """The p/q editor inline, with the class count and names beside it."""
    state = _state()
    ss = st.session_state
    hidden = set(hidden_now())
    # On a lesson whose main control is its own (q only: label smoothing, focal loss), a projector
    # shows that control and its chart first: the editor moves to the sidebar.
    aside = dists == "q" and bool(ss.get("presenter", False))
    with st.sidebar if aside else contextlib.nullcontext(), st.container(key="pq_box"):
        class_settings()
        ws = current_workspace()
        pq_editor(
            ws.names,
            ws.p,
            ws.q,
            base=ws.base,
            unit=ws.unit_short,
            on_edit=_on_edit,
            dists=dists,
            picture=picture,
            locked=[d for d in "pq" if d in hidden],
            error=state.get("error"),
            presenter=bool(ss.get("presenter", False)),
        )


def current() -> Workspace:
    """The workspace of this run (as app.py's sidebar read it)."""
    ws = st.session_state.get(state_keys.WORKSPACE)
    if ws is None:  # a page run on its own (not through app.py), e.g. a unit test
        ws = render_sidebar()
        st.session_state[state_keys.WORKSPACE] = ws
    return ws
