"""AppTest of the binary cross-entropy lesson: controls and workspace drive numbers and the live chart.

The prediction control is a custom component (lab.components.live_chart): AppTest sees the data it
was mounted with (every position of the grid), and drives it through session state.
"""

import math

import numpy as np
import pytest

import ce_core
from ce_core.binary_point import binary_point, confident_mistakes
from ce_core.information import UNITS
from ce_core.live import parameter_grid
from lab.figures.binary import y_top
from lab.lesson_keys import BCE_LABEL, BCE_LABEL_DEFAULT, BCE_PRED, BCE_PRED_DEFAULT
from lab.ui import fmt
from tests.apptest_utils import assert_link_reported, live_data, live_layer, live_readouts, run_page, set_live


def _metrics(at) -> dict[str, str]:
    """The readouts at the control's position (what the page shows once it has settled)."""
    return live_readouts(at, BCE_PRED)


def _state(at) -> tuple[int, float, str]:
    """The lesson state as the page holds it after the run (label, prediction, unit)."""
    unit = at.segmented_control(key="unit").value
    return int(at.segmented_control(key=BCE_LABEL).value), float(at.session_state[BCE_PRED]), unit


def _fmt(value: float, unit: str) -> str:
    class _Ws:  # fmt only reads .unit
        pass

    ws = _Ws()
    ws.unit = unit
    return fmt(value, ws)


def _check_numbers(at) -> None:
    """Every shown number and the point trace equal ce_core for the state the page holds."""
    y, x, unit = _state(at)
    pt = binary_point(y, x, UNITS[unit])
    shown = _metrics(at)
    assert shown["Cross-entropy ℓ"] == _fmt(pt.loss, unit)
    assert shown["Gradient to the logit dℓ/dz"] == _fmt(pt.logit_gradient, unit)
    if math.isfinite(pt.slope):
        assert shown["Slope dℓ/dq"] == _fmt(pt.slope, unit)
    data = live_data(at, BCE_PRED)
    grid = parameter_grid(0.0, 1.0, 0.01)
    assert data["values"] == grid.tolist()
    assert data["values"][data["index"]] == x
    g = data["index"]
    for name, want in (
        ("cross-entropy at q", pt.loss),
        ("squared error at q", pt.squared),
        ("absolute error at q", pt.absolute),
    ):
        layer = live_layer(at, BCE_PRED, name)
        assert layer["x"][g] == x
        assert layer["y"][g] == (pytest.approx(want, rel=1e-12) if math.isfinite(want) else want)
    assert unit in data["chart"]["y_label"]
    assert f"q = {x:.2f}: cross-entropy {_fmt(pt.loss, unit)}" in data["chart"]["caption"][g]


def test_defaults():
    at = run_page("binary_ce", query_params={"predict": "false"})
    assert _state(at) == (BCE_LABEL_DEFAULT, BCE_PRED_DEFAULT, "bits")
    _check_numbers(at)
    assert not at.get("plotly_chart"), "the prediction's chart is the live one: no Plotly twin"
    y_label = live_data(at, BCE_PRED)["chart"]["y_label"]
    assert "bits" in y_label, y_label
    assert "no unit" in y_label, y_label  # squared / absolute error are not in bits


def test_moving_the_prediction_and_the_label():
    at = run_page("binary_ce", query_params={"predict": "false"})
    set_live(at, BCE_PRED, 0.23)
    assert _state(at)[1] == 0.23
    _check_numbers(at)
    at.segmented_control(key=BCE_LABEL).set_value(0).run()
    assert not at.exception
    assert _state(at)[:2] == (0, 0.23)
    _check_numbers(at)
    assert live_layer(at, BCE_PRED, "squared error (y = 0, no unit)")


@pytest.mark.parametrize("unit", ["nats", "hartleys"])
def test_workspace_unit_changes_every_number(unit):
    at = run_page("binary_ce", query_params={"predict": "false"})
    set_live(at, BCE_PRED, 0.4)
    at.segmented_control(key="unit").set_value(unit).run()
    assert not at.exception
    _check_numbers(at)
    table = at.dataframe[0].value
    expected = confident_mistakes(tuple(table["P(spam)"]), y=0, reference=0.51, base=UNITS[unit])
    short = {"nats": "nats", "hartleys": "Hart"}[unit]
    np.testing.assert_allclose(table[f"CE ({short})"], expected["cross_entropy"], rtol=1e-12)


@pytest.mark.parametrize(("button", "prediction"), [(0, 0.9), (1, 0.51)])
def test_spam_presets(button, prediction):
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.button[button].click().run()
    assert not at.exception
    assert _state(at)[:2] == (0, prediction)
    _check_numbers(at)


@pytest.mark.parametrize(("button", "prediction"), [(0, 0.9), (1, 0.51)])
def test_spam_presets_in_presenter_mode(button, prediction):
    """Presenter mode sets the formula, the label and the examples (in a popover) in one row."""
    at = run_page("binary_ce", query_params={"predict": "false", "presenter": "true"})
    assert [e.value.strip("$\n") for e in at.latex] == [
        r"\ell(y, q) = -\big[\,y \log q + (1 - y) \log (1 - q)\,\big]"
    ]
    at.session_state["bce_examples"] = True  # the popover is open
    at.run()
    at.button[button].click().run()
    assert not at.exception
    assert _state(at)[:2] == (0, prediction)
    assert at.session_state["bce_examples"] is False  # and closes once the example is loaded
    _check_numbers(at)


