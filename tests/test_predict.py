"""Predict-then-reveal: the answer stays hidden until a guess is locked in; a new state asks again."""

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from lab.predict import predict

    a = st.number_input("a", value=1, key="a")
    correct = 0 if a > 0 else 1
    if predict("sign", "Is a positive?", ["yes", "no"], correct, f"a = {a}.", state=a, lesson="test"):
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
    assert log == [{"lesson": "test", "question": "Is a positive?", "guess": "no", "answer": "yes", "right": False}]


def test_right_guess_is_confirmed():
    at = _app()
    at.radio(key=next(r.key for r in at.radio)).set_value(0).run()
    at.button(key="predict_sign_lock").click().run()
    assert "right" in at.success[0].value


def test_changing_the_state_asks_again():
    at = _app()
    at.radio(key=next(r.key for r in at.radio)).set_value(0).run()
    at.button(key="predict_sign_lock").click().run()
    assert at.metric
    at.number_input(key="a").set_value(-2).run()
    assert not at.metric
    assert at.radio


def test_ask_me_again_hides_the_answer():
    at = _app()
    at.radio(key=next(r.key for r in at.radio)).set_value(0).run()
    at.button(key="predict_sign_lock").click().run()
    at.button(key="predict_sign_again").click().run()
    assert not at.metric
