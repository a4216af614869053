"""Styles of the loss-variant lessons' charts (label smoothing, focal loss, clipping).

Those lessons draw every chart live (lab.components.live_chart, from ce_core.live's sweeps); what
stays here is the one palette they share with the theme: the line style of each clipping policy.
"""

from __future__ import annotations

from lab.figures.theme import ENTROPY, KL, LOSS, TRUE_P

_POLICY_STYLE = {
    0: {"color": "#262730", "width": 3, "dash": "solid"},
    1: {"color": LOSS, "width": 3, "dash": "dash"},
    2: {"color": TRUE_P, "width": 3, "dash": "dot"},
    3: {"color": ENTROPY, "width": 3, "dash": "dashdot"},
    4: {"color": KL, "width": 3, "dash": "longdash"},
}
#: Line styles of the clipping policies, in the order of ce_core.variants.clip_policies (shared with the live chart).
POLICY_STYLES = tuple(_POLICY_STYLE[i] for i in range(5))

__all__ = ["POLICY_STYLES"]
