"""The page "Your model" in a real browser: upload a CSV and an .npz, drag T, bad files.

While the mouse button is down the T control's readouts and reliability bars must already show
ce_core's numbers for the temperature under the pointer (looked up in the table the page sent; no
script run happens). Expected values are computed here with ce_core from the same file.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from ce_core.calibration import temperature_sweep
from lab import predictions as pr
from tests.e2e.helpers import (
    component_state,
    error_alert_texts,
    exception_texts,
    in_component_js,
    open_page,
    settle,
    wait_run_finished,
    wait_until,
)

pytestmark = pytest.mark.e2e

T_KEY = "ym_t"
UPLOAD = "Upload your own file (CSV or .npz)"

STATE_JS = in_component_js(
    ".lc",
    """
    const rail = box.querySelector('.lc-rail').getBoundingClientRect();
    return {
      g: Number(box.dataset.g),
      readouts: Object.fromEntries([...box.querySelectorAll('[data-readout]')].map(n => [n.dataset.readout, n.textContent])),
      bars: Object.fromEntries([...box.querySelectorAll('.lc-chart')].flatMap(c => [...c.querySelectorAll('.lc-bars')])
            .map(b => [b.dataset.layer, [...b.querySelectorAll('rect')].map(r => Number(r.getAttribute('data-v')))])),
      rail: {x: rail.x, y: rail.y, width: rail.width, height: rail.height},
    };""",
)


def _state(page) -> dict:
    return component_state(page, STATE_JS, T_KEY)


def _csv_bytes() -> bytes:
    rng = np.random.default_rng(18)
    z = rng.normal(size=(3000, 5)) * 4  # confident logits, right 70% of the time: overconfident
    y = np.where(rng.random(3000) < 0.7, z.argmax(axis=1), rng.integers(0, 5, 3000))
    out = io.StringIO()
    out.write("label,a,b,c,d,e\n")
    np.savetxt(out, np.column_stack([y, z]), delimiter=",", fmt=["%d"] + ["%.17g"] * 5)
    return out.getvalue().encode()


def _choose_upload(page, stream) -> None:
    since = stream.finished_runs
    page.locator(".st-key-ym_source").click()
    page.get_by_role("option", name=UPLOAD).click()
    wait_run_finished(page, stream, since)
    settle(page, stream)


def _upload(page, stream, path) -> None:
    since = stream.finished_runs
    page.locator("input[type=file]").set_input_files(str(path))
    wait_run_finished(page, stream, since, timeout=60)
    settle(page, stream)


def _success_text(page) -> str:
    return " ".join(page.locator("[data-testid=stAlertContentSuccess]").all_inner_texts())


def _check_position(state: dict, g: int, grid, fast, exact, accuracy: float) -> None:
    """What the control shows at grid position g: ce_core's numbers for softmax(z / grid[g])."""
    assert state["g"] == g
    read = state["readouts"]
    assert read["ce"] == f"{fast.mean_cross_entropy[g] / math.log(2):.4f} bits"
    assert read["ece"] == f"{fast.calibration_error[g]:.4f}"
    assert float(read["ce"].split()[0]) == pytest.approx(
        exact.mean_cross_entropy[g] / math.log(2), abs=1.5e-4
    )
    assert float(read["ece"]) == pytest.approx(exact.calibration_error[g], abs=1e-3)
    assert read["acc"] == f"{accuracy:.3f}"
    shown = np.array(state["bars"]["accuracy"], dtype=float)
    np.testing.assert_allclose(shown, fast.accuracy[g], equal_nan=True)


def test_upload_csv_drag_t_then_npz_and_a_bad_file(page, app_url, stream, tmp_path):
    open_page(page, app_url, "your_model", stream)
    assert "Read 1,797 samples" in _success_text(page)  # a bundled example shows at once
    _choose_upload(page, stream)

    data = _csv_bytes()
    (tmp_path / "preds.csv").write_bytes(data)
    _upload(page, stream, tmp_path / "preds.csv")
    assert "Read 3,000 samples × 5 classes as logits" in _success_text(page)
    expected = pr.analyse(pr.load(data, "preds.csv"))
    grid = expected.grid
    fast = temperature_sweep(expected.pred.logits, expected.pred.labels, grid, fast=True)
    exact = temperature_sweep(expected.pred.logits, expected.pred.labels, grid)
    assert expected.fitted_t > 1  # overconfident, as made

    page.locator(f".st-key-live_{T_KEY} .lc-slider").scroll_into_view_if_needed()
    state = _state(page)
    start = int(np.flatnonzero(grid == 1.0)[0])
    _check_position(state, start, grid, fast, exact, expected.accuracy)
    rail = state["rail"]
    y = rail["y"] + rail["height"] / 2

    def x_of(g: int) -> float:
        return rail["x"] + rail["width"] * g / (grid.size - 1)

    runs_before = stream.finished_runs
    page.mouse.move(x_of(start), y)
    page.mouse.down()
    fitted_g = int(np.flatnonzero(grid == expected.fitted_t)[0])
    for g in (fitted_g, grid.size - 3, 2, round(grid.size * 0.7)):
        page.mouse.move(x_of(g), y, steps=4)
        wait_until(page, lambda g=g: _state(page)["g"] == g, timeout=5, message=f"T position {g}")
        _check_position(_state(page), g, grid, fast, exact, expected.accuracy)
    assert stream.finished_runs == runs_before, "a script run happened while the button was still down"
    page.mouse.up()
    wait_run_finished(page, stream, runs_before)
    settle(page, stream)
    _check_position(_state(page), round(grid.size * 0.7), grid, fast, exact, expected.accuracy)
    assert not exception_texts(page)

    rng = np.random.default_rng(5)
    z = rng.normal(size=(200, 4)).astype(np.float32)
    labels = rng.integers(0, 4, 200)
    buf = io.BytesIO()
    np.savez(buf, labels=labels, logits=z)
    (tmp_path / "preds.npz").write_bytes(buf.getvalue())
    _upload(page, stream, tmp_path / "preds.npz")
    assert "Read 200 samples × 4 classes as logits" in _success_text(page)
    z64 = z.astype(np.float64)
    ce = float(np.mean(np.log(np.exp(z64).sum(axis=1)) - z64[np.arange(200), labels]))
    assert f"{ce:.4f}" in page.locator("[data-testid=stMetric]").all_inner_texts()[1]

    (tmp_path / "bad.csv").write_bytes(b"label,a,b\n0,0.3,0.6\n1,0.2,0.3\n")
    _upload(page, stream, tmp_path / "bad.csv")
    assert any("sums to 0.9" in t for t in error_alert_texts(page)), error_alert_texts(page)
    assert not exception_texts(page)
    since = stream.finished_runs
    page.get_by_role("button", name="Read these numbers as logits").click()
    wait_run_finished(page, stream, since)
    settle(page, stream)
    assert "as logits" in _success_text(page)

    bad_files = {
        "no_label.csv": (b"a,b\n0.3,0.7\n", "No label column"),
        "ragged.csv": (b"label,a,b\n0,0.3,0.7,0.1\n", "Row 0 has 4 cells"),
        "semicolons_bad.csv": (b"label;a;b\n7;0,3;0,7\n", "The label 7 in row 0"),
    }
    for name, (bad, message) in bad_files.items():
        (tmp_path / name).write_bytes(bad)
        _upload(page, stream, tmp_path / name)
        assert any(message in t for t in error_alert_texts(page)), (message, error_alert_texts(page))
        assert not exception_texts(page)
