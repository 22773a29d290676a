"""The Textual TUI, driven with Pilot: the whole interview, model grading through the stub,
faults, drafts restored after a crash, 80x24, Chinese and English."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, TextArea

from interviewer.bank.loader import load_bank
from interviewer.engine.interview import Interview
from interviewer.engine.offline import OfflineGrader
from interviewer.engine.selection import select_questions
from interviewer.llm.stub import Reply, StubServer
from interviewer.settings import Settings
from interviewer.store.repo import Store
from interviewer.tui.app import GraderChoice, InterviewerApp
from interviewer.tui.context import Context
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.summary import SummaryScreen
from interviewer.vocab import TurnStatus
from tests.conftest import REPO

BANK = load_bank(["builtin"])
WEAK = "训练时随机丢弃一部分神经元,防止过拟合;推理时不丢弃。"


def make_app(
    tmp_path: Path, lang: str = "en", models: dict | None = None
) -> tuple[InterviewerApp, Store]:
    store = Store(tmp_path / "t.sqlite3")
    settings = Settings.model_validate({"models": models or {}})
    app = InterviewerApp(
        context_factory=lambda: Context(settings, bank=BANK, store=store), lang=lang
    )
    return app, store


async def until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    """Wait for a condition (not a fixed time: these machines are shared and slow at times)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "timed out waiting"


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.pause(0.05)
        if (
            isinstance(pilot.app.screen, HomeScreen)
            and pilot.app.screen.query("#start")  # the form is built after the first frame
            and not pilot.app.screen.query_one("#start", Button).disabled
        ):
            return
    raise AssertionError("the home screen never finished loading")


async def start(pilot, questions: str, depth: int = 2) -> InterviewScreen:  # type: ignore[no-untyped-def]
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    home.query_one("#mode", Select).value = "chosen"
    home.query_one("#value", Input).value = questions
    home.query_one("#depth", Select).value = depth
    home.query_one("#start", Button).press()  # the button press a click sends
    for _ in range(200):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, InterviewScreen) and pilot.app.screen.query("#log > *"):
            break
    assert isinstance(pilot.app.screen, InterviewScreen), home.query_one("#status").render()
    return pilot.app.screen


async def answer(pilot, screen: InterviewScreen, text: str) -> None:  # type: ignore[no-untyped-def]
    screen.query_one(TextArea).load_text(text)
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def log_text(screen: InterviewScreen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("#log > *"))


async def test_full_interview_offline(tmp_path: Path) -> None:
    app, store = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3,1,13")
        assert "Dropout" in log_text(screen) and "Question 1 of 3" in str(
            screen.query_one("#progress").render()
        )
        await answer(pilot, screen, WEAK)
        text = log_text(screen)
        assert "Offline keyword grade" in text or "离线关键词评分" in text
        assert "Follow-up 1 of 2" in text  # the interviewer follows up
        await answer(pilot, screen, "不知道")
        await answer(pilot, screen, "我觉得没有区别")
        status = str(screen.query_one("#status").render())
        assert "budget spent" in status
        # spaced practice: a weak answer, probed twice, and when it comes back
        assert re.search(r"Question 3 rated Hard; next review \d{4}-\d\d-\d\d\.", status), status
        await pilot.press("ctrl+r")  # reveal after grading
        assert "Reference answer" in log_text(screen)
        await pilot.press("ctrl+n")
        await pilot.pause(0.1)
        await pilot.press("ctrl+t")  # a hint before answering question 2
        assert "Hint:" in str(screen.query_one("#status").render())
        await answer(
            pilot,
            screen,
            "L1 is the sum of absolute values and makes weights sparse; L2 is the sum of squares.",
        )
        await pilot.press("ctrl+n")
        await pilot.pause(0.1)
        await pilot.press("ctrl+k")  # skip question 3
        await pilot.pause(0.1)
        await pilot.press("ctrl+n")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, SummaryScreen) and app.screen.query("#verdict"):
                break
        assert isinstance(app.screen, SummaryScreen)
        summary = str(app.screen.query_one("#verdict").render())
        assert "Overall:" in summary
    (session,) = store.list_sessions()
    assert session["status"] == "finished"
    turns = store.turns(session["id"])
    assert [t.question_id for t in turns if t.kind == "main"] == [
        "dropout",
        "l1-l2-regularization",
        "weight-initialization",
    ]
    assert turns[0].revealed and turns[-1].skipped
    assert next(t for t in turns if t.question_id == "l1-l2-regularization").hints


