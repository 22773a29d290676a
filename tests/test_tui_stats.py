"""The TUI's spaced practice: the due count on the home screen, starting the due questions,
and the progress screen (chart and tables) by its key and from the command palette."""

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Select, Static

from interviewer.settings import Settings
from interviewer.store.repo import Store
from interviewer.tui.app import InterviewerApp
from interviewer.tui.context import Context
from interviewer.tui.screens.home import HomeScreen
from interviewer.tui.screens.interview import InterviewScreen
from interviewer.tui.screens.stats import StatsScreen
from interviewer.tui.widgets import ScoreChart
from tests.practice_fakes import BANK, T0, Clock, practise

NOW = T0 + timedelta(days=30)


def app_with(store: Store) -> InterviewerApp:
    return InterviewerApp(
        context_factory=lambda: Context(Settings(), bank=BANK, store=store),
        lang="en",
        clock=lambda: NOW,
    )


async def until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("condition never met")


def home_ready(app: InterviewerApp) -> bool:
    return (
        isinstance(app.screen, HomeScreen)
        and bool(app.screen.query("#start"))
        and not app.screen.query_one("#start", Button).disabled
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Store:
    """A history made outside the event loop (the engine's grading runs its own)."""
    store = Store(tmp_path / "t.sqlite3")
    practise(store, Clock(NOW - timedelta(days=10)), "9", 1.0)  # due since day -9
    practise(store, Clock(NOW - timedelta(days=20)), "5", 1.0)  # due since day -19
    practise(store, Clock(NOW - timedelta(days=20, hours=1)), "3", 6.0)
    practise(store, Clock(NOW - timedelta(hours=1)), "3", 9.0)  # Easy an hour ago: not due
    return store


async def test_home_shows_the_due_count_and_starts_the_due_questions(seeded: Store) -> None:
    app = app_with(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: home_ready(app))
        assert "2 question(s) due for review" in str(app.screen.query_one("#due", Static).render())
        app.screen.query_one("#mode", Select).value = "due"
        app.screen.query_one("#start", Button).press()
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert app.screen.iv.session.question_ids == ["class-imbalance", "local-minima"]  # type: ignore[attr-defined]


async def test_home_with_nothing_due(tmp_path: Path) -> None:
    app = app_with(Store(tmp_path / "t.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: home_ready(app))
        assert "Nothing is due" in str(app.screen.query_one("#due", Static).render())
        app.screen.query_one("#mode", Select).value = "due"
        app.screen.query_one("#start", Button).press()
        await until(
            pilot, lambda: "no questions are due" in str(app.screen.query_one("#status").render())
        )
        assert isinstance(app.screen, HomeScreen)


async def test_progress_screen_by_key_and_from_the_palette(seeded: Store) -> None:
    app = app_with(seeded)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: home_ready(app))
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        # one bar per day with answers, oldest first: days -20 (6 and 1 -> 3.5), -10 (1), today (9)
        chart = screen.query_one(ScoreChart)
        assert chart.scores == [3.5, 1.0, 9.0]
        bars = str(chart.render()).splitlines()
        # a fixed 0-10 scale: 9.0 fills the top row almost fully, 1.0 only part of the bottom
        assert bars[0].startswith("10 ┤") and bars[-1].startswith(" 0 ┤")
        assert [line[4:10:2] for line in bars] == ["  ▅", "  █", "▃ █", "█▃█"]
        assert "3 of 15 questions practised (4 answers); 2 due" in str(
            screen.query_one("#headline").render()
        )
        table = screen.query_one("#questions", DataTable)
        assert table.row_count == 15
        dropout = [str(c) for c in table.get_row("dropout")]
        assert dropout[2:6] == ["2", "9", "9", "+3"]  # answers, last, best, trend
        assert [str(c) for c in table.get_row("class-imbalance")][-1] == "due now"
        tags = screen.query_one("#tags", DataTable)
        assert [str(c) for c in tags.get_row("regularization")][1:3] == ["1/3", "2"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+p")  # the command palette lists the home screen's Progress
        await pilot.pause(0.2)
        await pilot.press(*"Progress")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))


async def test_progress_screen_without_history(tmp_path: Path) -> None:
    app = app_with(Store(tmp_path / "t.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: home_ready(app))
        app.screen.query_one("#stats", Button).press()
        await until(pilot, lambda: isinstance(app.screen, StatsScreen))
        assert not app.screen.query(ScoreChart)
        assert "No interview answers yet" in str(app.screen.query_one("#chart-label").render())
