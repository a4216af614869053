"""The shared store of "a class answers together" (issue 19): classes, questions, students, answers.

One small module with a few verbs, written with SQLAlchemy Core so that SQLite (the default: one
file in the data directory, WAL mode) and PostgreSQL (several replicas) run the same code. The
pages never write SQL and never import Streamlit here: a page keeps one :class:`ClassStore`
(``st.cache_resource``) and calls its verbs.

Who may do what
    * :meth:`ClassStore.create_class` returns the join code and the teacher token. The database
      keeps only the token's SHA-256 hash; every teacher verb (ask, reveal, close, export, and the
      nicknames in :meth:`ClassStore.results`) compares the presented token in constant time and
      raises :class:`NotTeacherError` otherwise. An unknown code gets the same :class:`NotTeacherError`, so
      teacher verbs tell a guesser nothing about which codes exist.
    * :meth:`ClassStore.join` returns an opaque student token for the browser session to keep;
      the database keeps only its hash. Answering and reading a question need a student's (or
      the teacher's) token of that class: a forged code or token gets :class:`NotInClassError`.
    * Join codes are guessed slowly: ``join(code, attempt_key=...)`` counts the failed tries of
      one key (the page passes its session id) in the database, :data:`MAX_FAILED_JOINS` per
      :data:`JOIN_WINDOW`; past that even the right code is refused (:class:`TooManyAttemptsError`)
      until the window ends. Only a hash of the key is stored.

Guards in the schema
    * One answer per student and question: a UNIQUE key on (question, student) and an
      ``INSERT ... ON CONFLICT DO UPDATE`` (the dialect's insert), so double clicks, reconnects
      and concurrent submissions leave exactly one answer, the latest.
    * Answers change until the reveal and are refused after it. On PostgreSQL the answer locks
      its question row (``FOR SHARE``) so a reveal waits for answers in flight; on SQLite every
      writing transaction is ``BEGIN IMMEDIATE`` (one writer at a time).
    * Classes expire :data:`CLASS_TTL` (12 h) after they start: a class is no longer joinable or
      answerable after that, and :meth:`ClassStore.expire` (also run by every
      :meth:`ClassStore.create_class`) deletes it; its questions, students and answers go with it
      (``ON DELETE CASCADE``; SQLite's foreign keys are switched on for every connection).

Limits: a nickname at most :data:`NICKNAME_MAX` characters, a text answer at most
:data:`ANSWER_TEXT_MAX`, numbers finite, a question's JSON at most :data:`QUESTION_MAX_BYTES`.
Every refusal is a :class:`ClassroomError` whose message can be shown to a student or teacher.
Values are always passed as bound parameters, never spliced into SQL. Timestamps are UTC.

Where the database is (:func:`database_url`): ``CE_LAB_DATABASE_URL`` when set (e.g.
``postgresql://user@host/db``; the page may pass Streamlit secrets instead), otherwise
``sqlite:///<data dir>/classes.db`` with the data directory from ``CE_LAB_DATA_DIR`` (default
``data/`` at the repository root, created when missing).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import numbers
import os
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

from lab.classroom import codes

#: How long a class lives after it starts; then it is refused and deleted with its answers.
CLASS_TTL = timedelta(hours=12)
#: Failed join attempts one attempt key may make per :data:`JOIN_WINDOW`.
MAX_FAILED_JOINS = 10
JOIN_WINDOW = timedelta(minutes=10)
NICKNAME_MAX = 40
ANSWER_TEXT_MAX = 64
QUESTION_MAX_BYTES = 32_000
#: Options of a choice question.
MIN_OPTIONS, MAX_OPTIONS = 2, 12
#: Tries to find a join code no stored class has.
CODE_TRIES = 20
#: Seconds a SQLite connection waits for the write lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 15
QUESTION_KINDS = ("number", "choice")
#: The key of a question's true answer: hidden from students until the reveal.
TRUTH_KEY = "truth"

_REPO = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------------------------
# Errors: every message is meant for the person at the screen.


class ClassroomError(Exception):
    """A refusal whose message can be shown as it is."""


class ClassNotFoundError(ClassroomError, LookupError):
    """No live class has this code (never existed, closed or expired)."""


class ClassClosedError(ClassroomError):
    """The class was closed or has expired."""


class NotTeacherError(ClassroomError, PermissionError):
    """The token is not this class's teacher token."""


