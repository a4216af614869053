"""ce_core: the mathematics of the Cross-Entropy Lab, in pure NumPy.

Every number the lab shows comes from here. Functions take lists or arrays,
work on one distribution or on a batch (classes on the last axis), use the
natural log unless ``base=`` says otherwise, and raise ``ValueError`` naming the
argument and the value for bad input. Nothing is renormalised silently.

Figure builders live in :mod:`lab.figures` (Plotly); importing ``ce_core``
does not import Plotly.

Differences from the frameworks
-------------------------------
complex input to any function
    ce_core: ValueError naming the argument, e.g. "p must be real, not complex".
    frameworks: NumPy drops the imaginary part with only a ComplexWarning; SciPy's logsumexp computes a complex value.
    why: every quantity here is real; a silently dropped imaginary part is a wrong number.
two arrays paired element by element (labels and predictions, p and q) of different shapes
    ce_core: ValueError naming both shapes; only a weight may repeat along the samples, as in PyTorch.
    frameworks: NumPy and SciPy broadcast; PyTorch's losses refuse.
    why: a broadcast of (25, 1) against (25,) makes 625 samples out of 25.
"""

from ce_core._validation import SUM_TOLERANCE
from ce_core.calibration import (
    LogLossDecomposition,
    ReliabilityBins,
    TemperatureSweep,
    classwise_reliability,
    expected_calibration_error,
    fit_temperature,
    log_loss_decomposition,
    reliability_bins,
    temperature_sweep,
)
from ce_core.coding import code_lengths, kraft_sum, running_bits_per_symbol, sample_message
from ce_core.information import (
    UNITS,
    binary_entropy,
    convert_units,
    cross_entropy,
    entropy,
    kl_divergence,
    normalize,
    perplexity,
    surprisal,
)
from ce_core.losses import (
    CLIP_POLICIES,
    TORCH_LOG_CLAMP,
    absolute_error,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    clipped_log_loss,
    clipped_log_loss_gradient,
    cross_entropy_gradient,
    focal_modulation,
    sigmoid_focal_loss,
    sklearn_epsilon,
    smooth_targets,
    smoothed_loss_floor,
    softmax_cross_entropy,
    softmax_focal_loss,
    squared_error,
)
from ce_core.softmax import log_softmax, logsumexp, naive_softmax, sigmoid, softmax

__all__ = [
    "CLIP_POLICIES",
    "SUM_TOLERANCE",
    "TORCH_LOG_CLAMP",
    "UNITS",
    "LogLossDecomposition",
    "ReliabilityBins",
    "TemperatureSweep",
    "absolute_error",
    "binary_cross_entropy",
    "binary_cross_entropy_gradient",
    "binary_entropy",
    "classwise_reliability",
    "clipped_log_loss",
    "clipped_log_loss_gradient",
    "code_lengths",
    "convert_units",
    "cross_entropy",
    "cross_entropy_gradient",
    "entropy",
    "expected_calibration_error",
    "fit_temperature",
    "focal_modulation",
    "kl_divergence",
    "kraft_sum",
    "log_loss_decomposition",
    "log_softmax",
    "logsumexp",
    "naive_softmax",
    "normalize",
    "perplexity",
    "reliability_bins",
    "running_bits_per_symbol",
    "sample_message",
    "sigmoid",
    "sigmoid_focal_loss",
    "sklearn_epsilon",
    "smooth_targets",
    "smoothed_loss_floor",
    "softmax",
    "softmax_cross_entropy",
    "softmax_focal_loss",
    "squared_error",
    "surprisal",
    "temperature_sweep",
]
