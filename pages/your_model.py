"""Lesson: your own model's predictions: the loss, calibration, temperature scaling, the CE decomposition."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

from pathlib import Path

import pandas as pd
import streamlit as st

from ce_core.calibration import (
    classwise_reliability,
    expected_calibration_error,
    fit_temperature,
    log_loss_decomposition,
    reliability_bins,
    temperature_sweep,
)
from lab import predictions as pr
from lab import state_keys
from lab.components import live_chart as lc
from lab.content import your_model as words
from lab.figures import calibration as figs
from lab.figures.live import readout
from lab.ui import chart, fmt, page_header, prose, show_source
from lab.workspace import Workspace

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "lab" / "data" / "examples"
EXAMPLES = {
    "Digits: a small neural net (logits, overconfident)": "digits_mlp.npz",
    "Digits: logistic regression (logits)": "digits_logreg.npz",
    "Breast cancer: logistic regression (probabilities, 2 classes)": "breast_cancer.npz",
}
UPLOAD = "Upload your own file (CSV or .npz)"
KIND_LABELS = {"auto": "detect", "probabilities": "probabilities", "logits": "logits"}
CACHE_KEY = state_keys.YOUR_MODEL_ANALYSIS  # (sha256 of the bytes, kind) -> pr.Analysis: this session only
T_KEY = "ym_t"
N_BINS = 15
WORST = 10

ws = page_header(words.TITLE, words.INTRO)
st.info(words.PRIVACY, icon=":material/lock:")


def _choose_input() -> tuple[bytes, str, str] | None:
    """(bytes, file name, kind) of the chosen example or upload; None while no file is uploaded."""
    left, right = st.columns([3, 1])
    choice = left.selectbox("Predictions", [*EXAMPLES, UPLOAD], key="ym_source")
    kind = right.selectbox("The numbers are", pr.KINDS, format_func=KIND_LABELS.get, key="ym_kind",
                           help="Detect: rows in [0, 1] summing to 1 are probabilities, anything else logits.")
    if choice != UPLOAD:
        st.caption(words.EXAMPLES_NOTE)
        return (EXAMPLES_DIR / EXAMPLES[choice]).read_bytes(), EXAMPLES[choice], kind
    # the server's own limit (server.maxUploadSize) wins: above it the upload fails with HTTP 413, so the
    # widget states and checks the smaller of the two
    limit = min(pr.MAX_UPLOAD_MB, int(st.get_option("server.maxUploadSize")))
    upload = st.file_uploader("Your predictions", type=["csv", "txt", "npz"], max_upload_size=limit,
                              key="ym_upload")
    with st.expander("What the file must hold", expanded=upload is None, icon=":material/help:"):
        st.markdown(words.format_help(limit))
    return None if upload is None else (upload.getvalue(), upload.name, kind)


def _analysis(data: bytes, name: str, kind: str) -> pr.Analysis:
    """The upload's numbers, computed once per file and kind and kept in this session only."""
    key = (pr.digest(data), kind)
    cached = st.session_state.get(CACHE_KEY)
    if cached is None or cached[0] != key:
        cached = (key, pr.analyse(pr.load(data, name, kind), n_bins=N_BINS))
        st.session_state[CACHE_KEY] = cached
        st.session_state[T_KEY] = 1.0  # a new model starts at T = 1, the model as it is
    return cached[1]


def _summary(a: pr.Analysis) -> None:
    p = a.pred
    st.success(f"Read {p.n:,} samples × {p.k} classes as **{p.kind}** (detected: {p.detected}).",
               icon=":material/check_circle:")
    for note in p.notes:
        st.caption(note)


