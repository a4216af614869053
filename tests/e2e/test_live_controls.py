"""Lesson controls of lab.components.live_chart in a real browser: drag, keys, release, links.

While the mouse button is down, the readouts and the chart right under the control must already
show ce_core's values for the position under the pointer (the module looks them up in the table
the page sent; no script run happens). After release one run of the lesson's fragment brings the
rest of the page, and the address bar, to that value. Expected values are computed here from
ce_core's one-point functions at the grid position, never read from the page.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest

import ce_core
from ce_core.events import rare_event
from ce_core.variants import PROBABILITY_STEPS
from lab.lesson_keys import (
    BCE_LABEL_DEFAULT,
    BCE_PRED,
    BCE_PRED_DEFAULT,
    CL_EPSILON,
    CL_EPSILON_DEFAULT,
    CL_PROB,
    CL_PROB_DEFAULT,
    FL_ALPHA,
    FL_ALPHA_DEFAULT,
    FL_ALPHA_ON,
    FL_GAMMA,
    FL_GAMMA_DEFAULT,
    LS_EPSILON,
    LS_EPSILON_DEFAULT,
)
from lab.workspace import DEFAULT_NAMES, DEFAULT_P, DEFAULT_Q
from tests.e2e.helpers import (
    REVEAL_QUERY,
    StreamMonitor,
    component_state,
    exception_texts,
    in_component_js,
    metrics,
    open_page,
    settle,
    url_value,
    wait_run_finished,
    wait_until,
)

pytestmark = pytest.mark.e2e

#: The live view of one control (inside its component's shadow root).
LIVE_JS = in_component_js(
    ".lc",
    """
    const slider = box.querySelector('.lc-slider');
    const rail = box.querySelector('.lc-rail').getBoundingClientRect();
    return {
      g: Number(box.dataset.g),
      now: Number(slider.getAttribute('aria-valuenow')),
      valuetext: slider.getAttribute('aria-valuetext'),
      role: slider.getAttribute('role'),
      focused: r.activeElement === slider,
      readouts: Object.fromEntries([...box.querySelectorAll('[data-readout]')].map(n => [n.dataset.readout, n.textContent])),
      points: Object.fromEntries([...box.querySelectorAll('.lc-point')].map(n => [n.dataset.layer,
               [Number(n.getAttribute('data-x')), Number(n.getAttribute('data-y'))]])),
      pointLabels: [...box.querySelectorAll('.lc-point-label')].map(n => n.textContent),
      caption: (box.querySelector('.lc-caption') || {}).textContent || '',
      // every chart of the control by its key: its caption, the svg's aria-label, points and bar heights
      charts: Object.fromEntries([...box.querySelectorAll('.lc-chart')].map(c => [c.dataset.chart, {
        caption: (c.querySelector('.lc-caption') || {}).textContent || '',
        aria: (c.querySelector('.lc-svg') || {getAttribute: () => ''}).getAttribute('aria-label') || '',
        points: Object.fromEntries([...c.querySelectorAll('.lc-point')].filter(n => n.style.display !== 'none')
                .map(n => [n.dataset.layer, [Number(n.getAttribute('data-x')), Number(n.getAttribute('data-y'))]])),
        bars: Object.fromEntries([...c.querySelectorAll('.lc-bars')].map(b => [b.dataset.layer,
              [...b.querySelectorAll('rect')].map(r => Number(r.getAttribute('data-v')))])),
      }])),
      n: box.querySelectorAll('.lc-slider').length,
      rail: {x: rail.x, y: rail.y, width: rail.width, height: rail.height},
      renders: Number(host.getAttribute('data-live-renders') || 0),
    };""",
)


def live_state(page, key: str) -> dict:
    return component_state(page, LIVE_JS, key)


def _short(unit: str) -> str:
    return {"bits": "bits", "nats": "nats", "hartleys": "Hart"}[unit]


def _f(value: float, unit: str = "bits") -> str:
    return f"∞ {unit}" if math.isinf(value) else f"{value:.4f} {unit}"


# ---------------------------------------------------------------------------- the controls


@dataclass(frozen=True)
class Control:
    key: str
    page: str
    grid: tuple[float, ...]
    default: float
    readouts: Callable[[float], dict[str, str]]  # at value v, in bits
    points: Callable[[float], dict[str, tuple[float, float]]]
    settled: Callable[[object, float], None]  # checks the rest of the page after release
    caption: Callable[[float], str] = lambda v: f"{v:.2f}"  # a part of the chart's caption at v
    tab: str | None = None  # the tab the control sits in
    query: str = ""  # added to the page's query (e.g. "&fl_alpha_on=true")
    # the control's further charts at v, by chart key: points {name: (x, y)}, bars {name: heights}, a caption part
    more_points: Callable[[float], dict[str, dict[str, tuple[float, float]]]] = lambda v: {}
    more_bars: Callable[[float], dict[str, dict[str, list[float]]]] = lambda v: {}
    more_captions: Callable[[float], dict[str, str]] = lambda v: {}


def _grid(lo: float, hi: float, n: int) -> tuple[float, ...]:
    return tuple(round(lo + (hi - lo) * i / (n - 1), 10) for i in range(n))


def _bce_readouts(x: float) -> dict[str, str]:
    y = BCE_LABEL_DEFAULT
    loss = float(ce_core.binary_cross_entropy(y, x)) / math.log(2)
    slope = float(ce_core.binary_cross_entropy_gradient(y, x)) / math.log(2)
    slope_text = ("−∞ bits" if slope < 0 else "∞ bits") if math.isinf(slope) else f"{slope:.4f} bits"
    return {"loss": _f(loss), "slope": slope_text, "logit_gradient": _f((x - y) / math.log(2))}


def _bce_points(x: float) -> dict[str, tuple[float, float]]:
    y = BCE_LABEL_DEFAULT
    return {
        "cross-entropy at q": (x, float(ce_core.binary_cross_entropy(y, x)) / math.log(2)),
        "squared error at q": (x, (y - x) ** 2),
        "absolute error at q": (x, abs(y - x)),
    }


def _math_texts(page) -> str:
    """The TeX source of every formula in the main area (KaTeX keeps it in an annotation)."""
    return " ".join(page.locator("[data-testid=stMain] annotation").all_text_contents())


def _bce_settled(page, x: float) -> None:
    gradient = f"{x - BCE_LABEL_DEFAULT:+.2f}"
    wait_until(
        page,
        lambda: f"q - y = {gradient}" in _math_texts(page),
        timeout=15,
        message=f"the prose's q − y = {gradient}",
    )
    infinite = page.get_by_text("−log 0 = ∞").count() > 0
    assert infinite == math.isinf(float(ce_core.binary_cross_entropy(BCE_LABEL_DEFAULT, x)))


def _sp_readouts(p: float) -> dict[str, str]:
    return {"surprisal": _f(float(ce_core.surprisal(p, base=2))), "one_in": f"1 in {1 / p:.3g}"}


def _sp_points(p: float) -> dict[str, tuple[float, float]]:
    return {"the event": (p, float(ce_core.surprisal(p, base=2)))}


def _sp_settled(page, p: float) -> None:
    h = float(ce_core.surprisal(p, base=2))
    wait_until(
        page,
        lambda: page.get_by_text(f"{h:.2f} bits is as surprising").count() == 1,
        timeout=15,
        message=f"the reading of {h:.2f} bits",
    )


def _ones_readouts(n: float) -> dict[str, str]:
    p0, p1 = 1 / (n + 1), n / (n + 1)
    return {
        "zero": _f(float(ce_core.surprisal(p0, base=2))),
        "one": _f(float(ce_core.surprisal(p1, base=2))),
        "p_zero": f"1/{int(n) + 1:,}",
    }


def _ones_points(n: float) -> dict[str, tuple[float, float]]:
    p0, p1 = 1 / (n + 1), n / (n + 1)
    return {
        "the 0": (p0, float(ce_core.surprisal(p0, base=2))),
        "a 1": (p1, float(ce_core.surprisal(p1, base=2))),
    }


def _ones_settled(page, n: float) -> None:
    h = float(ce_core.surprisal(1 / (n + 1), base=2))
    wait_until(
        page, lambda: f"{h:.4f}" in _math_texts(page), timeout=15, message=f"h(0) = {h:.4f} in the formula"
    )


def _trip_readouts(n: float) -> dict[str, str]:
    r = rare_event(int(n), base=2)
    return {"routine": _f(r.h_routine), "rare": _f(r.h_rare), "days": f"{r.routine_days_per_rare:,.0f}"}


def _trip_points(n: float) -> dict[str, tuple[float, float]]:
    r = rare_event(int(n), base=2)
    return {"commute": (r.p_routine, r.h_routine), "trip": (r.p_rare, r.h_rare)}


def _trip_settled(page, n: float) -> None:
    wait_until(
        page,
        lambda: page.get_by_text(f"(once every {int(n):,} days)").count() == 1,
        timeout=15,
        message="the trip's prose",
    )


def _zeros_readouts(n: float) -> dict[str, str]:
    return {
        "zero": _f(0.0),
        "spoiled_zero": _f(float(ce_core.surprisal(n / (n + 1), base=2))),
        "spoiled_one": _f(float(ce_core.surprisal(1 / (n + 1), base=2))),
    }


def _zeros_points(n: float) -> dict[str, tuple[float, float]]:
    return {
        "draw a 0": (1.0, 0.0),
        "a 0, one 1 added": (n / (n + 1), float(ce_core.surprisal(n / (n + 1), base=2))),
        "the added 1": (1 / (n + 1), float(ce_core.surprisal(1 / (n + 1), base=2))),
    }


def _zeros_settled(page, n: float) -> None:
    wait_until(
        page,
        lambda: page.get_by_text(f"however big the bag ({int(n)})").count() == 1,
        timeout=15,
        message="the bag's prose",
    )


def _coin_readouts(x: float) -> dict[str, str]:
    return {
        "coin": _f(float(ce_core.binary_entropy(x, base=2))),
        "first": _f(float(ce_core.binary_entropy(DEFAULT_P[0], base=2))),
    }


def _coin_points(x: float) -> dict[str, tuple[float, float]]:
    return {
        "your coin": (x, float(ce_core.binary_entropy(x, base=2))),
        f"{DEFAULT_NAMES[0]} or not": (DEFAULT_P[0], float(ce_core.binary_entropy(DEFAULT_P[0], base=2))),
    }


def _coin_settled(page, x: float) -> None:
    # Nothing else on the page depends on the coin once the answer is shown: the formula stays.
    assert "H_b(\\theta)" in _math_texts(page)


def _focal(g: float) -> float:
    p_t = DEFAULT_Q[0]
    return float(ce_core.focal_modulation(p_t, g)) * float(ce_core.surprisal(p_t, base=2))


def _gamma_settled(page, g: float) -> None:
    wait_until(
        page,
        lambda: dict(metrics(page)).get(f"Focal loss at γ = {g:g}") == _f(_focal(g)),
        timeout=15,
        message=f"the metric at γ = {g:g}",
    )
    assert not page.locator(".js-plotly-plot").count(), "the γ charts are live charts now, no Plotly"


def _gamma_more_points(g: float) -> dict[str, dict[str, tuple[float, float]]]:
    """The γ control's further charts at γ = g: the example's loss against γ, and the factor at q_t 0.1 and 0.9."""
    return {
        "fl_gamma_curve": {"at your γ": (g, _focal(g))},
        "fl_factor": {
            "a hard example (q_t = 0.1)": (0.1, float(ce_core.focal_modulation(0.1, g))),
            "an easy example (q_t = 0.9)": (0.9, float(ce_core.focal_modulation(0.9, g))),
        },
    }


def _alpha_focal(a: float) -> float:
    from ce_core.variants import focal_loss

    return float(focal_loss(DEFAULT_Q[0], FL_GAMMA_DEFAULT, a, base=2))


def _alpha_settled(page, a: float) -> None:
    want = _f(_alpha_focal(a))
    wait_until(
        page,
        lambda: dict(metrics(page)).get(f"Focal loss at γ = {FL_GAMMA_DEFAULT:g}") == want,
        timeout=15,
        message=f"the focal-loss metric at α = {a:g}",
    )
    gamma = live_state(page, FL_GAMMA)  # the γ control's chart and readouts were rebuilt with this α
    assert gamma["readouts"]["focal"] == want
    assert gamma["points"]["your example"][1] == pytest.approx(_alpha_focal(a), rel=1e-9, abs=1e-12)
    assert f"Focal loss (α = {a:g})" in gamma["caption"]
    against = gamma["charts"]["fl_gamma_curve"]
    assert f"Your example's focal loss (α = {a:g}) against γ" in against["caption"], against["caption"]
    assert f"{want} at γ = {FL_GAMMA_DEFAULT:g} (marked)" in against["caption"]
    assert against["points"]["at your γ"][1] == pytest.approx(_alpha_focal(a), rel=1e-9, abs=1e-12)


def _smoothing(e: float) -> tuple[float, float, float]:
    from ce_core.losses import smooth_targets, smoothed_loss_floor
    from ce_core.variants import smoothed_loss

    q = list(DEFAULT_Q)
    return (
        float(smoothed_loss(q, 0, e, base=2)),
        float(smoothed_loss_floor(0, len(q), e, base=2)),
        float(ce_core.kl_divergence(smooth_targets(0, len(q), e), q, base=2)),
    )


def _eps_readouts(e: float) -> dict[str, str]:
    loss, floor, kl = _smoothing(e)
    return {"loss": _f(loss), "floor": _f(floor), "kl": _f(kl)}


def _eps_points(e: float) -> dict[str, tuple[float, float]]:
    loss, floor, _ = _smoothing(e)
    k = len(DEFAULT_Q)
    return {"your q": (DEFAULT_Q[0], loss), "lowest loss": (1 - e + e / k, floor)}


def _eps_settled(page, e: float) -> None:
    wait_until(
        page,
        lambda: dict(metrics(page)).get(f"Loss with ε = {e:g}") == _f(_smoothing(e)[0]),
        timeout=15,
        message=f"the metric at ε = {e:g}",
    )
    assert not page.locator(".js-plotly-plot").count(), "the target bars are a live chart now, no Plotly"


def _eps_bars(e: float) -> dict[str, dict[str, list[float]]]:
    """The ε control's target bars at ε = e: t′ from ce_core, the model's q and the one-hot target."""
    from ce_core.losses import smooth_targets

    k = len(DEFAULT_Q)
    return {
        "ls_bars": {
            "smoothed target t′": [float(v) for v in smooth_targets(0, k, e)],
            "q (model)": list(DEFAULT_Q),
            "one-hot target": [float(v) for v in smooth_targets(0, k, 0.0)],
        }
    }


def _tempered(t: float) -> tuple[float, float]:
    from lab.lesson_keys import SM_LOGIT_DEFAULTS

    q = ce_core.softmax(list(SM_LOGIT_DEFAULTS[: len(DEFAULT_Q)]), temperature=t)
    return float(q[0]), float(ce_core.surprisal(q[0], base=2))


def _temperature_settled(page, t: float) -> None:
    label = f"Loss −log q({DEFAULT_NAMES[0]}) at T = {t:.1f}"
    wait_until(
        page,
        lambda: dict(metrics(page)).get(label) == _f(_tempered(t)[1]),
        timeout=15,
        message=f"the metric at T = {t:.1f}",
    )


def _message(n: float) -> tuple[float, float]:
    from ce_core.coding import code_lengths, running_bits_per_symbol, sample_message

    message = sample_message(list(DEFAULT_P), int(n), seed=0)
    return (
        float(running_bits_per_symbol(message, code_lengths(list(DEFAULT_Q)))[-1]),
        float(running_bits_per_symbol(message, code_lengths(list(DEFAULT_Q), whole_bits=True))[-1]),
    )


def _message_settled(page, n: float) -> None:
    wait_until(
        page,
        lambda: page.get_by_text(f"The first 8 of the {int(n):,} symbols").count() == 1,
        timeout=15,
        message="the message text",
    )


CLIP_SETTINGS = (
    ("exact", {}),
    ("pytorch", {}),
    ("sklearn", {}),
    ("sklearn", {"dtype": "float32"}),
    ("epsilon", {"epsilon": 1e-7}),
)


def _clipped(q: float) -> list[float]:
    import numpy as np

    from ce_core.losses import clipped_log_loss

    return [
        float(clipped_log_loss(q, policy, **{k: (np.dtype(v) if k == "dtype" else v) for k, v in kw.items()}))
        / math.log(2)
        for policy, kw in CLIP_SETTINGS
    ]


def _q_label(q: float) -> str:
    return "0" if q == 0 else f"{q:g}"


def _clip_points(q: float) -> dict[str, tuple[float, float]]:
    if q == 0:
        return {}  # not on a log axis
    from ce_core.variants import clip_policies

    return {f"at q: {p.label}": (q, v) for p, v in zip(clip_policies(1e-7), _clipped(q), strict=True)}


def _clip_gradients(q: float) -> list[float]:
    """d loss / dq in bits under each clipping policy, from ce_core's one-point gradient."""
    import numpy as np

    from ce_core.losses import clipped_log_loss_gradient

    return [
        float(
            clipped_log_loss_gradient(
                q, policy, **{k: (np.dtype(v) if k == "dtype" else v) for k, v in kw.items()}
            )
        )
        / math.log(2)
        for policy, kw in CLIP_SETTINGS
    ]


