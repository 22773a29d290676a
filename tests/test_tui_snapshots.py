"""Snapshot tests of the TUI with a fixed clock and config: the SVG Textual renders must match
the stored one. Regenerate after an intended change with UPDATE_SNAPSHOTS=1."""

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, TextArea

from interviewer.bank.loader import load_bank
from interviewer.settings import Settings
from interviewer.store.repo import Store
from interviewer.tui.app import InterviewerApp
from interviewer.tui.context import Context
from interviewer.tui.screens.home import HomeScreen

SNAPSHOTS = Path(__file__).parent / "snapshots"
BANK = load_bank(["builtin"])
FIXED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def normalise(svg: str) -> str:
    # the only run-dependent parts: the terminal class hash and the title
    svg = re.sub(r"terminal-\d+", "terminal", svg)
    return re.sub(r"<text class=\"terminal-title\"[^<]*</text>", "", svg)


def footer_ready(app: InterviewerApp) -> bool:
    """The footer recomposes its keys after focus settles; a screenshot before that differs."""
    return bool(app.screen.query("FooterKey"))


def check(name: str, svg: str) -> None:
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            pytest.fail(f"snapshot {path.name} was missing and has been written; run again")
    assert normalise(svg) == normalise(path.read_text(encoding="utf-8")), (
        f"{name} changed (UPDATE_SNAPSHOTS=1 to accept)"
    )


def app_for(tmp_path: Path, lang: str) -> InterviewerApp:
    store = Store(tmp_path / "t.sqlite3")
    return InterviewerApp(
        context_factory=lambda: Context(Settings(), bank=BANK, store=store),
        lang=lang,
        clock=lambda: FIXED,
    )


async def wait_home(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.pause(0.05)
        if (
            isinstance(pilot.app.screen, HomeScreen)
            and pilot.app.screen.query("#start")
            and not pilot.app.screen.query_one("#start", Button).disabled
        ):
            return
    raise AssertionError("home never loaded")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_home_snapshot(tmp_path: Path, lang: str) -> None:
    app = app_for(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_home(pilot)
        check(f"home-{lang}", app.export_screenshot())


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_interview_after_a_grade_snapshot(tmp_path: Path, theme: str) -> None:
    app = app_for(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await wait_home(pilot)
        app.screen.query_one("#mode", Select).value = "chosen"
        app.screen.query_one("#value", Input).value = "3"
        app.screen.query_one("#depth", Select).value = 2  # the answer is graded, then followed up
        await pilot.click("#start")
        for _ in range(200):
            await pilot.pause(0.05)
            # the box takes text once the question is open
            if app.screen.query(TextArea) and not app.screen.query_one(TextArea).disabled:
                break
        app.screen.query_one(TextArea).load_text(
            "Dropout zeroes random units in training; at inference all units are used."
        )
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        for _ in range(200):
            await pilot.pause(0.05)
            log = "\n".join(str(w.render()) for w in app.screen.query("#log > *"))
            if "Follow-up" in log and footer_ready(app):
                break
        await pilot.pause(0.2)
        check(f"interview-graded-{theme}", app.export_screenshot())


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Session and turn ids, and the store's path, the same on every run."""
    counter = iter(range(1, 10_000))
    monkeypatch.setattr(
        "interviewer.store.repo.secrets.token_hex", lambda n: f"{next(counter):0{2 * n}x}"
    )
    monkeypatch.chdir(tmp_path)


async def test_summary_and_review_snapshots(fixed_ids: None) -> None:
    from interviewer.engine.interview import Interview
    from interviewer.engine.offline import OfflineGrader
    from interviewer.engine.selection import select_questions
    from interviewer.tui.screens.review import ReviewScreen
    from interviewer.tui.screens.summary import SummaryScreen

    store = Store(Path("t.sqlite3"))
    clock = lambda: FIXED  # noqa: E731
    iv = Interview.start(
        store,
        BANK,
        OfflineGrader(clock),
        select_questions(BANK, refs="3,1"),
        language="en",
        follow_up_depth=0,
        clock=clock,
    )
    iv.ask()
    async for _ in iv.submit(
        "Dropout zeroes random units in training; at inference all units are used."
    ):
        pass
    iv.next()
    iv.skip()
    (finished,) = iv.next()
    app = InterviewerApp(
        context_factory=lambda: Context(Settings(), bank=BANK, store=store), lang="en", clock=clock
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_home(pilot)
        app.push_screen(SummaryScreen(finished.summary, "en", "Transcript saved in t.sqlite3", iv))
        for _ in range(200):
            await pilot.pause(0.05)
            if (
                isinstance(app.screen, SummaryScreen)
                and app.screen.query("#gaps")
                and footer_ready(app)
            ):
                break
        await pilot.pause(0.2)
        assert isinstance(app.screen, SummaryScreen)
        check("summary", app.export_screenshot())
        app.push_screen(ReviewScreen(store, "en"))
        for _ in range(200):
            await pilot.pause(0.05)
            if (
                isinstance(app.screen, ReviewScreen)
                and str(app.screen.query_one("#transcript").render())
                and footer_ready(app)
            ):
                break
        await pilot.pause(0.2)
        check("review", app.export_screenshot())
