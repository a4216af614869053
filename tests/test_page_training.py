"""AppTests of the training page: every number and curve shown is what ce_core computes for the state.

The play timer (``run_every``) does not tick in AppTest, so training is driven with the
step buttons; pressing Play runs one tick's worth of steps on the rerun it triggers.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from ce_core.information import convert_units
from ce_core.training import (
    accuracy,
    confidently_wrong_model,
    gradient_norm,
    init_model,
    loss_and_gradient,
    make_blobs,
    plateau_start,
    predict_proba,
    train,
)
from lab.ui import fmt
from tests.apptest_utils import (
    chart_specs,
    decode,
    live_data,
    live_layer,
    live_readouts,
    run_page,
    set_live,
    trace,
)

PAGE = "training"
DEFAULTS = {"num_classes": 3, "points": 40, "spread": 1.0, "seed": 0, "learning_rate": 0.5}
BASES = {"bits": 2.0, "nats": math.e, "hartleys": 10.0}
PLATEAU_MESSAGE = "Plateau: the model has learned what it can"


def expected_history(steps, *, loss="cross_entropy", start="zero", **settings):
    """Loss after 0..steps steps, straight from ce_core.training (nats for cross-entropy)."""
    s = {**DEFAULTS, **settings}
    data = make_blobs(s["num_classes"], s["points"], s["spread"], s["seed"])
    model = init_model(data.num_classes) if start == "zero" else confidently_wrong_model(data, 1.0)
    trained, before = train(model, data, steps, s["learning_rate"], loss) if steps else (model, [])
    return np.array([*before, loss_and_gradient(trained, data, loss)[0]]), trained, data


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def click(at, key, times=1):
    for _ in range(times):
        at.button(key=key).click().run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def loss_chart(at) -> int:
    specs = chart_specs(at)
    for i, spec in enumerate(specs):
        if any(t.get("name") == "cross-entropy" for t in spec["data"]):
            return i
    raise AssertionError("no loss chart on the page")


def shown_fmt(at, value_in_nats) -> str:
    """The workspace formatter, applied to a ce_core value converted to the page's unit."""
    unit = at.session_state["unit"]
    return fmt(float(convert_units(value_in_nats, math.e, BASES[unit])), _Ws(unit))


class _Ws:
    def __init__(self, unit):
        self.unit = unit


def test_page_runs_and_starts_at_log_k():
    at = run_page(PAGE)
    history, _, _ = expected_history(0)
    assert metrics(at)["Steps taken"] == "0"
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])  # log2(3) bits from all-zero weights
    assert len(chart_specs(at)) == 2
    assert not at.success


@pytest.mark.parametrize("unit", ["bits", "nats"])
def test_step_buttons_train_exactly_as_ce_core(unit):
    at = run_page(PAGE, {"unit": unit})
    set_live(at, "tr_lr", 0.2)
    click(at, "tr_step10")
    click(at, "tr_step1", times=2)
    history, model, data = expected_history(12, learning_rate=0.2)

    curve = trace(at, loss_chart(at), "cross-entropy")
    np.testing.assert_allclose(decode(curve["y"]), history / math.log(BASES[unit]), rtol=1e-12)
    np.testing.assert_array_equal(decode(curve["x"]), np.arange(13))
    shown = metrics(at)
    assert shown["Steps taken"] == "12"
    assert shown["Cross-entropy"] == shown_fmt(at, history[-1])
    assert shown["Accuracy"] == f"{accuracy(model, data):.1%}"


def test_step_changes_the_loss_history():
    at = run_page(PAGE)
    before = decode(trace(at, loss_chart(at), "cross-entropy")["y"])
    click(at, "tr_step1")
    after = decode(trace(at, loss_chart(at), "cross-entropy")["y"])
    assert before.size == 1
    assert after.size == 2
    assert after[-1] < after[0]


