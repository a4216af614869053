"""Dragging the live lesson controls (lab.components.live_chart): how live the chart is (issue 11).

Usage, from the repository root:
    python -m bench.live_drag [--controls bce_pred,sp_point,sm_logits] [--seconds 2] [--repeats 3]
                              [--presses 20] [--json PATH]
    python -m bench.live_drag --controls en_coin --repeats 1 --seconds 1 --presses 5   # a quick check

The sibling of bench/drag.py (the method of bench/sweep.py, the same reference rows), for the lesson
controls instead of the p/q editor: the one-parameter live controls and the bar controls
(lab.components.bar_control, one bar dragged). Starts `streamlit run app.py` (and the floor apps
of bench/latency.py for the reference rows) and drives headless Chromium (/usr/bin/chromium):

- grab: the mouse button goes down in the middle of the control's rail; time from that
  ``pointerdown`` to the first animation frame in which the control's chart and readouts were
  redrawn (the module's render counter, ``data-live-renders`` on its host, read every frame).
- drag: the pointer sweeps the rail left and right (a bar control: one bar's track up and down)
  for ``--seconds``. Updates per second = frames in which the chart changed / drag time; runs
  during the drag should be 0 (the module only looks rows up).
- release: from ``pointerup`` to the page settled: the last change after it (a Plotly chart
  redrawn, a mutation of the page outside the component, whose picture already shows the value,
  or a message from the server, the last being the rerun's ``script_finished``), measured once
  nothing has changed for 120 ms.

Reference rows: floor (one slider, one number) and floor+chart (plus one Plotly chart), key press
to update, as bench/latency.py measures them. Targets (issue 11, as issue 10): first update
within 100 ms of the grab, then at least 50 updates per second; release to settled at most 2x
the floor+chart row. All times are performance.now() inside the page.
"""

from __future__ import annotations

from bench.sweep import Grip, Settling, arguments, drag, open_for_drag, page_url, report, run_drags

#: Converted controls: key -> page url path (and the tab the control sits in, if any).
CONTROLS = {
    "bce_pred": "binary_ce",
    "sp_point": "surprisal",
    "sp_zeros": "surprisal",
    "sp_ones": "surprisal",
    "sp_trip": "surprisal",
    "en_coin": "entropy",
    "fl_gamma": "focal_loss",
    "fl_alpha": "focal_loss",
    "ls_eps": "label_smoothing",
    "sm_t": "softmax_logits",
    "bw_length": "bits_on_the_wire",
    "cl_q": "clipping",
    "cl_eps": "clipping",
    "tr_lr": "training",
}
TABS = {"sp_zeros": "A bag of zeros", "sp_ones": "One rare zero", "sp_trip": "Routine or a trip"}
#: Added to the page's query for a control that needs it (the α control is drawn when α is on).
QUERIES = {"fl_alpha": "&fl_alpha_on=true"}
#: Bar controls (lab.components.bar_control): key -> (page url path, the bar that is dragged). The same
#: method; the pointer sweeps one bar's track up and down instead of a rail left and right.
BAR_CONTROLS = {"sm_logits": ("softmax_logits", 1), "cw_weights": ("class_weights", 1)}
#: Release is timed with the server's messages too (a page where nothing but the control's own
#: picture changes settles at the rerun's last message), for up to 20 s.
SETTLING = Settling(messages=True, timeout_s=20)

RAIL_JS = """
(key) => {
  for (const host of document.querySelectorAll('*')) {
    const box = host.shadowRoot && host.shadowRoot.querySelector(`.lc[data-key="${key}"]`);
    if (!box) continue;
    const r = box.querySelector('.lc-rail').getBoundingClientRect();
    return {x: r.x, y: r.y + r.height / 2, width: r.width};
  }
  return null;
}
"""

TRACK_JS = """
([key, bar]) => {
  for (const host of document.querySelectorAll('*')) {
    const box = host.shadowRoot && host.shadowRoot.querySelector(`.bc[data-key="${key}"]`);
    if (!box) continue;
    const r = box.querySelectorAll('.bc-track')[bar].getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y, height: r.height};
  }
  return null;
}
"""


def measure_live_drag(browser, base_url: str, key: str, seconds: float) -> dict:
    """One drag of a live control's rail, from left to right and back."""
    box = f'.lc[data-key="{key}"]'
    context, page, monitor = open_for_drag(
        browser, page_url(base_url, CONTROLS[key], QUERIES.get(key, "")), "data-live-renders", box
    )
    try:
        if key in TABS:
            page.get_by_role("tab", name=TABS[key]).click()
        page.locator(f".st-key-live_{key} .lc-slider").wait_for()
        page.locator(
            f".st-key-live_{key} .lc-slider"
        ).scroll_into_view_if_needed()  # its charts may be taller
        page.wait_for_timeout(500)
        rail = page.evaluate(RAIL_JS, key)
        return drag(
            page,
            monitor,
            Grip(box, f"{box} .lc-slider"),
            (rail["x"], rail["y"]),
            (rail["x"] + rail["width"], rail["y"]),
            seconds,
            SETTLING,
        )
    finally:
        context.close()


def measure_bar_drag(browser, base_url: str, key: str, seconds: float) -> dict:
    """One drag of a bar control's bar, down its track and back (grabbed at the middle)."""
    url_path, bar = BAR_CONTROLS[key]
    box = f'.bc[data-key="{key}"]'
    context, page, monitor = open_for_drag(browser, page_url(base_url, url_path), "data-bar-renders", box)
    try:
        page.locator(f".st-key-live_{key} .bc-track").first.wait_for()
        page.locator(f".st-key-live_{key}").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        track = page.evaluate(TRACK_JS, [key, bar])
        return drag(
            page,
            monitor,
            Grip(box, f"{box} .bc-track", bar),
            (track["x"], track["y"]),
            (track["x"], track["y"] + track["height"]),
            seconds,
            SETTLING,
        )
    finally:
        context.close()


def measure(browser, base_url: str, key: str, seconds: float) -> dict:
    if key in BAR_CONTROLS:
        return measure_bar_drag(browser, base_url, key, seconds)
    return measure_live_drag(browser, base_url, key, seconds)


def page_of(key: str) -> str:
    return BAR_CONTROLS[key][0] if key in BAR_CONTROLS else CONTROLS[key]


def main() -> None:
    ap = arguments(__doc__, "artifacts/bench/live_drag.json")
    ap.add_argument("--controls", default=",".join([*CONTROLS, *BAR_CONTROLS]))
    args = ap.parse_args()
    keys = [k.strip() for k in args.controls.split(",") if k.strip()]
    result = run_drags(
        keys, measure, lambda key: {"control": key, "page": page_of(key)}, args, "bench-live-drag"
    )
    report(
        result,
        f"Drag of the live lesson controls, {args.repeats} drags of {args.seconds:g} s each",
        (("control", 14), ("page", 16)),
        args,
    )


if __name__ == "__main__":
    main()
