"""Registering the lab's custom components: once per process, under one lock.

Each component is a folder with ``<stem>.js`` (a plain ES module) and ``<stem>.css``; no build
step, nothing fetched from a network. The kit goes in front of each: ``shared.js`` (DOM and
table-decoding helpers, the plot frame, pointer and key input) before the module's text, since
components v2 serves a module as one text; the theme's colours as CSS custom properties
(``--ce-p``, ``--ce-ink``, ... from :data:`lab.figures.theme.COMPONENT_COLOURS`) and
``shared.css`` before the style sheet. ``st.components.v2.component`` is called once per name,
whichever page a session starts on (see lab.warmup).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from lab.figures.theme import COMPONENT_COLOURS

_KIT = Path(__file__).resolve().parent
_lock = threading.Lock()
_registered: dict[str, object] = {}


def theme_css() -> str:
    """The theme's colours for the components' style sheets: ``:host { --ce-p: #0072B2; ... }``."""
    return (
        ":host {" + "".join(f" --ce-{role}: {colour};" for role, colour in COMPONENT_COLOURS.items()) + " }\n"
    )


def component_css(folder: Path, stem: str) -> str:
    """A component's style sheet as served: the theme's colours, the kit's ``shared.css``, its own."""
    return "\n".join(
        [
            theme_css(),
            (_KIT / "shared.css").read_text(encoding="utf-8"),
            (folder / f"{stem}.css").read_text(encoding="utf-8"),
        ]
    )


def component_js(folder: Path, stem: str) -> str:
    """A component's module as served: the kit's ``shared.js``, then its own module."""
    return (
        (_KIT / "shared.js").read_text(encoding="utf-8")
        + "\n"
        + (folder / f"{stem}.js").read_text(encoding="utf-8")
    )


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
                    css=component_css(folder, stem),
                    js=component_js(folder, stem),
                )
                _registered[name] = found
    return found


def component_of(name: str, package_file: str) -> Callable[[], object]:
    """``component()`` of the component package whose ``__init__.py`` is ``package_file``: its mount
    function, from ``<folder>/<folder>.{js,css}``, registered once per process (under the lock)."""
    folder = Path(package_file).resolve().parent

    def component():
        return register(name, folder, folder.name)

    component.__doc__ = f"The registered component {name!r} (registered once per process, under a lock)."
    return component