def test_regions_show_the_data_and_ce_core_predictions():
    at = run_page(PAGE)
    click(at, "tr_step10")
    _, model, data = expected_history(10)
    spec = chart_specs(at)[0]
    assert [t["name"] for t in spec["data"]] == [
        "predicted class",
        "class 0",
        "class 1",
        "class 2",
    ]  # counted from 0, as everywhere
    for c in range(3):
        points = spec["data"][1 + c]
        np.testing.assert_allclose(decode(points["x"]), data.x[data.y == c, 0])
        np.testing.assert_allclose(decode(points["y"]), data.x[data.y == c, 1])
    heat = spec["data"][0]
    xs = decode(heat["x"]).astype(float)
    ys = decode(heat["y"]).astype(float)
    z = decode(heat["z"]).reshape(ys.size, xs.size)
    grid = np.column_stack(
        [np.repeat(xs[None, :], ys.size, 0).ravel(), np.repeat(ys[:, None], xs.size, 1).ravel()]
    )
    predicted = predict_proba(model, grid).argmax(axis=1).reshape(ys.size, xs.size)
    agree = np.mean(np.rint(z).astype(int) - 1 == predicted)
    assert agree > 0.99  # float32 grid coordinates may flip a cell on a boundary


@pytest.mark.parametrize(
    ("key", "value", "settings"),
    [
        ("tr_seed", 7, {"seed": 7}),
        ("tr_classes", 4, {"num_classes": 4}),
        ("tr_spread", 0.5, {"spread": 0.5}),
    ],
)
def test_changing_the_data_resets_training(key, value, settings):
    at = run_page(PAGE)
    click(at, "tr_step10")
    assert metrics(at)["Steps taken"] == "10"
    widget = at.number_input(key=key) if key == "tr_seed" else at.slider(key=key)
    widget.set_value(value).run()
    assert not at.exception
    history, _, data = expected_history(0, **settings)
    assert metrics(at)["Steps taken"] == "0"
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])
    spec = chart_specs(at)[0]
    assert len(spec["data"]) == 1 + data.num_classes
    np.testing.assert_allclose(decode(spec["data"][1]["x"]), data.x[data.y == 0, 0])
    # and training goes on from the new data
    click(at, "tr_step10")
    history, _, _ = expected_history(10, **settings)
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])


def test_learning_rate_change_keeps_the_model():
    at = run_page(PAGE)
    click(at, "tr_step10")
    set_live(at, "tr_lr", 1.0)
    assert metrics(at)["Steps taken"] == "10"


def test_reset_goes_back_to_step_zero():
    at = run_page(PAGE)
    click(at, "tr_step10")
    click(at, "tr_reset")
    assert metrics(at)["Steps taken"] == "0"
    assert decode(trace(at, loss_chart(at), "cross-entropy")["y"]).size == 1


def test_mse_option_adds_the_second_curve_and_regions():
    at = run_page(PAGE)
    at.toggle(key="tr_mse").set_value(True).run()
    click(at, "tr_step10")
    specs = chart_specs(at)
    assert len(specs) == 3
    i = loss_chart(at)
    assert [t["name"] for t in specs[i]["data"]] == ["cross-entropy", "MSE"]
    mse, mse_model, data = expected_history(10, loss="mse")
    np.testing.assert_allclose(decode(trace(at, i, "MSE")["y"]), mse, rtol=1e-12)
    assert specs[i]["layout"]["yaxis2"]["title"]["text"].startswith("MSE (no unit)")
    shown = metrics(at)
    assert shown["MSE (no unit)"] == f"{mse[-1]:.4f}"
    assert shown["Accuracy, MSE model"] == f"{accuracy(mse_model, data):.1%}"
    at.toggle(key="tr_mse").set_value(False).run()
    assert len(chart_specs(at)) == 2
    assert metrics(at)["Steps taken"] == "10"  # the option does not reset training


