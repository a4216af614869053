"""Live-chart specs of the softmax lesson: softmax(z / T) as bars beside the one-hot target.

Pure builders (no Streamlit): the logits' control draws one row per position of a dragged logit
(from :func:`ce_core.bar_tables.logit_table`), the temperature's control one row per temperature
(from :mod:`ce_core.temperature`). The texts are formatted here, so the live text is the text the
page shows after release.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ce_core.temperature import losses_over_temperatures, softmax_over_temperatures
from lab.figures import live
from lab.figures.theme import MODEL_Q, MODEL_Q_DARK, NEUTRAL, PAPER, fmt_value

#: The one-hot target: a grey outline on white; softmax q: orange with a dashed dark edge.
TARGET_STYLE = {"color": NEUTRAL, "fill": PAPER, "width": 2}
Q_STYLE = {"color": MODEL_Q_DARK, "fill": MODEL_Q, "dash": "dash", "width": 1.5}
TARGET_BARS = "one-hot target"
Q_BARS = "softmax q = softmax(z / T)"
_X_LABEL = "class (✓ the true class)"


def _bars(k: int, target: int, q) -> list[dict]:
    """The one-hot target (left) and q (right, a row per position or one row) at classes 0..k-1."""
    x = np.arange(k, dtype=float)
    one_hot = np.zeros(k)
    one_hot[target] = 1.0
    return [
        live.bars(TARGET_BARS, x, one_hot, TARGET_STYLE, width=0.36, offset=-0.19),
        live.bars(Q_BARS, x, q, Q_STYLE, width=0.36, offset=0.19),
    ]


def _class_ticks(names: Sequence[str], target: int) -> list[list]:
    return [[float(i), n + (" ✓" if i == target else "")] for i, n in enumerate(names)]


def _class_chart(layers, names: Sequence[str], target: int, *, top: float, **options) -> dict:
    """Probabilities (0 to ``top``) per class, the true class ticked."""
    return live.chart_spec(
        layers,
        x_range=(-0.6, len(names) - 0.4),
        y_range=(0.0, top),
        x_label=_X_LABEL,
        y_label="probability",
        x_ticks=_class_ticks(names, target),
        y_ticks=live.ticks([0, 0.25, 0.5, 0.75, 1.0], 2),
        **options,
    )


def logit_chart(
    names: Sequence[str], target: int, temperature: float, table, *, unit: str
) -> tuple[dict, str, list[dict]]:
    """The chart, caption template and readouts of the logits' bar control.

    ``table`` is :func:`ce_core.bar_tables.logit_table`'s result (``q``, ``loss`` per row); the caption
    keeps the control's placeholders (``{values}``, ``{q_true}``, ``{loss}``, ``{sub}``).
    """
    k = len(names)
    true_name = names[target]
    caption = (
        f"Softmax of the logits {{values}} at T = {temperature:.1f}: q({true_name}) = {{q_true}}, loss "
        f"{{loss}}. Gradient per logit ({unit}): {{sub}}."
    )
    spec = _class_chart(_bars(k, target, table.q), names, target, top=1.08, height_rem=16)
    readouts = [
        live.readout("loss", f"Loss −log q({true_name})", [fmt_value(v, unit) for v in table.loss]),
        live.readout("q_true", f"q({true_name})", [f"{v:.4f}" for v in table.q[:, target]]),
    ]
    return spec, caption, readouts


def temperature_chart(
    names: Sequence[str], logits: Sequence[float], target: int, grid: np.ndarray, *, base: float, unit: str
) -> tuple[dict, list[dict]]:
    """softmax(z / T) for every temperature T of ``grid``, as bars beside the one-hot target."""
    probs = softmax_over_temperatures(logits, grid)  # one batched ce_core call
    losses = losses_over_temperatures(logits, target, grid, base)
    k = len(names)
    true_name = names[target]
    loss_text = [fmt_value(v, unit) for v in losses]
    layers = [
        *_bars(k, target, probs),
        live.point(
            f"q({true_name})",
            np.full(grid.size, target + 0.19),
            probs[:, target],
            "loss",
            labels=[f"{v:.3f}" for v in probs[:, target]],
            legend=False,
            size=0.35,
        ),
    ]
    caption = [
        f"Softmax of the current logits at T = {t:.1f}: q({true_name}) = {probs[i, target]:.4f}, loss "
        f"{loss_text[i]}. Low T puts nearly everything on the largest logit; high T spreads it toward "
        f"1/K = 1/{k} per class (K = {k} classes); the order of the classes never changes."
        for i, t in enumerate(grid)
    ]
    spec = _class_chart(layers, names, target, top=1.12, caption=caption, height_rem=17)
    readouts = [
        live.readout("loss", f"Loss −log q({true_name})", loss_text),
        live.readout("q_true", f"q({true_name})", [f"{v:.4f}" for v in probs[:, target]]),
    ]
    return spec, readouts
