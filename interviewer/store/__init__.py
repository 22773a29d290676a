"""Transcript store: SQLite (stdlib sqlite3), WAL, foreign keys, append-only migrations."""
