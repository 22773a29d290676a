"""`--debug`: requests, timings and failures of model calls, written to a file, keys scrubbed."""

import logging
from pathlib import Path

from interviewer import paths
from interviewer.llm.secrets import scrub


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def enable(path: Path | None = None) -> Path:
    path = path or paths.data_dir() / "logs" / "debug.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("interviewer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return path
