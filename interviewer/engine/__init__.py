"""Headless interview engine: graders, scoring, follow-up policy (never imports Textual)."""
