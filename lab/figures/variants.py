"""Live-chart specs of the loss-variant lessons (focal loss, label smoothing, class weights, clipping).

Pure builders: data in (a sweep of ce_core.live, computed once for every position of a control), spec
out; no Streamlit. The line style of each clipping policy is shared with the live chart.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core.live import grid_index
from ce_core.losses import smooth_targets
from lab.figures import live
from lab.figures.theme import (
    ACCENT,
    ENTROPY,
    INK,
    KL,
    LOSS,
    MODEL_Q,
    MODEL_Q_DARK,
    NEUTRAL,
    PAPER,
    TRUE_P,
    TRUE_P_DARK,
)

_POLICY_STYLE = {
    0: {"color": INK, "width": 3, "dash": "solid"},
    1: {"color": LOSS, "width": 3, "dash": "dash"},
    2: {"color": TRUE_P, "width": 3, "dash": "dot"},
    3: {"color": ENTROPY, "width": 3, "dash": "dashdot"},
    4: {"color": KL, "width": 3, "dash": "longdash"},
}
#: Line styles of the clipping policies, in the order of ce_core.variants.clip_policies (shared with the live chart).
POLICY_STYLES = tuple(_POLICY_STYLE[i] for i in range(5))


def fmt_loss(value: float, unit: str, digits: int = 4) -> str:
    """A loss in ``unit`` as the pages print it (lab.ui.fmt): ``'0.6920 bits'``, ``'∞ bits'``, NaN ``'undefined'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if math.isinf(value):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"


# --- focal loss ------------------------------------------------------------------------------------

_Q_TICKS = np.round(np.arange(0, 1.01, 0.2), 1)
_TRUE_Q = "q_t, the model's probability of the true class"
#: The x axis of the clipping charts: q(true class) from 1e-50 to 1 on a log scale.
_LOG_Q_AXIS = {
    "x_range": (1e-50, 1.0),
    "x_log": True,
    "x_label": "q(true class), log scale",
    "x_ticks": live.ticks([1e-50, 1e-40, 1e-30, 1e-20, 1e-10, 1.0]),
}


def _q_loss_chart(layers, top: float, x_label: str, caption, *, unit: str, end: float = 1.02) -> dict:
    """Loss (from 0 to ``top``) against a probability from 0 to ``end``."""
    return live.loss_chart(
        layers,
        top,
        x_range=(0.0, end),
        x_label=x_label,
        y_label=f"loss ({unit})",
        x_ticks=live.ticks(_Q_TICKS, 1),
        caption=caption,
    )


_NEGATIVE_STYLE = {"color": KL, "dash": "longdash", "width": 3}
#: The factor chart's fixed γ curves (ce_core.variants.FOCAL_SHOWCASE): colour and dash per curve.
SHOWCASE_STYLES = (
    {"color": NEUTRAL, "dash": "dot", "width": 2},
    {"color": TRUE_P, "dash": "dash", "width": 2},
    {"color": ENTROPY, "dash": "dashdot", "width": 2},
    {"color": ACCENT, "dash": "longdash", "width": 2},
    {"color": KL, "dash": "dot", "width": 2},
)


def alpha_text(alpha: float | None) -> str:
    return f"α = {alpha:g}" if alpha is not None else "no α"


def focal_gamma_chart(
    s: dict, gammas: np.ndarray, q_t: float, alpha: float | None, *, unit: str
) -> tuple[dict, list[dict]]:
    """Focal loss against q_t at every γ of ``gammas`` (one row each, from ce_core.live.focal_sweep ``s``)
    and the example q_t on it."""
    grid = s["grid"]
    a_text = alpha_text(alpha)
    top = float(s["cross_entropy"][np.searchsorted(grid, 0.05)]) * 1.15
    n = gammas.size
    loss_text = [fmt_loss(v, unit) for v in s["loss"]]
    layers = [
        live.line(
            "cross-entropy (γ = 0, no α)",
            grid,
            s["cross_entropy"],
            {"color": INK, "dash": "dash", "width": 2},
        ),
        live.curve(f"focal loss ({a_text})", grid, s["curves"], "loss", f32=True),
        live.point(
            "your example", np.full(n, q_t), s["loss"], "q", symbol="diamond", labels=loss_text, size=0.55
        ),
    ]
    # what share of its γ = 0 loss the example keeps: the factor (1 − q_t)^γ (α is the same at every γ)
    kept = [f", {v:.0%} of its loss at γ = 0" for v in s["factor"]] if 0 < q_t < 1 else [""] * n
    caption = [
        f"Focal loss ({a_text}) at γ = {g:g} against q_t, cross-entropy dashed. Your example: "
        f"q_t = {q_t:.3f}, focal loss {loss_text[i]}{kept[i]}."
        for i, g in enumerate(gammas)
    ]
    spec = _q_loss_chart(layers, top, _TRUE_Q, caption, unit=unit)
    readouts = [
        live.readout("factor", "Factor (1 − q_t)^γ", [f"{v:.4g}" for v in s["factor"]]),
        live.readout("focal", f"Focal loss ({a_text})", loss_text),
    ]
    return spec, readouts


