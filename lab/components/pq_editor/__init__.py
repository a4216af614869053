"""The p/q editor: a custom component (``st.components.v2``) that reads like a widget.

``pq_editor(...)`` mounts one ES module (``pq_editor.js``) and one style sheet from this
folder: no build step, nothing fetched from a network. The module draws p and q as bars the
learner drags (pointer, touch or keys) and looks every number it shows up in a table that
``ce_core.editing.drag_table`` computed in one batched call; it computes nothing itself.

What the learner does comes back as one *edit* (a trigger value): ``{"kind": "drag", "bar":
b, "g": g}`` (bar b, 0..K-1 for p and K..2K-1 for q, went to grid position g) or ``{"kind":
"type", "dist": "q", "text": "0.228, 0.619, 0.153"}``. ``on_edit`` receives it in a callback,
before the script reruns, so the whole page is drawn from the new state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

from ce_core.editing import DRAG_STEPS, RECORD_BLOCKS, RECORD_SCALARS, drag_table, record_length
from lab.components.registry import component_of
from lab.figures.live import encode_table, nice_ticks

NAME = "cross_entropy_lab_pq_editor"
component = component_of(NAME, __file__)

#: Readouts the editor can show, by record field.
READOUT_LABELS = {
    "entropy_p": "Entropy H(p)",
    "cross_entropy": "Cross-entropy H(p, q)",
    "kl": "KL(p ‖ q)",
    "entropy_q": "Entropy of q, H(q)",
}


def offsets(k: int) -> dict[str, int]:
    """Where each field of a record starts (the layout of ce_core.editing's records)."""
    out = {name: i for i, name in enumerate(RECORD_SCALARS)}
    for j, name in enumerate(RECORD_BLOCKS):
        out[name] = len(RECORD_SCALARS) + j * k
    return out


def picture_scale(current: np.ndarray, k: int, base: float) -> dict:
    """A fixed y range for the picture during a drag, from the state as it is now."""
    off = offsets(k)
    p = current[off["p"] : off["p"] + k]
    heights = np.concatenate(
        [
            current[off["surprisal_p"] : off["surprisal_p"] + k][p > 0],
            current[off["surprisal_q"] : off["surprisal_q"] + k],
        ]
    )
    finite = heights[np.isfinite(heights)]
    floor = 1.5 * np.log(k) / np.log(base)
    top = float(max(floor, 1.25 * finite.max() if finite.size else floor))
    ticks = nice_ticks(top)
    deco = current[[off["cross_entropy"], off["entropy_p"]]]
    deco_max = float(max(np.log(k) / np.log(base) * 1.5, *(deco[np.isfinite(deco)] * 1.15)))
    return {"y_max": top, "ticks": ticks, "deco_max": deco_max}


def editor_data(
    names: Sequence[str],
    p: np.ndarray,
    q: np.ndarray,
    *,
    base: float,
    unit: str,
    dists: str = "pq",
    picture: str | None = "area",
    locked: Sequence[str] = (),
    error: str | None = None,
    presenter: bool = False,
) -> dict:
    """Everything the module needs, as JSON-safe data (the table travels as base64 float64)."""
    k = len(names)
    table = drag_table(p, q, base=base)
    readouts = [("entropy_p", READOUT_LABELS["entropy_p"])]
    if "q" in dists:
        readouts = [(n, READOUT_LABELS[n]) for n in ("entropy_p", "cross_entropy", "kl", "entropy_q")]
    if dists == "q":
        readouts = [("entropy_q", READOUT_LABELS["entropy_q"])]
    titles = {
        "area": "Code length × how often: the areas are the averages"
        if "q" in dists
        else "Surprisal × how often: the area is the entropy",
        "surprisal": "Surprisal of each class",
    }
    return {
        "k": k,
        "names": list(names),
        "unit": unit,
        "dists": list(dists),
        "picture": picture,
        "presenter": bool(presenter),
        "layout_id": f"{dists}/{picture}/{k}/{presenter}/"
        + "|".join(names)
        + "/"
        + ",".join(sorted(locked))
        + "/"
        + unit,
        "locked": {d: d in locked for d in "pq"},
        "steps": DRAG_STEPS,
        "record_length": record_length(k),
        "offsets": offsets(k),
        "table": encode_table(np.concatenate([table.records.ravel(), table.current])),
        "scale": picture_scale(table.current, k, base),
        "digits": 4,
        "bar_digits": 2 if k <= 6 else 1,
        "error": error,
        "readouts": readouts,
        "labels": {
            "p": "p · truth",
            "q": "q · model",
            "hint": "Drag a bar, or focus it and use the arrow keys.",
            "group": "Probabilities of p and q, one pair of bars per class",
            "type_p": "Type p exactly: one probability per class, separated by commas",
            "type_q": "Type q exactly: one probability per class, separated by commas",
            "picture_title": titles.get(picture or "", ""),
            "y_axis": (f"code length −log q(x) ({unit})" if "q" in dists else f"surprisal −log p(x) ({unit})")
            if picture == "area"
            else f"surprisal ({unit})",
            "x_axis": "how often each class happens: p(x)" if picture == "area" else "",
        },
    }


def pq_editor(
    names: Sequence[str],
    p: np.ndarray,
    q: np.ndarray,
    *,
    base: float,
    unit: str,
    on_edit: Callable[[dict], None],
    key: str = "pq_editor",
    dists: str = "pq",
    picture: str | None = "area",
    locked: Sequence[str] = (),
    error: str | None = None,
    presenter: bool = False,
) -> None:
    """Mount the editor; ``on_edit(edit)`` runs before the rerun that a learner's edit starts."""

    def _callback() -> None:
        state = st.session_state.get(key) or {}
        edit = state.get("edit") if hasattr(state, "get") else None
        if isinstance(edit, dict):
            on_edit(edit)

    component()(
        key=key,
        data=editor_data(
            names,
            p,
            q,
            base=base,
            unit=unit,
            dists=dists,
            picture=picture,
            locked=locked,
            error=error,
            presenter=presenter,
        ),
        on_edit_change=_callback,
        width="stretch",
    )
