"""Pure Plotly figure builders: data in, ``go.Figure`` out. No Streamlit here.

Builders take the numbers to draw (computed by :mod:`ce_core`) or the inputs
from which they call :mod:`ce_core` themselves; they never compute mathematics
of their own.
"""

from lab.figures.theme import (
    ENTROPY,
    KL,
    LOSS,
    MODEL_Q,
    NEUTRAL,
    TRUE_P,
    base_figure,
    fmt_value,
    presenter_scale,
)

__all__ = [
    "ENTROPY",
    "KL",
    "LOSS",
    "MODEL_Q",
    "NEUTRAL",
    "TRUE_P",
    "base_figure",
    "fmt_value",
    "presenter_scale",
]