def _clip_more_points(q: float) -> dict[str, dict[str, tuple[float, float]]]:
    """The q control's gradient chart: |∂loss/∂q| at q per policy (log-log: q = 0 and a gradient of 0 not drawn)."""
    from ce_core.variants import clip_policies

    if q == 0:
        return {"cl_grad": {}}
    return {
        "cl_grad": {
            f"gradient at q: {p.label}": (q, abs(v))
            for p, v in zip(clip_policies(1e-7), _clip_gradients(q), strict=True)
            if v != 0
        }
    }


def _clip_settled(page, q: float) -> None:
    want = f"At q = {_q_label(q)}: exact {_gradient_text(_clip_gradients(q)[0])}"
    wait_until(
        page,
        lambda: want in live_state(page, CL_PROB)["charts"]["cl_grad"]["caption"],
        timeout=15,
        message=f"the gradient chart's caption at q = {_q_label(q)}",
    )
    assert not page.locator(".js-plotly-plot").count(), "the gradient chart is a live chart now, no Plotly"


TR_RATES = (
    *tuple(round(m * 10.0**e, 6) for e in (-2, -1, 0) for m in (1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8)),
    10.0,
)
TR_AHEAD = 50


def _ahead(rate: float) -> list[float]:
    """The cross-entropy (bits) after 0..50 steps at ``rate`` from the page's start (defaults, step 0)."""
    from ce_core.training import init_model, make_blobs, train

    data = make_blobs(3, 40, 1.0, 0)
    _, losses = train(init_model(3), data, TR_AHEAD + 1, rate)  # the loss before each step: after 0..50
    return [v / math.log(2) for v in losses]