def _loss_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("The loss and where it comes from")
    prose(words.LOSS_STORY)
    losses = pr.in_unit(a.losses, ws.base)
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Mean cross-entropy ({ws.unit})", fmt(pr.in_unit(a.mean_ce, ws.base), ws))
    c2.metric("Mean cross-entropy (nats, as PyTorch)", f"{a.mean_ce:.4f}")
    c3.metric("Accuracy", f"{a.accuracy:.2%}")
    st.markdown(f"**Per class** (mean loss in {ws.unit}; rows are the true class)")
    st.dataframe(_frame(pr.class_table(a.pred, losses)), hide_index=True, key="ym_classes",
                 column_config={**_percent_columns("share of total loss", "accuracy"), **_number_columns("mean loss")})
    st.markdown(f"**The {WORST} worst samples** (row counts from 0 in the file; loss in {ws.unit})")
    st.dataframe(_frame(pr.worst_samples(a.pred, losses, WORST)), hide_index=True, key="ym_worst",
                 column_config={**_number_columns("q_y", fmt="%.4g"), **_number_columns("loss")})
    chart(figs.make_loss_histogram(losses, unit=ws.unit), f"Distribution of the {a.pred.n:,} per-sample losses "
          f"in {ws.unit}: most samples cost little, a few confident mistakes cost much.", key="ym_losses")


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """A table whose empty cells (a bin or class without samples) show as empty, never as NaN."""
    return pd.DataFrame(columns).convert_dtypes()


def _percent_columns(*names: str) -> dict:
    return {n: st.column_config.NumberColumn(n, format="percent") for n in names}


def _number_columns(*names: str, fmt: str = "%.4f") -> dict:
    return {n: st.column_config.NumberColumn(n, format=fmt) for n in names}


def _calibration_panel(a: pr.Analysis) -> None:
    st.subheader("Calibration")
    prose(words.CALIBRATION_STORY)
    binning = st.segmented_control("Bins", ["uniform", "quantile"], default="uniform", key="ym_binning",
                                   format_func={"uniform": "15 equal-width", "quantile": "15 equal-mass"}.get)
    bins = a.bins if binning != "quantile" else reliability_bins(a.pred.probs, a.pred.labels, n_bins=N_BINS,
                                                                  binning="quantile")
    st.metric(f"ECE ({'equal-mass' if binning == 'quantile' else 'equal-width'} bins)",
              f"{bins.calibration_error:.4f}")
    chart(figs.make_reliability_diagram(bins), f"Reliability diagram of the top label (the numbers on the bars "
          f"count the samples): ECE {bins.calibration_error:.4f}; bars below the diagonal mean overconfidence.",
          key="ym_reliability")
    with st.expander("Per-bin table", icon=":material/table:"):
        st.dataframe(_frame(pr.bin_table(bins)), hide_index=True, key="ym_bins",
                     column_config=_number_columns("mean confidence", "accuracy", "|gap|"))
    names = a.pred.class_names
    c = st.selectbox("Classwise reliability of class", range(len(names)), format_func=lambda i: names[i],
                     key="ym_class")
    cw = classwise_reliability(a.pred.probs, a.pred.labels, int(c or 0), n_bins=N_BINS, binning=binning or "uniform")
    chart(figs.make_reliability_diagram(cw, title=f"Class {names[int(c or 0)]}: one against the rest",
                                        x_title=f"predicted probability of {names[int(c or 0)]}",
                                        y_title="observed frequency"),
          f"Classwise reliability of {names[int(c or 0)]}: calibration error {cw.calibration_error:.4f}.",
          key="ym_classwise")


@st.fragment
def _temperature_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("Temperature scaling, live")
    prose(words.TEMPERATURE_STORY)
    if a.pred.kind == "probabilities":
        st.caption(words.PROBS_NOTE)
    if a.fitted_t is None:
        st.warning(f"No finite temperature is best here: {a.fit_message}.", icon=":material/info:")
    else:
        st.markdown(words.fitted_verdict(a.fitted_t) + f" Mean CE {fmt(pr.in_unit(a.mean_ce, ws.base), ws)} → "
                    f"{fmt(pr.in_unit(a.mean_ce_fitted, ws.base), ws)}; ECE {a.ece:.4f} → {a.ece_fitted:.4f}.")
    sweep, grid = a.sweep, a.grid
    ce = pr.in_unit(sweep.mean_cross_entropy, ws.base)
    confidence = pr.mean_confidence(sweep)
    captions = [f"Reliability at T = {t:.3g}: ECE {e:.4f}, average confidence {m:.3f} against accuracy "
                f"{a.accuracy:.3f}." for t, e, m in zip(grid, sweep.calibration_error, confidence, strict=True)]
    readouts = [readout("ce", f"Mean CE ({ws.unit})", [fmt(v, ws) for v in ce]),
                readout("ece", "ECE", [f"{v:.4f}" for v in sweep.calibration_error]),
                readout("conf", "Average confidence", [f"{v:.3f}" for v in confidence]),
                readout("acc", "Accuracy (never moves)", [f"{a.accuracy:.3f}"] * grid.size)]
    lc.live_slider("Temperature T (the dashed line marks the fitted T)", grid, key=T_KEY, default=1.0,
                   chart=figs.reliability_live_spec(sweep, caption=captions),
                   more_charts=[figs.temperature_curve_spec(grid, ce, a.fitted_t, y_label=f"mean CE ({ws.unit})",
                                                            name="mean CE", key="ym_ce_curve"),
                                figs.temperature_curve_spec(grid, sweep.calibration_error, a.fitted_t, y_label="ECE",
                                                            name="ECE", key="ym_ece_curve", style="absolute")],
                   readouts=readouts, value_text=[f"{t:.3g}" for t in grid],
                   hint="Drag, or focus and use the arrow keys. T = 1 is the model as it is.")


