"""Framework parity: the same number from PyTorch, scikit-learn and SciPy, and where they differ."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import math

import streamlit as st

from ce_core.information import convert_units
from lab import lesson_keys as keys
from lab.content import parity
from lab.ui import bound, fmt, page_header, prose

ws = page_header(
    "Framework parity",
    "Every number in this lab comes from `ce_core`, our own NumPy code. Here is how to get the same number "
    "from the libraries you will train with. Pick a lesson: this page reads its current state, writes a "
    "short program for PyTorch, scikit-learn and SciPy, and shows the number each printed line must match. "
    "The libraries use the natural log, so the numbers here are in **nats**.",
    editor="",
)


def _number(key: str, default: float) -> float:
    """A lesson's value from the session, or its default when that lesson was not opened or holds junk."""
    try:
        value = float(st.session_state.get(key, default))
    except (TypeError, ValueError):
        return float(default)
    return value if math.isfinite(value) else float(default)


def _index(key: str, default: int, k: int) -> int:
    value = int(_number(key, default))
    return value if 0 <= value < k else default


def _state(choice: str, ws) -> tuple[parity.ParityCase, str]:
    """The chosen lesson's case and a sentence saying which state it reproduces."""
    probs = (
        "p = [" + ", ".join(f"{v:.4g}" for v in ws.p) + "], q = [" + ", ".join(f"{v:.4g}" for v in ws.q) + "]"
    )
    if choice in ("cross_entropy", "kl", "entropy"):
        return parity.workspace_case(
            choice, ws.p, ws.q, base=ws.base
        ), f"The workspace p and q (shown above): {probs}."
    if choice == "binary":
        y = 1 if _number(keys.BCE_LABEL, keys.BCE_LABEL_DEFAULT) >= 0.5 else 0
        x = min(max(_number(keys.BCE_PRED, keys.BCE_PRED_DEFAULT), 0.0), 1.0)
        return parity.binary_case(
            y, x
        ), f"Binary cross-entropy lesson: label y = {y}, predicted probability of class 1 q = {x:g}."
    if choice == "softmax":
        z = [_number(keys.SM_LOGIT.format(i), keys.SM_LOGIT_DEFAULTS[i]) for i in range(ws.k)]
        y = _index(keys.SM_TRUE, keys.SM_TRUE_DEFAULT, ws.k)
        t = _number(keys.SM_TEMPERATURE, keys.SM_TEMPERATURE_DEFAULT)
        t = t if t > 0 else keys.SM_TEMPERATURE_DEFAULT
        return parity.softmax_case(z, y, t), (
            f"Softmax lesson: logits z = [{', '.join(f'{v:g}' for v in z)}], "
            f"true class {ws.names[y]} (index {y}), temperature T = {t:g}."
        )
    if choice == "smoothing":
        y = _index(keys.LS_TRUE, keys.LS_TRUE_DEFAULT, ws.k)
        e = min(max(_number(keys.LS_EPSILON, keys.LS_EPSILON_DEFAULT), 0.0), 1.0)
        return parity.smoothing_case(ws.q, y, e), (
            f"Label-smoothing lesson: true class {ws.names[y]} (index {y}), "
            f"ε = {e:g}, workspace q = [{', '.join(f'{v:.4g}' for v in ws.q)}]."
        )
    if choice == "focal":
        y = _index(keys.FL_TRUE, keys.FL_TRUE_DEFAULT, ws.k)
        g = max(_number(keys.FL_GAMMA, keys.FL_GAMMA_DEFAULT), 0.0)
        alpha = (
            min(max(_number(keys.FL_ALPHA, keys.FL_ALPHA_DEFAULT), 0.0), 1.0)
            if st.session_state.get(keys.FL_ALPHA_ON, keys.FL_ALPHA_ON_DEFAULT)
            else None
        )
        a_text = f"α = {alpha:g}" if alpha is not None else "no α"
        return parity.focal_case(ws.q, y, g, alpha), (
            f"Focal-loss lesson: true class {ws.names[y]}, p_t = q = {ws.q[y]:.4g}, γ = {g:g}, {a_text}."
        )
    if choice == "weights":
        w = [
            max(_number(keys.CW_WEIGHT.format(c), keys.CW_WEIGHT_DEFAULTS[c]), 0.0)
            for c in range(len(keys.CW_WEIGHT_DEFAULTS))
        ]
        return parity.weights_case(
            w
        ), f"Class-weights lesson: its 8-sample batch with W = [{', '.join(f'{v:g}' for v in w)}]."
    q = min(max(_number(keys.CL_PROB, keys.CL_PROB_DEFAULT), 0.0), 1.0)
    log_eps = min(max(_number(keys.CL_EPSILON, keys.CL_EPSILON_DEFAULT), -300.0), -1.0)
    return parity.clipping_case(q, log_eps), f"Clipping lab: q(true class) = {q:g}, your ε = 10^{log_eps:g}."


