"""Registering the lab's custom components: once per process, under one lock.

Each component is a folder with ``<stem>.js`` (a plain ES module) and ``<stem>.css``; no build
step, nothing fetched from a network. ``shared.js`` (the DOM and table-decoding helpers of every
component) is put in front of each module's text: components v2 serves a module as one text. ``st.components.v2.component`` is called once per name,
whichever page a session starts on (see lab.warmup).
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

_SHARED = Path(__file__).resolve().parent / "shared.js"
_lock = threading.Lock()
_registered: dict[str, object] = {}


def register(name: str, folder: Path, stem: str):
    """The mount function of component ``name`` from ``folder/stem.{js,css}``, registered once."""
    found = _registered.get(name)
    if found is None:
        with _lock:
            found = _registered.get(name)
            if found is None:
                found = st.components.v2.component(
                    name,
                    html="",
                    css=(folder / f"{stem}.css").read_text(encoding="utf-8"),
                    js=_SHARED.read_text(encoding="utf-8") + "\n" + (folder / f"{stem}.js").read_text(encoding="utf-8"),
                )
                _registered[name] = found
    return found