def test_confidently_wrong_start_shows_the_gap():
    at = run_page(PAGE, {"tr_start": "confidently wrong", "tr_mse": "true"})
    history, model, data = expected_history(0, start="wrong")
    shown = metrics(at)
    assert shown["Cross-entropy"] == shown_fmt(at, history[-1])
    assert shown["Accuracy"] == f"{accuracy(model, data):.1%}"
    ce_norm = gradient_norm(model, data, "cross_entropy")
    mse_norm = gradient_norm(model, data, "mse")
    text = " ".join(m.value for m in at.markdown)
    assert f"**{ce_norm:.3g}** for cross-entropy and **{mse_norm:.3g}** for MSE" in text
    click(at, "tr_step10", times=2)
    ce, _, _ = expected_history(20, start="wrong")
    mse, _, _ = expected_history(20, start="wrong", loss="mse")
    i = loss_chart(at)
    np.testing.assert_allclose(decode(trace(at, i, "cross-entropy")["y"]), ce / math.log(2), rtol=1e-12)
    np.testing.assert_allclose(decode(trace(at, i, "MSE")["y"]), mse, rtol=1e-12)
    # the lesson's point, on the numbers shown: CE has fallen most of the way, MSE has barely moved
    assert ce[-1] < 0.1 * ce[0]
    assert mse[-1] > 0.9 * mse[0]


def test_plateau_message_after_enough_steps_on_easy_data():
    at = run_page(PAGE, {"tr_classes": "2", "tr_spread": "0.5"})
    settings = {"num_classes": 2, "spread": 0.5}
    click(at, "tr_step10")
    assert not at.success
    for _ in range(60):
        click(at, "tr_step10")
        if at.success:
            break
    steps = int(metrics(at)["Steps taken"])
    history, _, _ = expected_history(steps, **settings)
    start = plateau_start(history)
    assert start is not None
    assert PLATEAU_MESSAGE in at.success[0].value
    assert f"Detected at step {start}" in at.success[0].value
    # the message came as soon as it was true: 10 steps earlier there was no plateau
    assert plateau_start(history[:-10]) is None
    spec = chart_specs(at)[loss_chart(at)]
    assert spec["layout"]["shapes"][0]["x0"] == start


def test_play_runs_a_tick_and_pause_stops():
    at = run_page(PAGE)
    at.segmented_control(key="tr_speed").set_value(20).run()
    click(at, "tr_play")
    assert at.button(key="tr_play").label == "Pause"
    assert metrics(at)["Steps taken"] == "20"
    history, _, _ = expected_history(20)
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])
    click(at, "tr_play")
    assert at.button(key="tr_play").label == "Play"
    assert metrics(at)["Steps taken"] == "20"


def test_play_stops_by_itself_at_the_plateau():
    at = run_page(PAGE, {"tr_classes": "2", "tr_spread": "0.5", "tr_lr": "2.0"})
    for _ in range(30):
        click(at, "tr_step10")
    assert at.success
    click(at, "tr_play")
    assert at.button(key="tr_play").label == "Play"  # one tick, then the plateau stopped it


def test_link_restores_the_settings():
    at = run_page(PAGE, {"tr_classes": "4", "tr_points": "20", "tr_seed": "3"})
    data = make_blobs(4, 20, 1.0, 3)
    spec = chart_specs(at)[0]
    assert len(spec["data"]) == 5
    np.testing.assert_allclose(decode(spec["data"][4]["y"]), data.x[data.y == 3, 1])


def test_unit_comes_from_the_workspace():
    at = run_page(PAGE, {"unit": "hartleys"})
    assert metrics(at)["Cross-entropy"].endswith("hartleys")
    assert "hartleys" in chart_specs(at)[loss_chart(at)]["layout"]["yaxis"]["title"]["text"]


def test_a_link_with_every_setting_is_taken_without_warning():
    query = {
        "tr_classes": "4",
        "tr_points": "20",
        "tr_spread": "1.5",
        "tr_seed": "3",
        "tr_start": "confidently wrong",
        "tr_mse": "true",
        "tr_lr": "0.2",
        "tr_speed": "20",
    }
    at = run_page(PAGE, query)
    assert not at.warning, [w.value for w in at.warning]
    history, _, _ = expected_history(0, start="wrong", num_classes=4, points=20, spread=1.5, seed=3)
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])


# ---- the learning rate: a live control, with what the next 50 steps would do at every η -----------

LR = "tr_lr"
LOOKAHEAD = 50
CURVE = "cross-entropy over the next steps at η"