class NotInClassError(ClassroomError, PermissionError):
    """The student token does not belong to this class."""


class QuestionNotFoundError(ClassroomError, LookupError):
    """The class has no question with this id."""


class AnswersClosedError(ClassroomError):
    """The question was revealed: it takes no more answers."""


class NotRevealedError(ClassroomError):
    """The class's answers are shown after the reveal."""


class InvalidInputError(ClassroomError, ValueError):
    """A nickname, answer or question that breaks a limit."""


class TooManyAttemptsError(ClassroomError):
    """Too many wrong join codes from one session: wait before trying again."""

    def __init__(self, message: str, retry_after_s: int):
        super().__init__(message)
        self.retry_after_s = retry_after_s


# ----------------------------------------------------------------------------------------------
# Results handed to the pages.


@dataclass(frozen=True)
class NewClass:
    """What :meth:`ClassStore.create_class` returns; the token is shown to no one but the teacher."""

    code: str
    teacher_token: str

    def __iter__(self):  # code, token = store.create_class()
        return iter((self.code, self.teacher_token))

    def __repr__(self) -> str:  # never print the token into a log
        return f"NewClass(code={self.code!r}, teacher_token=<hidden>)"


@dataclass(frozen=True)
class Question:
    id: int
    number: int  # 1 for the class's first question
    payload: dict  # without TRUTH_KEY for a student before the reveal
    asked_at: datetime
    revealed: bool

    @property
    def kind(self) -> str:
        return self.payload.get("kind", "number")


@dataclass(frozen=True)
class Results:
    question: Question
    values: tuple  # every answer's value, sorted (floats, or option texts)
    by_nickname: tuple[tuple[str, Any], ...] | None  # (nickname, value) pairs: the teacher's only


@dataclass(frozen=True)
class ClassInfo:
    code: str
    created_at: datetime
    expires_at: datetime
    closed: bool
    students: int
    questions: int


# ----------------------------------------------------------------------------------------------
# Schema.


