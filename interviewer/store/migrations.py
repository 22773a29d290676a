"""Numbered, append-only schema migrations. Never edit a released one: add the next."""

MIGRATIONS: list[str] = [
    # 1: sessions, turns, grades (every grader run kept), drafts, resume events
    """
    CREATE TABLE sessions (
        id              TEXT PRIMARY KEY,
        mode            TEXT NOT NULL CHECK (mode IN ('interview', 'grade', 'batch')),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'finished')),
        language        TEXT,
        grader          TEXT NOT NULL,
        follow_up_depth INTEGER NOT NULL DEFAULT 2,
        time_limit_s    INTEGER,
        banks           TEXT NOT NULL DEFAULT '[]',
        question_ids    TEXT NOT NULL DEFAULT '[]',
        position        INTEGER NOT NULL DEFAULT 0,
        summary         TEXT
    );
    CREATE TABLE turns (
        id            TEXT PRIMARY KEY,
        session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        question_id   TEXT NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('main', 'follow_up')),
        parent_id     TEXT REFERENCES turns(id) ON DELETE CASCADE,
        probe_id      TEXT,
        prompt        TEXT NOT NULL,
        answer        TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL,
        skipped       INTEGER NOT NULL DEFAULT 0,
        revealed      INTEGER NOT NULL DEFAULT 0,
        hints         TEXT NOT NULL DEFAULT '[]',
        started_at    TEXT,
        first_key_at  TEXT,
        submitted_at  TEXT,
        overtime      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (session_id, seq)
    );
    CREATE TABLE grades (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        turn_id        TEXT NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
        created_at     TEXT NOT NULL,
        status         TEXT NOT NULL,
        score          REAL,
        grader_kind    TEXT NOT NULL,
        model          TEXT NOT NULL,
        prompt_version TEXT,
        prompt_hash    TEXT,
        rubric_hash    TEXT NOT NULL,
        latency_ms     INTEGER,
        tokens_in      INTEGER,
        tokens_out     INTEGER,
        cost_usd       REAL,
        body           TEXT NOT NULL
    );
    CREATE TABLE drafts (
        turn_id    TEXT PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
        text       TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        turn_id    TEXT,
        at         TEXT NOT NULL,
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX turns_by_session ON turns (session_id, seq);
    CREATE INDEX grades_by_turn ON grades (turn_id, id);
    CREATE INDEX events_by_session ON events (session_id, id);
    CREATE INDEX sessions_by_created ON sessions (created_at);
    """,
    # 2: full-text search over questions as asked, answers and feedback. FTS5's trigram
    # tokenizer finds Chinese inside words; queries under three characters use LIKE instead.
    """
    CREATE VIRTUAL TABLE search USING fts5(
        turn_id UNINDEXED, session_id UNINDEXED, field UNINDEXED, body, tokenize = 'trigram'
    );
    CREATE TRIGGER search_turn_insert AFTER INSERT ON turns BEGIN
        INSERT INTO search (turn_id, session_id, field, body)
        VALUES (new.id, new.session_id, 'prompt', new.prompt);
    END;
    CREATE TRIGGER search_turn_answer AFTER UPDATE OF answer ON turns BEGIN
        DELETE FROM search WHERE turn_id = new.id AND field = 'answer';
        INSERT INTO search (turn_id, session_id, field, body)
        VALUES (new.id, new.session_id, 'answer', new.answer);
    END;
    CREATE TRIGGER search_grade_insert AFTER INSERT ON grades BEGIN
        INSERT INTO search (turn_id, session_id, field, body)
        SELECT new.turn_id, t.session_id, 'feedback', json_extract(new.body, '$.feedback')
        FROM turns t WHERE t.id = new.turn_id;
    END;
    CREATE TRIGGER search_turn_delete AFTER DELETE ON turns BEGIN
        DELETE FROM search WHERE turn_id = old.id;
    END;
    INSERT INTO search (turn_id, session_id, field, body)
        SELECT id, session_id, 'prompt', prompt FROM turns;
    INSERT INTO search (turn_id, session_id, field, body)
        SELECT id, session_id, 'answer', answer FROM turns WHERE answer != '';
    INSERT INTO search (turn_id, session_id, field, body)
        SELECT g.turn_id, t.session_id, 'feedback', json_extract(g.body, '$.feedback')
        FROM grades g JOIN turns t ON t.id = g.turn_id;
    """,
    # 3: spaced practice. A review per rating of an interview question (the grade, scores and
    # rating it came from; a re-rating supersedes the row, never edits it) and the FSRS card
    # per question, a cache of replaying its reviews. Deleting a session keeps its reviews.
    """
    CREATE TABLE practice_reviews (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id      TEXT NOT NULL,
        turn_id          TEXT REFERENCES turns(id) ON DELETE SET NULL,
        grade_id         INTEGER REFERENCES grades(id) ON DELETE SET NULL,
        supersedes       INTEGER REFERENCES practice_reviews(id),
        main_score       REAL NOT NULL,
        follow_up_scores TEXT NOT NULL DEFAULT '[]',
        score            REAL NOT NULL,
        hinted           INTEGER NOT NULL DEFAULT 0,
        skipped          INTEGER NOT NULL DEFAULT 0,
        probed           INTEGER NOT NULL DEFAULT 0,
        rating           INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at      TEXT NOT NULL,
        recorded_at      TEXT NOT NULL,
        due              TEXT NOT NULL,
        reason           TEXT NOT NULL
    );
    CREATE TABLE practice_cards (
        question_id TEXT PRIMARY KEY,
        card        TEXT NOT NULL,
        due         TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX practice_reviews_by_question ON practice_reviews (question_id, reviewed_at);
    CREATE INDEX practice_reviews_by_turn ON practice_reviews (turn_id);
    """,
]
