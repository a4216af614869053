"""The components' kit as served: shared.js and shared.css in front of each, colours from the theme.

The drawing and the dragging are tested in the browser (tests/e2e/test_pq_editor.py,
test_bar_controls.py, test_live_controls.py); here the texts the registry hands to Streamlit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab.components import bar_control, live_chart, pq_editor
from lab.components.registry import component_css, component_js, theme_css
from lab.figures import theme

KIT = Path(__file__).resolve().parents[1] / "lab" / "components"
COMPONENTS = {"pq_editor": pq_editor, "bar_control": bar_control, "live_chart": live_chart}
OURS = [KIT / "shared.js", KIT / "shared.css"] + [
    KIT / n / f"{n}.{ext}" for n in COMPONENTS for ext in ("js", "css")
]
HEX = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?\b(?![-\w])")


def _declared(css: str) -> dict[str, str]:
    return dict(re.findall(r"--ce-([\w-]+):\s*([^;]+);", css))


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_no_colour_is_written_in_a_component(path):
    """Every colour comes from the theme as var(--ce-...): no hex colour in the modules or sheets."""
    text = re.sub(r"url\(#[\w-]+\)|id: \"[\w-]+\"", "", path.read_text(encoding="utf-8"))
    assert HEX.findall(text) == []


@pytest.mark.parametrize("name", COMPONENTS)
def test_every_colour_a_component_uses_is_declared_from_the_theme(name):
    css = component_css(KIT / name, name)
    declared = _declared(css)
    used = set()
    for path in (
        KIT / "shared.js",
        KIT / "shared.css",
        KIT / name / f"{name}.js",
        KIT / name / f"{name}.css",
    ):
        used |= set(re.findall(r"var\(--ce-([\w-]+)\)", path.read_text(encoding="utf-8")))
    assert used, "no theme colour used"
    assert used <= set(declared), f"undeclared: {sorted(used - set(declared))}"


def test_the_roles_are_the_theme_colours():
    """The custom properties carry the theme's values: p and q as in every Plotly chart."""
    declared = _declared(theme_css())
    assert declared["p"] == theme.TRUE_P == theme.P_LINE["color"]
    assert declared["q"] == theme.MODEL_Q == theme.Q_LINE["color"]
    assert declared["ink"] == theme.INK
    assert declared["kl"] == theme.KL
    assert len(declared) == len(theme.COMPONENT_COLOURS)


@pytest.mark.parametrize("name", COMPONENTS)
def test_the_kit_goes_in_front_of_each_component(name):
    """shared.js before the module (one text), the colours and shared.css before the own sheet,
    so a component's rule overrides the kit's of the same weight."""
    js = component_js(KIT / name, name)
    own_js = (KIT / name / f"{name}.js").read_text(encoding="utf-8")
    assert js.startswith((KIT / "shared.js").read_text(encoding="utf-8"))
    assert js.endswith(own_js)
    assert js.count("export default") == 1
    assert "export default mount(" in own_js
    css = component_css(KIT / name, name)
    at_theme, at_kit = css.index("--ce-p:"), css.index('[role="slider"]')
    at_own = css.index((KIT / name / f"{name}.css").read_text(encoding="utf-8"))
    assert at_theme < at_kit < at_own


def test_no_module_repeats_what_the_kit_has():
    """The plot frame, dragging and the key timer live in shared.js only."""
    for name in COMPONENTS:
        own = (KIT / name / f"{name}.js").read_text(encoding="utf-8")
        for kit_only in (
            "setPointerCapture",
            "requestAnimationFrame",
            "setTimeout",
            "new ResizeObserver",
            "getBoundingClientRect",
            "atob(",
            "new WeakMap",
        ):
            assert kit_only not in own, f"{name}.js: {kit_only}"


def test_component_is_registered_once_per_name():
    """component() returns the same mount function every time (registered once per process)."""
    for module in COMPONENTS.values():
        assert module.component() is module.component()
