"""Class weights for an imbalanced batch, and what "mean" really divides by."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import numpy as np
import streamlit as st

from ce_core.bar_tables import class_weight_table
from ce_core.live import parameter_grid
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
from lab.components import bar_control as bc
from lab.figures.variants import class_weights_chart
from lab.lesson_keys import CW_WEIGHT, CW_WEIGHT_DEFAULTS
from lab.ui import fmt, page_header, prose, show_source
from lab.workspace import DEFAULT_NAMES

#: The session-state key of each class's weight, and of the bar control.
WEIGHT_KEYS = tuple(CW_WEIGHT.format(c) for c in range(BATCH_CLASSES))
WEIGHTS_KEY = "cw_weights"
BALANCED = balanced_weights(BATCH_TARGETS, BATCH_CLASSES)
#: Positions of a weight: 0, 0.05, ..., 10 (the old sliders' range and step), and the balanced weights,
#: so that the preset is a position of the bars too.
WEIGHT_GRID = np.unique(np.concatenate([parameter_grid(0.0, 10.0, 0.05), BALANCED]))

ws = page_header(
    "Class weights",
    "In this batch of 8 samples, 6 belong to class 0. A model can score a low average loss while "
    "getting the two rare samples wrong. A weight per class, $w_c$, makes each sample's loss count "
    "$w_{y}$ times: $\\ell_n = -w_{y_n} \\log q_n[y_n]$, where $q_n$ is the model's softmax for sample $n$ and $y_n$ its label. Then comes the question this page is about: "
    "what does **mean** divide the sum by?",
)


def _set_weights(values) -> None:
    for key, value in zip(WEIGHT_KEYS, values, strict=True):
        st.session_state[key] = float(value)


def _weight_control(ws, names) -> tuple[float, ...]:
    """The class weights as bars to drag, with the batch's losses beside them (one ce_core call)."""
    weight = bc.bar_values(list(WEIGHT_KEYS), WEIGHT_GRID, CW_WEIGHT_DEFAULTS)
    table = class_weight_table(BATCH_LOGITS, BATCH_TARGETS, weight, WEIGHT_GRID, base=ws.base)  # every row
    spec, readouts = class_weights_chart(table, [names[int(c)] for c in BATCH_TARGETS], unit=ws.unit)
    u = ws.unit
    caption = (
        "Per-sample loss before (outline) and after (filled) the weights w[y] = {values}: mean with index "
        "targets {index} (÷ Σ w[y] = {denominator}), with probability targets {probability} (÷ N = 8); "
        f"bars in {u}."
    )
    return bc.bar_control(
        "Class weights w_c (PyTorch's weight=, one per class)",
        _class_labels(names),
        WEIGHT_GRID,
        key=WEIGHTS_KEY,
        keys=list(WEIGHT_KEYS),
        defaults=CW_WEIGHT_DEFAULTS,
        chart=spec,
        caption=caption,
        readouts=readouts,
        value_name="w",
        bar_prefix="weight of class ",
        value_text=_weight_text,
        hint="Drag a bar up or down, or focus it and use the arrow keys.",
    )


def _weight_text(value: float) -> str:
    return f"{value:.3g}"


def _class_labels(names) -> list[str]:
    return [f"{c} · {names[c]}" for c in range(BATCH_CLASSES)]


