"""The help screen: every binding, from the bindings themselves."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from interviewer.tui.i18n import tr
from interviewer.tui.keys import LocalizedKeys


class HelpScreen(LocalizedKeys, ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface; }
    """

    def __init__(self, lang: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.lang, self.rows = lang, rows

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.rows), default=4) + 2
        lines = [f"[b]{tr('help_title', self.lang)}[/b]", ""]
        lines += [f"[b]{key.ljust(width)}[/b]{text}" for key, text in self.rows]
        with VerticalScroll():
            yield Static("\n".join(lines))
