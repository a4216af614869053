"""Predict, then reveal: ask the learner to commit to a guess before the answer is shown.

A page calls ``predict(...)`` above the panel that holds the answer and shows that
panel only when it returns True. A question is asked once per lesson and session:
once a guess is locked in, the panel stays revealed whatever the learner does next
(moving a lesson control or a workspace slider updates the revealed numbers, it never
hides them again), until the learner presses "Ask me again".

The guess is recorded with the situation it was made in (``state`` and its readable
form ``setting``), so the verdict stays truthful after a change: the verdict is about
the situation of the guess, and the live answer for the current one is shown next to
it. Every guess also goes to the session's log (``LOG_KEY``), which the quiz page lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import streamlit as st

from lab import state_keys

LOG_KEY = state_keys.PREDICTION_LOG
RECORDS_KEY = state_keys.PREDICTIONS


def _state_id(state: object) -> str:
    return hashlib.sha1(repr(state).encode()).hexdigest()[:10]


def which_larger(a: float, b: float, tol: float = 1e-12) -> int:
    """Index of the right option among ("a", "b", "equal") for a two-way comparison."""
    if a == b or abs(a - b) <= tol:
        return 2
    return 0 if a > b else 1


def _lock(
    key: str,
    radio_key: str,
    question: str,
    options: Sequence[str],
    correct: int,
    state_id: str,
    setting: str,
    lesson: str,
) -> None:
    """Button callback: record the guess with the situation it was made in (runs before the rerun)."""
    ss = st.session_state
    guess = ss.get(radio_key)
    if guess is None:
        return
    right = guess == correct
    ss.setdefault(RECORDS_KEY, {})[key] = {
        "state": state_id,
        "setting": setting,
        "guess": guess,
        "guess_text": options[guess],
        "answer_text": options[correct],
        "right": right,
    }
    ss.setdefault(LOG_KEY, []).append(
        {
            "lesson": lesson,
            "question": question,
            "guess": options[guess],
            "answer": options[correct],
            "right": right,
            "setting": setting,
        }
    )


def _ask_again(key: str) -> None:
    st.session_state.setdefault(RECORDS_KEY, {}).pop(key, None)


def verdict(record: dict, options: Sequence[str], correct: int, state: object, setting: str) -> str:
    """The verdict on a recorded guess, true for the situation it was made in.

    When the situation has changed since, the verdict names the old one and adds the answer
    for the current one.
    """
    guessed, then = record["guess_text"], record["answer_text"]
    if record["state"] == _state_id(state):
        return (
            f"You said **{guessed}**: right. "
            if record["right"]
            else f"You said **{guessed}**; the answer is **{then}**. "
        )
    where = f" for {record['setting']}" if record.get("setting") else ""
    was = "right" if record["right"] else "not right"
    now = f"now, for {setting}," if setting else "now"
    return (
        f"You guessed **{guessed}**{where}, where the answer was **{then}** ({was}); "
        f"{now} the answer is **{options[correct]}**. "
    )


def predict(
    key: str,
    question: str,
    options: Sequence[str],
    correct: int,
    explanation: str,
    *,
    state: object = None,
    setting: str = "",
    lesson: str = "",
) -> bool:
    """Ask ``question``; once a guess is locked in, reveal the answer and return True from then on.

    Parameters
    ----------
    key : str
        Unique per question in the app (it names the record kept for the session).
    question : str
        The question for the current situation.
    options : sequence of str
        The choices; ``correct`` is the index of the right one for the current situation.
    explanation : str
        Markdown shown with the reveal; should quote the live numbers (it is redrawn on every run).
    state : object
        Anything whose repr identifies the situation (rounded numbers). A guess is graded for
        the state it was made in; a later change keeps the answer revealed and adds the live answer.
    setting : str
        The situation in words (``"x = 0.30"``), quoted in the verdict after a change.
    lesson : str
        The lesson's name in the quiz page's record.
    """
    ss = st.session_state
    if not ss.get("predict", True):  # the learner (or a teacher's link) turned predicting off
        return True
    state_id = _state_id(state)
    record = ss.get(RECORDS_KEY, {}).get(key)
    with st.container(border=True, key=f"predict_{key}"):
        st.markdown(f":material/psychology_alt: **Predict first.** {question}")
        if record is None:
            radio_key = f"predict_{key}_{state_id}"  # a new situation asks afresh: no stale choice
            guess = st.radio(
                "Your guess",
                range(len(options)),
                index=None,
                horizontal=True,
                format_func=lambda i: options[i],
                key=radio_key,
            )
            st.button(
                "Lock in my guess and reveal",
                key=f"predict_{key}_lock",
                disabled=guess is None,
                on_click=_lock,
                args=(key, radio_key, question, tuple(options), correct, state_id, setting, lesson),
            )
            return False
        (st.success if record["right"] else st.warning)(
            verdict(record, options, correct, state, setting) + explanation
        )
        st.button(
            "Ask me again",
            key=f"predict_{key}_again",
            on_click=_ask_again,
            args=(key,),
            help="A new question for the situation as it is now; the answer is hidden until you guess.",
        )
        return True
