"""The share box: the exact link of the current view, with a Copy button (``st.components.v2``).

``share_box(key=...)`` mounts one ES module (``share_box.js``) and one style sheet from this
folder. The module shows the address the browser's address bar holds, keeps it current as the
URL changes (lesson controls inside ``st.fragment`` change it without a run of app.py), and
copies it on a click. Python sends only the box's fixed texts: no value from the URL ever
reaches markup built in Python, and the module puts the address into the input's value only.
"""

from __future__ import annotations

from pathlib import Path

from lab.components.registry import register

_HERE = Path(__file__).resolve().parent
NAME = "cross_entropy_lab_share_box"

#: Everything the box is sent: its label (for screen readers) and the button's texts.
TEXTS = {
    "label": "Link to this exact view",
    "copy": "Copy",
    "copied": "Copied",
    "failed": "Select, then copy",
}


def component():
    """The registered component (registered once per process, under a lock)."""
    return register(NAME, _HERE, "share_box")


def share_box(*, key: str = "share_link") -> None:
    """The link of this exact view, always as the address bar holds it, with a Copy button."""
    component()(key=key, data=TEXTS, width="stretch")