@st.fragment
def weighted_batch_panel(ws, names) -> None:
    """Weights, table, denominators and chart: moving a weight reruns only this panel."""
    weight = _weight_control(ws, names)  # the bars stay with ?hide=lesson: the chart is drawn beside them
    with st.container(key="lesson_controls"):
        b1, b2, b3 = st.columns(3)
        b1.button(
            "All 1 (no weighting)", on_click=_set_weights, args=([1.0] * BATCH_CLASSES,), width="stretch"
        )
        b2.button("Rare classes × 3", on_click=_set_weights, args=(CW_WEIGHT_DEFAULTS,), width="stretch")
        b3.button(
            "Balanced: N / (C · count)",
            on_click=_set_weights,
            args=(BALANCED.tolist(),),
            width="stretch",
            help='scikit-learn\'s class_weight="balanced"',
        )

    batch = weighted_batch(BATCH_LOGITS, BATCH_TARGETS, weight, base=ws.base)
    rows = range(BATCH_TARGETS.size)
    sample_labels = [f"#{n + 1} {names[int(BATCH_TARGETS[n])]}" for n in rows]
    u = ws.unit_short
    st.dataframe(
        {
            "sample": sample_labels,
            "true class y": [_class_labels(names)[int(c)] for c in batch.targets],
            "q[y] (model)": [float(batch.probabilities[n, int(batch.targets[n])]) for n in rows],
            f"loss −log q[y] ({u})": batch.per_sample.tolist(),
            "weight w[y]": batch.target_weight.tolist(),
            f"weighted loss ({u})": batch.weighted.tolist(),
        },
        hide_index=True,
        key="cw_table",
        column_config={
            "q[y] (model)": st.column_config.NumberColumn(format="%.4f"),
            f"loss −log q[y] ({u})": st.column_config.NumberColumn(format="%.4f"),
            "weight w[y]": st.column_config.NumberColumn(format="%.3f"),
            f"weighted loss ({u})": st.column_config.NumberColumn(format="%.4f"),
        },
    )

    total = batch.weighted_sum
    st.markdown(
        f'Sum of the weighted losses: **{fmt(total, ws)}**. PyTorch and scikit-learn have three rules for "mean", dividing it by different numbers:'
    )
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "PyTorch, class-index targets",
        fmt(batch.index_mean, ws),
        help="F.cross_entropy(logits, y, weight=W): divided by the sum of the target classes' weights.",
    )
    m1.caption(f"÷ Σ w[y] = {batch.index_denominator:.4g} (a weighted mean)")
    m2.metric(
        "PyTorch, one-hot probability targets",
        fmt(batch.probability_mean, ws),
        help="F.cross_entropy(logits, one_hot(y).float(), weight=W): divided by N.",
    )
    m2.caption(f"÷ N = {batch.probability_denominator}")
    m3.metric(
        "scikit-learn log_loss",
        fmt(batch.sklearn_mean, ws),
        help="log_loss(y, proba, sample_weight=W[y]) = Σ w ℓ / Σ w (after its clip).",
    )
    m3.caption(f"sample_weight = w[y]: ÷ Σ w = {batch.index_denominator:.4g}, the same weighted mean")

    if batch.index_denominator == 0:
        st.info(
            "Every target class has weight 0, so the weighted mean is 0 / 0: undefined (PyTorch returns not-a-number). "
            "The probability-target mean still divides by N.",
            icon=":material/block:",
        )
    prose(
        "With class-index targets PyTorch computes a **weighted mean**: the weights scale each loss *and* the "
        "denominator, so multiplying every weight by 10 changes nothing. With probability targets (even one-hot "
        "ones) it divides by $N$, so the same weights scale the result. The two agree only when "
        "$\\sum_n w_{y_n} = N$: all weights 1, or scikit-learn's *balanced* weights, whose sum over the batch is "
        "exactly $N$ (press that button). scikit-learn's `log_loss` with `sample_weight` is the weighted mean too."
    )

    st.caption(
        f"Per-sample loss before (outline) and after (filled) the weight w[y] = {', '.join(f'{w:g}' for w in weight)}. "
        f"Mean with index targets {fmt(batch.index_mean, ws)} (÷ {batch.index_denominator:.4g}), with "
        f"probability targets {fmt(batch.probability_mean, ws)} (÷ {batch.probability_denominator})."
    )


def reference_check(ws) -> None:
    """The same rule on PyTorch's two-sample example, its numbers pinned."""
    with st.expander(
        "The same rule on a two-sample example, checked against PyTorch",
        icon=":material/fact_check:",
        expanded=True,
    ):
        ref = weighted_batch(
            REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT
        )  # nats, as PyTorch reports
        ref_unit = weighted_batch(REFERENCE_LOGITS, REFERENCE_TARGETS, REFERENCE_WEIGHT, base=ws.base)
        st.markdown(
            "Logits `[[2, 1, 0.1], [0.5, 2.5, 0.3]]`, targets `[0, 2]`, `weight=[1, 2, 3]`. "
            "The per-sample losses are "
            f"{ref.per_sample[0]:.10f} and {ref.per_sample[1]:.10f} nats, weighted by 1 and 3."
        )
        r1, r2 = st.columns(2)
        r1.metric(
            "Index targets: ÷ (1 + 3)", f"{ref.index_mean:.10f} nats", help=fmt(ref_unit.index_mean, ws)
        )
        r2.metric(
            "One-hot probability targets: ÷ 2",
            f"{ref.probability_mean:.10f} nats",
            help=fmt(ref_unit.probability_mean, ws),
        )
        st.caption(
            f"Same numerator {ref.weighted_sum:.10f} nats; PyTorch reports 1.9192946463 and 3.8385892927. "
            f"In the workspace unit: {fmt(ref_unit.index_mean, ws)} and {fmt(ref_unit.probability_mean, ws)}."
        )


weighted_batch_panel(ws, ws.names if ws.k >= BATCH_CLASSES else DEFAULT_NAMES)
reference_check(ws)
show_source(weighted_batch, class_weight_table, softmax_cross_entropy)