def focal_against_gamma_chart(
    s: dict, gammas: np.ndarray, q_t: float, alpha: float | None, *, unit: str
) -> dict:
    """The example's focal loss against γ (one static curve), the current γ marked (a point per position)."""
    a_text = alpha_text(alpha)
    loss = s["loss"]
    finite = loss[np.isfinite(loss)]
    top = float(finite.max()) * 1.2 if finite.size and finite.max() > 0 else 1.0
    loss_text = [fmt_loss(v, unit) for v in loss]
    layers = [
        live.line("focal loss against γ", gammas, loss, "loss", legend=False),
        live.point(
            "at your γ",
            gammas,
            loss,
            "q",
            symbol="diamond",
            size=0.55,
            labels=[f"γ = {g:g}: {t}" for g, t in zip(gammas, loss_text, strict=True)],
            legend=False,
        ),
    ]
    caption = [
        f"Your example's focal loss ({a_text}) against γ from 0 to 5: {loss_text[0]} at γ = 0, "
        f"{loss_text[i]} at γ = {g:g} (marked), {loss_text[-1]} at γ = 5."
        for i, g in enumerate(gammas)
    ]
    return live.loss_chart(
        layers,
        top,
        x_range=(-0.1, 5.1),
        x_label="γ",
        y_label=f"focal loss ({unit})",
        x_ticks=live.ticks(range(6)),
        caption=caption,
        title=f"Your example (q_t = {q_t:.3f}): focal loss against γ",
        height_rem=16,
        key="fl_gamma_curve",
    )


def focal_factor_chart(s: dict, gammas: np.ndarray, showcase) -> dict:
    """The factor (1 − q_t)^γ against q_t: fixed γ curves (``showcase``) and the current γ's curve (a row per position)."""
    grid = s["factor_grid"]
    layers = [
        live.line(f"γ = {g:g}", grid, s["factor_curves"][int(np.searchsorted(gammas, g))], style)
        for g, style in zip(showcase, SHOWCASE_STYLES, strict=True)
    ]
    layers.append(
        live.curve("your γ", grid, s["factor_curves"], {"color": LOSS, "dash": "solid", "width": 4}, f32=True)
    )
    hard, easy = s["factor_marks"][:, 0], s["factor_marks"][:, 1]
    layers += [
        live.point(
            "a hard example (q_t = 0.1)", np.full(gammas.size, s["marks"][0]), hard, "loss", legend=False
        ),
        live.point(
            "an easy example (q_t = 0.9)", np.full(gammas.size, s["marks"][1]), easy, "loss", legend=False
        ),
    ]
    caption = [
        f"The factor (1 − q_t)^γ for several γ. At γ = {g:g} an easy example (q_t = 0.9) keeps {easy[i]:.3g} "
        f"of its loss, a hard one (q_t = 0.1) keeps {hard[i]:.3g}; γ = 0 keeps everything."
        for i, g in enumerate(gammas)
    ]
    return live.chart_spec(
        layers,
        x_range=(0.0, 1.0),
        y_range=(0.0, 1.05),
        x_label=_TRUE_Q,
        y_label="factor (no unit)",
        x_ticks=live.ticks(_Q_TICKS, 1),
        y_ticks=live.ticks([0, 0.25, 0.5, 0.75, 1.0]),
        caption=caption,
        title="The focal factor (1 − q_t)^γ",
        height_rem=16,
        key="fl_factor",
    )