def _tr_outcome(rate: float) -> str:
    """What the readout says, from the band rules: 0.1 % of the starting loss."""
    ahead = _ahead(rate)
    band = 1e-3 * ahead[0]
    if ahead[-1] > ahead[0] + band:
        return "the loss rises: too large"
    if max(b - a for a, b in itertools.pairwise(ahead)) > band:
        return "the loss zigzags"
    return "the loss stalls" if ahead[0] - ahead[-1] <= band else "the loss falls"


def _rate_settled(page, rate: float) -> None:
    note = f"Play and the step buttons train with η = {rate:g}."
    wait_until(
        page,
        lambda: any(note in t for t in page.locator("[data-testid=stCaptionContainer]").all_inner_texts()),
        timeout=15,
        message=f"the training note at η = {rate:g}",
    )
    assert dict(metrics(page))["Steps taken"] == "0"  # moving η takes no step


def _eps_label(log_eps: float) -> str:
    return f"1e{int(log_eps)}" if float(log_eps).is_integer() else f"10^{log_eps:g}"


def _eps_values(log_eps: float, q: float = CL_PROB_DEFAULT) -> tuple[float, float, float]:
    """(cap, loss at q, gradient at q) of the clip at ε = 10^log_eps, in bits."""
    from ce_core.losses import clipped_log_loss, clipped_log_loss_gradient

    eps = 10.0**log_eps
    return tuple(
        float(v) / math.log(2)
        for v in (
            clipped_log_loss(0.0, "epsilon", epsilon=eps),
            clipped_log_loss(q, "epsilon", epsilon=eps),
            clipped_log_loss_gradient(q, "epsilon", epsilon=eps),
        )
    )


