"""What the TUI needs, built lazily so the first frame never waits for it."""

from dataclasses import dataclass, field
from typing import Any

from interviewer.bank.loader import Bank, load_bank, require_valid
from interviewer.settings import Settings, load_settings
from interviewer.store.repo import Store


@dataclass
class Context:
    """Settings, bank and store, injected into the app (tests pass their own)."""

    settings: Settings
    bank: Bank | None = None
    store: Store | None = None
    grader_overrides: dict[str, Any] = field(default_factory=dict)  # name -> grader (tests)

    def load_bank(self) -> Bank:
        if self.bank is None:
            self.bank = require_valid(load_bank(list(self.settings.banks)))
        return self.bank

    def open_store(self) -> Store:
        if self.store is None:
            self.store = Store()
        return self.store

    def grader(self, name: str) -> Any:
        if name in self.grader_overrides:
            return self.grader_overrides[name]
        from interviewer.graders import resolve_grader

        return resolve_grader(name, self.settings)


def default_context() -> Context:
    return Context(load_settings())
