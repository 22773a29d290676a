"""Save docs/screenshot.svg: the TUI mid-interview, produced by the app itself.

    .venv/bin/python scripts/screenshot.py
"""

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["INTERVIEWER_HOME"] = tempfile.mkdtemp()

from textual.widgets import Input, Select, TextArea  # noqa: E402

from interviewer.tui.app import InterviewerApp  # noqa: E402

ANSWER = (
    "Dropout randomly zeroes units during training, so the network cannot rely on co-adapted "
    "features; at inference all units are used."
)


async def main() -> None:
    app = InterviewerApp(lang="en")
    async with app.run_test(size=(100, 34)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query("#start") and not app.screen.query_one("#start").disabled:
                break
        app.screen.query_one("#mode", Select).value = "chosen"
        app.screen.query_one("#value", Input).value = "3"
        await pilot.click("#start")
        await pilot.pause(0.3)
        app.screen.query_one(TextArea).load_text(ANSWER)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        path = app.save_screenshot(filename="screenshot.svg", path=str(REPO / "docs"))
        print(path)


asyncio.run(main())