def test_the_control_keeps_every_old_rate_on_a_log_grid():
    at = run_page(PAGE)
    grid = np.array(live_data(at, LR)["values"])
    for old in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0):  # the old select slider's rates
        assert np.isclose(grid, old, rtol=1e-12, atol=0).sum() == 1, old
    ratios = grid[1:] / grid[:-1]
    assert grid[0] == 0.01
    assert grid[-1] == 10.0
    assert ratios.min() > 1.2
    assert ratios.max() < 1.3
    assert live_data(at, LR)["value_text"][live_data(at, LR)["index"]] == "0.5"


@pytest.mark.parametrize("unit", ["bits", "nats"])
def test_preview_rows_are_the_next_steps_of_ce_core_at_every_rate(unit):
    at = run_page(PAGE, {"unit": unit, "tr_start": "confidently wrong", "tr_spread": "1.5"})
    click(at, "tr_step10")
    history, model, data = expected_history(10, start="wrong", spread=1.5)
    grid = np.array(live_data(at, LR)["values"])
    layer = live_layer(at, LR, CURVE)
    rows = layer["y"].reshape(grid.size, LOOKAHEAD + 1)
    np.testing.assert_array_equal(layer["x"], np.arange(LOOKAHEAD + 1))
    for rate, row in zip(grid, rows, strict=True):
        _, ahead = train(model, data, LOOKAHEAD + 1, float(rate))  # losses after 0..50 more steps
        np.testing.assert_allclose(row, np.array(ahead) / math.log(BASES[unit]), rtol=1e-7)
    assert rows[0, 0] == pytest.approx(history[-1] / math.log(BASES[unit]), rel=1e-12)
    now = live_layer(at, LR, "loss now")
    np.testing.assert_allclose(now["y"], history[-1] / math.log(BASES[unit]), rtol=1e-12)
    point = live_layer(at, LR, "after 50 steps")
    np.testing.assert_allclose(point["y"], rows[:, -1], rtol=0)


def test_readouts_say_what_the_next_steps_do():
    # 4 classes that overlap, from all-zero weights: η = 0.5 descends, η = 10 overshoots
    at = run_page(PAGE, {"tr_classes": "4", "tr_points": "100", "tr_spread": "1.5"})
    settings = {"num_classes": 4, "points": 100, "spread": 1.5}
    _, model, data = expected_history(0, **settings)
    now = loss_and_gradient(model, data)[0]
    _, ahead = train(model, data, LOOKAHEAD + 1, 0.5)
    shown = live_readouts(at, LR)
    assert shown["Loss after 50 more steps"] == shown_fmt(at, ahead[-1])
    assert ahead[-1] < now
    assert all(b <= a for a, b in itertools.pairwise(ahead))
    assert shown["The next 50 steps"] == "the loss falls"
    set_live(at, LR, 10.0)
    _, ahead = train(model, data, LOOKAHEAD + 1, 10.0)
    assert ahead[-1] < now
    assert max(b - a for a, b in itertools.pairwise(ahead)) > 1e-3 * now
    assert live_readouts(at, LR) == {
        "Loss after 50 more steps": shown_fmt(at, ahead[-1]),
        "The next 50 steps": "the loss zigzags",
    }
    assert metrics(at)["Steps taken"] == "0"  # moving η previews; it takes no step
    set_live(at, LR, 0.5)
    click(at, "tr_step10")
    set_live(at, LR, 10.0)
    _, model, _ = expected_history(10, **settings)
    now = loss_and_gradient(model, data)[0]
    _, ahead = train(model, data, LOOKAHEAD + 1, 10.0)
    assert ahead[-1] > now  # from step 10, 50 steps at η = 10 end above where they began
    assert live_readouts(at, LR) == {
        "Loss after 50 more steps": shown_fmt(at, ahead[-1]),
        "The next 50 steps": "the loss rises: too large",
    }