def _decomposition_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("Cross-entropy = entropy + KL, on your data")
    if a.decomposition is not None:
        prose(words.DECOMPOSITION_STORY)
        d = pr.decomposition_in_unit(a.decomposition, ws.base)
        chart(figs.make_decomposition_bar(d, unit=ws.unit),
              f"Mean CE {fmt(d.total, ws)} = uncertainty {d.uncertainty:.4f} − resolution {d.resolution:.4f} + "
              f"reliability {d.reliability:.4f} + within-bin {d.within_bin:.4f} ({ws.unit}).", key="ym_decomposition")
        st.dataframe(pd.DataFrame({"term": [*d._fields, "sum (= mean CE)"], ws.unit: [*d, d.total]}),
                     hide_index=True, key="ym_decomposition_table")
    elif a.fitted_t is not None:
        prose(words.SPLIT_STORY)
        before, after = pr.in_unit(a.mean_ce, ws.base), pr.in_unit(a.mean_ce_fitted, ws.base)
        chart(figs.make_temperature_split_bar(before, after, a.fitted_t, unit=ws.unit),
              f"Mean CE {fmt(before, ws)} = {fmt(after, ws)} after temperature scaling + "
              f"{fmt(before - after, ws)} removed by T = {a.fitted_t:.3f}.", key="ym_split")


def _downloads(a: pr.Analysis) -> None:
    st.subheader("Take it away")
    cols = st.columns(3)
    tables = {"per-class table": pr.class_table(a.pred, a.losses), "per-bin table": pr.bin_table(a.bins),
              "worst samples": pr.worst_samples(a.pred, a.losses, 100)}
    for col, (name, table) in zip(cols, tables.items(), strict=True):
        col.download_button(f"{name.capitalize()} (CSV)", pr.table_csv(table), file_name=name.replace(" ", "_") +
                            ".csv", mime="text/csv", icon=":material/download:", on_click="ignore",
                            key=f"ym_dl_{name.split()[0]}")
    st.caption("Losses in nats. The reliability diagram's camera button (top right of the chart) saves it as PNG.")
    st.markdown("**Reproduce it with PyTorch and torchmetrics**")
    st.code(words.torch_snippet(a.pred.k, a.pred.kind, a.fitted_t, a.mean_ce, a.ece), language="python")


picked = _choose_input()
if picked is not None:
    try:
        analysis = _analysis(*picked)
    except pr.PredictionsError as error:
        st.error(str(error), icon=":material/error:")
        if isinstance(error, pr.RowSumError):  # the offer: read the same numbers as logits
            st.button("Read these numbers as logits", key="ym_as_logits", icon=":material/functions:",
                      on_click=st.session_state.update, kwargs={"ym_kind": "logits"})
    else:
        _summary(analysis)
        _loss_panel(ws, analysis)
        _calibration_panel(analysis)
        _temperature_panel(ws, analysis)
        _decomposition_panel(ws, analysis)
        _downloads(analysis)

show_source(expected_calibration_error, fit_temperature, temperature_sweep, log_loss_decomposition)
