"""Opening the transcript database: WAL, foreign keys, busy timeout, migrations, safety checks.

A file that is not an SQLite database, or one written by a newer schema, is reported with its
path and never modified.
"""

import sqlite3
from pathlib import Path

from interviewer.errors import InterviewerError
from interviewer.store.migrations import MIGRATIONS
from interviewer.vocab import ExitCode

DB_NAME = "transcripts.sqlite3"
BUSY_TIMEOUT_MS = 10_000
_MAGIC = b"SQLite format 3\x00"


class StoreError(InterviewerError):
    exit_code = ExitCode.MODEL  # a configuration/environment problem, not a usage error


def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the transcript database: {exc.strerror}") from None
    if magic != _MAGIC:
        raise StoreError(f"{path}: not an SQLite database (corrupt?); it was left untouched")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    _check_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe against a killed process
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: unusable transcript database ({exc}); it was left untouched"
        ) from None
    return conn


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations"
        " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply missing migrations, each in its own immediate transaction (safe with two writers)."""
    if max(applied_versions(conn), default=0) == len(MIGRATIONS):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = applied_versions(conn)  # again, under the write lock
        newest = max(done, default=0)
        if newest > len(MIGRATIONS):
            raise StoreError(
                f"{path}: written by a newer interviewer (schema {newest}, this version knows "
                f"{len(MIGRATIONS)}); upgrade interviewer. The file was left untouched"
            )
        for version, script in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))",
                (version,),
            )
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a script into statements; a trigger's body holds semicolons of its own."""
    out, buffer = [], ""
    for part in script.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;"):
                out.append(buffer.strip())
            buffer = ""
    return out
