"""The words of the page "Your model": story, format help, explanations and the torch snippet."""

from __future__ import annotations

from lab.predictions import MAX_CLASSES

TITLE = "Your model"

INTRO = (
    "Bring a model's predictions on a validation set and see its cross-entropy taken apart: which samples and "
    "classes the loss comes from, whether its confidence means what it says (**calibration**), and how much one "
    "number, a **temperature**, fixes."
)

PRIVACY = (
    "Your file stays in this browser session's memory on the server: it is never written to disk, no other "
    "session can see it, and it is gone when you close the tab."
)


def format_help(limit_mb: int) -> str:
    """How the file must look; ``limit_mb``: the upload limit this server takes."""
    return f"""
**CSV**: one row per sample, a label column named `label`, `y` or `target` (a class number 0..K−1 or a class
name equal to a column header), then one column per class holding probabilities or logits:

```
label,cat,dog,bird
cat,0.7,0.2,0.1
2,-1.3,0.4,2.2
```

Commas, semicolons (with decimal commas) or tabs. **NumPy `.npz`**: arrays `labels` (N,) and `probs` or
`logits` (N, K), optionally `class_names`; saved with `np.savez("preds.npz", labels=y, logits=z)`.
At most {limit_mb} MB and {MAX_CLASSES:,} classes. Rows in [0, 1] that sum to 1 are read as
probabilities, anything else as logits; you can say which below.
"""


EXAMPLES_NOTE = (
    "Out-of-fold predictions (5-fold cross-validation: each sample predicted by a model that never saw it) "
    "of scikit-learn models on its bundled toy datasets, made by `scripts/make_example_predictions.py`."
)

LOSS_STORY = (
    "The mean cross-entropy is the average surprisal of the true class, $-\\log q_y$. PyTorch's "
    "`CrossEntropyLoss` reports it in nats. A few confident mistakes can carry much of it: look at the share "
    "of the total loss per class and at the worst samples."
)

CALIBRATION_STORY = (
    "Group the samples by the model's confidence (its largest probability). In a calibrated model, the "
    "samples it gives 80% are right 80% of the time: each bar reaches the diagonal. The **expected "
    "calibration error** (ECE) is the average gap, weighted by the samples per bin: 15 equal-width bins as in "
    "Guo et al. (2017), plus a bin of its own for a confidence of exactly 1 (as torchmetrics counts it)."
)

TEMPERATURE_STORY = (
    "Divide every logit by one number $T$ before the softmax. $T > 1$ flattens every prediction, $T < 1$ "
    "sharpens it. Dividing by $T$ never changes which class is largest, so **the predicted class and the "
    "accuracy stay the same at every $T$**; only the confidence moves. The fitted $T$ minimises the mean "
    "cross-entropy (a convex problem in $1/T$, solved exactly). **A fitted $T > 1$ means the model was "
    "overconfident**; $T < 1$, underconfident."
)


def fitted_verdict(t: float) -> str:
    """One sentence on what the fitted temperature says about the model."""
    if t > 1.02:
        return (
            f"Fitted T = {t:.3f} > 1: the model was **overconfident**; softening its logits lowers the loss."
        )
    if t < 0.98:
        return f"Fitted T = {t:.3f} < 1: the model was **underconfident**; sharpening its logits lowers the loss."
    return f"Fitted T = {t:.3f} ≈ 1: the model's confidence is already about right on average."


DECOMPOSITION_STORY = (
    "For two classes the mean cross-entropy splits exactly, bin by bin, with $H(p, q) = H(p) + "
    "\\mathrm{KL}(p \\| q)$: **uncertainty** is the entropy of the base rate (what a constant forecast costs), "
    "**resolution** what sorting the samples into bins of different observed frequencies removes from it, "
    "**reliability** the bin-weighted KL from each bin's observed frequency to its mean forecast "
    "(miscalibration), and **within-bin** what binning hides. The four add up to the mean CE."
)

SPLIT_STORY = (
    "For more than two classes: the mean cross-entropy is the cross-entropy after temperature scaling plus "
    "the part that one temperature removes (the miscalibration a single number can fix)."
)

PROBS_NOTE = (
    "These are probabilities: temperature scaling uses their logarithms as logits "
    "(softmax(log q / T) is q^(1/T), renormalised)."
)


