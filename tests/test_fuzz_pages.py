"""Robustness of every page: fuzzed URL parameters and a seeded random walk over widget states.

For every page of the lab:
- each URL parameter the page reads is set to hostile values (garbage, NaN, inf, negative, huge,
  empty, very long, unicode, HTML and script tags): the page still renders, with no exception, and
  says on screen that the link could not be used;
- a random walk over its widgets and the p/q editor's edits (at least 500 states over all pages,
  seeded, including bars dragged to 0 and 1, typed distributions good and bad, one-hot, q = 0
  where p > 0, 10 classes and extreme values) ends with no exception and no NaN in any text on
  screen. The workspace's own link parameters (k, p, q, names, old weights) are fuzzed on every
  page, since every page reads them.
"""

from __future__ import annotations

import math
import random
import re

import pytest

from lab.nav import LESSONS
from lab.workspace import LINK_KEYS
from tests.apptest_utils import edit, run_page, set_workspace, ws_state

PAGES = [lesson.file.removeprefix("pages/").removesuffix(".py") for lesson in LESSONS.values()]
WIDGET_TYPES = (
    "slider",
    "number_input",
    "text_input",
    "selectbox",
    "radio",
    "toggle",
    "checkbox",
    "button_group",
    "select_slider",
    "multiselect",
)
HOSTILE = [
    "zzz",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "-1",
    "-1e308",
    "1e308",
    "",
    " ",
    "9" * 400,
    "x" * 5000,
    "ünïcødé ✓ 😀",
    "\u202e\u0000",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "1;DROP TABLE",
    "%00",
    "[x](javascript:alert(1))",
]
STEPS_PER_PAGE = max(25, math.ceil(500 / len(PAGES)))
NAN_TEXT = re.compile(r"\bnan\b", re.IGNORECASE)
#: The overflow lessons spell out where NaN comes from (and only there may it be read).
ALLOWED_NAN = re.compile(
    r"NaN \(exp\(\d+(\.\d+)?\) = ∞\)|the textbook softmax is NaN or wrong|= NaN \(undefined\)"
)


def widget_keys(at) -> dict[str, object]:
    keys = {}
    for kind in WIDGET_TYPES:
        for widget in at.get(kind):
            if widget.key and not widget.key.startswith("$$"):
                keys[widget.key] = widget
    return keys


def screen_text(at) -> str:
    parts = []
    for kind in (
        "markdown",
        "caption",
        "metric",
        "latex",
        "warning",
        "error",
        "info",
        "success",
        "title",
        "header",
        "subheader",
    ):
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", "")))
    for table in list(at.get("table")) + list(at.get("dataframe")):
        parts.append(table.value.to_string())
    return "\n".join(parts)


def assert_clean(at, where: str, echoed: str = "") -> None:
    """No exception, and no NaN in any text on screen.

    ``echoed`` is a payload that may legitimately appear as text (a class may be named "nan").
    """
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    text = ALLOWED_NAN.sub("", screen_text(at))
    if echoed:
        text = text.replace(echoed, "")
    found = NAN_TEXT.search(text)
    assert not found, f"{where}: NaN on screen near {text[max(0, found.start() - 80) : found.end() + 40]!r}"


@pytest.mark.parametrize("page_name", PAGES)
def test_hostile_url_parameters_render_with_a_notice(page_name):
    keys = list(widget_keys(run_page(page_name)).keys())
    rng = random.Random(page_name)
    for payload in rng.sample(HOSTILE, 6):
        params = {key: payload for key in [*keys, *LINK_KEYS] if key != "gl_search"}
        params["not_a_setting"] = payload
        at = run_page(page_name, query_params=params)
        assert_clean(at, f"{page_name} with {payload[:20]!r}", echoed=payload)
        assert at.title, f"{page_name} lost its title"
        assert any("could not be used" in w.value for w in at.warning), (
            f"{page_name}: no notice for {payload[:20]!r}"
        )


def _candidate_values(widget, rng):
    kind = widget.type
    if kind == "slider":
        lo, hi = widget.min, widget.max
        if isinstance(lo, (list, tuple)):
            return None
        if isinstance(lo, int) and isinstance(hi, int) and not isinstance(lo, bool):
            return rng.choice([lo, hi, rng.randint(lo, hi)])
        return rng.choice([lo, hi, lo + (hi - lo) * rng.random(), lo + (hi - lo) * 1e-6])
    if kind == "number_input":
        lo = widget.min if widget.min is not None else -1e6
        hi = widget.max if widget.max is not None else 1e6
        value = rng.choice([lo, hi, lo + (hi - lo) * rng.random()])
        return int(value) if isinstance(widget.step, int) else float(value)
    if kind in ("selectbox", "radio", "button_group"):
        universe = list(range(len(widget.options))) + list(widget.options)
        try:
            values = [
                v
                for v in universe
                if str(widget.format_func(v))
                in {str(o.content) if hasattr(o, "content") else str(o) for o in widget.options}
            ]
        except Exception:  # a format_func that only takes its own options
            values = []
        return rng.choice(values) if values else None
    if kind in ("toggle", "checkbox"):
        return rng.choice([True, False])
    if kind == "text_input":
        return rng.choice(["", "cat", "<b>x</b>", "ü" * 30, "0.5", "abc"])
    return None


@pytest.mark.parametrize("page_name", PAGES)
def test_random_walk_over_widget_states(page_name):
    rng = random.Random(f"walk-{page_name}")
    at = run_page(page_name)
    # Start from the hard corners of the workspace: 10 classes, p one-hot, q = 0 where p > 0.
    set_workspace(at, k=10)
    set_workspace(at, p=[1.0] + [0.0] * 9, q=[0.0] + [1 / 9] * 9)
    assert_clean(at, f"{page_name} one-hot p, q = 0 where p > 0")
    for step in range(STEPS_PER_PAGE):
        widgets = widget_keys(at)
        buttons = [b for b in at.button if b.key and not b.disabled and "again" not in b.key]
        if buttons and rng.random() < 0.15:
            rng.choice(buttons).click().run()
            assert_clean(at, f"{page_name} step {step} button")
            continue
        key = rng.choice(sorted(widgets))
        if rng.random() < 0.15:  # an edit of the p/q editor: a bar to 0, 1 or anywhere, or typed text
            k = ws_state(at)["k"]
            if rng.random() < 0.7:
                edit(
                    at,
                    {
                        "kind": "drag",
                        "bar": rng.randrange(2 * k),
                        "g": rng.choice([0, 100, rng.randint(0, 100)]),
                    },
                )
            else:
                text = rng.choice(
                    [
                        ", ".join(["1"] + ["0"] * (k - 1)),
                        ", ".join([f"1/{k}"] * k),
                        "0.5, 0.5",
                        "nan, " * (k - 1) + "1",
                        "1e400",
                        "",
                    ]
                )
                edit(at, {"kind": "type", "dist": rng.choice("pq"), "text": text})
            key = "p/q editor"
        else:
            value = _candidate_values(widgets[key], rng)
            if value is None:
                continue
            widgets[key].set_value(value).run()
        assert_clean(at, f"{page_name} step {step} ({key})")