def focal_alpha_chart(
    s: dict, alphas: np.ndarray, q_t: float, gamma: float, *, unit: str
) -> tuple[dict, list[dict]]:
    """The binary focal loss of a positive and of a negative against q at γ = ``gamma``, one row per α
    (from ce_core.live.focal_alpha_sweep ``s``)."""
    grid = s["grid"]
    top = float(s["positive_unweighted"][np.searchsorted(grid, 0.05)]) * 1.15
    n = alphas.size
    loss_text = [fmt_loss(v, unit) for v in s["loss"]]
    layers = [
        live.line("without α (α_t = 1)", grid, s["positive_unweighted"], "guide"),
        live.line("a negative without α", grid, s["negative_unweighted"], "guide", legend=False),
        live.curve("a positive (y = 1), weight α", grid, s["positive"], "loss", f32=True),
        live.curve("a negative (y = 0), weight 1 − α", grid, s["negative"], _NEGATIVE_STYLE, f32=True),
        live.point(
            "your example", np.full(n, q_t), s["loss"], "q", symbol="diamond", labels=loss_text, size=0.55
        ),
    ]
    caption = [
        f"Binary focal loss at γ = {gamma:g} against q, the model's probability of the positive class, with "
        f"α = {a:.2f}: a positive (y = 1) is weighted α_t = {a:.2f}, a negative (y = 0) α_t = 1 − α = "
        f"{b:.2f}; dotted, both without α. Your example, a positive with q = {q_t:.3f}: focal loss "
        f"{loss_text[i]}."
        for i, (a, b) in enumerate(zip(s["alpha_positive"], s["alpha_negative"], strict=True))
    ]
    spec = _q_loss_chart(
        layers, top, "q, the model's probability of the positive class", caption, unit=unit, end=1.0
    )
    readouts = [
        live.readout("alpha_pos", "α_t of a positive (y = 1)", [f"{v:.2f}" for v in s["alpha_positive"]]),
        live.readout("alpha_neg", "α_t of a negative (y = 0)", [f"{v:.2f}" for v in s["alpha_negative"]]),
        live.readout("focal", f"Your example's focal loss (γ = {gamma:g})", loss_text),
    ]
    return spec, readouts


# --- label smoothing and class weights -------------------------------------------------------------

#: Bars of the variants' charts: an outlined reference (a one-hot target, a loss before weighting), a filled
#: p-blue bar (the smoothed target, a weighted loss) and the model's q (dashed orange).
OUTLINE_BAR = {"color": NEUTRAL, "fill": PAPER, "width": 2}
FILLED_BAR = {"color": TRUE_P_DARK, "fill": TRUE_P, "width": 1.5}
Q_BAR = {"color": MODEL_Q_DARK, "fill": MODEL_Q, "dash": "dash", "width": 1.5}
_FLOOR_STYLE = {"color": ENTROPY, "dash": "dot", "width": 2.5}


