"""Predict-then-reveal: the answer stays hidden until a guess is locked in, then stays revealed.

After a change of state the verdict is still about the state of the guess, and the live answer
for the new state is added; only "Ask me again" hides the answer.
"""

from streamlit.testing.v1 import AppTest


def _logged(**entry) -> dict:
    """The whole record of one guess at the test question (every key, compared as a whole)."""
    return {"lesson": "test", "question": "Is a positive?", **entry}


def _script():
    import streamlit as st

    from lab.predict import predict

    a = st.number_input("a", value=1, key="a")
    correct = 0 if a > 0 else 1
    if predict(
        "sign",
        "Is a positive?",
        ["yes", "no"],
        correct,
        f"a = {a}.",
        state=a,
        setting=f"a = {a}",
        lesson="test",
    ):
        st.metric("answer", "positive" if a > 0 else "not positive")


def _app():
    return AppTest.from_function(_script, default_timeout=10).run()


def test_answer_hidden_until_guess_then_revealed_and_recorded():
    at = _app()
    assert not at.metric
    assert at.button(key="predict_sign_lock").disabled
    at.radio(key=next(r.key for r in at.radio)).set_value(1).run()
    at.button(key="predict_sign_lock").click().run()
    assert at.metric[0].value == "positive"
    assert "the answer is **yes**" in at.warning[0].value
    log = at.session_state["_prediction_log"]
    assert log == [_logged(guess="no", answer="yes", right=False, setting="a = 1")]


def test_right_guess_is_confirmed():
    at = _app()
    at.radio(key=next(r.key for r in at.radio)).set_value(0).run()
    at.button(key="predict_sign_lock").click().run()
    assert "right" in at.success[0].value


def _guess(at, option: int):
    at.radio(key=next(r.key for r in at.radio)).set_value(option).run()
    at.button(key="predict_sign_lock").click().run()
    return at


def test_changing_the_state_keeps_the_answer_revealed_and_live():
    at = _guess(_app(), 0)
    assert at.metric[0].value == "positive"
    at.number_input(key="a").set_value(-2).run()
    assert not at.radio, "a change of state must not ask again"
    assert at.metric[0].value == "not positive", "the revealed numbers follow the new state"
    assert "a = -2." in at.success[0].value, "the explanation is redrawn for the new state"


def test_verdict_after_a_change_is_about_the_state_of_the_guess():
    at = _guess(_app(), 0)  # right for a = 1
    at.number_input(key="a").set_value(-2).run()
    text = at.success[0].value  # still green: the guess was right when it was made
    assert "You guessed **yes** for a = 1, where the answer was **yes** (right)" in text
    assert "now, for a = -2, the answer is **no**" in text
    at.number_input(key="a").set_value(1).run()  # back to the state of the guess: the plain verdict
    assert at.success[0].value.startswith("You said **yes**: right.")


def test_a_wrong_guess_stays_wrong_after_the_state_makes_it_right():
    at = _guess(_app(), 1)  # "no" is wrong for a = 1
    at.number_input(key="a").set_value(-3).run()  # now "no" would be right
    assert not at.success
    text = at.warning[0].value
    assert "where the answer was **yes** (not right)" in text
    assert "the answer is **no**" in text
    assert at.session_state["_prediction_log"][-1]["right"] is False
    assert len(at.session_state["_prediction_log"]) == 1, "moving the state adds no guess to the record"


def test_no_state_change_before_the_guess_grades_the_question_shown():
    at = _app()
    at.number_input(key="a").set_value(-1).run()
    _guess(at, 1)
    assert "right" in at.success[0].value
    assert at.session_state["_prediction_log"][-1] == _logged(
        guess="no", answer="no", right=True, setting="a = -1"
    )


def test_ask_me_again_hides_the_answer():
    at = _app()
    at.radio(key=next(r.key for r in at.radio)).set_value(0).run()
    at.button(key="predict_sign_lock").click().run()
    at.button(key="predict_sign_again").click().run()
    assert not at.metric
    assert at.radio[0].value is None, "a new question starts without a choice"
