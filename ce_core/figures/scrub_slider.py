"""The in-figure Plotly slider that plays precomputed frames (used by the scrub figures).

Plotly animates frames in the browser: dragging the slider swaps in each frame's
data with no server round trip. Every step is labelled (the current value shows
that label), but the labels under the rail are drawn transparent: 50 to 100 of
them would overlap.
"""

from __future__ import annotations

from collections.abc import Sequence


def scrub_slider(frames: Sequence[dict], active: int, prefix: str, *, labels: Sequence[str] | None = None,
                 redraw: bool = False) -> dict:
    """A ``layout.sliders`` entry with one "animate" step per frame, named as the frame.

    Parameters
    ----------
    frames : sequence of dict
        Plotly frames, each with a ``"name"``.
    active : int
        Index of the step shown first.
    prefix : str
        Text before the current value, e.g. ``"temperature T = "``.
    labels : sequence of str, optional
        The text shown as current value for each step (default: the frame names);
        a label can carry the frame's key numbers.
    redraw : bool, default False
        Bar traces need a redraw to change; scatter traces do not.
    """
    if not frames:
        raise ValueError("frames must not be empty (got 0 frames)")
    if not 0 <= active < len(frames):
        raise ValueError(f"active must be a step index in 0..{len(frames) - 1} (got {active!r})")
    names = [f["name"] for f in frames]
    labels = names if labels is None else list(labels)
    if len(labels) != len(names):
        raise ValueError(f"labels must have one entry per frame, {len(names)} (got {len(labels)})")
    steps = [{"label": label, "method": "animate",
              "args": [[name], {"mode": "immediate", "frame": {"duration": 0, "redraw": redraw},
                                "transition": {"duration": 0}}]} for name, label in zip(names, labels, strict=True)]
    return {
        "active": active, "steps": steps, "pad": {"t": 56, "b": 8}, "len": 1.0, "x": 0,
        "currentvalue": {"prefix": prefix, "font": {"size": 14, "color": "#262730"}},
        "font": {"color": "rgba(0,0,0,0)"}, "ticklen": 4, "minorticklen": 2,
    }