def smoothing_chart(
    s: dict, eps_grid: np.ndarray, e: float, q_true: float, k: int, *, unit: str
) -> tuple[dict, list[dict]]:
    """The smoothed loss against q(true) at every ε (one row each, from ce_core.live.smoothing_sweep ``s``),
    its floor, minimum and the model's q(true); ``e`` is the current ε (it sets the top of the y axis)."""
    grid = s["grid"]
    # The lesson is the floor and the rise as q(true) -> 1, not the steep start near 0: room for the
    # highest floor (log C, at ε = 1) and for the right end of the curve at the current ε (refitted on
    # release); the start runs off the top.
    end = float(s["curves"][grid_index(eps_grid, e)][-1])
    top = max(1.3 * float(np.max(s["floors"])), 1.15 * end if np.isfinite(end) else 0.0) or 1.0
    loss_text = [fmt_loss(v, unit) for v in s["loss"]]
    floor_text = [fmt_loss(v, unit) for v in s["floors"]]
    n = eps_grid.size
    layers = [
        live.curve("loss, the rest spread evenly", grid, s["curves"], "loss", f32=True),
        live.hline("floor H(t′)", s["floors"], _FLOOR_STYLE, legend=True),
        live.point(
            "lowest loss",
            s["best_x"],
            s["floors"],
            "entropy",
            labels=[f"floor {t}" for t in floor_text],
            legend=False,
        ),
        live.point("your q", np.full(n, q_true), s["loss"], "q", symbol="diamond", size=0.55),
    ]
    caption = [
        f"Loss against q(true class) with the rest spread evenly over the other {k - 1} classes, ε = {e:g}: "
        f"the floor is {floor_text[i]}, touched at q(true) = {s['best_x'][i]:.3f}"
        f"{'; with smoothing the curve rises again as q(true) → 1' if e > 0 else ''}. Your q: {loss_text[i]} "
        f"(its other classes as in q above)."
        for i, e in enumerate(eps_grid)
    ]
    spec = _q_loss_chart(layers, top, "q(true class); the rest spread evenly", caption, unit=unit)
    readouts = [
        live.readout("loss", "Loss with ε", loss_text),
        live.readout("floor", "Floor H(t′)", floor_text),
        live.readout("kl", "Above the floor: KL(t′ ‖ q)", [fmt_loss(v, unit) for v in s["kl"]]),
    ]
    return spec, readouts


def smoothing_targets_chart(s: dict, eps_grid: np.ndarray, y: int, names, q: np.ndarray) -> dict:
    """The one-hot target, the smoothed target t′ at every ε (a row of bars each) and the model's q, per class."""
    k = len(names)
    x = np.arange(k, dtype=float)
    other = (y + 1) % k  # every other class gets the same ε/C
    layers = [
        live.bars("one-hot target", x, smooth_targets(y, k, 0.0), OUTLINE_BAR, width=0.26, offset=-0.28),
        live.bars("smoothed target t′", x, s["targets"], FILLED_BAR, width=0.26),
        live.bars("q (model)", x, q, Q_BAR, width=0.26, offset=0.28),
    ]
    caption = [
        f"True class {names[y]}, ε = {e:g}: the smoothed target gives it {t[y]:.3f} and {t[other]:.3f} to each "
        f"other class; the model gives it {q[y]:.3f}."
        for e, t in zip(eps_grid, s["targets"], strict=True)
    ]
    return live.chart_spec(
        layers,
        x_range=(-0.6, k - 0.4),
        y_range=(0.0, 1.08),
        x_label="class (✓ the true class)",
        y_label="probability",
        x_ticks=[[float(i), n + (" ✓" if i == y else "")] for i, n in enumerate(names)],
        y_ticks=live.ticks([0, 0.25, 0.5, 0.75, 1.0], 2),
        title="Targets: one-hot and smoothed",
        caption=caption,
        height_rem=16,
        key="ls_bars",
    )


def _hline(name: str, ys, style: dict, label: str, label_readout: str, below: bool = False) -> dict:
    """A bar control's labelled horizontal line (lab.components.bar_control.hline's layer)."""
    return {
        **live.hline(name, ys, style, legend=True),
        "below": below,
        "label": label,
        "label_readout": label_readout,
    }


_INDEX_MEAN = {"color": LOSS, "dash": "solid", "width": 2.5}
_N_MEAN = {"color": INK, "dash": "dash", "width": 2.5}


