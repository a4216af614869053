"""AppTest of the binary cross-entropy lesson: controls and workspace drive numbers and charts."""

import math

import numpy as np
import pytest

import ce_core
from ce_core.binary_point import binary_point, confident_mistakes
from ce_core.figures.binary import SCRUB_PREDICTIONS
from ce_core.information import UNITS
from lab.lesson_keys import BCE_LABEL, BCE_LABEL_DEFAULT, BCE_PRED, BCE_PRED_DEFAULT
from lab.ui import fmt
from tests.apptest_utils import chart_specs, decode, run_page, trace


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _state(at) -> tuple[int, float, str]:
    """The lesson state as the page holds it after the run (label, prediction, unit)."""
    unit = at.segmented_control(key="unit").value
    return int(at.segmented_control(key=BCE_LABEL).value), float(at.slider(key=BCE_PRED).value), unit


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
    point = trace(at, 0, "at q")
    custom = decode(point["customdata"]).tolist()
    if math.isinf(pt.loss):  # JSON has no infinity: the spec carries null, the text says ∞
        assert custom[0] is None
        assert decode(point["text"]).tolist()[0] == f"∞ {unit}"
        custom[0] = pt.loss
    np.testing.assert_allclose(custom, [pt.loss, pt.squared, pt.absolute], rtol=1e-12)
    assert decode(point["x"]).tolist() == [x, x, x]
    assert unit in chart_specs(at)[0]["layout"]["yaxis"]["title"]["text"]


def test_defaults():
    at = run_page("binary_ce", query_params={"predict": "false"})
    assert _state(at) == (BCE_LABEL_DEFAULT, BCE_PRED_DEFAULT, "bits")
    _check_numbers(at)
    assert len(chart_specs(at)) == 2


def test_moving_the_prediction_and_the_label():
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.slider(key=BCE_PRED).set_value(0.23).run()
    assert not at.exception
    assert _state(at)[1] == 0.23
    _check_numbers(at)
    at.segmented_control(key=BCE_LABEL).set_value(0).run()
    assert not at.exception
    assert _state(at)[:2] == (0, 0.23)
    _check_numbers(at)
    assert trace(at, 0, "squared error (y = 0, no unit)")


@pytest.mark.parametrize("unit", ["nats", "hartleys"])
def test_workspace_unit_changes_every_number(unit):
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.slider(key=BCE_PRED).set_value(0.4).run()
    at.segmented_control(key="unit").set_value(unit).run()
    assert not at.exception
    _check_numbers(at)
    table = at.dataframe[0].value
    expected = confident_mistakes(tuple(table["P(spam)"]), y=0, reference=0.51, base=UNITS[unit])
    short = {"nats": "nats", "hartleys": "Hart"}[unit]
    np.testing.assert_allclose(table[f"CE ({short})"], expected["cross_entropy"], rtol=1e-12)
    scrub = chart_specs(at)[1]
    assert unit in scrub["layout"]["yaxis"]["title"]["text"]


@pytest.mark.parametrize(("button", "prediction"), [(0, 0.9), (1, 0.51)])
def test_spam_presets(button, prediction):
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.button[button].click().run()
    assert not at.exception
    assert _state(at)[:2] == (0, prediction)
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
    at.slider(key=BCE_PRED).set_value(0.0).run()
    assert not at.exception
    shown = _metrics(at)
    assert shown["Cross-entropy ℓ"] == "∞ bits"
    assert shown["Slope dℓ/dq"] == "−∞ bits"
    assert any("−log 0 = ∞" in i.value for i in at.info)
    _check_numbers(at)
    tangent = trace(at, 0, "tangent")
    assert len(decode(tangent["x"])) == 0
    texts = [m.value for m in at.metric] + [c.value for c in at.caption] + [i.value for i in at.info]
    assert not any("nan" in t.lower() for t in texts)


def test_scrub_frames_follow_label_and_unit():
    at = run_page("binary_ce", query_params={"predict": "false"})
    at.segmented_control(key=BCE_LABEL).set_value(0).run()
    at.segmented_control(key="unit").set_value("nats").run()
    assert not at.exception
    y, _, unit = _state(at)
    scrub = chart_specs(at)[1]
    frames = scrub["frames"]
    assert [f["name"] for f in frames] == [f"{x:.2f}" for x in SCRUB_PREDICTIONS]
    for frame, x in zip(frames, SCRUB_PREDICTIONS, strict=True):
        pt = binary_point(y, float(x), UNITS[unit])
        np.testing.assert_allclose(decode(frame["data"][1]["y"]), [pt.loss, pt.squared, pt.absolute], rtol=1e-12)
        assert f"cross-entropy {pt.loss:.3f} {unit}" in frame["data"][2]["text"][0]


def test_url_restores_the_lesson():
    at = run_page("binary_ce", query_params={BCE_LABEL: "0", BCE_PRED: "0.9", "unit": "nats"})
    assert _state(at) == (0, 0.9, "nats")
    assert _metrics(at)["Cross-entropy ℓ"] == _fmt(-math.log(0.1), "nats")
    _check_numbers(at)


def test_presenter_mode_leaves_the_cached_scrub_unscaled():
    at = run_page("binary_ce", query_params={"presenter": "true"})
    assert at.toggle(key="presenter").value is True
    scaled = chart_specs(at)[1]["data"][0]["line"]["width"]
    plain = chart_specs(run_page("binary_ce", query_params={"predict": "false"}))[1]["data"][0]["line"]["width"]
    assert scaled == 1.5 * plain


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