async def test_draft_restored_after_a_crash(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.sqlite3")
    iv = Interview.start(
        store, BANK, OfflineGrader(), select_questions(BANK, refs="3"), language="en"
    )
    iv.ask()
    iv.save_draft("half an answer typed before the crash")  # then the process died
    app = InterviewerApp(
        context_factory=lambda: Context(Settings(), bank=BANK, store=store), lang="en"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.screen.query_one("#sessions", Select).value == iv.session.id
        app.screen.query_one("#resume", Button).press()
        for _ in range(200):
            await pilot.pause(0.05)
            # the draft is put back once the question is shown, a frame after the box exists
            if (
                isinstance(app.screen, InterviewScreen)
                and app.screen.query(TextArea)
                and app.screen.query_one(TextArea).text
            ):
                break
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.query_one(TextArea).text == "half an answer typed before the crash"


async def test_autosave_and_quit_keep_the_draft(tmp_path: Path) -> None:
    app, store = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3")
        screen.query_one(TextArea).load_text("typed, then quit")
        await pilot.press("ctrl+q")
    (session,) = store.list_sessions()
    (turn,) = store.turns(session["id"])
    assert store.draft(turn.id) == "typed, then quit"


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def grade_reply(chunk_size: int = 25, **kw: object) -> Reply:
    q = BANK.find("dropout")
    body = {
        "key_points": [
            {
                "id": kp.id,
                "reasoning": "",
                "quote": "训练时随机丢弃一部分神经元" if i == 0 else "",
                "verdict": "covered" if i == 0 else "missed",
            }
            for i, kp in enumerate(q.key_points)
        ],
        "misconceptions": [],
        "feedback": "模型的反馈。",
        "follow_ups": [],
    }
    return Reply(json.dumps(body, ensure_ascii=False), chunk_size=chunk_size, **kw)  # type: ignore[arg-type]


async def test_model_grading_streams_faults_retry_and_offline_fallback(
    tmp_path: Path, stub: StubServer
) -> None:
    models = {"stub": {"model": "openai/stub-model", "api_base": stub.base_url, "max_retries": 0}}
    app, store = make_app(tmp_path, models=models)
    stub.default = Reply("OK")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        app.screen.query_one("#grader", Select).value = "stub"
        for _ in range(200):  # the home screen pings the profile
            await pilot.pause(0.05)
            if "stub: reachable" in str(app.screen.query_one("#reach").render()):
                break
        assert "stub: reachable" in str(app.screen.query_one("#reach").render())
        stub.script(Reply("truncated stream", chunk_size=4, fault="drop_mid_stream"), grade_reply())
        screen = await start(pilot, "3", depth=0)
        await answer(pilot, screen, WEAK)
        assert "Grading failed" in str(screen.query_one("#status").render())
        (session,) = store.list_sessions()
        (turn,) = store.turns(session["id"])
        assert turn.answer == WEAK and turn.status == TurnStatus.FAILED  # the answer stays
        # retry with the model (ctrl+g, pick "stub"): a streamed grade
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, GraderChoice))
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "模型的反馈" in log_text(screen))
        assert store.turns(session["id"])[0].grade.grader.kind == "llm"  # type: ignore[union-attr]
        # and the offline grade is one key away
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        grades = store.turns(session["id"])[0].grades
        assert [g.grader.kind for g in grades] == ["llm", "offline"]
        assert any(r.get("json", {}).get("stream") for r in stub.requests)


@pytest.mark.parametrize(("lang", "expected"), [("zh", "开始面试"), ("en", "Start interview")])
async def test_home_at_80x24_in_both_languages(tmp_path: Path, lang: str, expected: str) -> None:
    app, _ = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert str(app.screen.query_one("#start", Button).label) == expected
        start_button = app.screen.query_one("#start", Button)
        assert start_button.region.bottom <= 23 and start_button.region.right <= 80  # visible
        screen = await start(pilot, "13")
        shown = log_text(screen)
        assert ("全 0 初始化" in shown) if lang == "zh" else ("initialized to 0" in shown)
        assert screen.query_one(TextArea).region.bottom <= 23


def test_no_model_library_before_the_first_frame(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        'grader = "gpt"\n[models.gpt]\nmodel = "openai/gpt-4o-mini"\n', encoding="utf-8"
    )
    report = tmp_path / "first-frame.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env |= {
        "INTERVIEWER_HOME": str(home),
        "INTERVIEWER_FIRST_FRAME_FILE": str(report),
        "TERM": "xterm-256color",
    }
    code = "from interviewer.tui.app import InterviewerApp; InterviewerApp(lang='en').run(headless=True)"
    subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, timeout=60, check=True, capture_output=True
    )
    data = json.loads(report.read_text())
    assert data["time"] > 0
    assert not {"openai", "litellm", "pydantic", "interviewer.bank.loader"} & set(data["modules"])


async def test_too_long_answer_stays_in_the_box(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3")
        screen.query_one(TextArea).load_text("x " * 10_001)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "20,001 characters" in str(screen.query_one("#status").render()))
        assert screen.query_one(TextArea).text == "x " * 10_001