def _gradient_text(g: float) -> str:
    if math.isinf(g):
        return "−∞" if g < 0 else "∞"
    return "0 (silenced)" if g == 0 else f"{g:.4g}"


def _eps_control_readouts(log_eps: float) -> dict[str, str]:
    cap, loss, gradient = _eps_values(log_eps)
    return {"cap": _f(cap), "loss": _f(loss), "gradient": _gradient_text(gradient)}


def _eps_control_settled(page, log_eps: float) -> None:
    want = _f(_eps_values(log_eps)[1])
    # the q control's "your ε" curve, marker and readout were rebuilt with this ε
    wait_until(
        page,
        lambda: live_state(page, CL_PROB)["readouts"].get("loss4") == want,
        timeout=15,
        message=f"the q control's your-ε readout at ε = {_eps_label(log_eps)}",
    )
    q_state = live_state(page, CL_PROB)
    assert f"your ε {want}" in q_state["caption"]
    mine = next(v for k, v in q_state["points"].items() if k.startswith("at q: your ε = "))
    assert mine[1] == pytest.approx(_eps_values(log_eps)[1], rel=1e-9)


CONTROLS = {
    BCE_PRED: Control(
        BCE_PRED,
        "binary_ce",
        _grid(0.0, 1.0, 101),
        BCE_PRED_DEFAULT,
        _bce_readouts,
        _bce_points,
        _bce_settled,
    ),
    "sp_point": Control(
        "sp_point", "surprisal", _grid(0.01, 1.0, 100), 0.25, _sp_readouts, _sp_points, _sp_settled
    ),
    "sp_zeros": Control(
        "sp_zeros",
        "surprisal",
        _grid(1, 100, 100),
        10,
        _zeros_readouts,
        _zeros_points,
        _zeros_settled,
        caption=lambda n: f"a bag of {int(n)} zeros",
        tab="A bag of zeros",
    ),
    "sp_ones": Control(
        "sp_ones",
        "surprisal",
        _grid(1, 999, 999),
        9,
        _ones_readouts,
        _ones_points,
        _ones_settled,
        caption=lambda n: f"One 0 among {int(n)} ones",
        tab="One rare zero",
    ),
    "sp_trip": Control(
        "sp_trip",
        "surprisal",
        _grid(2, 1000, 999),
        365,
        _trip_readouts,
        _trip_points,
        _trip_settled,
        caption=lambda n: "Commute: p = ",
        tab="Routine or a trip",
    ),
    "en_coin": Control(
        "en_coin",
        "entropy",
        _grid(0.0, 1.0, 101),
        0.3,
        _coin_readouts,
        _coin_points,
        _coin_settled,
        caption=lambda x: f"Your coin θ = {x:.2f} gives",
    ),
    FL_ALPHA: Control(
        FL_ALPHA,
        "focal_loss",
        _grid(0.0, 1.0, 101),
        FL_ALPHA_DEFAULT,
        lambda a: {"alpha_pos": f"{a:.2f}", "alpha_neg": f"{1 - a:.2f}", "focal": _f(_alpha_focal(a))},
        lambda a: {"your example": (DEFAULT_Q[0], _alpha_focal(a))},
        _alpha_settled,
        caption=lambda a: f"with α = {a:.2f}:",
        query=f"&{FL_ALPHA_ON}=true",
    ),
    FL_GAMMA: Control(
        FL_GAMMA,
        "focal_loss",
        _grid(0.0, 5.0, 51),
        FL_GAMMA_DEFAULT,
        lambda g: {
            "factor": f"{float(ce_core.focal_modulation(DEFAULT_Q[0], g)):.4g}",
            "focal": _f(_focal(g)),
        },
        lambda g: {"your example": (DEFAULT_Q[0], _focal(g))},
        _gamma_settled,
        caption=lambda g: f"at γ = {g:g} against q_t",
        more_points=_gamma_more_points,
        more_captions=lambda g: {
            "fl_gamma_curve": f"{_f(_focal(g))} at γ = {g:g} (marked)",
            "fl_factor": f"At γ = {g:g} an easy example (q_t = 0.9) keeps "
            f"{float(ce_core.focal_modulation(0.9, g)):.3g}",
        },
    ),
    LS_EPSILON: Control(
        LS_EPSILON,
        "label_smoothing",
        _grid(0.0, 1.0, 101),
        LS_EPSILON_DEFAULT,
        _eps_readouts,
        _eps_points,
        _eps_settled,
        caption=lambda e: f"ε = {e:g}: the floor is",
        more_bars=_eps_bars,
        more_captions=lambda e: {
            "ls_bars": f"True class {DEFAULT_NAMES[0]}, ε = {e:g}: the smoothed "
            f"target gives it {1 - e + e / len(DEFAULT_Q):.3f}"
        },
    ),
    "sm_t": Control(
        "sm_t",
        "softmax_logits",
        _grid(0.1, 5.0, 50),
        1.0,
        lambda t: {"loss": _f(_tempered(t)[1]), "q_true": f"{_tempered(t)[0]:.4f}"},
        lambda t: {f"q({DEFAULT_NAMES[0]})": (0.19, _tempered(t)[0])},
        _temperature_settled,
        caption=lambda t: f"at T = {t:.1f}: q({DEFAULT_NAMES[0]})",
    ),
    "bw_length": Control(
        "bw_length",
        "bits_on_the_wire",
        _grid(10, 5000, 500),
        2000,
        lambda n: {
            "ideal": _f(_message(n)[0]),
            "whole": _f(_message(n)[1]),
            "limit": _f(float(ce_core.cross_entropy(DEFAULT_P, DEFAULT_Q, base=2))),
        },
        lambda n: {"ideal code after L": (n, _message(n)[0]), "whole-bit code after L": (n, _message(n)[1])},
        _message_settled,
        caption=lambda n: f"the first {int(n):,} symbols are sent",
    ),
    "cl_q": Control(
        "cl_q",
        "clipping",
        tuple(float(v) for v in PROBABILITY_STEPS),
        CL_PROB_DEFAULT,
        lambda q: {f"loss{i}": _f(v) for i, v in enumerate(_clipped(q))},
        _clip_points,
        _clip_settled,
        caption=lambda q: f"At q = {_q_label(q)}: exact",
        more_points=_clip_more_points,
        more_captions=lambda q: {
            "cl_grad": f"At q = {_q_label(q)}: exact {_gradient_text(_clip_gradients(q)[0])}, "
            f"your ε {_gradient_text(_clip_gradients(q)[4])}."
        },
    ),
    "tr_lr": Control(
        "tr_lr",
        "training",
        TR_RATES,
        0.5,
        lambda r: {"final": _f(_ahead(r)[-1]), "outcome": _tr_outcome(r)},
        lambda r: {"after 50 steps": (float(TR_AHEAD), _ahead(r)[-1])},
        _rate_settled,
        caption=lambda r: f"50 more steps at η = {r:g} take the cross-entropy from {_f(_ahead(r)[0])}",
    ),
    CL_EPSILON: Control(
        CL_EPSILON,
        "clipping",
        _grid(-30.0, -1.0, 59),
        CL_EPSILON_DEFAULT,
        _eps_control_readouts,
        lambda x: {"at your q": (CL_PROB_DEFAULT, _eps_values(x)[1])},
        _eps_control_settled,
        caption=lambda x: f"with ε = {_eps_label(x)},",
    ),
}


