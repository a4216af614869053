"""Predict, then reveal, in a real browser: once answered, the answer stays while the learner explores.

On each page with a prediction: pick an answer, lock it in, then press ArrowRight five times on
the control the question is about (each press commits the value and reruns). After every press
the question must not come back, the answer panel must stay, and its numbers must equal ce_core
at the value the slider shows in the DOM (never a hard-coded number).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import ce_core
from ce_core.binary_point import binary_point
from ce_core.losses import smoothed_loss_floor
from ce_core.variants import focal_loss, smoothed_loss
from tests.e2e.helpers import (
    editor_bar,
    exception_texts,
    metrics,
    page_by_file,
    parse_number,
    press,
    server_traceback,
    slider,
    slider_info,
    wait_until,
    workspace_pq,
)

pytestmark = pytest.mark.e2e

UNIT_BASE = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}
STEPS = 5


def _base(page) -> float:
    selected = page.locator("[data-testid=stSidebar] .st-key-unit [aria-checked=true]").inner_text().strip()
    return UNIT_BASE[selected]


def _q(page) -> np.ndarray:
    return workspace_pq(page)[1]


def _p(page) -> np.ndarray:
    return workspace_pq(page)[0]


def _expect_entropy(page, x: float) -> dict[str, float]:
    return {"H_b(coin)": ce_core.binary_entropy(x, base=_base(page))}


def _expect_smoothing(page, e: float) -> dict[str, float]:
    base, q, e = _base(page), _q(page), round(e, 2)
    return {
        "Loss with ε": smoothed_loss(q, 0, e, base=base),
        "Floor H(t′)": smoothed_loss_floor(0, len(q), e, base=base),
    }


def _expect_focal(page, g: float) -> dict[str, float]:
    p_t, g = float(_q(page)[0]), round(g, 1)
    return {"Focal loss (no α)": focal_loss(p_t, g, None, base=_base(page))}


def _expect_binary(page, x: float) -> dict[str, float]:
    return {"Cross-entropy ℓ": binary_point(1, x, _base(page)).loss}


def _expect_kl(page, _weight: float) -> dict[str, float]:
    p, q, base = _p(page), _q(page), _base(page)
    return {
        "Forward KL(p ‖ q)": ce_core.kl_divergence(p, q, base=base),
        "Reverse KL(q ‖ p)": ce_core.kl_divergence(q, p, base=base),
    }


LIVE_READOUTS_JS = """
() => Object.fromEntries([...document.querySelectorAll('*')].filter(e => e.shadowRoot)
    .flatMap(h => [...h.shadowRoot.querySelectorAll('.lc-readout')])
    .map(r => [r.querySelector('.label').textContent, r.querySelector('.number').textContent]))
