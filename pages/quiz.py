"""Quiz: questions drawn from the lessons, with new numbers for every attempt."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from lab.content.quiz import check, make_quiz
from lab.predict import LOG_KEY
from lab.ui import page_header, prose

MAX_TRIES = 2  # a wrong first answer gets a hint and a second try

page_header(
    "Quiz",
    "Twelve questions from the lessons, at least a third of them about ideas rather than "
    "arithmetic. Every attempt draws new numbers.",
)
prose(
    "Type numbers as decimals (`0.25`), fractions (`1/4`) or percentages (`25%`), with or without the unit "
    "asked for (`1`, `1 bit`, `1.0 bits`); an answer within 1 % (or 0.0001) of the exact value counts. "
    "Classes are counted from 0, as in Python and PyTorch. A wrong first answer gets a hint and a second "
    "try; then the worked answer is shown. Your score stays while this browser tab is open."
)

ss = st.session_state
ss.setdefault("quiz_attempt", 1)
ss.setdefault("quiz_results", {})  # attempt -> {qid: bool}, once a question is finished
ss.setdefault("quiz_tries", {})  # attempt -> {qid: [message of each wrong try]}


def new_attempt() -> None:
    st.session_state["quiz_attempt"] += 1


def question_card(number: int, question, attempt: int, results: dict, tries: dict) -> None:
    """One question: the answer field, Check, a hint after a wrong try, the worked answer at the end."""
    key = f"quiz_{attempt}_{question.qid}"
    done = question.qid in results
    wrong = tries.get(question.qid, [])
    with st.container(border=True, key=f"card_{key}"):
        st.markdown(f"**{number}.** {question.prompt}")
        if question.numeric:
            asked = (
                f"Your answer, in {question.unit}"
                if question.unit
                else "Your answer (a plain number, no unit)"
            )
            response = st.text_input(asked, key=f"{key}_in", placeholder="e.g. 0.25", disabled=done)
        else:
            response = st.radio(
                "Your answer",
                range(len(question.options)),
                index=None,
                key=f"{key}_in",
                format_func=lambda i, q=question: q.options[i],
                disabled=done,
            )
        if not done:
            if wrong:
                st.warning(
                    f"Not yet. {wrong[-1]} **Hint:** {question.hint} Try once more.".replace("  ", " "),
                    icon=":material/lightbulb:",
                )
            if st.button("Check again" if wrong else "Check", key=f"{key}_check"):
                if response is None or (question.numeric and not str(response).strip()):
                    st.info("Give an answer first.")
                else:
                    verdict = check(question, response)
                    if verdict.right:
                        results[question.qid] = True
                    else:
                        tries.setdefault(question.qid, []).append(verdict.message)
                        if len(tries[question.qid]) >= MAX_TRIES:
                            results[question.qid] = False
                    st.rerun()
        else:
            right = results[question.qid]
            exact = (
                f"{question.answer:.4f}" + (f" {question.unit}" if question.unit else "")
                if question.numeric
                else question.options[question.answer]
            )
            second = " (on the second try)" if right and wrong else ""
            (st.success if right else st.error)(
                (f"Right{second}. " if right else f"Not quite: the answer is {exact}. ")
                + f"**Worked answer:** {question.explanation}"
            )


def predictions_log(predictions: list) -> None:
    """The guesses made in the lessons' "predict first" questions."""
    if predictions:
        right = sum(p["right"] for p in predictions)
        with st.expander(f"Your predictions in the lessons: {right} of {len(predictions)} right"):
            # The question's numbers change with the controls: the setting says which ones the guess was for.
            st.table(
                [
                    {
                        "lesson": p["lesson"],
                        "question": p["question"],
                        "for": p.get("setting") or "",
                        "you said": p["guess"],
                        "answer": p["answer"],
                    }
                    for p in predictions
                ]
            )


def past_attempts(all_results: dict, attempt: int) -> None:
    past = {a: r for a, r in all_results.items() if a != attempt and r}
    if past:
        st.caption(
            "Earlier attempts: "
            + ", ".join(f"#{a}: {sum(r.values())}/{len(r)}" for a, r in sorted(past.items()))
        )


attempt = ss["quiz_attempt"]
questions = make_quiz(seed=attempt)
results = ss["quiz_results"].setdefault(attempt, {})
tries = ss["quiz_tries"].setdefault(attempt, {})
answered, correct = len(results), sum(results.values())
st.progress(
    answered / len(questions),
    text=f"Attempt {attempt}: {answered} of {len(questions)} answered, {correct} correct",
)
for number, question in enumerate(questions, start=1):
    question_card(number, question, attempt, results, tries)
predictions_log(ss.get(LOG_KEY, []))
past_attempts(ss["quiz_results"], attempt)
st.button("New attempt with new numbers", on_click=new_attempt, icon=":material/refresh:", key="quiz_new")