class UTCDateTime(sa.TypeDecorator):
    """An aware UTC datetime on every dialect (SQLite stores it naive; it comes back aware)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


METADATA = sa.MetaData()


def _id_column() -> sa.Column:
    """The integer primary key ``id`` that every table but the join attempts has."""
    return sa.Column("id", sa.Integer, primary_key=True)


def _parent_column(name: str, parent: str, *, index: bool | None = None) -> sa.Column:
    """A required reference to ``parent.id``, deleted with its parent row."""
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"), nullable=False, index=index
    )


classes = sa.Table(
    "classes",
    METADATA,
    _id_column(),
    sa.Column("code", sa.String(codes.LENGTH), nullable=False, unique=True),
    sa.Column("teacher_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("closed_at", UTCDateTime, nullable=True),
)

questions = sa.Table(
    "class_questions",
    METADATA,
    _id_column(),
    _parent_column("class_id", "classes", index=True),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("asked_at", UTCDateTime, nullable=False),
    sa.Column("revealed_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("class_id", "number", name="uq_class_question_number"),
)

students = sa.Table(
    "class_students",
    METADATA,
    _id_column(),
    _parent_column("class_id", "classes", index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("nickname", sa.String(NICKNAME_MAX), nullable=True),
    sa.Column("joined_at", UTCDateTime, nullable=False),
)

answers = sa.Table(
    "class_answers",
    METADATA,
    _id_column(),
    _parent_column("question_id", "class_questions"),
    _parent_column("student_id", "class_students", index=True),
    sa.Column("value_num", sa.Float, nullable=True),
    sa.Column("value_text", sa.String(ANSWER_TEXT_MAX), nullable=True),
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("question_id", "student_id", name="uq_one_answer_per_student"),
)

join_attempts = sa.Table(
    "class_join_attempts",
    METADATA,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("window_start", UTCDateTime, nullable=False),
    sa.Column("failures", sa.Integer, nullable=False),
)


# ----------------------------------------------------------------------------------------------
# Where the database is.


def data_dir() -> Path:
    """The data directory (``CE_LAB_DATA_DIR``, default ``data/`` at the repository root), created."""
    path = Path(os.environ.get("CE_LAB_DATA_DIR") or _REPO / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """``CE_LAB_DATABASE_URL`` when set, else the SQLite file ``classes.db`` in :func:`data_dir`."""
    url = os.environ.get("CE_LAB_DATABASE_URL", "").strip()
    return url or f"sqlite:///{data_dir() / 'classes.db'}"


def _engine_for(url: str) -> sa.Engine:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 (requirements.txt)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("the class store needs a SQLite file (several sessions share it), not :memory:")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"the class store runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    return sa.create_engine(parsed, pool_pre_ping=True)


def _configure_sqlite(engine: sa.Engine) -> None:
    """WAL, a busy timeout and foreign keys on every connection; BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling is switched off (isolation_level=None) so that
    SQLAlchemy's "begin" event decides how a transaction starts: a writing transaction takes the
    write lock at once (and waits up to the busy timeout for it) instead of failing with
    "database is locked" when its snapshot turns out stale.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("classroom_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# ----------------------------------------------------------------------------------------------
# Checking what people send.


def _clean_text(text: object, limit: int, what: str) -> str:
    if not isinstance(text, str):
        raise InvalidInputError(f"The {what} must be text.")
    text = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise InvalidInputError(f"The {what} contains invisible control characters: please retype it.")
    if len(text) > limit:
        raise InvalidInputError(
            f"The {what} is too long: at most {limit} characters, this one has {len(text)}."
        )
    return text


def clean_nickname(nickname: object) -> str | None:
    """The nickname as stored (None for none), or :class:`InvalidInputError` with the reason."""
    if nickname is None:
        return None
    text = _clean_text(nickname, NICKNAME_MAX, "nickname")
    return text or None


def _check_question(question: object) -> str:
    """The question as stored JSON, or InvalidInputError."""
    if not isinstance(question, dict):
        raise InvalidInputError("A question is a dict (its kind, prompt, options, truth and picture).")
    kind = question.get("kind", "number")
    if kind not in QUESTION_KINDS:
        raise InvalidInputError(f"A question's kind is one of {', '.join(QUESTION_KINDS)}, not {kind!r}.")
    if kind == "choice":
        options = question.get("options")
        if not isinstance(options, list | tuple) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise InvalidInputError(f"A choice question has {MIN_OPTIONS} to {MAX_OPTIONS} options.")
        cleaned = [_clean_text(option, ANSWER_TEXT_MAX, "option") for option in options]
        if len(set(cleaned)) != len(cleaned) or not all(cleaned):
            raise InvalidInputError("A choice question's options must be different and not empty.")
        question = {**question, "options": cleaned}
    try:
        payload = json.dumps(question, allow_nan=False, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise InvalidInputError(f"A question must be plain JSON (numbers finite): {error}") from None
    if len(payload.encode("utf-8")) > QUESTION_MAX_BYTES:
        raise InvalidInputError(f"The question is too large (more than {QUESTION_MAX_BYTES} bytes as JSON).")
    return payload


def _answer_columns(value: object, payload: dict) -> tuple[float | None, str | None]:
    """(value_num, value_text) for an answer to this question, or InvalidInputError."""
    if payload.get("kind", "number") == "choice":
        text = _clean_text(value, ANSWER_TEXT_MAX, "answer")
        if text not in payload["options"]:
            raise InvalidInputError("Pick one of the question's options.")
        return None, text
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError("This question takes a number.")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInputError("The answer must be a finite number (not infinity or NaN).")
    return number, None


def _question_id(question_id: object) -> int:
    if isinstance(question_id, bool) or not isinstance(question_id, int):
        raise QuestionNotFoundError("That question does not exist in this class.")
    return question_id


def _csv_cell(value: object) -> object:
    """A text cell a spreadsheet will not run as a formula (a leading ', as OWASP advises)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    return now.astimezone(UTC)


# ----------------------------------------------------------------------------------------------
# The store.


class ClassStore:
    """Classes, questions, students and answers in one database (SQLite or PostgreSQL)."""

    def __init__(self, url: str | None = None, *, ttl: timedelta = CLASS_TTL):
        self.engine = _engine_for(url or database_url())
        self.ttl = ttl
        self._writer = self.engine.execution_options(classroom_write=True)
        self._is_postgres = self.engine.dialect.name == "postgresql"
        self.create_schema()

    # -- plumbing ----------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create the tables when missing (replicas starting together take turns on PostgreSQL)."""
        with self._writer.begin() as conn:
            if self._is_postgres:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(1919191919)"))
            METADATA.create_all(conn)

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def _insert(self, table: sa.Table):
        return (pg_dialect.insert if self._is_postgres else sqlite_dialect.insert)(table)

    def _live_class(self, conn, code: object, now: datetime):
        """(id, teacher_hash) of the live class with this code, or None."""
        code = codes.normalise_code(code)
        if code is None:
            return None
        return conn.execute(
            sa.select(classes.c.id, classes.c.teacher_hash).where(
                classes.c.code == code, classes.c.closed_at.is_(None), classes.c.created_at > now - self.ttl
            )
        ).first()

    def _teacher_class(
        self,
        conn,
        code: object,
        token: object,
        *,
        live: bool = True,
        now: datetime | None = None,
        lock: bool = False,
    ):
        """The class id when ``token`` is its teacher's; NotTeacherError (or ClassClosedError) otherwise.

        ``lock`` locks the class row on PostgreSQL (two teacher screens asking at once take turns).
        """
        now = _now(now)
        code = codes.normalise_code(code)
        query = sa.select(
            classes.c.id, classes.c.teacher_hash, classes.c.closed_at, classes.c.created_at
        ).where(classes.c.code == code)
        if lock and self._is_postgres:
            query = query.with_for_update()
        row = None if code is None else conn.execute(query).first()
        if row is None or not codes.token_matches(token, row.teacher_hash):
            raise NotTeacherError("Only the teacher who started this class can do that.")
        if live and (row.closed_at is not None or row.created_at <= now - self.ttl):
            raise ClassClosedError("This class is closed.")
        return row.id

    def _viewer(self, conn, code: object, token: object):
        """(class id, is teacher, student id or None) for a teacher's or a student's token."""
        code = codes.normalise_code(code)
        if code is not None and isinstance(token, str) and 0 < len(token) <= 200:
            row = conn.execute(
                sa.select(classes.c.id, classes.c.teacher_hash).where(classes.c.code == code)
            ).first()
            if row is not None and codes.token_matches(token, row.teacher_hash):
                return row.id, True, None
            student = conn.execute(
                sa.select(students.c.id, students.c.class_id)
                .join(classes, classes.c.id == students.c.class_id)
                .where(classes.c.code == code, students.c.token_hash == codes.token_hash(token))
            ).first()
            if student is not None:
                return student.class_id, False, student.id
        raise NotInClassError("This screen is not in that class: join again with the class code.")

    def _question(self, conn, class_id: int, question_id: object, *, lock: bool = False):
        query = sa.select(questions).where(
            questions.c.id == _question_id(question_id), questions.c.class_id == class_id
        )
        if lock and self._is_postgres:
            query = query.with_for_update(read=True)
        row = conn.execute(query).first()
        if row is None:
            raise QuestionNotFoundError("That question does not exist in this class.")
        return row

    @staticmethod
    def _as_question(row, *, teacher: bool) -> Question:
        payload = json.loads(row.payload)
        revealed = row.revealed_at is not None
        if not teacher and not revealed:
            payload.pop(TRUTH_KEY, None)
        return Question(
            id=row.id, number=row.number, payload=payload, asked_at=row.asked_at, revealed=revealed
        )

    # -- the teacher's verbs -----------------------------------------------------------------

    def create_class(self, *, now: datetime | None = None) -> NewClass:
        """Start a class: a fresh join code and the teacher token (expired classes are deleted first)."""
        now = _now(now)
        self.expire(now)
        token = codes.new_token(codes.TEACHER_TOKEN_BYTES)
        for _ in range(CODE_TRIES):
            code = codes.new_code()
            try:
                with self._writer.begin() as conn:
                    conn.execute(
                        sa.insert(classes).values(
                            code=code, teacher_hash=codes.token_hash(token), created_at=now
                        )
                    )
            except sa.exc.IntegrityError:  # the code is taken: draw another
                continue
            return NewClass(code, token)
        raise ClassroomError("Could not find a free class code: please try again.")

    def ask(self, code: str, teacher_token: str, question: dict, *, now: datetime | None = None) -> int:
        """Ask a question (kind "number" or "choice" with "options"; "truth" hidden until the reveal)."""
        now = _now(now)
        payload = _check_question(question)
        with self._writer.begin() as conn:
            class_id = self._teacher_class(conn, code, teacher_token, now=now, lock=True)
            number = (
                conn.execute(
                    sa.select(sa.func.coalesce(sa.func.max(questions.c.number), 0)).where(
                        questions.c.class_id == class_id
                    )
                ).scalar_one()
                + 1
            )
            return conn.execute(
                sa.insert(questions)
                .values(class_id=class_id, number=number, payload=payload, asked_at=now)
                .returning(questions.c.id)
            ).scalar_one()

    def reveal(self, code: str, teacher_token: str, question_id: int, *, now: datetime | None = None) -> None:
        """Reveal a question: it takes no more answers, and everyone may see the results."""
        now = _now(now)
        with self._writer.begin() as conn:
            class_id = self._teacher_class(conn, code, teacher_token, live=False, now=now)
            self._question(conn, class_id, question_id)
            conn.execute(
                sa.update(questions)
                .where(questions.c.id == question_id, questions.c.revealed_at.is_(None))
                .values(revealed_at=now)
            )

    def close(self, code: str, teacher_token: str, *, now: datetime | None = None) -> None:
        """Close the class: its code joins no more and no answer is taken (export still works)."""
        now = _now(now)
        with self._writer.begin() as conn:
            class_id = self._teacher_class(conn, code, teacher_token, live=False, now=now)
            conn.execute(
                sa.update(classes)
                .where(classes.c.id == class_id, classes.c.closed_at.is_(None))
                .values(closed_at=now)
            )

    def export_csv(self, code: str, teacher_token: str) -> str:
        """The class's answers as anonymous CSV: question number, prompt, truth, answer (no names, no tokens)."""
        with self.engine.connect() as conn:
            class_id = self._teacher_class(conn, code, teacher_token, live=False)
            rows = conn.execute(
                sa.select(questions.c.number, questions.c.payload, answers.c.value_num, answers.c.value_text)
                .join(answers, answers.c.question_id == questions.c.id)
                .where(questions.c.class_id == class_id)
                .order_by(questions.c.number, answers.c.value_num, answers.c.value_text)
            ).all()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["question", "prompt", "truth", "answer"])
        for row in rows:
            payload = json.loads(row.payload)
            truth = payload.get(TRUTH_KEY)
            value = row.value_num if row.value_num is not None else row.value_text
            writer.writerow(
                [
                    row.number,
                    _csv_cell(payload.get("prompt", "")),
                    _csv_cell(truth if isinstance(truth, str | int | float) else ""),
                    _csv_cell(value),
                ]
            )
        return out.getvalue()

    def is_teacher(self, code: str, token: str) -> bool:
        """Whether ``token`` is the teacher token of this (not necessarily live) class."""
        with self.engine.connect() as conn:
            try:
                self._teacher_class(conn, code, token, live=False)
            except NotTeacherError:
                return False
            return True

    # -- the students' verbs -----------------------------------------------------------------

    def join(
        self,
        code: str,
        *,
        nickname: str | None = None,
        attempt_key: str | None = None,
        now: datetime | None = None,
    ) -> str:
        """Join a live class; returns the student token the browser session keeps.

        ``attempt_key`` (the page's session id) limits guessing: after :data:`MAX_FAILED_JOINS`
        wrong codes within :data:`JOIN_WINDOW`, joins with that key are refused until the window ends.
        """
        now = _now(now)
        nickname = clean_nickname(nickname)
        key_hash = (
            None
            if attempt_key is None
            else hashlib.sha256(("join-attempts:" + str(attempt_key)).encode("utf-8")).hexdigest()
        )
        if key_hash is not None:
            self._check_attempts(key_hash, now)
        token = codes.new_token(codes.STUDENT_TOKEN_BYTES)
        with self._writer.begin() as conn:
            row = self._live_class(conn, code, now)
            if row is not None:
                conn.execute(
                    sa.insert(students).values(
                        class_id=row.id, token_hash=codes.token_hash(token), nickname=nickname, joined_at=now
                    )
                )
                return token
        left = None if key_hash is None else MAX_FAILED_JOINS - self._record_failure(key_hash, now)
        hint = "" if left is None else f" ({left} tries left)" if left > 0 else " (no tries left for now)"
        raise ClassNotFoundError("No open class has that code: check it on the projector" + hint + ".")

    def _check_attempts(self, key_hash: str, now: datetime) -> None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(join_attempts).where(join_attempts.c.key_hash == key_hash)).first()
        if row is not None and row.failures >= MAX_FAILED_JOINS and row.window_start > now - JOIN_WINDOW:
            wait = math.ceil((row.window_start + JOIN_WINDOW - now).total_seconds())
            raise TooManyAttemptsError(
                f"Too many wrong codes: try again in {max(1, math.ceil(wait / 60))} min.", wait
            )

    def _record_failure(self, key_hash: str, now: datetime) -> int:
        """Count one failed join for this key (a new window once the old one is over); the count."""
        stale = join_attempts.c.window_start <= now - JOIN_WINDOW
        stmt = self._insert(join_attempts).values(key_hash=key_hash, window_start=now, failures=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[join_attempts.c.key_hash],
            set_={
                "failures": sa.case((stale, 1), else_=join_attempts.c.failures + 1),
                "window_start": sa.case(
                    (stale, stmt.excluded.window_start), else_=join_attempts.c.window_start
                ),
            },
        )
        with self._writer.begin() as conn:
            conn.execute(stmt)
            return conn.execute(
                sa.select(join_attempts.c.failures).where(join_attempts.c.key_hash == key_hash)
            ).scalar_one()

    def rename(self, code: str, student_token: str, nickname: str | None) -> None:
        """Set or clear a student's nickname (seen only by that student and the teacher)."""
        nickname = clean_nickname(nickname)
        with self._writer.begin() as conn:
            _class_id, teacher, student_id = self._viewer(conn, code, student_token)
            if teacher:
                raise InvalidInputError("The teacher has no nickname.")
            conn.execute(sa.update(students).where(students.c.id == student_id).values(nickname=nickname))

    def answer(
        self,
        code: str,
        question_id: int,
        student_token: str,
        value: float | str,
        *,
        now: datetime | None = None,
    ) -> None:
        """Send (or change) this student's answer; one answer per student and question, until the reveal."""
        now = _now(now)
        with self._writer.begin() as conn:
            class_id, teacher, student_id = self._viewer(conn, code, student_token)
            if teacher:
                raise NotInClassError("The teacher does not answer: open the student link on another screen.")
            live = conn.execute(
                sa.select(classes.c.closed_at, classes.c.created_at).where(classes.c.id == class_id)
            ).one()
            if live.closed_at is not None or live.created_at <= now - self.ttl:
                raise ClassClosedError("This class is closed: answers are no longer taken.")
            question = self._question(conn, class_id, question_id, lock=True)
            if question.revealed_at is not None:
                raise AnswersClosedError("The answer has been revealed: this question takes no more answers.")
            value_num, value_text = _answer_columns(value, json.loads(question.payload))
            stmt = self._insert(answers).values(
                question_id=question.id,
                student_id=student_id,
                value_num=value_num,
                value_text=value_text,
                answered_at=now,
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[answers.c.question_id, answers.c.student_id],
                    set_={
                        "value_num": stmt.excluded.value_num,
                        "value_text": stmt.excluded.value_text,
                        "answered_at": stmt.excluded.answered_at,
                    },
                )
            )

    def my_answer(self, code: str, question_id: int, student_token: str) -> float | str | None:
        """This student's current answer to the question, or None."""
        with self.engine.connect() as conn:
            class_id, _teacher, student_id = self._viewer(conn, code, student_token)
            question = self._question(conn, class_id, question_id)
            row = conn.execute(
                sa.select(answers.c.value_num, answers.c.value_text).where(
                    answers.c.question_id == question.id, answers.c.student_id == student_id
                )
            ).first()
        if row is None:
            return None
        return row.value_num if row.value_num is not None else row.value_text

    # -- anyone in the class (teacher or student token) -------------------------------------

    def current_question(self, code: str, token: str) -> Question | None:
        """The class's latest question (None before the first), as this token may see it."""
        with self.engine.connect() as conn:
            class_id, teacher, _ = self._viewer(conn, code, token)
            row = conn.execute(
                sa.select(questions)
                .where(questions.c.class_id == class_id)
                .order_by(questions.c.number.desc())
                .limit(1)
            ).first()
        return None if row is None else self._as_question(row, teacher=teacher)

    def question(self, code: str, token: str, question_id: int) -> Question:
        """One question of the class, as this token may see it (the truth after the reveal)."""
        with self.engine.connect() as conn:
            class_id, teacher, _ = self._viewer(conn, code, token)
            return self._as_question(self._question(conn, class_id, question_id), teacher=teacher)

    def count(self, code: str, question_id: int, token: str) -> int:
        """How many students have answered the question."""
        with self.engine.connect() as conn:
            class_id, _teacher, _ = self._viewer(conn, code, token)
            question = self._question(conn, class_id, question_id)
            return conn.execute(
                sa.select(sa.func.count()).select_from(answers).where(answers.c.question_id == question.id)
            ).scalar_one()

    def results(self, code: str, question_id: int, token: str) -> Results:
        """The answers' values (sorted); nicknames with values only for the teacher.

        Students see results after the reveal only (:class:`NotRevealedError` before); the teacher
        any time (the page hides them from the projector until the reveal).
        """
        with self.engine.connect() as conn:
            class_id, teacher, _ = self._viewer(conn, code, token)
            row = self._question(conn, class_id, question_id)
            if not teacher and row.revealed_at is None:
                raise NotRevealedError("The class's answers appear after the reveal.")
            rows = conn.execute(
                sa.select(answers.c.value_num, answers.c.value_text, students.c.nickname)
                .join(students, students.c.id == answers.c.student_id)
                .where(answers.c.question_id == row.id)
            ).all()
        values = sorted(r.value_num if r.value_num is not None else r.value_text for r in rows)
        named = None
        if teacher:
            named = tuple(
                sorted(
                    (
                        (r.nickname, r.value_num if r.value_num is not None else r.value_text)
                        for r in rows
                        if r.nickname
                    ),
                    key=lambda pair: (pair[0], str(pair[1])),
                )
            )
        return Results(
            question=self._as_question(row, teacher=teacher), values=tuple(values), by_nickname=named
        )

    def info(self, code: str, token: str, *, now: datetime | None = None) -> ClassInfo:
        """The class's state: closed, when it expires, how many students and questions."""
        with self.engine.connect() as conn:
            class_id, _teacher, _ = self._viewer(conn, code, token)
            row = conn.execute(sa.select(classes).where(classes.c.id == class_id)).one()
            n_students = conn.execute(
                sa.select(sa.func.count()).select_from(students).where(students.c.class_id == class_id)
            ).scalar_one()
            n_questions = conn.execute(
                sa.select(sa.func.count()).select_from(questions).where(questions.c.class_id == class_id)
            ).scalar_one()
        expires_at = row.created_at + self.ttl
        return ClassInfo(
            code=row.code,
            created_at=row.created_at,
            expires_at=expires_at,
            closed=row.closed_at is not None or expires_at <= _now(now),
            students=n_students,
            questions=n_questions,
        )

    # -- housekeeping ------------------------------------------------------------------------

    def expire(self, now: datetime | None = None) -> int:
        """Delete the classes older than the TTL (their questions, students and answers cascade)
        and join-attempt counters whose window is over; the number of classes deleted."""
        now = _now(now)
        with self._writer.begin() as conn:
            deleted = conn.execute(sa.delete(classes).where(classes.c.created_at <= now - self.ttl)).rowcount
            conn.execute(sa.delete(join_attempts).where(join_attempts.c.window_start <= now - JOIN_WINDOW))
        return deleted
