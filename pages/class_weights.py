"""Class weights for an imbalanced batch, and what "mean" really divides by."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from ce_core.figures.variants import make_weighted_batch
from ce_core.losses import softmax_cross_entropy
from ce_core.variants import (
    BATCH_CLASSES,
    BATCH_LOGITS,
    BATCH_TARGETS,
    REFERENCE_LOGITS,
    REFERENCE_TARGETS,
    REFERENCE_WEIGHT,
    balanced_weights,
    weighted_batch,
)
from lab.lesson_keys import CW_WEIGHT, CW_WEIGHT_DEFAULTS
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import DEFAULT_NAMES

ws = page_header(
    "Class weights",
    "In this batch of 8 samples, 6 belong to class 0. A model can score a low average loss while "
    "getting the two rare samples wrong. A weight per class, $w_c$, makes each sample's loss count "
    "$w_{y}$ times: $\\ell_n = -w_{y_n} \\log q_n[y_n]$, where $q_n$ is the model's softmax for sample $n$ and $y_n$ its label. Then comes the question this page is about: "
    "what does **mean** divide the sum by?",
)

names = ws.names if ws.k >= BATCH_CLASSES else DEFAULT_NAMES
class_label = [f"{c} · {names[c]}" for c in range(BATCH_CLASSES)]
keys = [CW_WEIGHT.format(c) for c in range(BATCH_CLASSES)]


def _set_weights(values) -> None:
    for key, value in zip(keys, values, strict=True):
        st.session_state[key] = float(value)


@st.fragment
def weighted_batch_panel() -> None:
    """Weights, table, denominators and chart: moving a weight reruns only this panel."""
    with st.container(key="lesson_controls"):
        st.markdown("**Class weights** $w_c$ (PyTorch's `weight=`, one per class)")
        cols = st.columns(BATCH_CLASSES)
        weight = [cols[c].slider(class_label[c], 0.0, 10.0, CW_WEIGHT_DEFAULTS[c], 0.05, format="%.3f",
                                 key=keys[c], bind="query-params", persist_state="session")
                  for c in range(BATCH_CLASSES)]
        b1, b2, b3 = st.columns(3)
        b1.button("All 1 (no weighting)", on_click=_set_weights, args=([1.0] * BATCH_CLASSES,), width="stretch")
        b2.button("Rare classes × 3", on_click=_set_weights, args=(CW_WEIGHT_DEFAULTS,), width="stretch")
        b3.button('Balanced: N / (C · count)', on_click=_set_weights,
                  args=(balanced_weights(BATCH_TARGETS, BATCH_CLASSES).tolist(),), width="stretch",
                  help='scikit-learn\'s class_weight="balanced"')

    batch = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, weight, base=ws.base)
    rows = range(BATCH_TARGETS.size)
    sample_labels = [f"#{n + 1} {names[int(BATCH_TARGETS[n])]}" for n in rows]
    u = ws.unit_short
    st.dataframe(
        {
            "sample": sample_labels,
            "true class y": [class_label[int(c)] for c in batch.targets],
            "q[y] (model)": [float(batch.probabilities[n, int(batch.targets[n])]) for n in rows],
            f"loss −log q[y] ({u})": batch.per_sample.tolist(),
            "weight w[y]": batch.target_weight.tolist(),
            f"weighted loss ({u})": batch.weighted.tolist(),
        },
        hide_index=True, key="cw_table",
        column_config={"q[y] (model)": st.column_config.NumberColumn(format="%.4f"),
                       f"loss −log q[y] ({u})": st.column_config.NumberColumn(format="%.4f"),
                       "weight w[y]": st.column_config.NumberColumn(format="%.3f"),
                       f"weighted loss ({u})": st.column_config.NumberColumn(format="%.4f")},
    )

    total = batch.weighted_sum
    st.markdown(f"Sum of the weighted losses: **{fmt(total, ws)}**. PyTorch and scikit-learn have three rules for \"mean\", dividing it by different numbers:")
    m1, m2, m3 = st.columns(3)
    m1.metric("PyTorch, class-index targets", fmt(batch.index_mean, ws),
              help="F.cross_entropy(logits, y, weight=W): divided by the sum of the target classes' weights.")
    m1.caption(f"÷ Σ w[y] = {batch.index_denominator:.4g} (a weighted mean)")
    m2.metric("PyTorch, one-hot probability targets", fmt(batch.probability_mean, ws),
              help="F.cross_entropy(logits, one_hot(y).float(), weight=W): divided by N.")
    m2.caption(f"÷ N = {batch.probability_denominator}")
    m3.metric("scikit-learn log_loss", fmt(batch.sklearn_mean, ws),
              help="log_loss(y, proba, sample_weight=W[y]) = Σ w ℓ / Σ w (after its clip).")
    m3.caption(f"sample_weight = w[y]: ÷ Σ w = {batch.index_denominator:.4g}, the same weighted mean")

    if batch.index_denominator == 0:
        st.info("Every target class has weight 0, so the weighted mean is 0 / 0: undefined (PyTorch returns not-a-number). "
                "The probability-target mean still divides by N.", icon=":material/block:")
    prose(
        "With class-index targets PyTorch computes a **weighted mean**: the weights scale each loss *and* the "
        "denominator, so multiplying every weight by 10 changes nothing. With probability targets (even one-hot "
        "ones) it divides by $N$, so the same weights scale the result. The two agree only when "
        "$\\sum_n w_{y_n} = N$: all weights 1, or scikit-learn's *balanced* weights, whose sum over the batch is "
        "exactly $N$ (press that button). scikit-learn's `log_loss` with `sample_weight` is the weighted mean too."
    )

    chart(make_weighted_batch(sample_labels, batch.per_sample, batch.weighted, batch.index_mean,
                              batch.probability_mean, unit=ws.unit),
          f"Per-sample loss before (outline) and after (filled) the weight w[y] = {', '.join(f'{w:g}' for w in weight)}. "
          f"Mean with index targets {fmt(batch.index_mean, ws)} (÷ {batch.index_denominator:.4g}), with "
          f"probability targets {fmt(batch.probability_mean, ws)} (÷ {batch.probability_denominator}).",
          key="cw_bars")


weighted_batch_panel()

with st.expander("The same rule on a two-sample example, checked against PyTorch", icon=":material/fact_check:",
                 expanded=True):
    ref = weighted_batch(REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT)  # nats, as PyTorch reports
    ref_unit = weighted_batch(REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT, base=ws.base)
    st.markdown("Logits `[[2, 1, 0.1], [0.5, 2.5, 0.3]]`, targets `[0, 2]`, `weight=[1, 2, 3]`. "
                "The per-sample losses are "
                f"{ref.per_sample[0]:.10f} and {ref.per_sample[1]:.10f} nats, weighted by 1 and 3.")
    r1, r2 = st.columns(2)
    r1.metric("Index targets: ÷ (1 + 3)", f"{ref.index_mean:.10f} nats", help=fmt(ref_unit.index_mean, ws))
    r2.metric("One-hot probability targets: ÷ 2", f"{ref.probability_mean:.10f} nats",
              help=fmt(ref_unit.probability_mean, ws))
    st.caption(f"Same numerator {ref.weighted_sum:.10f} nats; PyTorch reports 1.9192946463 and 3.8385892927. "
               f"In the workspace unit: {fmt(ref_unit.index_mean, ws)} and {fmt(ref_unit.probability_mean, ws)}.")

show_source(weighted_batch, softmax_cross_entropy)
