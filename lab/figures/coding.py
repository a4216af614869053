"""Live-chart spec of the bits-on-the-wire lesson: the running cost per symbol of one message.

A pure builder (no Streamlit): it draws :func:`ce_core.live.message_sweep`'s running bits per
symbol of the ideal and the whole-bit code, the references H(p, q) and H(p), and, for every
position of the message-length control, how much of the message is sent.
"""

from __future__ import annotations

import math

import numpy as np

from lab.figures import live
from lab.figures.theme import INK, TRUE_P, fmt_value

IDEAL = "ideal code (−log₂ q)"
WHOLE = "whole-bit code (⌈−log₂ q⌉)"
#: The reference lines: H(p, q) dashed in ink, H(p) dotted in p's blue.
CROSS_ENTROPY_STYLE = {"color": INK, "dash": "dash", "width": 2}
ENTROPY_STYLE = {"color": TRUE_P, "dash": "dot", "width": 2}


def _bits(value: float) -> str:
    return fmt_value(value, "bits")


def _finite(values: np.ndarray) -> np.ndarray:
    """NaN where a value is infinite: a line stops where a symbol has no code word."""
    return np.where(np.isfinite(values), values, np.nan)


def message_chart(
    sweep: dict, seed: int, *, h_pq: float, h_p: float, whole_mean: float, max_length: int
) -> tuple[dict, list[dict]]:
    """Running bits per symbol of the longest message; the control marks how much of it is sent.

    ``sweep`` is :func:`ce_core.live.message_sweep`'s result; ``h_pq``, ``h_p`` (bits) and ``whole_mean``
    (the whole-bit code's expected length) are the reference levels.
    """
    n = sweep["message"].size
    x = np.arange(1, n + 1, dtype=float)
    ideal, whole = _finite(sweep["running_ideal"]), _finite(sweep["running_whole"])
    refs = [v for v in (h_pq, h_p, whole_mean) if math.isfinite(v)]
    tail = np.concatenate([ideal[9:], whole[9:]])
    top = 1.15 * max([*refs, *(tail[np.isfinite(tail)] if np.isfinite(tail).any() else [1.0])])
    layers = [live.line(IDEAL, x, ideal, "q"), live.line(WHOLE, x, whole, "loss")]
    if math.isfinite(h_pq):
        layers.append(live.line("H(p, q)", [1.0, float(n)], [h_pq, h_pq], CROSS_ENTROPY_STYLE))
    layers.append(live.line("H(p)", [1.0, float(n)], [h_p, h_p], ENTROPY_STYLE))
    lengths = sweep["lengths"].astype(float)
    layers += [
        live.vline("message length", lengths, "guide"),
        live.point(
            "ideal code after L", lengths, sweep["rate_ideal"], "q", symbol="diamond", legend=False, size=0.5
        ),
        live.point(
            "whole-bit code after L",
            lengths,
            sweep["rate_whole"],
            "loss",
            symbol="square",
            legend=False,
            size=0.5,
        ),
    ]
    ideal_text = [_bits(v) for v in sweep["rate_ideal"]]
    whole_text = [_bits(v) for v in sweep["rate_whole"]]
    caption = [
        f"Running bits per symbol of one random message (random seed {seed}); the first {int(n_):,} symbols "
        f"are sent: ideal code {ideal_text[i]}, whole-bit code {whole_text[i]}; references H(p, q) = "
        f"{_bits(h_pq)}, H(p) = {_bits(h_p)}."
        for i, n_ in enumerate(lengths)
    ]
    spec = live.loss_chart(
        layers,
        top,
        x_range=(1.0, float(max_length) * 1.1),
        x_log=True,
        x_label="symbols sent (log scale)",
        y_label="bits per symbol",
        x_ticks=live.ticks([1, 10, 100, 1000]),
        caption=caption,
    )
    readouts = [
        live.readout("ideal", "Ideal code, bits per symbol", ideal_text),
        live.readout("whole", "Whole-bit code, bits per symbol", whole_text),
        live.readout("limit", "H(p, q), the limit", [_bits(h_pq)] * lengths.size),
    ]
    return spec, readouts
