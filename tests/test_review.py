"""Transcript review from the CLI: search (FTS5 trigram and the short-query fallback),
filters, export to Markdown / JSON / HTML, and import."""

import html
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewer.store.repo import Store
from tests.conftest import Result

Cli = Callable[..., Result]
ZH = "L1正则化会让很多权重变成0,得到稀疏解;L2是平方和。"
EN = "Dropout randomly zeroes units during training and is off at inference."


@pytest.fixture
def two_sessions(cli: Cli) -> list[str]:
    assert cli("grade", "1", "--answer", ZH).code == 0
    assert cli("grade", "3", "--answer", EN).code == 0
    return [s["id"] for s in json.loads(cli("sessions", "--json").out)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("稀疏", {"l1"}),
        ("正则", {"l1"}),
        ("正则化", {"l1"}),
        ("zeroes units", {"dropout"}),
        ("L1", {"l1"}),
        ("nothing like this", set()),
    ],
)
def test_search_finds_chinese_inside_words_and_short_queries(
    cli: Cli, two_sessions: list[str], text: str, expected: set[str]
) -> None:
    rows = json.loads(cli("sessions", "--search", text, "--json").out)
    found = set()
    for row in rows:
        shown = json.loads(cli("sessions", "show", row["id"], "--json").out)
        found.add("l1" if shown["question_ids"] == ["l1-l2-regularization"] else "dropout")
    assert found == expected


def test_filters(cli: Cli, two_sessions: list[str]) -> None:
    assert len(json.loads(cli("sessions", "--grader", "offline", "--json").out)) == 2
    assert json.loads(cli("sessions", "--grader", "gpt", "--json").out) == []
    assert len(json.loads(cli("sessions", "--question", "3", "--json").out)) == 1
    assert (
        len(
            json.loads(
                cli("sessions", "--since", "2000-01-01", "--until", "2999-01-01", "--json").out
            )
        )
        == 2
    )
    assert json.loads(cli("sessions", "--since", "2999-01-01", "--json").out) == []
    assert cli("sessions", "--since", "yesterday").code == 2
    high = json.loads(cli("sessions", "--min-score", "9.9", "--json").out)
    assert all(r["average"] >= 9.9 for r in high)


def test_export_formats_and_json_round_trip(
    cli: Cli, two_sessions: list[str], tmp_path: Path, isolated_home: Path
) -> None:
    sid = two_sessions[-1]  # the oldest: the Chinese answer to question 1
    for fmt in ("md", "json", "html"):
        out = tmp_path / f"one.{fmt}"
        assert cli("sessions", "export", sid, "--format", fmt, "--out", str(out)).code == 0
        assert out.read_text(encoding="utf-8")
    page = (tmp_path / "one.html").read_text(encoding="utf-8")
    assert "<mark>" in page and "http://" not in page and "https://" not in page  # self-contained
    many = tmp_path / "many"
    assert (
        cli("sessions", "export", *two_sessions, "--format", "html", "--out", str(many)).code == 0
    )
    assert len(list(many.glob("session-*.html"))) == 2 and (many / "index.html").exists()
    index = (many / "index.html").read_text(encoding="utf-8")
    assert "http://" not in index and "https://" not in index and "<script" not in index
    for answer in (ZH, EN):  # every answer is in the report (HTML-escaped, evidence marked)
        plain = index.replace("<mark>", "").replace("</mark>", "")
        assert html.escape(answer) in plain
    exported = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    # a duplicate changes nothing and says why
    r = cli("sessions", "import", str(tmp_path / "one.json"))
    assert r.code == 2 and "already in the store" in r.err
    # into a fresh store: the session comes back whole
    cli("sessions", "delete", sid, "--yes")
    assert cli("sessions", "import", str(tmp_path / "one.json")).code == 0
    again = json.loads(cli("sessions", "show", sid, "--json").out)
    assert again == exported["session"]
    assert cli("sessions", "--search", "稀疏", "--json").out.count(sid) == 1  # indexed again


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"format": "other"}', "not an interviewer session export"),
        (
            '{"format": "interviewer.session/1", "session": {"id": "x"}}',
            "session.created_at: Field required",
        ),
    ],
)
def test_bad_import_changes_nothing(
    cli: Cli, tmp_path: Path, isolated_home: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    r = cli("sessions", "import", str(bad))
    assert r.code == 2 and message in r.err and str(bad) in r.err
    assert json.loads(cli("sessions", "--json").out) == []


def test_search_index_follows_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.sqlite3")
    session = store.create_session(mode="grade", grader="offline")
    turn = store.add_turn(session.id, question_id="q", prompt="question text")
    store.submit_answer(turn.id, "权重衰减")
    assert store.search("衰减") and store.search("question text")
    store.delete_session(session.id)
    assert store.search("衰减") == [] and store.search("question text") == []


LONG = (
    "先说背景。" * 12
    + "\n\n训练时随机置零一部分单元,\n   推理时不丢弃。\n"
    + "再补充一些细节。" * 12
)


@pytest.mark.parametrize("text", ["置零", "随机置零"])  # LIKE below three characters, else FTS
def test_search_snippets_are_one_short_line(cli: Cli, text: str) -> None:
    assert cli("grade", "3", "--answer", LONG).code == 0
    (row,) = json.loads(cli("sessions", "--search", text, "--json").out)
    listed = cli("sessions", "--search", text).out.splitlines()
    for snip in row["matches"]:  # the answer, and the feedback where it quotes it
        assert f"[{text}]" in snip and "\n" not in snip and "  " not in snip
        assert snip.startswith("…") and snip.endswith("…") and len(snip) <= 50
        assert f"  {row['id']}: {snip}" in listed
    # the answer's lines and indentation, joined by single spaces
    assert any("一部分单元, 推理时不丢弃。 再" in snip for snip in row["matches"])


def test_snippet_window() -> None:
    from interviewer.textfmt import snippet

    assert snippet("Dropout\nZEROES   units", "zeroes") == "Dropout [ZEROES] units"
    assert snippet("a" * 30 + " match " + "b" * 30, "match") == (
        "…" + "a" * 16 + " [match] " + "b" * 16 + "…"  # 17 characters either side
    )
    assert snippet("x" * 60, "absent") == "x" * 40 + "…"
    # a match near the start spends the budget after it
    assert snippet("in" + "y" * 60, "in") == "[in]" + "y" * 38 + "…"
    assert snippet("y" * 60 + "end", "end") == "…" + "y" * 36 + "[end]"


def test_sessions_show_speaks_the_output_language(cli: Cli) -> None:
    cli("grade", "3", "--answer", "Dropout zeroes random units during training.")
    (session,) = json.loads(cli("sessions", "--json").out)
    en = cli("sessions", "show", session["id"]).out
    zh = cli("--lang", "zh", "sessions", "show", session["id"]).out
    assert "**Asked:**" in en and "**Grade:**" in en
    assert "**提问:**" in zh and "**评分:**" in zh and "**Asked:**" not in zh
    assert cli("--lang", "zh", "sessions").out.split()[:3] == ["会话", "开始", "模式"]
