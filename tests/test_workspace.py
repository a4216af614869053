"""The shared workspace: normalisation policy, presets, bad input, and the home page."""

import numpy as np
import pytest

import ce_core
from lab.workspace import DEFAULT_NAMES, PRESETS, clean_name, preset_weights
from tests.apptest_utils import chart_specs, decode, run_page, set_slider


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def shown(value, unit):
    return f"{value:.4f} {unit}"


def test_home_shows_workspace_numbers_from_ce_core():
    at = run_page()
    p = ce_core.normalize([at.slider(key=f"p{i}").value for i in range(3)])
    q = ce_core.normalize([at.slider(key=f"q{i}").value for i in range(3)])
    m = metric_values(at)
    assert m["Entropy H(p)"] == shown(ce_core.entropy(p, base=2), "bits")
    assert m["Cross-entropy H(p, q)"] == shown(ce_core.cross_entropy(p, q, base=2), "bits")
    assert m["KL(p ‖ q)"] == shown(ce_core.kl_divergence(p, q, base=2), "bits")


def test_moving_a_slider_changes_numbers_and_bars_to_the_normalised_weights():
    at = run_page()
    set_slider(at, "p0", 80.0)
    weights_p = [at.slider(key=f"p{i}").value for i in range(3)]
    weights_q = [at.slider(key=f"q{i}").value for i in range(3)]
    assert weights_p[0] == 80.0
    p, q = ce_core.normalize(weights_p), ce_core.normalize(weights_q)
    data = chart_specs(at)[0]["data"]
    np.testing.assert_allclose(decode(data[0]["y"]), p)
    np.testing.assert_allclose(decode(data[1]["y"]), q)
    assert metric_values(at)["Cross-entropy H(p, q)"] == shown(ce_core.cross_entropy(p, q, base=2), "bits")


@pytest.mark.parametrize(("unit", "base"), [("nats", np.e), ("hartleys", 10.0), ("bits", 2.0)])
def test_unit_switch_applies_to_every_number(unit, base):
    at = run_page()
    at.button_group(key="unit").set_value(unit).run()
    p = ce_core.normalize([at.slider(key=f"p{i}").value for i in range(3)])
    assert metric_values(at)["Entropy H(p)"] == shown(ce_core.entropy(p, base=base), unit)


def test_all_zero_weights_fall_back_to_uniform_with_a_visible_notice():
    at = run_page()
    for i in range(3):
        set_slider(at, f"q{i}", 0.0)
    assert any("All q weights are 0" in w.value for w in at.warning)
    data = chart_specs(at)[0]["data"]
    np.testing.assert_allclose(decode(data[1]["y"]), np.full(3, 1 / 3))


def test_q_zero_where_p_positive_shows_infinity_not_nan():
    at = run_page()
    set_slider(at, "q0", 0.0)
    m = metric_values(at)
    assert m["Cross-entropy H(p, q)"] == "∞ bits"
    assert m["KL(p ‖ q)"] == "∞ bits"
    assert not any("nan" in v.lower() for v in m.values())


def test_number_of_classes_adds_sliders_and_classes():
    at = run_page()
    set_slider(at, "k", 5)
    assert [at.slider(key=f"p{i}").label for i in range(5)] == list(DEFAULT_NAMES[:5])
    assert len(decode(chart_specs(at)[0]["data"][0]["y"])) == 5


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_sets_weights_that_sum_to_100(preset):
    p, q, k = preset_weights(preset, 4, seed=3)
    assert len(p) == len(q) == k
    assert sum(p) == pytest.approx(100, abs=0.3)
    assert sum(q) == pytest.approx(100, abs=0.3)


def test_random_preset_is_seeded():
    assert preset_weights("Random", 5, seed=7) == preset_weights("Random", 5, seed=7)
    assert preset_weights("Random", 5, seed=7) != preset_weights("Random", 5, seed=8)


def test_applying_the_seed_example_preset_gives_the_worked_value():
    at = run_page()
    at.selectbox(key="preset").set_value("Seed example (0.4797 nats)").run()
    at.button[0].click().run()
    at.button_group(key="unit").set_value("nats").run()
    assert metric_values(at)["Cross-entropy H(p, q)"] == shown(-np.log(0.619), "nats")


def test_url_parameters_restore_the_workspace():
    at = run_page(query_params={"k": "4", "p0": "10", "q3": "70", "unit": "nats"})
    assert at.slider(key="k").value == 4
    assert at.slider(key="p0").value == 10.0
    assert at.slider(key="q3").value == 70.0
    assert at.button_group(key="unit").value == "nats"


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "", "  "])
def test_class_names_are_cleaned_of_markup(raw):
    name = clean_name(raw, 2)
    assert "<" not in name
    assert ">" not in name
    assert name


def test_garbage_url_parameters_fall_back_to_defaults():
    at = run_page(query_params={"k": "eleven", "p0": "NaN", "q1": "-5", "unit": "furlongs"})
    assert at.slider(key="k").value == 3
    assert at.button_group(key="unit").value == "bits"
