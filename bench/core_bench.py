"""Benchmark: batch softmax cross-entropy on 1,000,000 x 10 float64 logits.

Times, in one run and on the same data, the mean cross-entropy of class-index
targets computed by

- ce_core.softmax_cross_entropy(logits, target);
- a textbook NumPy version: exp / sum / log with no max shift, times a one-hot matrix;
- torch.nn.functional.cross_entropy (CPU, float64), if torch is importable, with its
  default number of threads (the reference for the ratios) and, for information, on
  one thread as NumPy uses;
- sklearn.metrics.log_loss, if scikit-learn is importable. It takes probabilities,
  not logits: it is given softmax(logits) computed beforehand (not timed), so it
  does less work than the others.

Each is run several times and the best time is kept. The table shows the times
and the ratio to PyTorch, then the peak extra memory of ce_core's call measured
with tracemalloc (which tracks NumPy's allocations), relative to the input size.
Targets (issue 2): ce_core at most 1.5x PyTorch's time, faster than log_loss,
peak extra memory at most 3x the input.

Run from the repository root, in an environment with the optional libraries::

    python -m bench.core_bench [--rows 1000000] [--classes 10] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np

import ce_core


def textbook_numpy(logits: np.ndarray, target: np.ndarray) -> float:
    """The formula as first written: no max shift, a one-hot matrix, log of the softmax."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(logits)
        probs = e / e.sum(axis=1, keepdims=True)
        onehot = np.eye(logits.shape[1])[target]
        return float(-(onehot * np.log(probs)).sum(axis=1).mean())


def best_time(func, repeats: int) -> tuple[float, float]:
    """Best wall time of ``repeats`` calls, and the value of the last call."""
    best = float("inf")
    value = float("nan")
    for _ in range(repeats):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, float(value)


def peak_extra_memory(func) -> int:
    """Peak bytes allocated (and traced) during one call of ``func``."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    logits = 3.0 * rng.standard_normal((args.rows, args.classes))
    target = rng.integers(0, args.classes, args.rows)
    input_bytes = logits.nbytes

    rows: list[tuple[str, float, float, str]] = []  # name, seconds, value, note
    t, v = best_time(lambda: ce_core.softmax_cross_entropy(logits, target), args.repeats)
    rows.append(("ce_core.softmax_cross_entropy", t, v, "logits, index targets, mean"))
    t, v = best_time(lambda: textbook_numpy(logits, target), args.repeats)
    rows.append(("textbook NumPy", t, v, "exp/sum/log, no max shift, one-hot"))

    torch_time = None
    try:
        import torch
        import torch.nn.functional as F  # noqa: N812 (the name every torch user reads)
    except ImportError:
        torch = None
    if torch is not None:
        x, y = torch.from_numpy(logits), torch.from_numpy(target)
        with torch.no_grad():
            t, v = best_time(lambda: F.cross_entropy(x, y).item(), args.repeats)
        torch_time = t
        rows.append(
            (
                f"torch cross_entropy {torch.__version__}",
                t,
                v,
                f"CPU float64, {torch.get_num_threads()} threads (the reference)",
            )
        )
        threads = torch.get_num_threads()
        if threads > 1:  # NumPy runs these operations on one core: show torch on one core too
            torch.set_num_threads(1)
            with torch.no_grad():
                t, v = best_time(lambda: F.cross_entropy(x, y).item(), args.repeats)
            torch.set_num_threads(threads)
            rows.append(("torch cross_entropy, 1 thread", t, v, "CPU float64, for information"))

    try:
        import sklearn
        from sklearn.metrics import log_loss
    except ImportError:
        sklearn = None
    if sklearn is not None:
        probs = ce_core.softmax(logits)
        labels = list(range(args.classes))
        t, v = best_time(lambda: log_loss(target, probs, labels=labels), args.repeats)
        rows.append(
            (f"sklearn log_loss {sklearn.__version__}", t, v, "given softmax probabilities (not timed)")
        )

    peak = peak_extra_memory(lambda: ce_core.softmax_cross_entropy(logits, target))

    print(
        f"softmax cross-entropy, mean over {args.rows:,} x {args.classes} float64 logits "
        f"({input_bytes / 2**20:.1f} MiB), best of {args.repeats}"
    )
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}"
    )
    print()
    print(f"{'implementation':<34} {'time (ms)':>10} {'vs torch':>9}  {'loss':>19}  note")
    print("-" * 110)
    for name, seconds, value, note in rows:
        ratio = f"{seconds / torch_time:.2f}x" if torch_time else "n/a"
        print(f"{name:<34} {seconds * 1e3:>10.1f} {ratio:>9}  {value:>19.15f}  {note}")
    print()
    print(
        f"ce_core peak extra memory: {peak / 2**20:.1f} MiB = {peak / input_bytes:.2f}x the input "
        f"(tracemalloc; target <= 3x)"
    )
    ce_time = rows[0][1]
    verdicts = []
    if torch_time:
        verdicts.append(
            f"ce_core / torch = {ce_time / torch_time:.2f} (target <= 1.5): "
            f"{'met' if ce_time <= 1.5 * torch_time else 'MISSED'}"
        )
    if sklearn is not None:
        sk_time = next(row[1] for row in rows if row[0].startswith("sklearn"))
        verdicts.append(
            f"ce_core / sklearn = {ce_time / sk_time:.2f} (target < 1): "
            f"{'met' if ce_time < sk_time else 'MISSED'}"
        )
    verdicts.append(
        f"memory {peak / input_bytes:.2f}x (target <= 3): {'met' if peak <= 3 * input_bytes else 'MISSED'}"
    )
    for line in verdicts:
        print(line)


if __name__ == "__main__":
    main()