def choose_case(ws) -> parity.ParityCase:
    """Which lesson's state to reproduce, and a sentence saying what that state is."""
    with st.container(key="lesson_controls"):
        choice = st.selectbox(
            "Reproduce the state of",
            list(parity.CASES),
            format_func=parity.CASES.get,
            **bound(keys.PP_CASE),
        )
    case, described = _state(choice, ws)
    st.markdown(described + " Change it on that lesson's page (or with the bars above) and come back.")
    return case


def _shown(value: float) -> str:
    if math.isnan(value):
        return "not a number (0 / 0)"
    return repr(float(value))


def value_panel(case: parity.ParityCase, ws) -> None:
    """ce_core's number for the case, in nats and in the workspace unit."""
    c1, c2 = st.columns(2)
    c1.metric(
        f"ce_core: {case.value_label}",
        "undefined"
        if math.isnan(case.value)
        else ("∞ nats" if math.isinf(case.value) else f"{case.value:.10g} nats"),
        help="The exact mathematics, computed by ce_core in nats.",
    )
    if ws.unit != "nats" and not math.isnan(case.value):
        c2.metric(
            f"The same in {ws.unit}",
            fmt(convert_units(case.value, math.e, ws.base), ws, digits=6),
            help="The lab's other pages use the workspace unit.",
        )


def snippets_panel(case: parity.ParityCase) -> None:
    """One tab per library: the program and the numbers each printed line must match."""
    tabs = st.tabs(list(parity.LIBRARIES))
    for library, tab in zip(parity.LIBRARIES, tabs, strict=True):
        with tab:
            snippet = case.snippet(library)
            if snippet is None:
                st.info(case.missing.get(library, f"No {library} equivalent."), icon=":material/block:")
                continue
            code_col, out_col = st.columns([2, 1])
            code_col.code(snippet.code, language="python")
            with out_col:
                st.markdown("**It prints** (ce_core's number for each line):")
                st.markdown(
                    "\n".join(
                        f"{i + 1}. {line.label}: `{_shown(line.expected)}` {line.unit}"
                        for i, line in enumerate(snippet.lines)
                    )
                )
                if snippet.note:
                    st.caption(snippet.note)
    prose(
        "Agreement means within $10^{-9}$ relative (float32 lines: $10^{-6}$). "
        "`python scripts/check_parity_snippets.py` runs every snippet of every lesson state with the real "
        "torch, torchvision, scikit-learn and SciPy and compares each printed number with `ce_core`. "
        "The lab itself imports none of them."
    )


def disagreements() -> None:
    st.subheader("Where the three disagree, and why")
    st.table(
        {
            "Topic": [row["topic"] for row in parity.DISAGREEMENTS],
            "PyTorch": [row["PyTorch"] for row in parity.DISAGREEMENTS],
            "scikit-learn": [row["scikit-learn"] for row in parity.DISAGREEMENTS],
            "SciPy": [row["SciPy"] for row in parity.DISAGREEMENTS],
            "Why it matters": [row["why"] for row in parity.DISAGREEMENTS],
        }
    )


case = choose_case(ws)
value_panel(case, ws)
snippets_panel(case)
disagreements()
