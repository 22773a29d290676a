"""The transcript store's operations. Every write is one short transaction.

An answer is committed before grading starts; each grade is its own row (every grader run is
kept with its provenance); drafts are autosaved per turn; events record what resuming needs.
"""

import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interviewer import paths
from interviewer.domain.grade import Grade
from interviewer.domain.session import Session, SessionMode, Turn
from interviewer.errors import UsageError
from interviewer.store.db import DB_NAME, connect
from interviewer.vocab import TurnStatus


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_INSERT_GRADE = (
    "INSERT INTO grades (turn_id, created_at, status, score, grader_kind, model, prompt_version,"
    " prompt_hash, rubric_hash, latency_ms, tokens_in, tokens_out, cost_usd, body)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_INSERT_TURN = (
    "INSERT INTO turns (id, session_id, seq, question_id, kind, parent_id, probe_id, prompt,"
    " answer, status, skipped, revealed, hints, started_at, first_key_at, submitted_at, overtime)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _grade_row(turn_id: str, grade: Grade, usage: dict[str, Any] | None = None) -> tuple:
    usage = usage or {}
    return (
        turn_id,
        _ts(grade.created_at),
        grade.status.value,
        grade.score,
        grade.grader.kind,
        grade.grader.model,
        grade.grader.prompt_version,
        grade.grader.prompt_hash,
        grade.grader.rubric_hash,
        grade.duration_ms,
        usage.get("tokens_in", grade.tokens_in),
        usage.get("tokens_out", grade.tokens_out),
        usage.get("cost_usd", grade.cost_usd),
        grade.model_dump_json(),
    )


def default_path() -> Path:
    return paths.data_dir() / DB_NAME


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.conn = connect(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # sessions -------------------------------------------------------------------------

    def create_session(
        self,
        *,
        mode: SessionMode,
        grader: str,
        language: str | None = None,
        follow_up_depth: int = 2,
        time_limit_s: int | None = None,
        banks: list[str] | None = None,
        question_ids: list[str] | None = None,
        now: datetime | None = None,
    ) -> Session:
        now = now or _now()
        with self._write() as db:
            while True:
                sid = secrets.token_hex(4)
                if not db.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone():
                    break
            db.execute(
                "INSERT INTO sessions (id, mode, created_at, updated_at, status, language,"
                " grader, follow_up_depth, time_limit_s, banks, question_ids)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sid,
                    mode,
                    _ts(now),
                    _ts(now),
                    "active",
                    language,
                    grader,
                    follow_up_depth,
                    time_limit_s,
                    json.dumps(banks or []),
                    json.dumps(question_ids or []),
                ),
            )
        return self.session(sid)

    def update_session(self, session_id: str, **fields: Any) -> None:
        allowed = {"status", "position", "summary", "language", "grader", "question_ids"}
        assert set(fields) <= allowed, fields
        values = {
            k: json.dumps(v) if k in ("summary", "question_ids") else v for k, v in fields.items()
        }
        sets = ", ".join(f"{k} = ?" for k in values)
        with self._write() as db:
            db.execute(
                f"UPDATE sessions SET {sets}, updated_at = ? WHERE id = ?",
                (*values.values(), _ts(_now()), session_id),
            )

    def resolve_session(self, ref: str) -> str:
        """A full session id from an id or a unique prefix of one."""
        ref = ref.strip()
        rows = self.conn.execute(
            "SELECT id FROM sessions WHERE id LIKE ? ORDER BY created_at", (f"{ref}%",)
        ).fetchall()
        if not ref or not rows:
            raise UsageError(f"no session {ref!r}; `interviewer sessions` lists them")
        if len(rows) > 1 and not any(r["id"] == ref for r in rows):
            raise UsageError(
                f"session {ref!r} is ambiguous: {', '.join(r['id'] for r in rows[:5])}"
            )
        return ref if any(r["id"] == ref for r in rows) else rows[0]["id"]

    def session(self, session_id: str, with_turns: bool = False) -> Session:
        row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise UsageError(f"no session {session_id!r}")
        session = Session(
            id=row["id"],
            mode=row["mode"],
            created_at=_dt(row["created_at"]),  # type: ignore[arg-type]
            updated_at=_dt(row["updated_at"]),
            status=row["status"],
            language=row["language"],
            grader=row["grader"],
            follow_up_depth=row["follow_up_depth"],
            time_limit_s=row["time_limit_s"],
            banks=json.loads(row["banks"]),
            question_ids=json.loads(row["question_ids"]),
            position=row["position"],
            summary=json.loads(row["summary"]) if row["summary"] else None,
        )
        if with_turns:
            session.turns = self.turns(session_id)
        return session

    def list_sessions(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first: id, created, mode, status, grader, questions answered, average score."""
        sql = """
            SELECT s.id, s.created_at, s.mode, s.status, s.grader, s.question_ids,
                   (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.kind = 'main'
                        AND t.status != 'draft') AS answered,
                   (SELECT AVG(g.score) FROM turns t JOIN grades g ON g.turn_id = t.id
                        WHERE t.session_id = s.id AND t.kind = 'main' AND g.id = (
                            SELECT MAX(id) FROM grades
                            WHERE turn_id = t.id AND status = 'graded')) AS average
            FROM sessions s ORDER BY s.created_at DESC, s.rowid DESC
        """
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in self.conn.execute(sql):
            out.append(
                {
                    "id": row["id"],
                    "created_at": row["created_at"],
                    "mode": row["mode"],
                    "status": row["status"],
                    "grader": row["grader"],
                    "questions": len(json.loads(row["question_ids"])),
                    "answered": row["answered"],
                    "average": round(row["average"], 1) if row["average"] is not None else None,
                }
            )
        return out

    def search(self, text: str, limit: int = 500) -> list[dict[str, Any]]:
        """Turns whose question (as asked), answer or feedback contain `text`: FTS5 trigram
        for three characters or more, LIKE below that (正则 must be found in 正则化)."""
        text = text.strip()
        if not text:
            return []
        if len(text) >= 3:
            phrase = '"' + text.replace('"', '""') + '"'
            sql = "SELECT turn_id, session_id, field, body FROM search WHERE search MATCH ? LIMIT ?"
            rows = self.conn.execute(sql, (phrase, limit)).fetchall()
        else:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql = (
                "SELECT turn_id, session_id, field, body FROM search"
                " WHERE body LIKE ? ESCAPE '\\' LIMIT ?"
            )
            rows = self.conn.execute(sql, (like, limit)).fetchall()
        # one line for either path: ~40 characters around the match, whitespace collapsed
        from interviewer.textfmt import snippet

        return [
            {
                "turn_id": r["turn_id"],
                "session_id": r["session_id"],
                "field": r["field"],
                "snip": snippet(r["body"] or "", text),
            }
            for r in rows
        ]

    def import_session(self, session: Session) -> None:
        """Insert an exported session whole, in one transaction: a duplicate changes nothing."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session.id,)).fetchone():
                raise UsageError(f"session {session.id} is already in the store; nothing imported")
            db.execute(
                "INSERT INTO sessions (id, mode, created_at, updated_at, status, language, grader,"
                " follow_up_depth, time_limit_s, banks, question_ids, position, summary)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    session.id,
                    session.mode,
                    _ts(session.created_at),
                    _ts(session.updated_at or session.created_at),
                    session.status,
                    session.language,
                    session.grader,
                    session.follow_up_depth,
                    session.time_limit_s,
                    json.dumps(session.banks),
                    json.dumps(session.question_ids),
                    session.position,
                    json.dumps(session.summary) if session.summary else None,
                ),
            )
            for turn in session.turns:
                db.execute(
                    _INSERT_TURN,
                    (
                        turn.id,
                        session.id,
                        turn.seq,
                        turn.question_id,
                        turn.kind,
                        turn.parent_id,
                        turn.probe_id,
                        turn.prompt,
                        turn.answer,
                        turn.status.value,
                        int(turn.skipped),
                        int(turn.revealed),
                        json.dumps(turn.hints),
                        _ts(turn.started_at),
                        _ts(turn.first_key_at),
                        _ts(turn.submitted_at),
                        int(turn.overtime),
                    ),
                )
                for grade in turn.grades:
                    db.execute(_INSERT_GRADE, _grade_row(turn.id, grade))
            # answers given elsewhere: spaced practice does not schedule them, even on resume
            db.execute(
                "INSERT INTO events (session_id, turn_id, at, kind, data) VALUES (?,?,?,?,?)",
                (session.id, None, _ts(_now()), "imported", "{}"),
            )

    def history(self) -> list[tuple[str, float]]:
        """(date, average main-answer score) of each interview session, oldest first."""
        rows = [
            r for r in self.list_sessions() if r["mode"] == "interview" and r["average"] is not None
        ]
        return [(r["created_at"][:10], r["average"]) for r in reversed(rows)]

    def delete_session(self, session_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # turns ----------------------------------------------------------------------------

    def add_turn(
        self,
        session_id: str,
        *,
        question_id: str,
        prompt: str,
        kind: str = "main",
        parent_id: str | None = None,
        probe_id: str | None = None,
        started_at: datetime | None = None,
    ) -> Turn:
        tid = secrets.token_hex(8)
        with self._write() as db:
            seq = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO turns (id, session_id, seq, question_id, kind, parent_id, probe_id,"
                " prompt, status, started_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    tid,
                    session_id,
                    seq,
                    question_id,
                    kind,
                    parent_id,
                    probe_id,
                    prompt,
                    TurnStatus.DRAFT.value,
                    _ts(started_at or _now()),
                ),
            )
        return self.turn(tid)

    def submit_answer(
        self,
        turn_id: str,
        answer: str,
        *,
        submitted_at: datetime | None = None,
        overtime: bool = False,
    ) -> None:
        """The answer is committed (and its draft dropped) before anything is sent anywhere."""
        with self._write() as db:
            db.execute(
                "UPDATE turns SET answer = ?, status = ?, submitted_at = ?, overtime = ?"
                " WHERE id = ?",
                (
                    answer,
                    TurnStatus.SUBMITTED.value,
                    _ts(submitted_at or _now()),
                    int(overtime),
                    turn_id,
                ),
            )
            db.execute("DELETE FROM drafts WHERE turn_id = ?", (turn_id,))

    def update_turn(self, turn_id: str, **fields: Any) -> None:
        allowed = {"status", "skipped", "revealed", "hints", "first_key_at"}
        assert set(fields) <= allowed, fields
        conv = {
            k: json.dumps(v)
            if k == "hints"
            else _ts(v)
            if k == "first_key_at"
            else (v.value if isinstance(v, TurnStatus) else int(v) if isinstance(v, bool) else v)
            for k, v in fields.items()
        }
        sets = ", ".join(f"{k} = ?" for k in conv)
        with self._write() as db:
            db.execute(f"UPDATE turns SET {sets} WHERE id = ?", (*conv.values(), turn_id))

    def add_grade(self, turn_id: str, grade: Grade, status: TurnStatus, **usage: Any) -> None:
        """Keep a grade (never overwriting an earlier one) and set the turn's status."""
        with self._write() as db:
            db.execute(_INSERT_GRADE, _grade_row(turn_id, grade, usage))
            db.execute("UPDATE turns SET status = ? WHERE id = ?", (status.value, turn_id))

    def _turn(self, row: sqlite3.Row) -> Turn:
        grades = [
            Grade.model_validate_json(g["body"])
            for g in self.conn.execute(
                "SELECT body FROM grades WHERE turn_id = ? ORDER BY id", (row["id"],)
            )
        ]
        return Turn(
            id=row["id"],
            seq=row["seq"],
            question_id=row["question_id"],
            kind=row["kind"],
            parent_id=row["parent_id"],
            probe_id=row["probe_id"],
            prompt=row["prompt"],
            answer=row["answer"],
            status=TurnStatus(row["status"]),
            skipped=bool(row["skipped"]),
            revealed=bool(row["revealed"]),
            hints=json.loads(row["hints"]),
            grades=grades,
            started_at=_dt(row["started_at"]),
            first_key_at=_dt(row["first_key_at"]),
            submitted_at=_dt(row["submitted_at"]),
            overtime=bool(row["overtime"]),
        )

    def turn(self, turn_id: str) -> Turn:
        row = self.conn.execute("SELECT * FROM turns WHERE id = ?", (turn_id,)).fetchone()
        if row is None:
            raise UsageError(f"no turn {turn_id!r}")
        return self._turn(row)

    def turns(self, session_id: str) -> list[Turn]:
        rows = self.conn.execute(
            "SELECT * FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)
        )
        return [self._turn(r) for r in rows.fetchall()]

    # drafts and events ----------------------------------------------------------------

    def save_draft(self, turn_id: str, text: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO drafts (turn_id, text, updated_at) VALUES (?,?,?)"
                " ON CONFLICT (turn_id) DO UPDATE"
                " SET text = excluded.text, updated_at = excluded.updated_at",
                (turn_id, text, _ts(_now())),
            )

    def draft(self, turn_id: str) -> str | None:
        row = self.conn.execute("SELECT text FROM drafts WHERE turn_id = ?", (turn_id,)).fetchone()
        return row["text"] if row else None

    def add_event(
        self, session_id: str, kind: str, data: dict | None = None, turn_id: str | None = None
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO events (session_id, turn_id, at, kind, data) VALUES (?,?,?,?,?)",
                (
                    session_id,
                    turn_id,
                    _ts(_now()),
                    kind,
                    json.dumps(data or {}, ensure_ascii=False),
                ),
            )

    def events(self, session_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM events WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [
            {
                "kind": r["kind"],
                "turn_id": r["turn_id"],
                "at": r["at"],
                "data": json.loads(r["data"]),
            }
            for r in rows
        ]