def open_control(page, app_url, stream, control: Control, query: str = REVEAL_QUERY):
    open_page(page, app_url, control.page, stream, query=query + control.query)
    if control.tab:
        page.get_by_role("tab", name=control.tab).click()
    page.locator(f".st-key-live_{control.key} .lc-slider").wait_for()
    page.locator(
        f".st-key-live_{control.key} .lc-slider"
    ).scroll_into_view_if_needed()  # the charts may be taller
    return live_state(page, control.key)


def x_of(state: dict, control: Control, g: int) -> float:
    """The pointer x over grid position g (the middle of its stretch of the rail)."""
    rail = state["rail"]
    return rail["x"] + rail["width"] * g / (len(control.grid) - 1)


def assert_shows(state: dict, control: Control, g: int) -> None:
    value = control.grid[g]
    assert state["g"] == g
    assert state["now"] == pytest.approx(value, abs=1e-12)
    assert state["readouts"] == control.readouts(value)
    for name, (x, y) in control.points(value).items():
        got_x, got_y = state["points"][name]
        assert got_x == pytest.approx(x, abs=1e-12), name
        assert got_y == (pytest.approx(y, rel=1e-9, abs=1e-12) if math.isfinite(y) else y), name
    assert control.caption(value) in state["caption"]
    charts = state["charts"]
    for chart, points in control.more_points(value).items():
        assert set(points) <= set(charts[chart]["points"]), (chart, charts[chart]["points"])
        for name, (x, y) in points.items():
            got_x, got_y = charts[chart]["points"][name]
            assert got_x == pytest.approx(x, rel=1e-12, abs=1e-12), (chart, name)
            assert got_y == (pytest.approx(y, rel=1e-9, abs=1e-12) if math.isfinite(y) else y), (chart, name)
    for chart, layers in control.more_bars(value).items():
        for name, heights in layers.items():
            assert charts[chart]["bars"][name] == pytest.approx(heights, rel=1e-12, abs=1e-15), (chart, name)
    for chart, part in control.more_captions(value).items():
        assert part in charts[chart]["caption"], (chart, charts[chart]["caption"])
        assert charts[chart]["aria"] == charts[chart]["caption"], chart  # the text alternative of that chart


