"""Predict, then reveal: ask the learner to commit to a guess before the answer is shown.

A page calls ``predict(...)`` above the panel that holds the answer and shows that
panel only when it returns True. The guess is recorded for the session (the quiz
page lists them). When the state that the question is about changes (new p, q or
lesson controls, summarised by ``state``), the question is asked afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import streamlit as st

LOG_KEY = "_prediction_log"


def _state_id(state: object) -> str:
    return hashlib.sha1(repr(state).encode()).hexdigest()[:10]


def which_larger(a: float, b: float, tol: float = 1e-12) -> int:
    """Index of the right option among ("a", "b", "equal") for a two-way comparison."""
    if a == b or abs(a - b) <= tol:
        return 2
    return 0 if a > b else 1


def predict(key: str, question: str, options: Sequence[str], correct: int, explanation: str,
            *, state: object = None, lesson: str = "") -> bool:
    """Ask ``question``; once a guess is locked in, reveal the answer and return True.

    Parameters
    ----------
    key : str
        Unique per question on the page.
    options : sequence of str
        The choices; ``correct`` is the index of the right one for the current state.
    explanation : str
        Markdown shown with the reveal; should quote the live numbers.
    state : object
        Anything whose repr identifies the situation (rounded numbers); a change re-asks.
    """
    ss = st.session_state
    if not ss.get("predict", True):  # the learner (or a teacher's link) turned predicting off
        return True
    records = ss.setdefault("_predictions", {})
    state_id = _state_id(state)
    record = records.get(key)
    with st.container(border=True, key=f"predict_{key}"):
        st.markdown(f":material/psychology_alt: **Predict first.** {question}")
        if record is None or record["state"] != state_id:
            guess = st.radio("Your guess", range(len(options)), index=None, horizontal=True,
                             format_func=lambda i: options[i], key=f"predict_{key}_{state_id}")
            if st.button("Lock in my guess and reveal", key=f"predict_{key}_lock", disabled=guess is None):
                records[key] = {"state": state_id, "guess": guess}
                ss.setdefault(LOG_KEY, []).append(
                    {"lesson": lesson, "question": question, "guess": options[guess],
                     "answer": options[correct], "right": guess == correct})
                st.rerun()
            return False
        guess = record["guess"]
        right = guess == correct
        verdict = (f"You said **{options[guess]}**: right. " if right
                   else f"You said **{options[guess]}**; the answer is **{options[correct]}**. ")
        (st.success if right else st.warning)(verdict + explanation)
        st.button("Ask me again", key=f"predict_{key}_again", on_click=records.pop, args=(key, None))
        return True
