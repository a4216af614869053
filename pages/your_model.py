"""Lesson: your own model's predictions: the loss, calibration, temperature scaling, the CE decomposition."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

from pathlib import Path

import pandas as pd
import streamlit as st

from ce_core import calibration as cal
from lab import predictions as pr
from lab import state_keys
from lab.components import live_chart as lc
from lab.content import your_model as words
from lab.figures import calibration as figs
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
DOWNLOAD = {"mime": "text/csv", "icon": ":material/download:", "on_click": "ignore"}  # each CSV button

ws = page_header(words.TITLE, words.INTRO)
st.info(words.PRIVACY, icon=":material/lock:")


def _choose_input() -> tuple[bytes, str, str] | None:
    """(bytes, file name, kind) of the chosen example or upload; None while no file is uploaded."""
    left, right = st.columns([3, 1])
    choice = left.selectbox("Predictions", [*EXAMPLES, UPLOAD], key="ym_source")
    kind = right.selectbox(
        "The numbers are", pr.KINDS, format_func=KIND_LABELS.get, key="ym_kind", help=words.KIND_HELP
    )
    if choice != UPLOAD:
        st.caption(words.EXAMPLES_NOTE)
        return (EXAMPLES_DIR / EXAMPLES[choice]).read_bytes(), EXAMPLES[choice], kind
    # the smaller of ours and server.maxUploadSize: above the server's, the upload fails with HTTP 413
    limit = min(pr.MAX_UPLOAD_MB, int(st.get_option("server.maxUploadSize")))
    upload = st.file_uploader(
        "Your predictions", type=["csv", "txt", "npz"], max_upload_size=limit, key="ym_upload"
    )
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


def _summary(p: pr.Predictions) -> None:
    st.success(words.summary(p.n, p.k, p.kind, p.detected), icon=":material/check_circle:")
    for note in p.notes:
        st.caption(note)


def _columns(*names: str, fmt: str = "%.4f") -> dict:
    """Number columns of a table (``fmt="percent"``: shown as percentages)."""
    return {n: st.column_config.NumberColumn(n, format=fmt) for n in names}


def _loss_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("The loss and where it comes from")
    prose(words.LOSS_STORY)
    losses = pr.in_unit(a.losses, ws.base)
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Mean cross-entropy ({ws.unit})", fmt(pr.in_unit(a.mean_ce, ws.base), ws))
    c2.metric("Mean cross-entropy (nats, as PyTorch)", f"{a.mean_ce:.4f}")
    c3.metric("Accuracy", f"{a.accuracy:.2%}")
    st.markdown(words.per_class_heading(ws.unit))
    config = {**_columns("share of total loss", "accuracy", fmt="percent"), **_columns("mean loss")}
    classes = pr.frame(pr.class_table(a.pred, losses))
    st.dataframe(classes, hide_index=True, key="ym_classes", column_config=config)
    st.markdown(words.worst_heading(WORST, ws.unit))
    config = {**_columns("q_y", fmt="%.4g"), **_columns("loss")}
    worst = pr.frame(pr.worst_samples(a.pred, losses, WORST))
    st.dataframe(worst, hide_index=True, key="ym_worst", column_config=config)
    histogram = figs.make_loss_histogram(losses, unit=ws.unit)
    chart(histogram, words.loss_caption(a.pred.n, ws.unit), key="ym_losses")


def _calibration_panel(a: pr.Analysis) -> None:
    st.subheader("Calibration")
    prose(words.CALIBRATION_STORY)
    binning = st.segmented_control(
        "Bins", ["uniform", "quantile"], default="uniform", key="ym_binning", format_func=words.BINNINGS.get
    )
    p = a.pred
    quantile = binning == "quantile"
    bins = cal.reliability_bins(p.probs, p.labels, n_bins=N_BINS, binning="quantile") if quantile else a.bins
    st.metric(words.ece_label(binning), f"{bins.calibration_error:.4f}")
    reliability = figs.make_reliability_diagram(bins)
    chart(reliability, words.reliability_caption(bins.calibration_error), key="ym_reliability")
    with st.expander("Per-bin table", icon=":material/table:"):
        config = _columns("mean confidence", "accuracy", "|gap|")
        st.dataframe(pr.frame(pr.bin_table(bins)), hide_index=True, key="ym_bins", column_config=config)
    names = p.class_names
    c = st.selectbox(
        "Classwise reliability of class", range(len(names)), format_func=lambda i: names[i], key="ym_class"
    )
    name = names[int(c or 0)]
    cw = cal.classwise_reliability(
        p.probs, p.labels, int(c or 0), n_bins=N_BINS, binning=binning or "uniform"
    )
    classwise = figs.make_reliability_diagram(cw, **words.classwise_titles(name))
    chart(classwise, words.classwise_caption(name, cw.calibration_error), key="ym_classwise")


@st.fragment
def _temperature_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("Temperature scaling, live")
    prose(words.TEMPERATURE_STORY)
    if a.pred.kind == "probabilities":
        st.caption(words.PROBS_NOTE)
    if a.fitted_t is None:
        st.warning(words.no_fit(a.fit_message), icon=":material/info:")
    else:
        before, after = (fmt(pr.in_unit(v, ws.base), ws) for v in (a.mean_ce, a.mean_ce_fitted))
        st.markdown(words.fitted_summary(a.fitted_t, before, after, a.ece, a.ece_fitted))
    sweep, grid = a.sweep, a.grid
    ce = pr.in_unit(sweep.mean_cross_entropy, ws.base)
    confidence = pr.mean_confidence(sweep)
    captions = words.temperature_captions(grid, sweep.calibration_error, confidence, a.accuracy)
    readouts = figs.temperature_readouts(
        [fmt(v, ws) for v in ce], sweep.calibration_error, confidence, a.accuracy, unit=ws.unit
    )
    charts = figs.temperature_live_charts(grid, sweep, ce, a.fitted_t, captions=captions, unit=ws.unit)
    lc.live_slider(
        words.SLIDER_LABEL, grid, key=T_KEY, default=1.0, readouts=readouts, hint=words.SLIDER_HINT, **charts
    )


def _decomposition_panel(ws: Workspace, a: pr.Analysis) -> None:
    st.subheader("Cross-entropy = entropy + KL, on your data")
    if a.decomposition is not None:
        prose(words.DECOMPOSITION_STORY)
        d = pr.decomposition_in_unit(a.decomposition, ws.base)
        caption = words.decomposition_caption(d, fmt(d.total, ws), ws.unit)
        chart(figs.make_decomposition_bar(d, unit=ws.unit), caption, key="ym_decomposition")
        table = pd.DataFrame(pr.decomposition_table(d, ws.unit))
        st.dataframe(table, hide_index=True, key="ym_decomposition_table")
    elif a.fitted_t is not None:
        prose(words.SPLIT_STORY)
        before, after = pr.in_unit(a.mean_ce, ws.base), pr.in_unit(a.mean_ce_fitted, ws.base)
        caption = words.split_caption(fmt(before, ws), fmt(after, ws), fmt(before - after, ws), a.fitted_t)
        split = figs.make_temperature_split_bar(before, after, a.fitted_t, unit=ws.unit)
        chart(split, caption, key="ym_split")


def _downloads(a: pr.Analysis) -> None:
    st.subheader("Take it away")
    for col, (name, table) in zip(st.columns(3), pr.download_tables(a).items(), strict=True):
        label, file_name = f"{name.capitalize()} (CSV)", name.replace(" ", "_") + ".csv"
        csv = pr.table_csv(table)
        col.download_button(label, csv, file_name=file_name, key=f"ym_dl_{name.split()[0]}", **DOWNLOAD)
    st.caption(words.DOWNLOADS_NOTE)
    st.markdown("**Reproduce it with PyTorch and torchmetrics**")
    st.code(words.torch_snippet(a.pred.k, a.pred.kind, a.fitted_t, a.mean_ce, a.ece), language="python")


picked = _choose_input()
if picked is not None:
    try:
        analysis = _analysis(*picked)
    except pr.PredictionsError as error:
        st.error(str(error), icon=":material/error:")
        if isinstance(error, pr.RowSumError):  # the offer: read the same numbers as logits
            offer = {"on_click": st.session_state.update, "kwargs": {"ym_kind": "logits"}}
            st.button(
                "Read these numbers as logits", key="ym_as_logits", icon=":material/functions:", **offer
            )
    else:
        _summary(analysis.pred)
        _loss_panel(ws, analysis)
        _calibration_panel(analysis)
        _temperature_panel(ws, analysis)
        _decomposition_panel(ws, analysis)
        _downloads(analysis)

show_source(
    cal.expected_calibration_error, cal.fit_temperature, cal.temperature_sweep, cal.log_loss_decomposition
)
