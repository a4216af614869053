"""The grid and the axis top of the binary cross-entropy picture.

The lesson page draws binary cross-entropy, squared and absolute error against the
predicted probability live with lab.components.live_chart, from ce_core.live.binary_sweep;
the grid of its curves and the top of its y axis are shared from here.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core.softmax import sigmoid

#: Prediction grid of the curves, evenly spaced in the logit so that it is dense near 0 and 1 where
#: the curves bend (201 points from 0.0015 to 0.9985); the ends, where the loss is infinite, are left out.
CURVE_GRID = sigmoid(np.linspace(-6.5, 6.5, 201))
#: The y axis shows cross-entropy up to a little above its value at q = 0.01 (or 0.99).
Y_TOP_NATS = 1.1 * -math.log(0.01)


def y_top(base: float) -> float:
    """Top of the y axis in the unit of ``base``."""
    return Y_TOP_NATS / math.log(base)