"""


def live_readouts(page) -> dict[str, str]:
    """label -> text of every readout of the live controls on the page (they live in shadow roots)."""
    return page.evaluate(LIVE_READOUTS_JS)


@dataclass(frozen=True)
class Case:
    file: str
    question: str  # predict() key
    control: str  # the slider the learner moves
    area: str  # "live" (a live control), "main", "sidebar" or "editor" (control "q0" = the
    # p/q editor's bar)
    expect: Callable[[object, float], dict[str, float]]
    revealed: str | None = None  # an element of the answer panel that must stay, besides the numbers
    moves_the_question: bool = True  # False: the control is not part of the question's situation


CASES = [
    Case("entropy", "en_coin_vs_first", "en_coin", "live", _expect_entropy),
    Case(
        "label_smoothing",
        "ls_best_q",
        "ls_eps",
        "live",
        _expect_smoothing,
        ".st-key-live_ls_eps .lc-chart[data-chart=ls_bars]",
    ),
    Case(
        "focal_loss",
        "fl_raise_gamma",
        "fl_gamma",
        "live",
        _expect_focal,
        ".st-key-live_fl_gamma .lc-chart[data-chart=fl_gamma_curve]",
    ),
    Case(
        "binary_ce",
        "bce_spam_ratio",
        "bce_pred",
        "live",
        _expect_binary,
        "[data-testid=stMain] [data-testid=stDataFrame]",
        moves_the_question=False,
    ),
    Case("cross_entropy_kl", "ce_kl_direction", "q0", "editor", _expect_kl, ".st-key-ce_directions"),
]


def _numbers_follow(page, case: Case, value: float) -> str | None:
    """None when every expected metric shows ce_core's value (4 decimals), else what differs."""
    shown = dict(metrics(page)) | live_readouts(page)
    for label, expected in case.expect(page, value).items():
        if label not in shown:
            return f"no metric {label!r} (have {sorted(shown)})"
        try:
            got = parse_number(shown[label])
        except ValueError:  # an element between two renders: look again
            return f"{label}: no number yet ({shown[label]!r})"

        if math.isinf(expected) != math.isinf(got) or (
            math.isfinite(expected) and abs(got - expected) > 5.1e-5
        ):
            return f"{label}: shows {shown[label]!r}, ce_core gives {expected}"
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_answer_stays_revealed_for_five_steps_and_follows_the_control(open_lab, stream, case):
    lab_page = page_by_file(case.file)
    assert lab_page is not None, f"pages/{case.file}.py is not registered"
    page = open_lab(lab_page.url_path)
    box = page.locator(f".st-key-predict_{case.question}")
    box.wait_for(timeout=30_000)
    # the box can be drawn a moment before its radio buttons: wait for them, then count
    wait_until(
        page,
        lambda: box.locator("[data-testid=stRadio] [role=radiogroup] label").count() > 0,
        20,
        "the question's choices (a fresh session is asked)",
    )
    assert box.locator("[data-testid=stRadio]").count() == 1, "the question is not asked on a fresh session"
    box.locator("[data-testid=stRadio] [role=radiogroup] label").first.click()
    lock = box.get_by_role("button", name="Lock in my guess and reveal")
    wait_until(page, lambda: lock.is_enabled(), 20, "the lock button to enable")
    lock.click()
    again = box.get_by_role("button", name="Ask me again")
    again.wait_for(timeout=30_000)

    if case.area == "editor":
        handle = editor_bar(page, case.control[0], int(case.control[1:]))

        def current() -> float:
            return float(handle.get_attribute("aria-valuenow"))
    elif case.area == "live":  # a live control: role=slider in its shadow root, commits 350 ms after a key
        handle = page.locator(f".st-key-live_{case.control} .lc-slider")

        def current() -> float:
            return float(handle.get_attribute("aria-valuenow"))
    else:
        handle = slider(page, key=case.control, area=case.area)

        def current() -> float:
            return slider_info(handle)["value"]

    for step in range(1, STEPS + 1):
        before = current()
        runs = stream.finished_runs
        press(page, handle, "ArrowRight")
        wait_until(page, lambda b=before: current() != b, 20, f"{case.control} to move (step {step})")
        wait_until(page, lambda r=runs: stream.finished_runs > r, 30, f"the rerun after step {step}")
        value = current()
        wait_until(
            page,
            lambda v=value: _numbers_follow(page, case, v) is None,
            30,
            f"the revealed numbers to follow {case.control} = {value}",
        )
        assert exception_texts(page) == [], server_traceback()
        assert box.locator("[data-testid=stRadio]").count() == 0, f"step {step}: the question came back"
        assert again.is_visible(), f"step {step}: the answer was hidden again"
        if case.revealed:
            assert page.locator(case.revealed).count() >= 1, f"step {step}: {case.revealed} disappeared"
    verdict = box.locator("[data-testid=stAlert]").inner_text()
    if case.moves_the_question:  # graded for the situation of the guess, with the answer for the new one
        assert "You guessed" in verdict, f"the verdict should name the guess's own situation: {verdict!r}"
        assert "the answer is" in verdict, f"the verdict should add the live answer: {verdict!r}"
    else:
        assert verdict.startswith("You said"), verdict
