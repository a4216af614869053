"""lab.predictions: reading a learner's predictions (CSV, .npz), every bad file's message, the summaries."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from ce_core.calibration import (
    LogLossDecomposition,
    expected_calibration_error,
    fit_temperature,
    log_loss_decomposition,
    reliability_bins,
    temperature_sweep,
)
from ce_core.softmax import log_softmax, softmax
from lab import predictions as pr


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


# --------------------------------------------------------------------------- good files


def test_csv_probabilities_with_index_labels():
    p = pr.load(b"label,a,b,c\n0,0.7,0.2,0.1\n2,0.1,0.3,0.6\n", "p.csv")
    assert p.kind == p.detected == "probabilities"
    assert p.class_names == ("a", "b", "c")
    np.testing.assert_array_equal(p.labels, [0, 2])
    np.testing.assert_allclose(p.probs, [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], rtol=1e-15)
    np.testing.assert_allclose(p.log_q_true, np.log([0.7, 0.6]), rtol=1e-15)


def test_csv_logits_with_class_name_labels():
    p = pr.load(b"target,cat,dog\ncat,2,1\ndog,-1,3\n", "z.csv")
    assert p.kind == "logits"
    assert p.detected == "logits"
    np.testing.assert_array_equal(p.labels, [0, 1])
    z = np.array([[2.0, 1.0], [-1.0, 3.0]])
    np.testing.assert_allclose(p.probs, softmax(z), rtol=1e-15)
    np.testing.assert_array_equal(p.log_q_true, log_softmax(z)[[0, 1], [0, 1]])


@pytest.mark.parametrize("name", ["label", "y", "target", " Label ", "Y"])
def test_label_column_names(name):
    p = pr.load(f"a,{name},b\n0.3,1,0.7\n".encode(), "f.csv")
    assert p.class_names == ("a", "b")
    np.testing.assert_array_equal(p.labels, [1])


def test_utf8_bom_is_accepted_and_noted():
    p = pr.load(b"\xef\xbb\xbflabel,a,b\n0,0.4,0.6\n", "bom.csv")
    assert p.class_names == ("a", "b")
    assert any("byte-order mark" in n for n in p.notes)


def test_semicolon_file_with_decimal_commas_is_read():
    p = pr.load(b"label;a;b\n1;0,25;0,75\n0;0,5;0,5\n", "eu.csv")
    np.testing.assert_allclose(p.probs, [[0.25, 0.75], [0.5, 0.5]], rtol=1e-15)
    assert any("semicolon" in n for n in p.notes)


def test_tab_separated_file_is_read():
    p = pr.load(b"label\ta\tb\n1\t0.25\t0.75\n", "t.tsv")
    np.testing.assert_allclose(p.probs, [[0.25, 0.75]])


def test_saved_index_column_is_skipped():
    p = pr.load(b",label,a,b\n0,1,0.25,0.75\n1,0,0.5,0.5\n", "idx.csv")
    assert p.class_names == ("a", "b")
    np.testing.assert_array_equal(p.labels, [1, 0])


def test_rounded_probabilities_are_divided_by_their_sums_and_noted():
    p = pr.load(b"label,a,b,c\n0,0.333,0.333,0.333\n", "r.csv")
    assert p.kind == "probabilities"
    np.testing.assert_allclose(p.probs, [[1 / 3] * 3], rtol=1e-15)
    assert any("divided by its sum" in n for n in p.notes)


def test_override_reads_probabilities_as_logits():
    p = pr.load(b"label,a,b\n0,0.25,0.75\n", "p.csv", kind="logits")
    assert p.kind == "logits"
    assert p.detected == "probabilities"
    np.testing.assert_allclose(p.probs, softmax([[0.25, 0.75]]), rtol=1e-15)


def test_zero_probability_gives_infinite_loss_and_a_finite_logit():
    p = pr.load(b"label,a,b\n0,0,1\n1,0.5,0.5\n", "z.csv")
    losses = pr.per_sample_loss(p)
    assert losses[0] == math.inf
    assert losses[1] == pytest.approx(math.log(2), rel=1e-15)
    assert np.isfinite(p.logits).all()
    assert p.logits[0, 0] == pr.LOG_ZERO


def test_npz_logits_and_class_names():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], dtype=np.float32)
    p = pr.load(_npz(labels=np.array([1, 2]), logits=z, class_names=np.array(["x", "y", "z"])), "m.npz")
    assert p.kind == "logits"
    assert p.class_names == ("x", "y", "z")
    assert p.logits.dtype == np.float64
    np.testing.assert_array_equal(p.logits, z.astype(np.float64))


def test_npz_is_recognised_by_its_signature_whatever_its_name():
    p = pr.load(_npz(labels=np.array([0]), probs=np.array([[0.5, 0.5]])), "upload.bin")
    assert p.kind == "probabilities"


def test_npz_float_labels_that_are_whole_numbers():
    p = pr.load(_npz(labels=np.array([1.0, 0.0]), logits=np.zeros((2, 2))), "m.npz")
    np.testing.assert_array_equal(p.labels, [1, 0])


# --------------------------------------------------------------------------- bad files: a message each


BAD_FILES = [
    (b"", "f.csv", "The file is empty"),
    (b"\n  \n", "f.csv", "The file is empty"),
    (b"a,b\n0.3,0.7\n", "f.csv", "No label column"),
    (b"label,a,b\n5,0.3,0.7\n", "f.csv", "The label 5 in row 0"),
    (b"label,a,b\n-1,0.3,0.7\n", "f.csv", "outside 0..1"),
    (
        b"label,a,b\nzebra,0.3,0.7\n",
        "f.csv",
        "'zebra' in row 0 (the rows count from 0 after the header line) names no class",
    ),
    (b"label,a,b\n0,0.3,abc\n", "f.csv", "column 'b' holds 'abc', not a number"),
    (b"label,a,b\n0,0.3,\n", "f.csv", "Row 0 has no value in column 'b'"),
    (b"label,a,b\n,0.3,0.7\n", "f.csv", "Row 0 has no label"),
    (b"label,a,b\n0,0.3,inf\n", "f.csv", "holds inf"),
    (b"label,a,b\n0,nan,0.7\n", "f.csv", "holds nan"),
    (b"label,a,b\n0,-0.3,1.3\n", "f.csv", "a probability cannot be negative"),
    (b"label,a,b\n0,0.3,0.6\n", "f.csv", "sample 0 sums to 0.9"),
    (b"label,a\n0,1\n", "f.csv", "only one class column"),
    (b"label,a,b\n0,0.3,0.7,0.1\n", "f.csv", "Row 0 has 4 cells but the header line has 3"),
    (b"label,a,b\n0,0.3,0.7\n1,0.2\n", "f.csv", "Row 1 has 2 cells"),
    (b"label,a,b\n", "f.csv", "no rows of predictions"),
    (b"label\n0\n", "f.csv", "single column"),
    (b"label,a,a\n0,0.3,0.7\n", "f.csv", "Two class columns have the same name: 'a'"),
    (b"PK\x03\x04garbage", "f.npz", "not a readable .npz"),
    (_npz(logits=np.zeros((2, 2))), "f.npz", "needs an array called labels (found: logits)"),
    (_npz(labels=np.array([0, 1])), "f.npz", "needs an array called probs or logits"),
    (
        _npz(labels=np.array([0, 2]), logits=np.zeros((2, 2))),
        "f.npz",
        "The label 2 in labels[1] is outside 0..1",
    ),
    (_npz(labels=np.array([0]), logits=np.array([[np.inf, 0.0]])), "f.npz", "holds inf"),
    (
        _npz(labels=np.array([0, 1, 0]), logits=np.zeros((2, 2))),
        "f.npz",
        "labels must hold one class per sample",
    ),
    (_npz(labels=np.array([0.5]), logits=np.zeros((1, 2))), "f.npz", "whole class numbers"),
    (_npz(labels=np.array([0]), logits=np.zeros((1, 1001))), "f.npz", "at most 1,000 classes"),
    (_npz(labels=np.array([0]), logits=np.zeros((1, 2, 2))), "f.npz", "must be a 2-D array of numbers"),
]


@pytest.mark.parametrize(("data", "name", "message"), BAD_FILES)
def test_bad_file_gives_its_message(data, name, message):
    with pytest.raises(pr.PredictionsError, match=None) as info:
        pr.load(data, name)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_pickled_npz_is_refused_without_loading():
    buf = io.BytesIO()
    np.savez(buf, labels=np.array([0], dtype=object), logits=np.zeros((1, 2)))
    with pytest.raises(pr.PredictionsError, match="Python objects"):
        pr.load(buf.getvalue(), "evil.npz")


def test_rows_not_summing_to_one_offer_logits():
    with pytest.raises(pr.RowSumError, match="choose logits"):
        pr.load(b"label,a,b\n0,0.3,0.6\n", "f.csv")
    p = pr.load(b"label,a,b\n0,0.3,0.6\n", "f.csv", kind="logits")  # the offer works
    assert p.kind == "logits"


def test_more_than_the_size_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(pr, "MAX_BYTES", 10)
    with pytest.raises(pr.PredictionsError, match=f"the limit is {pr.MAX_UPLOAD_MB} MB"):
        pr.load(b"label,a,b\n0,0.3,0.7\n", "f.csv")


def test_more_than_a_thousand_classes_in_a_csv():
    header = "label," + ",".join(f"c{i}" for i in range(1001))
    row = "0," + ",".join(["0.001"] * 1001)
    with pytest.raises(pr.PredictionsError, match="at most 1,000 classes"):
        pr.load(f"{header}\n{row}\n".encode(), "f.csv")


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind must be one of"):
        pr.load(b"label,a,b\n0,0.3,0.7\n", "f.csv", kind="scores")


# --------------------------------------------------------------------------- summaries


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(400, 4)) * 2.5
    y = np.where(rng.random(400) < 0.7, z.argmax(axis=1), rng.integers(0, 4, 400))
    return pr.load(_npz(labels=y, logits=z), "m.npz")


def test_class_table_adds_up(model):
    losses = pr.per_sample_loss(model, base=2)
    table = pr.class_table(model, losses)
    assert sum(table["count"]) == model.n
    assert sum(table["share of total loss"]) == pytest.approx(1.0, abs=1e-12)
    for c in range(model.k):
        mine = model.labels == c
        assert table["mean loss"][c] == pytest.approx(losses[mine].mean(), rel=1e-12)
        assert table["accuracy"][c] == pytest.approx((model.probs[mine].argmax(1) == c).mean(), rel=1e-12)
    np.testing.assert_allclose(
        losses * math.log(2), -log_softmax(model.logits)[np.arange(model.n), model.labels], rtol=1e-12
    )


def test_worst_samples_are_the_largest_losses(model):
    losses = pr.per_sample_loss(model)
    worst = pr.worst_samples(model, losses, 5)
    assert worst["loss"] == sorted(losses, reverse=True)[:5]
    for r, q in zip(worst["row"], worst["q_y"], strict=True):
        assert q == pytest.approx(model.probs[r, model.labels[r]], rel=1e-12)


def test_analyse_agrees_with_ce_core(model):
    a = pr.analyse(model)
    assert a.mean_ce == pytest.approx(
        float(np.mean(-log_softmax(model.logits)[np.arange(model.n), model.labels])), rel=1e-12
    )
    assert a.ece == expected_calibration_error(model.probs, model.labels)
    assert a.fitted_t == fit_temperature(model.logits, model.labels)
    assert a.fitted_t in a.grid
    assert 1.0 in a.grid
    exact = temperature_sweep(model.logits, model.labels, a.grid)
    np.testing.assert_allclose(a.sweep.mean_cross_entropy, exact.mean_cross_entropy, rtol=1e-6)
    assert a.mean_ce_fitted <= a.mean_ce
    assert a.decomposition is None


def test_analyse_binary_has_the_decomposition():
    p = pr.load(b"label,a,b\n0,0.8,0.2\n1,0.3,0.7\n1,0.6,0.4\n0,0.1,0.9\n", "b.csv")
    a = pr.analyse(p)
    d = log_loss_decomposition(p.probs, p.labels)
    assert a.decomposition == d
    assert a.decomposition.total == pytest.approx(a.mean_ce, rel=1e-12)
    bits = pr.decomposition_in_unit(a.decomposition, 2)
    assert bits.total == pytest.approx(a.mean_ce / math.log(2), rel=1e-12)


def test_separable_data_has_no_fitted_temperature_but_a_reason():
    a = pr.analyse(pr.load(b"label,a,b\n0,3,1\n1,0,2\n", "s.csv"))
    assert a.fitted_t is None
    assert "perfectly separated" in a.fit_message
    assert math.isnan(a.mean_ce_fitted)


def test_bin_table_lists_every_bin(model):
    bins = reliability_bins(model.probs, model.labels)
    table = pr.bin_table(bins)
    assert len(table["bin"]) == 16
    assert table["bin"][-1] == "[1, 1]"
    assert table["bin"][0] == "[0.000, 0.067)"
    assert table["count"] == bins.counts.tolist()


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_csv_download_escapes_formulas(cell):
    import csv

    text = pr.table_csv({"class": [cell, "ok"], "loss": [-0.5, 1.0]})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["class", "loss"], ["'" + cell, "-0.5"], ["ok", "1.0"]]  # numbers stay numbers


def test_digest_is_sha256():
    assert pr.digest(b"abc").startswith("ba7816bf")


def test_bundled_examples_read_and_stay_small():
    from pathlib import Path

    folder = Path(pr.__file__).parent / "data" / "examples"
    files = sorted(folder.glob("*.npz"))
    assert {f.name for f in files} == {"digits_mlp.npz", "digits_logreg.npz", "breast_cancer.npz"}
    for f in files:
        assert f.stat().st_size < 300_000
        p = pr.load(f.read_bytes(), f.name)
        assert p.n > 500
        assert p.k in (2, 10)


def test_numeric_class_names_are_matched_by_name():
    p = pr.load(b"label,1,2,3\n3,0.1,0.2,0.7\n1,0.5,0.25,0.25\n", "n.csv")
    np.testing.assert_array_equal(p.labels, [2, 0])  # "3" is the third column, not index 3
    p = pr.load(b"label,0,1,2\n2,0.1,0.2,0.7\n0,0.5,0.25,0.25\n", "n.csv")
    np.testing.assert_array_equal(p.labels, [2, 0])


def test_labels_may_mix_names_and_numbers():
    p = pr.load(b"label,cat,dog\ncat,0.6,0.4\n1,0.5,0.5\n", "m.csv")
    np.testing.assert_array_equal(p.labels, [0, 1])


def test_decomposition_table_sums_to_the_mean_ce():
    d = LogLossDecomposition(0.69, 0.4, 0.03, -0.01)
    table = pr.decomposition_table(d, "bits")
    assert table["term"] == ["uncertainty", "resolution", "reliability", "within_bin", "sum (= mean CE)"]
    assert table["bits"] == [*d, d.total]


def test_download_tables_hold_the_page_tables_in_nats(model):
    a = pr.analyse(model)
    tables = pr.download_tables(a)
    assert list(tables) == ["per-class table", "per-bin table", "worst samples"]
    assert tables["per-class table"] == pr.class_table(model, a.losses)
    assert tables["per-bin table"] == pr.bin_table(a.bins)
    assert tables["worst samples"] == pr.worst_samples(model, a.losses, 100)


def test_frame_shows_an_empty_cell_not_nan():
    frame = pr.frame({"class": ["a", "b"], "accuracy": [None, 0.5]})
    assert frame["accuracy"].isna().tolist() == [True, False]
    assert str(frame["accuracy"].dtype) == "Float64"
