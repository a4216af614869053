"""Figures of "Bits on the wire": the running cost per symbol of a message coded for q.

Pure builders. Everything is in bits (base 2), the natural unit of a code made
of binary digits. Numbers come from :mod:`ce_core.coding`,
:mod:`ce_core.prefix_code` and :mod:`ce_core.information`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ce_core.coding import code_lengths, running_bits_per_symbol
from ce_core.figures.cross_entropy import legend_below
from ce_core.figures.theme import ENTROPY, LOSS, MODEL_Q, base_figure
from ce_core.information import cross_entropy, entropy
from ce_core.prefix_code import expected_length, first_unencodable


def make_running_rate(names: Sequence[str], p: Sequence[float], q: Sequence[float], message: Sequence[int], *,
                      title: str = "Bits per symbol so far") -> go.Figure:
    """Running bits per symbol of ``message`` under the ideal and the whole-bit code for q.

    The x axis (logarithmic) counts the symbols sent. Traces, by name:

    - ``"ideal code (−log₂ q)"``: ``running_bits_per_symbol(message, code_lengths(q))``;
    - ``"whole-bit code (⌈−log₂ q⌉)"``: the same with ``whole_bits=True``;
    - ``"H(p, q)"`` (dashed), ``"H(p)"`` (dotted), ``"expected whole-bit length"``
      (dash-dot): flat reference lines, each left out when infinite.

    If a symbol of the message has no code word (``q = 0``), both running lines
    stop just before it and an annotation says the message cannot be encoded.
    """
    pa = np.asarray(p, dtype=float)
    msg = np.asarray(message)
    if not (len(names) == pa.size == len(q)):
        raise ValueError(f"names, p and q must have the same length (got {len(names)}, {pa.size}, {len(q)})")
    if msg.ndim != 1 or msg.size == 0:
        raise ValueError(f"message must be a non-empty 1-D array (got shape {msg.shape})")
    ideal = code_lengths(q)
    whole = code_lengths(q, whole_bits=True)
    stop = first_unencodable(msg, ideal)
    sent = msg.size if stop is None else stop
    x = np.arange(1, msg.size + 1)
    h_pq = float(cross_entropy(pa, q, base=2))
    h_p = float(entropy(pa, base=2))
    whole_mean = expected_length(pa, whole)

    fig = base_figure(title, x_title="symbols sent (log scale)", y_title="bits per symbol", height=420)
    if sent:
        fig.add_scatter(x=x[:sent], y=running_bits_per_symbol(msg[:sent], ideal), name="ideal code (−log₂ q)",
                        mode="lines", line={"color": MODEL_Q, "width": 2.5},
                        hovertemplate="after %{x} symbols: %{y:.4f} bits/symbol<extra>ideal</extra>")
        fig.add_scatter(x=x[:sent], y=running_bits_per_symbol(msg[:sent], whole), name="whole-bit code (⌈−log₂ q⌉)",
                        mode="lines", line={"color": LOSS, "width": 2, "dash": "longdash"},
                        hovertemplate="after %{x} symbols: %{y:.4f} bits/symbol<extra>whole bits</extra>")
    ends = [1, int(msg.size)]
    refs = [("H(p, q)", h_pq, {"color": "#000000", "width": 1.5, "dash": "dash"}),
            ("H(p)", h_p, {"color": ENTROPY, "width": 2.5, "dash": "dot"}),
            ("expected whole-bit length", whole_mean, {"color": LOSS, "width": 1.2, "dash": "dashdot"})]
    finite = [v for _, v, _ in refs if math.isfinite(v)]
    for name, value, line in refs:
        if math.isfinite(value):
            fig.add_scatter(x=ends, y=[value, value], name=name, mode="lines", line=line,
                            hovertemplate=f"{name} = {value:.4f} bits<extra></extra>")
    if stop is not None:
        symbol = names[int(msg[stop])]
        fig.add_annotation(
            x=math.log10(max(stop, 1)), y=max(finite, default=1.0), xref="x", yref="y",
            text=f"symbol {stop + 1} is '{symbol}': q = 0, no code word.<br>The message cannot be encoded (∞ bits).",
            showarrow=stop > 0, ax=40, ay=-40, xanchor="left", bgcolor="rgba(255,255,255,0.9)",
            bordercolor=LOSS, font={"size": 13},
        )
    elif not math.isfinite(h_pq):
        fig.add_annotation(
            x=0.5, y=0.98, xref="paper", yref="paper", showarrow=False, bgcolor="rgba(255,255,255,0.9)",
            text="H(p, q) = ∞: p allows a symbol that q cannot encode; this sample has not drawn it yet.",
            font={"size": 13}, bordercolor=LOSS,
        )
    fig.update_xaxes(type="log", range=[0, math.log10(max(msg.size, 10))])
    legend_below(fig)
    return fig.figure()