def test_spam_comparison_table_and_caption():
    at = run_page("binary_ce", query_params={"predict": "false"})
    table = at.dataframe[0].value
    expected = confident_mistakes(tuple(table["P(spam)"]), y=0, reference=0.51, base=2.0)
    np.testing.assert_allclose(table["CE (bits)"], expected["cross_entropy"], rtol=1e-12)
    np.testing.assert_allclose(table["CE ×"], expected["cross_entropy_ratio"], rtol=1e-12)
    np.testing.assert_allclose(table["MSE"], expected["squared"], rtol=1e-12)
    np.testing.assert_allclose(table["∂MSE/∂z"], expected["squared_logit_gradient"], rtol=1e-12)
    i90 = list(table["P(spam)"]).index(0.9)
    captions = " ".join(c.value for c in at.caption)
    assert f"{expected['cross_entropy_ratio'][i90]:.2f} times" in captions


def test_certain_and_wrong_shows_infinity_not_nan():
    at = run_page("binary_ce", query_params={"predict": "false"})
    set_live(at, BCE_PRED, 0.0)
    shown = _metrics(at)
    assert shown["Cross-entropy ℓ"] == "∞ bits"
    assert shown["Slope dℓ/dq"] == "−∞ bits"
    assert any("−log 0 = ∞" in i.value for i in at.info)
    _check_numbers(at)
    tangent = live_layer(at, BCE_PRED, "tangent")
    assert np.isnan(tangent["x0"][0])
    assert np.isnan(tangent["y1"][0])
    assert (
        live_layer(at, BCE_PRED, "cross-entropy at q")["y"][0] == math.inf
    )  # drawn as a triangle at the top
    texts = list(_metrics(at).values()) + [c.value for c in at.caption] + [i.value for i in at.info]
    assert not any("nan" in t.lower() for t in texts)


def test_every_position_of_the_control_equals_ce_core():
    """The table the browser looks up while dragging: each row is binary_point at that q."""
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.segmented_control(key=BCE_LABEL).set_value(0).run()
    at.segmented_control(key="unit").set_value("nats").run()
    assert not at.exception
    y, _, unit = _state(at)
    data = live_data(at, BCE_PRED)
    loss = live_layer(at, BCE_PRED, "cross-entropy at q")["y"]
    tangent = live_layer(at, BCE_PRED, "tangent")
    readouts = {r["label"]: r["text"] for r in data["readouts"]}
    top = y_top(UNITS[unit])
    for g, x in enumerate(data["values"]):
        pt = binary_point(y, x, UNITS[unit])
        assert loss[g] == (pytest.approx(pt.loss, rel=1e-12) if math.isfinite(pt.loss) else pt.loss)
        assert readouts["Cross-entropy ℓ"][g] == _fmt(pt.loss, unit)
        assert readouts["Gradient to the logit dℓ/dz"][g] == _fmt(pt.logit_gradient, unit)
        if math.isfinite(pt.slope) and pt.loss <= top:
            slope = (tangent["y1"][g] - tangent["y0"][g]) / (tangent["x1"][g] - tangent["x0"][g])
            assert slope == pytest.approx(pt.slope, rel=1e-9)


@pytest.mark.parametrize("bad", ["abc", "0.705", "1.5", "nan"])
def test_a_bad_link_value_warns_and_keeps_the_default(bad):
    at = run_page("binary_ce", query_params={BCE_PRED: bad, "predict": "false"})
    assert _state(at)[1] == BCE_PRED_DEFAULT
    assert_link_reported(at, BCE_PRED)
    _check_numbers(at)


def test_url_restores_the_lesson():
    at = run_page("binary_ce", query_params={BCE_LABEL: "0", BCE_PRED: "0.9", "unit": "nats"})
    assert _state(at) == (0, 0.9, "nats")
    assert _metrics(at)["Cross-entropy ℓ"] == _fmt(-math.log(0.1), "nats")
    _check_numbers(at)


def test_presenter_mode_reaches_the_live_chart():
    at = run_page("binary_ce", query_params={"presenter": "true"})
    assert at.toggle(key="presenter").value is True
    assert live_data(at, BCE_PRED)["presenter"] is True


def test_predict_first_hides_the_spam_table_until_a_guess():
    at = run_page("binary_ce")
    assert not at.dataframe
    options = next(r for r in at.radio if r.key.startswith("predict_bce_spam_ratio")).options
    ratio = ce_core.binary_cross_entropy(0, 0.9) / ce_core.binary_cross_entropy(0, 0.51)
    right = options.index(f"about {ratio:.1f}×")
    next(r for r in at.radio if r.key.startswith("predict_bce_spam_ratio")).set_value(right).run()
    at.button(key="predict_bce_spam_ratio_lock").click().run()
    assert at.dataframe
    assert f"{ratio:.2f}" in at.success[0].value


def test_the_csv_export_holds_the_live_chart_at_the_controls_value():
    import csv
    import io

    from lab.ui import charts_csv

    at = set_live(run_page("binary_ce", query_params={"predict": "false"}), BCE_PRED, 0.42)
    rows = list(csv.DictReader(io.StringIO(charts_csv(at.session_state["_charts"]))))
    point = [r for r in rows if r["chart"] == BCE_PRED and r["trace"] == "cross-entropy at q"]
    assert [float(r["x"]) for r in point] == [0.42]
    assert float(point[0]["y"]) == pytest.approx(binary_point(1, 0.42, 2.0).loss, rel=1e-12)
