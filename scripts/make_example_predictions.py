"""Make the bundled example predictions of the page "Your model" (lab/data/examples/*.npz).

Out-of-fold predictions (5-fold stratified cross-validation: every sample is predicted by a model
that never saw it) of real classifiers on scikit-learn's bundled toy datasets, which ship inside the
scikit-learn wheel (no download):

- ``digits_mlp.npz``: digits (1,797 8x8 images, 10 classes), a small neural net (one hidden layer
  of 32 ReLU units on the raw pixel values 0..16, almost no weight decay, trained to the end): its raw logits (``logits``), overconfident.
- ``digits_logreg.npz``: digits, multinomial logistic regression on standardised pixels: its
  ``decision_function``, which is the logits (``logits``).
- ``breast_cancer.npz``: breast cancer Wisconsin (569 samples, 2 classes), logistic regression:
  ``predict_proba`` (``probs``), the binary case.

Each file holds ``labels`` (int64), ``logits`` (float32) or ``probs`` (float64) and ``class_names`` (unicode),
all loadable with ``np.load(..., allow_pickle=False)``. scikit-learn is not a dependency of the app;
run this in a separate environment::

    /tmp/refvenv/bin/python scripts/make_example_predictions.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = Path(__file__).resolve().parents[1] / "lab" / "data" / "examples"
SEED = 0
FOLDS = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)


def _mlp_logits(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Out-of-fold logits of a small MLP: its last layer before the softmax, computed from its weights."""
    out = np.empty((y.size, 10))
    for train, test in FOLDS.split(x, y):
        net = MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-6, max_iter=2000, random_state=SEED)
        net.fit(x[train], y[train])
        hidden = np.maximum(x[test] @ net.coefs_[0] + net.intercepts_[0], 0.0)
        logits = hidden @ net.coefs_[1] + net.intercepts_[1]
        proba = net.predict_proba(x[test])
        z = logits - logits.max(axis=1, keepdims=True)
        assert np.allclose(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), proba, atol=1e-9)
        out[test] = logits
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    digits = load_digits()
    x = digits.data  # raw pixel values 0..16: larger weights, larger logits, a more overconfident net
    y = digits.target.astype(np.int64)
    names = np.array([str(c) for c in digits.target_names])
    np.savez_compressed(
        OUT / "digits_mlp.npz", labels=y, logits=_mlp_logits(x, y).astype(np.float32), class_names=names
    )
    logreg = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    z = cross_val_predict(logreg, digits.data, y, cv=FOLDS, method="decision_function")
    np.savez_compressed(OUT / "digits_logreg.npz", labels=y, logits=z.astype(np.float32), class_names=names)
    cancer = load_breast_cancer()
    yc = cancer.target.astype(np.int64)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    p = cross_val_predict(model, cancer.data, yc, cv=FOLDS, method="predict_proba")
    # float64: a float32 would round probabilities below 1e-45 to 0 (an infinite loss that is not the model's)
    np.savez_compressed(
        OUT / "breast_cancer.npz",
        labels=yc,
        probs=p,
        class_names=np.array([str(c) for c in cancer.target_names]),
    )
    for path in sorted(OUT.glob("*.npz")):
        with np.load(path, allow_pickle=False) as f:
            print(path.name, path.stat().st_size, "bytes", {k: f[k].shape for k in f.files})


if __name__ == "__main__":
    main()