async def test_box_is_closed_when_no_question_waits(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3", depth=0)
        assert not screen.query_one(TextArea).disabled
        await answer(pilot, screen, WEAK)
        assert screen.query_one(TextArea).disabled  # the question is done: ctrl+n moves on
        assert "ctrl+n" in str(screen.query_one("#status").render())


async def test_review_screen_lists_searches_reads_exports_and_resumes(
    tmp_path: Path, isolated_home: Path
) -> None:
    from textual.widgets import DataTable, Static

    from interviewer.tui.screens.review import ReviewScreen

    store = Store(tmp_path / "t.sqlite3")
    finished = Interview.start(
        store,
        BANK,
        OfflineGrader(),
        select_questions(BANK, refs="1"),
        language="en",
        follow_up_depth=0,
    )
    finished.ask()
    async for _ in finished.submit("L1正则化会让很多权重变成0,得到稀疏解;L2是平方和。"):
        pass
    finished.next()
    unfinished = Interview.start(
        store, BANK, OfflineGrader(), select_questions(BANK, refs="3"), language="en"
    )
    unfinished.ask()
    unfinished.pause()
    app = InterviewerApp(
        context_factory=lambda: Context(Settings(), bank=BANK, store=store), lang="en"
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        app.screen.query_one("#review", Button).press()
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReviewScreen) and app.screen.query_one(DataTable).row_count:
                break
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.query_one(DataTable).row_count == 2
        screen.query_one("#filter", Input).value = "稀疏"  # found inside 稀疏解
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.query_one(DataTable).row_count == 1:
                break
        assert screen.query_one(DataTable).row_count == 1
        screen.show_session(finished.session.id)
        assert "稀疏解" in str(screen.query_one("#transcript", Static).render())
        await pilot.press("ctrl+e")
        exported = isolated_home / "data" / "exports" / f"session-{finished.session.id}.html"
        await until(pilot, exported.exists)
        screen.query_one("#filter", Input).value = ""
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.query_one(DataTable).row_count == 2:
                break
        table = screen.query_one(DataTable)
        table.move_cursor(row=[r["id"] for r in screen.rows].index(unfinished.session.id))
        await pilot.press("ctrl+u")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, InterviewScreen):
                break
        assert (
            isinstance(app.screen, InterviewScreen)
            and app.screen.iv.session.id == unfinished.session.id
        )


def test_review_filter_syntax(tmp_path: Path) -> None:
    from interviewer.store.filters import SessionFilter

    parsed = SessionFilter.parse("grader:offline score>=5 since:2026-01-01 q:dropout 稀疏 解")
    assert parsed.search == "稀疏 解" and parsed.grader == "offline" and parsed.min_score == 5
    store = Store(tmp_path / "t.sqlite3")
    iv = Interview.start(
        store,
        BANK,
        OfflineGrader(),
        select_questions(BANK, refs="3"),
        language="en",
        follow_up_depth=0,
    )
    row = {
        "id": iv.session.id,
        "grader": "offline",
        "created_at": "2026-11-30T00:00",
        "average": 6.0,
    }
    assert SessionFilter.parse("grader:offline score>=5 q:drop").keeps(row, store)  # q: by prefix
    assert not SessionFilter.parse("score>=7").keeps(row, store)
    assert not SessionFilter.parse("q:warmup").keeps(row, store)
    assert not SessionFilter.parse("until:2026-11-01").keeps(row, store)
    assert not SessionFilter(question="drop").keeps(row, store)  # the CLI's --question is exact


async def test_summary_gap_jumps_to_its_answers(tmp_path: Path) -> None:
    from textual.widgets import OptionList, Static

    from interviewer.tui.screens.review import ReviewScreen

    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3", depth=0)
        await answer(pilot, screen, WEAK)
        await pilot.press("ctrl+n")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, SummaryScreen) and app.screen.query("#gaps"):
                break
        gaps = app.screen.query_one("#gaps", OptionList)
        gaps.focus()
        gaps.highlighted = 0
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReviewScreen) and str(
                app.screen.query_one("#transcript", Static).render()
            ):
                break
        assert isinstance(app.screen, ReviewScreen)
        shown = str(app.screen.query_one("#transcript", Static).render())
        assert shown.startswith("## dropout") and WEAK in shown


async def test_footer_keys_speak_the_interface_language(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        labels = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"帮助", "退出", "进度"} <= labels and "Help" not in labels
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "帮助" in commands


async def test_moving_on_with_a_follow_up_pending_keeps_the_rating_in_view(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3,1")
        await answer(pilot, screen, WEAK)
        assert "Follow-up 1 of 2" in log_text(screen)
        await pilot.press("ctrl+n")  # leave the follow-up unanswered
        await until(pilot, lambda: "Question 2 of 2" in str(screen.query_one("#progress").render()))
        status = str(screen.query_one("#status").render())
        assert re.search(r"Question 3 rated \w+; next review \d{4}-\d\d-\d\d\.", status), status


async def test_keys_typed_just_before_ctrl_s_all_go_into_the_answer(tmp_path: Path) -> None:
    from textual import events

    app, store = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await start(pilot, "3")
        screen.query_one(TextArea).focus()
        text = "Dropout randomly zeroes units during training."
        for ch in text:  # as fast as a paste or tmux: no pause for the box to catch up
            app.post_message(events.Key(ch, ch))
        app.post_message(events.Key("ctrl+s", None))
        await until(
            pilot,
            lambda: (
                bool(store.list_sessions())
                and bool(store.turns(store.list_sessions()[0]["id"])[0].answer)
            ),
        )
        await app.workers.wait_for_complete()
        (turn, *_) = store.turns(store.list_sessions()[0]["id"])
        assert turn.answer == text and screen.query_one(TextArea).text == ""