def class_weights_chart(table, tick_names, *, unit: str) -> tuple[dict, list[dict]]:
    """The batch's per-sample losses before and after the weights, and the two means, for every row of
    ``table`` (ce_core.bar_tables.class_weight_table); ``tick_names`` names each sample's true class."""
    n = len(tick_names)
    x = np.arange(n, dtype=float)
    now = max(float(table.weighted[-1].max()), float(table.per_sample.max()))
    y_ticks = live.nice_ticks(1.3 * now)
    top = y_ticks[-1] if y_ticks[-1] >= 1.15 * now else y_ticks[-1] + (y_ticks[1] - y_ticks[0])
    layers = [
        live.bars("before: −log q[y]", x, table.per_sample, OUTLINE_BAR, width=0.34, offset=-0.18),
        live.bars("after: w[y] · (−log q[y])", x, table.weighted, FILLED_BAR, width=0.34, offset=0.18),
        _hline(
            "mean, index targets (÷ Σ w[y])", table.index_mean, _INDEX_MEAN, "index targets {}", "index", True
        ),
        _hline("mean, probability targets (÷ N)", table.probability_mean, _N_MEAN, "÷ N: {}", "probability"),
    ]
    spec = live.chart_spec(
        layers,
        x_range=(-0.6, n - 0.4),
        y_range=(0.0, top),
        x_label="the 8 samples, by true class",
        y_label=f"loss ({unit})",
        x_ticks=[[float(i), name] for i, name in enumerate(tick_names)],
        y_ticks=live.ticks([*y_ticks, top] if top > y_ticks[-1] else y_ticks),
        height_rem=16,
    )
    readouts = [
        live.readout(
            "index", "PyTorch, class-index targets (÷ Σ w[y])", [fmt_loss(v, unit) for v in table.index_mean]
        ),
        live.readout(
            "probability",
            "PyTorch, probability targets (÷ N)",
            [fmt_loss(v, unit) for v in table.probability_mean],
        ),
        live.readout("sklearn", "scikit-learn log_loss", [fmt_loss(v, unit) for v in table.sklearn_mean]),
        live.readout("denominator", "Σ w[y]", [f"{v:.4g}" for v in table.index_denominator]),
    ]
    return spec, readouts


# --- clipping --------------------------------------------------------------------------------------


def probability_label(v: float) -> str:
    return "0" if v == 0 else f"{v:g}"


def gradient_text(g: float) -> str:
    if math.isinf(g):
        return "−∞" if g < 0 else "∞"
    return "0 (silenced)" if g == 0 else f"{g:.4g}"


_POLICY_SYMBOLS = ("circle", "square", "square", "triangle", "diamond")


def _policy_points(policies, prefix: str, x_at, ys) -> list[dict]:
    """Each policy's point (row i of ``ys``) at every position of the control."""
    return [
        live.point(
            f"{prefix}{p.label}",
            x_at,
            ys[i],
            dict(POLICY_STYLES[i]),
            symbol=_POLICY_SYMBOLS[i],
            legend=False,
            size=0.4,
        )
        for i, p in enumerate(policies)
    ]


def clip_loss_chart(policies, s: dict, steps, *, unit: str) -> tuple[dict, list[dict]]:
    """−log q under each policy along q (log axis), each policy's point at every position of the control
    (``steps``, the q of ce_core.live.clipping_sweep ``s``)."""
    finite = s["curves"][np.isfinite(s["curves"])]
    top = float(finite.max()) * 1.05
    x_at = np.where(s["q"] > 0, s["q"], np.nan)  # a log axis has no 0: the readouts give q = 0
    layers = [
        live.line(p.label, s["grid"], s["curves"][i], dict(POLICY_STYLES[i])) for i, p in enumerate(policies)
    ]
    layers += _policy_points(policies, "at q: ", x_at, s["loss"])
    texts = [[fmt_loss(v, unit) for v in s["loss"][i]] for i in range(len(policies))]
    caption = [
        f"−log q under each policy, q from 1e-50 to 1 on a log axis. At q = {probability_label(q)}: "
        f"exact {texts[0][g]}, PyTorch {texts[1][g]}, scikit-learn {texts[2][g]} (float64) and "
        f"{texts[3][g]} (float32), your ε {texts[4][g]}."
        + (" (q = 0 is not on a log axis.)" if q == 0 else "")
        for g, q in enumerate(steps)
    ]
    spec = live.loss_chart(layers, top, y_label=f"loss ({unit})", caption=caption, **_LOG_Q_AXIS)
    readouts = [live.readout(f"loss{i}", p.label, texts[i]) for i, p in enumerate(policies)]
    return spec, readouts


def _power_ticks(lo: float, hi: float, every: int) -> list[list]:
    """Ticks at whole powers of ten from lo to hi, every ``every`` decades: "1", "1e10", ..."""
    first, last = math.ceil(math.log10(lo)), math.floor(math.log10(hi))
    return [
        [10.0**e, "1" if e == 0 else f"1e{e}".replace("-", "−")]
        for e in range(first, last + 1)
        if (e - first) % every == 0
    ]