def assert_settled(page, stream, control: Control, g: int) -> None:
    settle(page, stream)
    value = control.grid[g]
    assert_shows(live_state(page, control.key), control, g)
    control.settled(page, value)
    want = None if value == control.default else value
    wait_until(
        page,
        lambda: (
            url_value(page.url, control.key) is None
            if want is None
            else float(url_value(page.url, control.key) or "nan") == want
        ),
        timeout=10,
        message=f"{control.key} in the address bar",
    )
    assert not exception_texts(page)


# ---------------------------------------------------------------------------- tests


@pytest.mark.parametrize("key", list(CONTROLS))
def test_mouse_drag_moves_chart_and_readouts_before_release(page, app_url, stream, key):
    control = CONTROLS[key]
    state = open_control(page, app_url, stream, control)
    assert state["n"] == 1
    start = control.grid.index(control.default)
    assert_shows(state, control, start)
    rail_y = state["rail"]["y"] + state["rail"]["height"] / 2
    runs_before = stream.finished_runs
    page.mouse.move(x_of(state, control, start), rail_y)
    page.mouse.down()
    n = len(control.grid)
    targets = [round(n * f) for f in (0.82, 0.35, 0.06, 0.6)]
    for g in targets:
        page.mouse.move(x_of(state, control, g), rail_y, steps=4)
        wait_until(page, lambda g=g: live_state(page, key)["g"] == g, timeout=5, message=f"live position {g}")
        assert_shows(live_state(page, key), control, g)
    assert stream.finished_runs == runs_before, "a script run happened while the button was still down"
    page.mouse.up()
    wait_run_finished(page, stream, runs_before)
    assert_settled(page, stream, control, targets[-1])


