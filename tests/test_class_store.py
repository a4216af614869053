"""The class store (lab/classroom/store.py), the same tests on SQLite and on a real PostgreSQL.

PostgreSQL runs as a private cluster started for this module (tests/postgres.py). Without
PostgreSQL's server the PostgreSQL half skips, except under CI=true, where it fails: CI must
test the database the deployment uses (scripts/test.sh installs Debian's postgresql).
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
import sqlalchemy as sa

from lab.classroom import codes
from lab.classroom import store as class_store
from lab.classroom.store import (
    AnswersClosedError,
    ClassClosedError,
    ClassNotFoundError,
    ClassroomError,
    ClassStore,
    InvalidInputError,
    NotInClassError,
    NotRevealedError,
    NotTeacherError,
    QuestionNotFoundError,
    TooManyAttemptsError,
)
from tests.postgres import private_cluster, unavailable_reason

NUMBER_Q = {"kind": "number", "prompt": "H(p, q) in bits?", "truth": 1.5, "p": [0.5, 0.5], "q": [0.8, 0.2]}
CHOICE_Q = {
    "kind": "choice",
    "prompt": "Which is larger?",
    "options": ["KL(p || q)", "KL(q || p)", "Equal"],
    "truth": "KL(q || p)",
}


def _cannot_test(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: the PostgreSQL tests must run, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def postgres_url():
    """A database in a private PostgreSQL cluster, for this module; the cluster stops afterwards."""
    reason = unavailable_reason()
    if reason is not None:
        _cannot_test(reason)
    stack = contextlib.ExitStack()
    try:
        cluster = stack.enter_context(private_cluster())
        url = cluster.create_database("ce_lab_classes")
    except Exception as error:  # the server's own words, in the skip (or CI failure) reason
        stack.close()
        _cannot_test(f"a private PostgreSQL cluster did not start: {error}")
    with stack:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = (
        request.getfixturevalue("postgres_url")
        if request.param == "postgresql"
        else f"sqlite:///{tmp_path / 'data' / 'classes.db'}"
    )
    the_store = ClassStore(url)
    yield the_store
    class_store.METADATA.drop_all(the_store.engine)  # the PostgreSQL database is shared by the module
    the_store.dispose()


def _class_with_question(store, question=NUMBER_Q):
    code, teacher = store.create_class()
    return code, teacher, store.ask(code, teacher, question)


def _rows(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


# -- join codes ---------------------------------------------------------------------------------


def test_join_code_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 31
    drawn = [codes.new_code() for _ in range(3000)]
    assert all(len(code) == codes.LENGTH == 6 and set(code) <= set(codes.ALPHABET) for code in drawn)
    assert len(set("".join(drawn))) == 31  # every character is used


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7PQ3X", "K7PQ3X"),
        (" k7p-q3x ", "K7PQ3X"),
        ("k7p q3x", "K7PQ3X"),
        ("K7PQ30", None),
        ("K7PQ3", None),
        ("K7PQ3XX", None),
        ("", None),
        (None, None),
        ("'; --", None),
    ],
)
def test_typed_join_codes_are_normalised(typed, code):
    assert codes.normalise_code(typed) == code


def test_join_codes_are_unique_and_a_collision_draws_again(store, monkeypatch):
    drawn = {store.create_class().code for _ in range(100)}
    assert len(drawn) == 100
    taken = next(iter(drawn))
    sequence = iter([taken, taken, "ABCDEF"])
    monkeypatch.setattr(codes, "new_code", lambda: next(sequence))
    assert store.create_class().code == "ABCDEF"


# -- one class, start to end -------------------------------------------------------------------


def test_a_question_from_ask_to_reveal(store):
    code, teacher, qid = _class_with_question(store)
    ann = store.join(code.lower(), nickname="  Ann ")
    bob = store.join(code)
    assert store.current_question(code, ann).id == qid
    # Before the reveal students see the question without its truth, and no results.
    seen = store.question(code, ann, qid)
    assert "truth" not in seen.payload
    assert seen.payload["q"] == [0.8, 0.2]
    assert not seen.revealed
    assert store.question(code, teacher, qid).payload["truth"] == 1.5
    with pytest.raises(NotRevealedError, match="after the reveal"):
        store.results(code, qid, bob)
    store.answer(code, qid, ann, 1.2)
    store.answer(code, qid, bob, np.float64(2.0))  # NumPy numbers are numbers
    assert store.count(code, qid, teacher) == 2
    assert store.my_answer(code, qid, ann) == 1.2
    store.reveal(code, teacher, qid)
    student_view = store.results(code, qid, bob)
    assert student_view.values == (1.2, 2.0)
    assert student_view.by_nickname is None
    assert student_view.question.payload["truth"] == 1.5
    assert student_view.question.revealed
    assert store.results(code, qid, teacher).by_nickname == (("Ann", 1.2),)
    # The next question
    q2 = store.ask(code, teacher, CHOICE_Q)
    assert store.current_question(code, bob).number == 2
    assert store.count(code, q2, bob) == 0
    store.answer(code, q2, bob, "KL(q || p)")
    info = store.info(code, teacher)
    assert (info.students, info.questions, info.closed) == (2, 2, False)
    assert info.expires_at - info.created_at == timedelta(hours=12)


def test_a_double_submission_keeps_one_answer_the_latest(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    for value in (0.5, 0.5, 0.7):
        store.answer(code, qid, student, value)
    assert store.count(code, qid, teacher) == 1
    assert store.results(code, qid, teacher).values == (0.7,)


def test_answers_change_until_the_reveal_and_are_refused_after(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    store.answer(code, qid, student, 1.0)
    store.answer(code, qid, student, 3.0)
    assert store.my_answer(code, qid, student) == 3.0
    store.reveal(code, teacher, qid)
    store.reveal(code, teacher, qid)  # twice is harmless
    with pytest.raises(AnswersClosedError, match="revealed"):
        store.answer(code, qid, student, 2.0)
    late = store.join(code)
    with pytest.raises(AnswersClosedError):
        store.answer(code, qid, late, 2.0)
    assert store.results(code, qid, teacher).values == (3.0,)


def test_sixty_students_submitting_twice_from_eight_threads(store):
    """60 students answer twice each (a first answer, then a changed one), 8 threads at once."""
    code, teacher, qid = _class_with_question(store)
    tokens = [store.join(code) for _ in range(60)]
    start = threading.Barrier(8)

    def student(i):
        with contextlib.suppress(threading.BrokenBarrierError):
            if i < 8:
                start.wait(timeout=10)
        store.answer(code, qid, tokens[i], float(i))
        store.answer(code, qid, tokens[i], i + 0.5)

    began = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(student, range(60)))
    took = time.perf_counter() - began
    print(f"\n{store.engine.dialect.name}: 120 submissions from 8 threads in {took:.2f} s")
    assert store.count(code, qid, teacher) == 60
    assert store.results(code, qid, teacher).values == tuple(i + 0.5 for i in range(60))


def test_double_clicks_racing_in_two_threads_count_once(store):
    """Each student's answer arrives twice at the same moment (a double click, a reconnect's replay)."""
    code, teacher, qid = _class_with_question(store)
    tokens = [store.join(code) for _ in range(60)]
    jobs = [i for i in range(60) for _ in range(2)]
    began = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: store.answer(code, qid, tokens[i], float(i)), jobs))
    took = time.perf_counter() - began
    print(f"\n{store.engine.dialect.name}: 120 racing duplicates from 8 threads in {took:.2f} s")
    assert store.count(code, qid, teacher) == 60
    assert store.results(code, qid, teacher).values == tuple(float(i) for i in range(60))
    assert _rows(store, class_store.answers) == 60


def test_a_reveal_during_answers_loses_nothing_and_takes_nothing_after(store):
    code, teacher, qid = _class_with_question(store)
    tokens = [store.join(code) for _ in range(40)]
    accepted, refused = set(), set()
    lock = threading.Lock()

    def student(i):
        try:
            store.answer(code, qid, tokens[i], float(i))
        except AnswersClosedError:
            with lock:
                refused.add(i)
        else:
            with lock:
                accepted.add(i)

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(student, i) for i in range(40)]
        time.sleep(0.02)
        store.reveal(code, teacher, qid)
        for future in futures:
            future.result()
    assert accepted | refused == set(range(40))
    assert store.results(code, qid, teacher).values == tuple(sorted(float(i) for i in accepted))
    with pytest.raises(AnswersClosedError):
        store.answer(code, qid, tokens[0], 99.0)


# -- who may do what -----------------------------------------------------------------------------


def test_teacher_verbs_refuse_wrong_and_forged_tokens(store):
    code, teacher, qid = _class_with_question(store)
    other_code, other_teacher = store.create_class()
    student = store.join(code)
    forged = [
        None,
        "",
        "x",
        teacher[:-1],
        teacher + "A",
        teacher.upper(),
        other_teacher,
        student,
        codes.token_hash(teacher),
        "A" * 10_000,
        12345,
    ]
    for token in forged:
        assert not store.is_teacher(code, token)
        with pytest.raises(NotTeacherError, match="Only the teacher"):
            store.ask(code, token, NUMBER_Q)
        with pytest.raises(NotTeacherError):
            store.reveal(code, token, qid)
        with pytest.raises(NotTeacherError):
            store.close(code, token)
        with pytest.raises(NotTeacherError):
            store.export_csv(code, token)
    # The right token on another class's code, or on a code that does not exist, gets the same answer.
    for wrong_code in (other_code, "ZZZZZZ", "not a code"):
        with pytest.raises(NotTeacherError):
            store.reveal(wrong_code, teacher, qid)
    assert isinstance(NotTeacherError("x"), PermissionError)
    assert store.is_teacher(code, teacher)
    with pytest.raises(NotRevealedError):  # a student token is no teacher token for the results either
        store.results(code, qid, student)
    assert store.info(code, teacher).questions == 1  # nothing was asked by a forger


def test_student_tokens_belong_to_their_class(store):
    code, teacher, qid = _class_with_question(store)
    other_code, other_teacher, other_qid = _class_with_question(store)
    mine = store.join(code)
    for token in (None, "", "forged", store.join(other_code), codes.token_hash(mine)):
        with pytest.raises(NotInClassError, match="join again"):
            store.answer(code, qid, token, 1.0)
        with pytest.raises(NotInClassError):
            store.current_question(code, token)
    with pytest.raises(NotInClassError):  # a good token on another class's code
        store.answer(other_code, other_qid, mine, 1.0)
    with pytest.raises(QuestionNotFoundError):  # another class's question with my class's code
        store.answer(code, other_qid, mine, 1.0)
    with pytest.raises(NotInClassError, match="teacher does not answer"):
        store.answer(code, qid, teacher, 1.0)
    assert store.count(code, qid, teacher) == 0
    assert store.count(other_code, other_qid, other_teacher) == 0


def test_tokens_are_stored_only_as_hashes(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code, nickname="Ann")
    store.answer(code, qid, student, 1.0)
    with store.engine.connect() as conn:
        dump = repr([conn.execute(sa.select(table)).all() for table in class_store.METADATA.sorted_tables])
    assert teacher not in dump
    assert student not in dump
    assert codes.token_hash(teacher) in dump
    assert codes.token_hash(student) in dump
    assert teacher not in repr(store.create_class())  # not even in a log line


def test_a_closed_class_no_longer_joins_or_takes_answers(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    store.answer(code, qid, student, 1.0)
    store.close(code, teacher)
    with pytest.raises(ClassNotFoundError, match="No open class has that code"):
        store.join(code)
    with pytest.raises(ClassClosedError, match="closed"):
        store.answer(code, qid, student, 2.0)
    with pytest.raises(ClassClosedError):
        store.ask(code, teacher, NUMBER_Q)
    assert store.info(code, student).closed
    assert "1.0" in store.export_csv(code, teacher)  # the teacher still exports


def test_guessing_join_codes_is_limited_per_session(store):
    code, _ = store.create_class()
    t0 = datetime.now(UTC)
    for i in range(class_store.MAX_FAILED_JOINS):
        with pytest.raises(ClassNotFoundError, match="tries left" if i < 9 else "no tries left"):
            store.join(f"ZZZZ{codes.ALPHABET[i]}{codes.ALPHABET[i]}", attempt_key="session-1", now=t0)
    with pytest.raises(TooManyAttemptsError, match="Too many wrong codes: try again in 10 min") as refused:
        store.join(code, attempt_key="session-1", now=t0)  # even the right code, for now
    assert 0 < refused.value.retry_after_s <= 600
    assert store.join(code, attempt_key="session-2", now=t0)  # another session is not slowed
    assert store.join(code, attempt_key="session-1", now=t0 + timedelta(minutes=10, seconds=1))
    with pytest.raises(ClassNotFoundError, match="9 tries left"):  # a new window
        store.join("ZZZZZZ", attempt_key="session-1", now=t0 + timedelta(minutes=10, seconds=2))
    with store.engine.connect() as conn:
        keys = conn.execute(sa.select(class_store.join_attempts.c.key_hash)).scalars().all()
    assert "session-1" not in keys
    assert len(keys) == 1
    store.expire(t0 + timedelta(minutes=20, seconds=3))  # counters whose window is over are deleted
    assert _rows(store, class_store.join_attempts) == 0


# -- expiry ------------------------------------------------------------------------------------


def test_expiry_deletes_the_class_with_its_questions_students_and_answers(store):
    now = datetime.now(UTC)
    old_code, old_teacher = store.create_class(now=now - timedelta(hours=11, minutes=59))
    qid = store.ask(old_code, old_teacher, NUMBER_Q)
    student = store.join(old_code, nickname="Ann")
    store.answer(old_code, qid, student, 1.0)
    young_code, young_teacher, young_q = _class_with_question(store)
    store.answer(young_code, young_q, store.join(young_code), 2.0)
    assert store.expire(now) == 0
    assert store.expire(now + timedelta(minutes=2)) == 1
    for table, left in (
        (class_store.classes, 1),
        (class_store.questions, 1),
        (class_store.students, 1),
        (class_store.answers, 1),
    ):
        assert _rows(store, table) == left, table.name
    with pytest.raises(ClassNotFoundError):
        store.join(old_code)
    with pytest.raises(NotInClassError):
        store.answer(old_code, qid, student, 2.0)
    assert store.count(young_code, young_q, young_teacher) == 1


def test_a_class_past_its_lifetime_is_refused_before_it_is_deleted(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    later = datetime.now(UTC) + timedelta(hours=12, seconds=1)
    with pytest.raises(ClassNotFoundError):
        store.join(code, now=later)
    with pytest.raises(ClassClosedError):
        store.answer(code, qid, student, 1.0, now=later)
    with pytest.raises(ClassClosedError):
        store.ask(code, teacher, NUMBER_Q, now=later)
    assert store.info(code, teacher, now=later).closed
    store.create_class(now=later)  # starting a class deletes the expired ones
    assert not store.is_teacher(code, teacher)


# -- what people send ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("x" * 41, "nickname is too long: at most 40 characters, this one has 41"),
        ("Ann\x00", "control characters"),
        ("Ann\u202e", "control characters"),  # right-to-left override
        (42, "nickname must be text"),
    ],
)
def test_nicknames_are_limited(store, nickname, message):
    code, _ = store.create_class()
    with pytest.raises(InvalidInputError, match=message):
        store.join(code, nickname=nickname)


def test_nickname_limits_accept_what_fits(store):
    code, teacher, qid = _class_with_question(store)
    ann = store.join(code, nickname="é" * 40)
    bob = store.join(code, nickname="   ")  # blank is no nickname
    store.rename(code, bob, "Bob")
    store.answer(code, qid, ann, 1.0)
    store.answer(code, qid, bob, 2.0)
    assert store.results(code, qid, teacher).by_nickname == (("Bob", 2.0), ("é" * 40, 1.0))
    with pytest.raises(InvalidInputError, match="too long"):
        store.rename(code, bob, "B" * 41)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.inf, "finite number"),
        (-math.inf, "finite number"),
        (math.nan, "finite number"),
        (np.float64("nan"), "finite number"),
        (True, "takes a number"),
        ("1.5", "takes a number"),
        (None, "takes a number"),
        ([1.0], "takes a number"),
    ],
)
def test_number_answers_must_be_finite_numbers(store, value, message):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    with pytest.raises(InvalidInputError, match=message):
        store.answer(code, qid, student, value)
    assert store.count(code, qid, teacher) == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A" * 65, "answer is too long: at most 64 characters, this one has 65"),
        ("Neither", "Pick one of the question's options"),
        (1.0, "answer must be text"),
    ],
)
def test_choice_answers_must_be_an_option(store, value, message):
    code, _teacher, qid = _class_with_question(store, CHOICE_Q)
    student = store.join(code)
    with pytest.raises(InvalidInputError, match=message):
        store.answer(code, qid, student, value)
    store.answer(code, qid, student, " Equal ")
    assert store.my_answer(code, qid, student) == "Equal"


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"kind": "essay"}, "kind is one of number, choice"),
        ({"kind": "choice", "options": ["only one"]}, "2 to 12 options"),
        ({"kind": "choice", "options": ["a", "a"]}, "different"),
        ({"kind": "choice", "options": ["a", "b" * 65]}, "option is too long"),
        ({"truth": math.nan}, "plain JSON"),
        ({"picture": object()}, "plain JSON"),
        ({"p": [0.1] * 10_000}, "too large"),
        ("H(p, q)?", "is a dict"),
    ],
)
def test_questions_are_checked(store, question, message):
    code, teacher = store.create_class()
    with pytest.raises(InvalidInputError, match=message):
        store.ask(code, teacher, question)


def test_unknown_questions_are_refused(store):
    code, teacher, qid = _class_with_question(store)
    student = store.join(code)
    for bad in (qid + 1000, "1", None, True):
        with pytest.raises(QuestionNotFoundError, match="does not exist"):
            store.answer(code, bad, student, 1.0)
    with pytest.raises(QuestionNotFoundError):
        store.reveal(code, teacher, qid + 1000)


def test_every_refusal_is_a_classroom_error_with_a_message():
    errors = [
        cls
        for cls in vars(class_store).values()
        if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == class_store.__name__
    ]
    assert len(errors) == 10
    assert all(issubclass(cls, ClassroomError) for cls in errors)


# -- export and injection -------------------------------------------------------------------------


def test_the_csv_is_anonymous_and_safe_in_a_spreadsheet(store):
    code, teacher = store.create_class()
    q1 = store.ask(code, teacher, {**NUMBER_Q, "prompt": '=HYPERLINK("http://x")'})
    q2 = store.ask(
        code,
        teacher,
        {
            "kind": "choice",
            "prompt": "@SUM(A1)",
            "truth": "+1",
            "options": ["+1", "-1", "=1+1", "@A1", "plain"],
        },
    )
    names = ["Ann Secret", "Bob Hidden", "Cy"]
    tokens = [store.join(code, nickname=name) for name in names]
    for token, number, option in zip(tokens, (-0.5, 2.0, 1e-3), ("+1", "=1+1", "@A1"), strict=True):
        store.answer(code, q1, token, number)
        store.answer(code, q2, token, option)
    text = store.export_csv(code, teacher)
    for secret in [*names, *tokens, teacher]:
        assert secret not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["question", "prompt", "truth", "answer"]
    assert rows[1:4] == [["1", '\'=HYPERLINK("http://x")', "1.5", v] for v in ("-0.5", "0.001", "2.0")]
    assert sorted(row[3] for row in rows[4:]) == ["'+1", "'=1+1", "'@A1"]
    assert all(row[:3] == ["2", "'@SUM(A1)", "'+1"] for row in rows[4:])
    assert q1 != q2


def test_sql_looking_text_is_stored_verbatim(store):
    evil = "Robert'); DROP TABLE class_students;--"
    code, teacher = store.create_class()
    qid = store.ask(
        code,
        teacher,
        {"kind": "choice", "prompt": "' OR 1=1 --", "options": [evil, "1; DELETE FROM class_answers"]},
    )
    student = store.join(code, nickname=evil)
    store.answer(code, qid, student, evil)
    other = store.join(code, nickname="x' OR 'a'='a")
    store.answer(code, qid, other, "1; DELETE FROM class_answers")
    results = store.results(code, qid, teacher)
    assert results.by_nickname == ((evil, evil), ("x' OR 'a'='a", "1; DELETE FROM class_answers"))
    assert store.question(code, student, qid).payload["prompt"] == "' OR 1=1 --"
    assert _rows(store, class_store.students) == 2
    assert _rows(store, class_store.answers) == 2
    with pytest.raises(ClassNotFoundError):
        store.join("' OR 1=1 --")


# -- the databases ---------------------------------------------------------------------------------


def test_two_stores_on_one_database_share_the_class(store):
    """Two replicas: each has its own store (engine) on the same database."""
    replica = ClassStore(store.engine.url.render_as_string(hide_password=False))
    try:
        code, teacher, qid = _class_with_question(store)
        student = replica.join(code)
        replica.answer(code, qid, student, 4.0)
        assert store.count(code, qid, teacher) == 1
    finally:
        replica.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("CE_LAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("CE_LAB_DATA_DIR", str(tmp_path / "new" / "data"))
    url = class_store.database_url()
    assert url == f"sqlite:///{tmp_path / 'new' / 'data' / 'classes.db'}"
    assert (tmp_path / "new" / "data").is_dir()
    the_store = ClassStore()
    try:
        with the_store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
    finally:
        the_store.dispose()
    monkeypatch.setenv("CE_LAB_DATABASE_URL", "postgresql://u@db.example/lab")
    assert class_store.database_url() == "postgresql://u@db.example/lab"
    with pytest.raises(ValueError, match="not :memory:"):
        ClassStore("sqlite://")
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        ClassStore("mysql://u@h/db")


def test_timestamps_are_utc(store):
    local = datetime(2026, 12, 8, 9, 30, tzinfo=UTC).astimezone(timezone(timedelta(hours=5)))
    code, teacher = store.create_class(now=local)
    info = store.info(code, teacher, now=local)
    assert info.created_at == datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    assert info.created_at.tzinfo == UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        store.create_class(now=datetime(2026, 12, 8, 9, 30))
