"""AppTest of the page "Your model": the numbers shown equal ce_core's, uploads work, bad files get a message."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest

from ce_core.calibration import (
    expected_calibration_error,
    fit_temperature,
    log_loss_decomposition,
    temperature_sweep,
)
from ce_core.softmax import log_softmax
from lab import predictions as pr
from tests.apptest_utils import live_data, live_layer, live_readouts, run_page, set_live
from tests.test_predictions import BAD_FILES

EXAMPLES = Path(pr.__file__).parent / "data" / "examples"
UPLOAD = "Upload your own file (CSV or .npz)"
BINARY = "Breast cancer: logistic regression (probabilities, 2 classes)"
T_KEY = "ym_t"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _upload(at, name: str, data: bytes, mime: str = "text/csv"):
    if at.selectbox(key="ym_source").value != UPLOAD:
        at.selectbox(key="ym_source").set_value(UPLOAD).run()
    at.file_uploader[0].set_value((name, data, mime)).run()
    _ok(at)
    return at


@pytest.fixture(scope="module")
def page():
    at = run_page("your_model")
    _ok(at)
    return at


def _check_loss_numbers(at, labels, logits, unit="bits", base=2.0) -> None:
    ce = float(np.mean(-log_softmax(logits)[np.arange(labels.size), labels]))
    probs = np.exp(log_softmax(logits))
    m = _metrics(at)
    assert m[f"Mean cross-entropy ({unit})"] == f"{ce / math.log(base):.4f} {unit}"
    assert m["Mean cross-entropy (nats, as PyTorch)"] == f"{ce:.4f}"
    assert m["Accuracy"] == f"{np.mean(probs.argmax(1) == labels):.2%}"
    assert m["ECE (equal-width bins)"] == f"{expected_calibration_error(probs, labels):.4f}"


def test_default_example_numbers_are_ce_core(page):
    with np.load(EXAMPLES / "digits_mlp.npz") as f:
        labels, logits = f["labels"], f["logits"].astype(np.float64)
    _check_loss_numbers(page, labels, logits)
    assert "Read 1,797 samples × 10 classes as **logits**" in page.success[0].value
    assert any("privacy" in i.value or "never written to disk" in i.value for i in page.info)


def test_temperature_control_follows_ce_core(page):
    with np.load(EXAMPLES / "digits_mlp.npz") as f:
        labels, logits = f["labels"], f["logits"].astype(np.float64)
    t_fit = fit_temperature(logits, labels)
    data = live_data(page, T_KEY)
    grid = np.array(data["values"])
    assert t_fit in grid
    assert 1.0 in grid
    assert grid[data["index"]] == 1.0  # starts at the model as it is
    exact = temperature_sweep(logits, labels, grid)
    read = live_readouts(page, T_KEY)
    assert read["Mean CE (bits)"] == f"{exact.mean_cross_entropy[data['index']] / math.log(2):.4f} bits"
    assert read["ECE"] == f"{exact.calibration_error[data['index']]:.4f}"
    # every position's texts, as the browser shows them while dragging
    for r in data["readouts"]:
        if r["label"] == "ECE":
            np.testing.assert_allclose([float(t) for t in r["text"]], exact.calibration_error, atol=1.5e-4)
        if r["label"] == "Accuracy (never moves)":
            assert len(set(r["text"])) == 1
    accuracy = live_layer(page, T_KEY, "accuracy")
    np.testing.assert_allclose(accuracy["y"].reshape(grid.size, -1), exact.accuracy, equal_nan=True)
    set_live(page, T_KEY, t_fit)
    g = live_data(page, T_KEY)["index"]
    assert grid[g] == t_fit
    read = live_readouts(page, T_KEY)
    fitted = temperature_sweep(logits, labels, [t_fit])
    assert read["Mean CE (bits)"] == f"{fitted.mean_cross_entropy[0] / math.log(2):.4f} bits"
    assert "overconfident" in " ".join(m.value for m in page.markdown)
    set_live(page, T_KEY, 1.0)


def test_equal_mass_bins(page):
    page.segmented_control(key="ym_binning").set_value("quantile").run()
    _ok(page)
    with np.load(EXAMPLES / "digits_mlp.npz") as f:
        labels, logits = f["labels"], f["logits"].astype(np.float64)
    probs = np.exp(log_softmax(logits))
    ece = expected_calibration_error(probs, labels, binning="quantile")
    assert _metrics(page)["ECE (equal-mass bins)"] == f"{ece:.4f}"
    page.segmented_control(key="ym_binning").set_value("uniform").run()


def test_binary_example_shows_the_decomposition():
    at = run_page("your_model")
    at.selectbox(key="ym_source").set_value(BINARY).run()
    _ok(at)
    with np.load(EXAMPLES / "breast_cancer.npz") as f:
        labels, probs = f["labels"], f["probs"]
    d = log_loss_decomposition(probs, labels, base=2)
    table = next(df.value for df in at.dataframe if "term" in df.value.columns)
    np.testing.assert_allclose(table["bits"].to_numpy(), [*d, d.total], rtol=1e-12)
    ce = float(np.mean(-np.log(probs[np.arange(labels.size), labels])))
    assert d.total == pytest.approx(ce / math.log(2), rel=1e-12)
    assert _metrics(at)["Mean cross-entropy (bits)"] == f"{ce / math.log(2):.4f} bits"


def test_uploaded_csv_is_read_and_cached_in_the_session():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(300, 3)) * 2
    y = np.where(rng.random(300) < 0.8, z.argmax(1), rng.integers(0, 3, 300))
    out = io.StringIO()
    out.write("label,a,b,c\n")
    np.savetxt(out, np.column_stack([y, z]), delimiter=",", fmt=["%d", "%.17g", "%.17g", "%.17g"])
    at = _upload(run_page("your_model"), "preds.csv", out.getvalue().encode())
    assert "Read 300 samples × 3 classes as **logits**" in at.success[0].value
    _check_loss_numbers(at, y, z)
    cached = at.session_state["_ym_analysis"]
    assert cached[0][0] == pr.digest(out.getvalue().encode())
    at.run()  # a rerun computes nothing again
    assert at.session_state["_ym_analysis"][1] is cached[1]


def test_uploaded_npz_is_read():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(200, 4)).astype(np.float32)
    y = rng.integers(0, 4, 200)
    buf = io.BytesIO()
    np.savez(buf, labels=y, logits=z)
    at = _upload(run_page("your_model"), "preds.npz", buf.getvalue(), "application/octet-stream")
    _check_loss_numbers(at, y, z.astype(np.float64))


@pytest.mark.parametrize(("data", "name", "message"), BAD_FILES)
def test_bad_upload_shows_its_message_and_no_exception(data, name, message):
    at = _upload(run_page("your_model"), name, data)
    errors = [e.value for e in at.error]
    assert any(message in e for e in errors), errors
    assert not at.metric  # nothing of an earlier file is shown


def test_rows_not_summing_to_one_offer_logits():
    at = _upload(run_page("your_model"), "p.csv", b"label,a,b\n0,0.3,0.6\n1,0.2,0.3\n")
    assert "choose logits" in at.error[0].value
    at.button(key="ym_as_logits").click().run()
    _ok(at)
    assert at.selectbox(key="ym_kind").value == "logits"
    assert "as **logits**" in at.success[0].value


def test_the_uploader_states_the_limit_the_server_takes():
    import streamlit as st

    at = run_page("your_model")
    at.selectbox(key="ym_source").set_value(UPLOAD).run()
    limit = min(pr.MAX_UPLOAD_MB, int(st.get_option("server.maxUploadSize")))
    assert at.file_uploader[0].proto.max_upload_size_mb == limit
    assert any(f"At most {limit} MB" in m.value for m in at.markdown)