@pytest.mark.parametrize("key", list(CONTROLS))
def test_keyboard_operates_the_control(page, app_url, stream, key):
    control = CONTROLS[key]
    state = open_control(page, app_url, stream, control)
    assert state["role"] == "slider"
    g = control.grid.index(control.default)
    last = len(control.grid) - 1
    page.locator(f".st-key-live_{key} .lc-slider").focus()
    runs_before = stream.finished_runs
    for press, step in (
        ("ArrowRight", 1),
        ("PageUp", 10),
        ("ArrowLeft", -1),
        ("PageDown", -10),
        ("ArrowUp", 1),
        ("End", None),
        ("Home", None),
    ):
        page.keyboard.press(press)
        g = last if press == "End" else 0 if press == "Home" else min(last, max(0, g + step))
        assert_shows(live_state(page, key), control, g)
    assert live_state(page, key)["focused"]
    wait_run_finished(page, stream, runs_before, timeout=20)
    assert_settled(page, stream, control, 0)
    assert live_state(page, key)["focused"], "the rerun kept the focus on the control"


def test_a_link_round_trip_restores_the_control(page, app_url, stream, browser):
    control = CONTROLS["sp_point"]
    state = open_control(page, app_url, stream, control)
    g = 71
    rail_y = state["rail"]["y"] + state["rail"]["height"] / 2
    since = stream.finished_runs
    page.mouse.click(x_of(state, control, g), rail_y)
    wait_run_finished(page, stream, since)
    assert_settled(page, stream, control, g)
    link = page.url
    assert url_value(link, control.key) == "0.72"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = context.new_page()
    other_stream = StreamMonitor().attach(other)
    try:
        since = other_stream.finished_runs
        other.goto(link)
        wait_run_finished(other, other_stream, since, timeout=60)
        other.locator(f".st-key-live_{control.key} .lc-slider").wait_for()
        assert_settled(other, other_stream, control, g)
        assert not other.locator("[data-testid=stAlertContentWarning]").count()
    finally:
        context.close()


def test_a_bad_link_value_is_reported_and_the_default_shown(page, app_url, stream):
    control = CONTROLS[BCE_PRED]
    state = open_control(page, app_url, stream, control, query=REVEAL_QUERY + f"&{BCE_PRED}=0.705")
    assert_shows(state, control, control.grid.index(control.default))
    notice = " ".join(page.locator("[data-testid=stAlertContentWarning]").all_inner_texts())
    assert BCE_PRED in notice
    assert "not a valid value" in notice
    wait_until(
        page, lambda: url_value(page.url, BCE_PRED) is None, timeout=10, message="bad value dropped from URL"
    )


DRAWN_JS = in_component_js(
    ".lc",
    """
    return {paths: [...box.querySelectorAll('.lc-svg path')].map(p => (p.getAttribute('d') || '').length),
            ticks: [...box.querySelectorAll('.lc-svg .lc-grid text.tick')].map(t => t.textContent),
            label: (box.querySelector('.lc-point-label') || {}).textContent || ''};""",
)