def test_after_the_plateau_a_small_rate_stalls():
    at = run_page(PAGE, {"tr_classes": "2", "tr_spread": "0.5", "tr_lr": "2.0"})
    for _ in range(30):
        click(at, "tr_step10")
    assert at.success
    set_live(at, LR, 0.01)
    steps = int(metrics(at)["Steps taken"])
    history, model, data = expected_history(steps, num_classes=2, spread=0.5, learning_rate=2.0)
    _, ahead = train(model, data, LOOKAHEAD + 1, 0.01)
    assert abs(ahead[0] - ahead[-1]) < 1e-3 * history[0]  # less than 0.1 % of the starting loss
    assert live_readouts(at, LR)["The next 50 steps"] == "the loss stalls"


def test_the_released_rate_trains_the_model():
    at = run_page(PAGE)
    set_live(at, LR, 6.3)
    click(at, "tr_step10")
    history, model, data = expected_history(10, learning_rate=6.3)
    np.testing.assert_allclose(
        decode(trace(at, loss_chart(at), "cross-entropy")["y"]), history / math.log(2), rtol=1e-12
    )
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])
    # and the preview now starts from that model
    _, ahead = train(model, data, LOOKAHEAD + 1, 6.3)
    assert live_readouts(at, LR)["Loss after 50 more steps"] == shown_fmt(at, ahead[-1])


@pytest.mark.parametrize("value", ["0.5", "2.0", "2", "0.02", "10"])
def test_old_links_with_a_rate_still_work(value):
    at = run_page(PAGE, {"tr_lr": value})
    assert not at.warning, [w.value for w in at.warning]
    data = live_data(at, LR)
    assert data["values"][data["index"]] == pytest.approx(float(value), rel=1e-12)
    click(at, "tr_step1")
    history, _, _ = expected_history(1, learning_rate=float(value))
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])


@pytest.mark.parametrize("value", ["0.3", "abc", "100", "-1"])
def test_a_rate_off_the_grid_is_reported_and_the_default_used(value):
    at = run_page(PAGE, {"tr_lr": value})
    assert any("tr_lr" in w.value and "not a valid value" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    data = live_data(at, LR)
    assert data["values"][data["index"]] == 0.5
    click(at, "tr_step1")
    history, _, _ = expected_history(1, learning_rate=0.5)
    assert metrics(at)["Cross-entropy"] == shown_fmt(at, history[-1])


def test_presenter_mode_folds_the_data_settings():
    at = run_page(PAGE, {"presenter": "true"})
    assert "Data and start" in [e.label for e in at.expander]
    assert at.slider(key="tr_classes").value == 3  # still there, and bound
    at = run_page(PAGE)
    assert "Data and start" not in [e.label for e in at.expander]


def test_the_every_rate_view_puts_eta_on_a_log_axis():
    view = "every η, after 10 and 50 steps"
    at = run_page(PAGE, {"tr_view": view, "unit": "nats"})
    click(at, "tr_step10")
    _, model, data = expected_history(10)
    spec = live_data(at, LR)["chart"]
    assert spec["x_log"] is True
    assert spec["x_label"] == "learning rate η (log scale)"
    grid = np.array(live_data(at, LR)["values"])
    after = {k: [] for k in (10, 50)}
    for rate in grid:
        _, ahead = train(model, data, LOOKAHEAD + 1, float(rate))
        after[10].append(ahead[10])
        after[50].append(ahead[50])
    for steps in (10, 50):
        layer = live_layer(at, LR, f"after {steps} steps")
        np.testing.assert_array_equal(layer["x"], grid)
        np.testing.assert_allclose(layer["y"], after[steps], rtol=1e-7)
    np.testing.assert_array_equal(live_layer(at, LR, "η")["x"], grid)
    np.testing.assert_allclose(live_layer(at, LR, "at η, after 50 steps")["y"], after[50], rtol=1e-7)
    # the readouts and the training are those of the other view
    assert live_readouts(at, LR)["Loss after 50 more steps"] == shown_fmt(
        at, after[50][int(np.flatnonzero(grid == 0.5)[0])]
    )
    at.segmented_control(key="tr_view").set_value("next 50 steps at η").run()
    assert live_data(at, LR)["chart"]["x_log"] is False
    assert metrics(at)["Steps taken"] == "10"
