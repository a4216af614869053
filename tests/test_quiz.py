"""Quiz: generation from seeds, grading, and the page flow."""

import math

import pytest

import ce_core
from lab.content.quiz import (
    CONCEPTUAL,
    GENERATORS,
    Question,
    check,
    grade,
    make_quiz,
    parse_answer,
    parse_number,
)
from tests.apptest_utils import run_page


def test_a_quiz_has_twelve_distinct_questions_with_finite_answers():
    quiz = make_quiz(seed=1)
    assert len(quiz) == 12
    assert len({q.qid for q in quiz}) == 12
    assert all(math.isfinite(q.answer) for q in quiz)


def test_numbers_differ_between_attempts_and_repeat_for_the_same_seed():
    assert make_quiz(1) == make_quiz(1)
    assert [q.prompt for q in make_quiz(1)] != [q.prompt for q in make_quiz(2)]


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda g: g.__name__)
def test_every_generator_answers_itself_correctly(generator):
    import numpy as np

    for seed in range(20):
        q = generator(np.random.default_rng(seed))
        if q.numeric:
            assert grade(q, f"{q.answer:.6f}")
            assert not grade(q, f"{q.answer * 1.05 + 0.01:.6f}")
        else:
            assert 0 <= q.answer < len(q.options)
            assert grade(q, q.answer)
            assert not grade(q, (q.answer + 1) % len(q.options))


def test_the_one_hot_answer_is_minus_log_of_the_true_class_probability():
    import numpy as np

    from lab.content.quiz import q_one_hot

    q = q_one_hot(np.random.default_rng(4))
    # the prompt lists q and names the true class; recompute from the prompt's own numbers
    probs = [float(v) for v in q.prompt.split("q = [")[1].split("]")[0].split(",")]
    true = int(
        q.prompt.split("the true class is y = ")[1].split(".")[0]
    )  # counted from 0, as the one-hot page
    onehot = [0.0] * len(probs)
    onehot[true] = 1.0
    assert q.answer == pytest.approx(ce_core.cross_entropy(onehot, probs))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.25", 0.25),
        (".25", 0.25),
        ("1/4", 0.25),
        ("25%", 0.25),
        ("2,5", 2.5),
        ("−1", -1.0),
        ("abc", None),
        ("1/0", None),
        ("inf", None),
        ("", None),
        ("9" * 50, None),
    ],
)
def test_parse_number_reads_what_learners_type(text, value):
    assert parse_number(text) == value


def test_grading_tolerance_is_one_percent():
    q = Question("t", "x", "?", 2.0, "")
    assert grade(q, "2.019")
    assert not grade(q, "2.03")
    assert not grade(q, None)


def test_quiz_page_grades_an_answer_and_counts_the_score():
    at = run_page("quiz")
    quiz = make_quiz(seed=1)
    first = quiz[0]
    key = f"quiz_1_{first.qid}"
    if first.numeric:
        at.text_input(key=f"{key}_in").input(f"{first.answer:.5f}").run()
    else:
        at.radio(key=f"{key}_in").set_value(first.answer).run()
    at.button(key=f"{key}_check").click().run()
    assert not at.exception
    assert any(s.value.startswith("Right.") for s in at.success)
    assert "1 of 12 answered, 1 correct" in at.get("progress")[0].proto.text


def test_a_wrong_answer_gets_a_hint_and_a_retry_then_the_worked_answer():
    at = run_page("quiz")
    quiz = make_quiz(seed=1)
    numeric = next(q for q in quiz if q.numeric)
    key = f"quiz_1_{numeric.qid}"
    at.text_input(key=f"{key}_in").input(f"{numeric.answer * 2 + 1:.4f}").run()
    at.button(key=f"{key}_check").click().run()
    assert not at.error  # not the end: a hint and a second try
    assert any(numeric.hint in w.value for w in at.warning)
    assert f"{numeric.answer:.4f}" not in " ".join(
        w.value for w in at.warning
    )  # the hint does not give it away
    at.text_input(key=f"{key}_in").input(f"{numeric.answer * 3 + 1:.4f}").run()
    at.button(key=f"{key}_check").click().run()
    assert any(f"{numeric.answer:.4f}" in e.value and "Worked answer" in e.value for e in at.error)
    assert "1 of 12 answered, 0 correct" in at.get("progress")[0].proto.text
    prompts_before = [m.value for m in at.markdown]
    at.button(key="quiz_new").click().run()
    assert at.session_state["quiz_attempt"] == 2
    assert [m.value for m in at.markdown] != prompts_before