def test_play_ticks_during_a_drag_keep_the_preview_drawn(page, app_url, stream):
    """While Play runs, each tick sends the preview of the new model; a drag in progress keeps its
    position, and the tick's curves, readouts and axes are drawn at once."""
    control = CONTROLS["tr_lr"]
    state = open_control(page, app_url, stream, control)
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=15_000)
    state = live_state(page, control.key)
    rail_y = state["rail"]["y"] + state["rail"]["height"] / 2
    page.mouse.move(x_of(state, control, 17), rail_y)
    page.mouse.down()
    page.mouse.move(x_of(state, control, 25), rail_y, steps=4)
    wait_until(page, lambda: live_state(page, control.key)["g"] == 25, timeout=5, message="live position 25")
    before = live_state(page, control.key)["readouts"]["final"]
    ticks_before = page.evaluate(DRAWN_JS, control.key)["ticks"]
    runs = stream.finished_runs
    wait_until(page, lambda: stream.finished_runs >= runs + 3, timeout=20, message="three play ticks")
    wait_until(
        page,
        lambda: live_state(page, control.key)["readouts"]["final"] != before,
        timeout=10,
        message="a tick's new preview drawn during the drag",
    )
    now = live_state(page, control.key)
    drawn = page.evaluate(DRAWN_JS, control.key)
    assert now["g"] == 25, "a tick moved the control under the pointer"
    assert all(n > 0 for n in drawn["paths"]), f"an empty curve after a tick: {drawn['paths']}"
    assert drawn["label"] == now["readouts"]["final"]
    assert now["readouts"]["outcome"]
    # the axes follow the new data: y from 0 to twice the loss now (the caption's "from ... bits")
    from lab.figures.live import nice_ticks

    loss_now = float(now["caption"].split("take the cross-entropy from ")[1].split(" bits")[0])
    want = [f"{v:g}".replace("-", "−") for v in nice_ticks(2.0 * loss_now)] + [
        str(v) for v in range(0, 51, 10)
    ]
    assert drawn["ticks"] == want
    assert drawn["ticks"] != ticks_before
    page.mouse.up()
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
    settle(page, stream)
    assert live_state(page, control.key)["g"] == 25
    assert float(url_value(page.url, control.key)) == control.grid[25]
    assert not exception_texts(page)


def test_the_every_rate_view_follows_the_drag_on_a_log_axis(page, app_url, stream):
    """The other chart of η: loss after 50 steps against η (log axis); the marker rides the curve."""
    import dataclasses

    control = dataclasses.replace(
        CONTROLS["tr_lr"], points=lambda r: {"at η, after 50 steps": (r, _ahead(r)[-1])}
    )
    query = REVEAL_QUERY + "&tr_view=" + "every η, after 10 and 50 steps".replace(" ", "+")
    state = open_control(page, app_url, stream, control, query=query)
    assert_shows(state, control, control.grid.index(control.default))
    rail_y = state["rail"]["y"] + state["rail"]["height"] / 2
    runs_before = stream.finished_runs
    page.mouse.move(x_of(state, control, control.grid.index(control.default)), rail_y)
    page.mouse.down()
    xs = []
    for g in (28, 9, 2, 22):
        page.mouse.move(x_of(state, control, g), rail_y, steps=4)
        wait_until(
            page, lambda g=g: live_state(page, control.key)["g"] == g, timeout=5, message=f"live position {g}"
        )
        assert_shows(live_state(page, control.key), control, g)
        xs.append(
            page.evaluate(
                """(key) => {
          for (const host of document.querySelectorAll('*')) {
            const box = host.shadowRoot && host.shadowRoot.querySelector(`.lc[data-key="${key}"]`);
            if (box) return box.querySelector('.lc-point polygon').getAttribute('transform');
          }
        }""",
                control.key,
            )
        )
    assert stream.finished_runs == runs_before, "a script run happened while the button was still down"
    # on a log axis equal ratios are equal distances: 0.016 -> 0.8 -> 10 (positions 2, 22, 28) are not linear
    x = {g: float(t.split("translate(")[1].split(",")[0]) for g, t in zip((28, 9, 2, 22), xs, strict=True)}
    span = (x[28] - x[2]) / (math.log10(control.grid[28]) - math.log10(control.grid[2]))
    assert x[22] - x[2] == pytest.approx(
        span * (math.log10(control.grid[22]) - math.log10(control.grid[2])), abs=1.0
    )
    page.mouse.up()
    wait_run_finished(page, stream, runs_before)
    assert_settled(page, stream, control, 22)


def _touch(cdp, kind: str, x: float = 0.0, y: float = 0.0) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


@pytest.mark.parametrize("key", ["en_coin", FL_GAMMA, "cl_q"])
def test_touch_drag_follows_the_finger_on_a_phone(browser, app_url, key):
    """A finger on a phone (CDP touch events, so pointer events of type touch): the chart and readouts
    follow while the finger moves, before it lifts; then the page settles to where it lifted."""
    control = CONTROLS[key]
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    stream = StreamMonitor().attach(page)
    try:
        state = open_control(page, app_url, stream, control)
        rail_y = state["rail"]["y"] + state["rail"]["height"] / 2
        cdp = context.new_cdp_session(page)
        runs_before = stream.finished_runs
        start = control.grid.index(control.default)
        _touch(cdp, "touchStart", x_of(state, control, start), rail_y)
        n = len(control.grid)
        targets = [round((n - 1) * f) for f in (0.8, 0.3, 0.55)]
        for g in targets:
            _touch(cdp, "touchMove", x_of(state, control, g), rail_y)
            wait_until(
                page, lambda g=g: live_state(page, key)["g"] == g, timeout=5, message=f"live position {g}"
            )
            assert_shows(live_state(page, key), control, g)
        assert stream.finished_runs == runs_before, "a script run happened while the finger was still down"
        _touch(cdp, "touchEnd")
        wait_run_finished(page, stream, runs_before)
        assert_settled(page, stream, control, targets[-1])
    finally:
        context.close()
