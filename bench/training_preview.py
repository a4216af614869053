"""What the training lesson's live learning-rate control costs on the server, per rerun.

Usage, from the repository root:
    python -m bench.training_preview [--repeats 20]

The control's chart previews the next 50 steps of gradient descent at each of the 31 rates of its
grid: ``ce_core.training.learning_rate_sweep`` computes all of them in one batched call. While
Play is on, the training fragment reruns every 0.25 s and the model changes at each tick, so the
preview is computed again at each tick; a rerun that did not move the model reuses the one kept
in the training state. Printed (median ms over ``--repeats``):

- sweep: ``learning_rate_sweep`` + ``step_outcomes``, for the default data (3 classes x 40 points)
  and the largest (4 x 100), beside the same numbers from 31 ``continue_run`` calls (the loop it
  replaces);
- table: the sweep plus what the page builds from it (unit conversion, 31 x 3 texts, the chart's
  base64 layers);
- page: a whole run of the training page in AppTest (``streamlit.testing``; all of the page, both
  Plotly charts included) after "+1 step" (the model moved: the preview is computed) and after a
  rerun that leaves the model as it is (the preview comes from the state).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.apptest import run_page
from ce_core.training import (
    continue_run,
    init_model,
    learning_rate_sweep,
    make_blobs,
    start_run,
    step_outcomes,
)
from lab.training_run import LEARNING_RATES, LOOKAHEAD, PLATEAU_TOLERANCE, in_unit

RATES, AHEAD = LEARNING_RATES, LOOKAHEAD  # the page's grid and lookahead
EARLY = 10  # as pages/training.py


def median_ms(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def table(run, data) -> None:
    """What the page builds from the sweep (pages/training.py, learning_rate_control), in bits."""
    from lab.content.training import OUTCOME_TEXT
    from lab.figures.training import learning_rate_chart

    losses = learning_rate_sweep(run, data, RATES, AHEAD)
    outcomes = step_outcomes(losses, PLATEAU_TOLERANCE, reference=run.losses[0])
    shown = in_unit(losses.ravel(), 2.0).reshape(losses.shape)
    texts = [OUTCOME_TEXT[o] for o in outcomes]
    learning_rate_chart(
        shown, texts, RATES, steps=run.steps, early=EARLY, unit="bits", every_rate=False, height_rem=15
    )


def page_runs(repeats: int) -> tuple[float, float]:
    at = run_page("pages/training.py", timeout=30)
    assert not at.exception, [e.value for e in at.exception]
    moved, kept = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        at.button(key="tr_step1").click().run()
        moved.append(time.perf_counter() - start)
        start = time.perf_counter()
        at.run()  # nothing changed: the model, and so the preview, stay
        kept.append(time.perf_counter() - start)
    assert not at.exception
    return 1000 * statistics.median(moved), 1000 * statistics.median(kept)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    import os

    print(
        f"Training preview: {len(RATES)} rates x {AHEAD} steps; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'data':<22}{'sweep ms':>10}{'31 loops ms':>13}{'table ms':>10}")
    for k, n in ((3, 40), (4, 100)):
        data = make_blobs(k, n, 1.0, 0)
        run = continue_run(start_run(init_model(k), data), data, 20, 0.5)
        sweep = median_ms(
            lambda run=run, data=data: step_outcomes(learning_rate_sweep(run, data, RATES, AHEAD)),
            args.repeats,
        )
        loops = median_ms(
            lambda run=run, data=data: [continue_run(run, data, AHEAD, r) for r in RATES],
            max(3, args.repeats // 4),
        )
        built = median_ms(lambda run=run, data=data: table(run, data), args.repeats)
        print(f"{f'{k} classes x {n} points':<22}{sweep:>10.1f}{loops:>13.1f}{built:>10.1f}")
    moved, kept = page_runs(max(5, args.repeats // 2))
    print(f"page run (AppTest, default data): after +1 step {moved:.0f} ms, model unchanged {kept:.0f} ms")


if __name__ == "__main__":
    main()