def test_the_page_accepts_a_number_with_its_unit_and_states_the_unit():
    at = run_page("quiz")
    quiz = make_quiz(seed=1)
    numeric = next(q for q in quiz if q.numeric and q.unit)
    key = f"quiz_1_{numeric.qid}"
    box = at.text_input(key=f"{key}_in")
    assert numeric.unit in box.label
    box.input(f"{numeric.answer:.4f} {numeric.unit}").run()
    at.button(key=f"{key}_check").click().run()
    assert any(s.value.startswith("Right.") for s in at.success)


@pytest.mark.parametrize(
    "typed", ["1", "1.0", "1 bit", "1 bits", "1.0 bits", " 1 Bits ", "1bit", "100%", "1/1 bit"]
)
def test_grading_accepts_a_number_with_or_without_the_unit_asked_for(typed):
    q = Question("t", "x", "?", 1.0, "", unit="bits")
    assert check(q, typed).right, check(q, typed)


def test_grading_accepts_nats_when_nats_are_asked_and_refuses_another_unit_with_a_reason():
    nats = Question("t", "x", "?", 1.0, "", unit="nats")
    assert grade(nats, "1 nat")
    assert grade(nats, "1 nats")
    bits = Question("t", "x", "?", 1.0, "", unit="bits")
    verdict = check(bits, "1 nat")
    assert not verdict.right
    assert "nats" in verdict.message
    assert "bits" in verdict.message
    plain = Question("t", "x", "?", 0.25, "")
    assert grade(plain, "0.25")
    assert not grade(plain, "0.25 bits")
    assert not check(bits, "1 apple").right


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1 bit", (1.0, "bits")),
        ("0.5 hartleys", (0.5, "hartleys")),
        ("2 bans", (2.0, "hartleys")),
        ("−0.3", (-0.3, None)),
        ("abc", (None, "?")),
    ],
)
def test_parse_answer_splits_number_and_unit(text, parsed):
    assert parse_answer(text) == parsed


def test_every_numeric_question_states_its_unit_and_has_a_hint():
    import numpy as np

    for generator in GENERATORS:
        q = generator(np.random.default_rng(0))
        assert q.hint, generator.__name__
        if q.numeric:
            assert (q.unit in q.prompt) if q.unit else ("no unit" in q.prompt), (generator.__name__, q.prompt)


def test_at_least_a_third_of_the_bank_and_of_every_quiz_is_conceptual():
    assert len(CONCEPTUAL) * 3 >= len(GENERATORS)
    for seed in range(30):
        quiz = make_quiz(seed)
        assert sum(q.conceptual for q in quiz) * 3 >= len(quiz)


def test_the_clipping_question_names_the_policy_with_the_largest_loss():
    import numpy as np

    from lab.content.quiz import q_clipping_largest

    q = q_clipping_largest(np.random.default_rng(0))
    assert q.options[q.answer] == "the exact −ln q"


def test_quiz_page_lists_the_predictions_made_in_the_lessons():
    at = run_page("entropy")
    radio = next(r for r in at.radio if r.key.startswith("predict_en_coin_vs_first"))
    radio.set_value(2).run()
    at.button(key="predict_en_coin_vs_first_lock").click().run()
    at.switch_page("pages/quiz.py").run()
    assert any("Your predictions in the lessons: 0 of 1 right" in e.label for e in at.expander)
    # the record says which numbers the guess was for (the coin's default θ = 0.30)
    rows = at.table[0].value
    assert rows["for"].tolist()[0].startswith("θ = 0.30 and p(")
    assert rows["lesson"].tolist() == ["entropy"]


def test_multiple_choice_options_are_shuffled_and_the_answer_follows():
    positions = {}
    for seed in range(40):
        for q in make_quiz(seed):
            if q.conceptual:
                assert 0 <= q.answer < len(q.options)
                positions.setdefault(q.qid, set()).add(q.answer)
    assert any(len(seen) > 1 for seen in positions.values())
    gibbs = next(q for seed in range(40) for q in make_quiz(seed) if q.qid == "gibbs")
    assert gibbs.options[gibbs.answer] == "H(p, q) ≥ H(p)"