def clip_gradient_chart(policies, s: dict, steps, *, unit_short: str) -> dict:
    """|∂loss/∂q| under each policy along q (log-log), each policy's point at every position of the control."""
    size = s["gradient_size_curves"]
    shown = size[np.isfinite(size) & (size > 0)]
    lo = 10.0 ** math.floor(math.log10(float(shown.min())))
    hi = 10.0 ** math.ceil(math.log10(float(shown.max())))
    # a log axis has no 0: where a clip silences the gradient the line stops (the caption and table say so)
    layers = [
        live.line(p.label, s["grid"], np.where(size[i] > 0, size[i], np.nan), dict(POLICY_STYLES[i]))
        for i, p in enumerate(policies)
    ]
    x_at = np.where(s["q"] > 0, s["q"], np.nan)
    gradient_size = np.where(s["gradient_size"] > 0, s["gradient_size"], np.nan)
    layers += _policy_points(policies, "gradient at q: ", x_at, gradient_size)
    texts = [[gradient_text(v) for v in s["gradient"][i]] for i in range(len(policies))]
    caption = [
        f"Size of the gradient |∂loss/∂q|, log-log. It grows as 1/q; the clips drop it to 0 below their "
        f"ε (the line stops), PyTorch's BCELoss backward keeps returning up to 1e12 nats per unit. "
        f"At q = {probability_label(q)}: exact {texts[0][g]}, your ε {texts[4][g]}."
        for g, q in enumerate(steps)
    ]
    return live.chart_spec(
        layers,
        y_range=(lo, hi),
        y_log=True,
        y_label=f"|∂loss/∂q| ({unit_short}/unit)",
        y_ticks=_power_ticks(lo, hi, 10),
        **_LOG_Q_AXIS,
        title="The gradient as q(true class) goes to 0",
        caption=caption,
        key="cl_grad",
    )


def clip_epsilon_chart(
    es: dict, q: float, eps_labels, *, unit: str, unit_short: str
) -> tuple[dict, list[dict]]:
    """−log clip(q, ε, 1 − ε) along q (log axis) at every ε of the control (labelled ``eps_labels``; from
    ce_core.live.clip_epsilon_sweep ``es``), its cap and the point at q."""
    top = float(es["exact"][np.isfinite(es["exact"])].max()) * 1.05
    n = len(eps_labels)
    label = probability_label(q)
    loss_text = [fmt_loss(v, unit) for v in es["loss"]]
    cap_text = [fmt_loss(v, unit) for v in es["cap"]]
    grad_text = [gradient_text(v) for v in es["gradient"]]
    mine = dict(POLICY_STYLES[4])
    layers = [
        live.line("exact −log q", es["grid"], es["exact"], dict(POLICY_STYLES[0])),
        live.curve("−log clip(q, ε, 1 − ε)", es["grid"], es["curves"], mine),
        live.hline(
            "its cap −log ε", es["cap"], {"color": mine["color"], "dash": "dot", "width": 1.5}, legend=True
        ),
        live.vline("ε", es["epsilon"], "guide"),
        # a log axis has no 0: at q = 0 the readouts give the values
        live.point(
            "at your q",
            np.full(n, q if q > 0 else np.nan),
            es["loss"],
            mine,
            symbol="diamond",
            labels=loss_text,
            size=0.5,
        ),
    ]
    caption = [
        f"−log clip(q, ε, 1 − ε) with ε = {eps_labels[i]}, q from 1e-50 to 1 on a log axis, exact −log q "
        f"for comparison. Below ε the clipped loss stays at its cap −log ε = {cap_text[i]} and its gradient "
        f"is 0. At q = {label}: {loss_text[i]}, gradient {grad_text[i]}."
        + (" (q = 0 is not on a log axis.)" if q == 0 else "")
        for i in range(n)
    ]
    spec = live.loss_chart(layers, top, y_label=f"loss ({unit})", caption=caption, **_LOG_Q_AXIS)
    readouts = [
        live.readout("cap", "Cap −log ε", cap_text),
        live.readout("loss", f"Loss at q = {label}", loss_text),
        live.readout("gradient", f"Gradient ∂loss/∂q at q = {label} ({unit_short}/unit)", grad_text),
    ]
    return spec, readouts