def torch_snippet(k: int, kind: str, t: float | None, mean_ce: float, ece: float) -> str:
    """A short PyTorch + torchmetrics program that reproduces the fitted T, the mean CE and the ECE."""
    load = (
        'logits = torch.tensor(f["logits"], dtype=torch.float64)'
        if kind == "logits"
        else 'logits = torch.tensor(f["probs"], dtype=torch.float64).log()  # probabilities: log q as logits'
    )
    t_line = f"  # the lab: {t:.6f}" if t is not None else "  # the lab found no finite best T"
    return f"""import numpy as np
import torch
import torch.nn.functional as F
from torchmetrics.functional.classification import multiclass_calibration_error

f = np.load("predictions.npz")  # a CSV: np.loadtxt(..., delimiter=",", skiprows=1), label column first
{load}
labels = torch.tensor(f["labels"], dtype=torch.long)
print("mean CE", F.cross_entropy(logits, labels).item())  # the lab: {mean_ce:.6f} nats
print("ECE", multiclass_calibration_error(logits.softmax(1), labels, num_classes={k}, n_bins=15,
                                          norm="l1").item())  # the lab: {ece:.6f}

log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)  # fit log T: T stays positive
opt = torch.optim.LBFGS([log_t], max_iter=500, tolerance_grad=1e-15, tolerance_change=0.0,
                        line_search_fn="strong_wolfe")

def closure():
    opt.zero_grad()
    loss = F.cross_entropy(logits / log_t.exp(), labels)
    loss.backward()
    return loss

opt.step(closure)
print("T", log_t.exp().item()){t_line}
"""


# --------------------------------------------------------------------------- labels and captions of the page

KIND_HELP = "Detect: rows in [0, 1] summing to 1 are probabilities, anything else logits."

BINNINGS = {"uniform": "15 equal-width", "quantile": "15 equal-mass"}

SLIDER_LABEL = "Temperature T (the dashed line marks the fitted T)"

SLIDER_HINT = "Drag, or focus and use the arrow keys. T = 1 is the model as it is."

DOWNLOADS_NOTE = (
    "Losses in nats. The reliability diagram's camera button (top right of the chart) saves it as PNG."
)


def summary(n: int, k: int, kind: str, detected: str) -> str:
    """What was read from the file."""
    return f"Read {n:,} samples × {k} classes as **{kind}** (detected: {detected})."


def per_class_heading(unit: str) -> str:
    return f"**Per class** (mean loss in {unit}; rows are the true class)"


def worst_heading(count: int, unit: str) -> str:
    return f"**The {count} worst samples** (row counts from 0 in the file; loss in {unit})"


def loss_caption(n: int, unit: str) -> str:
    return (
        f"Distribution of the {n:,} per-sample losses in {unit}: most samples cost little, "
        "a few confident mistakes cost much."
    )


def ece_label(binning: str | None) -> str:
    """The ECE metric's label for the chosen binning (``None``: the default, equal-width)."""
    return f"ECE ({'equal-mass' if binning == 'quantile' else 'equal-width'} bins)"


def reliability_caption(ece: float) -> str:
    return (
        "Reliability diagram of the top label (the numbers on the bars count the samples): "
        f"ECE {ece:.4f}; bars below the diagonal mean overconfidence."
    )


def classwise_titles(name: str) -> dict[str, str]:
    """Title and axis titles of the classwise reliability diagram of class ``name``."""
    return {
        "title": f"Class {name}: one against the rest",
        "x_title": f"predicted probability of {name}",
        "y_title": "observed frequency",
    }


def classwise_caption(name: str, error: float) -> str:
    return f"Classwise reliability of {name}: calibration error {error:.4f}."


def no_fit(message: str) -> str:
    return f"No finite temperature is best here: {message}."


def fitted_summary(t: float, ce: str, ce_fitted: str, ece: float, ece_fitted: float) -> str:
    """The verdict on the fitted T, then the mean CE and ECE before → after (``ce``: formatted)."""
    return fitted_verdict(t) + f" Mean CE {ce} → {ce_fitted}; ECE {ece:.4f} → {ece_fitted:.4f}."


def temperature_captions(grid, ece, confidence, accuracy: float) -> list[str]:
    """The live reliability diagram's caption at every temperature of ``grid``."""
    return [
        f"Reliability at T = {t:.3g}: ECE {e:.4f}, average confidence {m:.3f} against accuracy {accuracy:.3f}."
        for t, e, m in zip(grid, ece, confidence, strict=True)
    ]


def decomposition_caption(d, total: str, unit: str) -> str:
    """The caption of the decomposition bar (``d`` in ``unit``; ``total``: the mean CE, formatted)."""
    return (
        f"Mean CE {total} = uncertainty {d.uncertainty:.4f} − resolution {d.resolution:.4f} + "
        f"reliability {d.reliability:.4f} + within-bin {d.within_bin:.4f} ({unit})."
    )


def split_caption(before: str, after: str, removed: str, t: float) -> str:
    """The caption of the temperature split (the three CE values formatted)."""
    return f"Mean CE {before} = {after} after temperature scaling + {removed} removed by T = {t:.3f}."
