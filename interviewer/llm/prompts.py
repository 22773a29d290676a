"""Rendering the grading prompts from the templates in `prompts/`.

Static instructions and the rubric come first (prompt-cache friendly), the answer last, fenced
by a random per-request token. The rubric is rendered in one language only: the answer's.
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from interviewer.domain.rubric import Probe, Question

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
LANG_NAME = {"zh": "Chinese (简体中文)", "en": "English"}


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    body: str

    def render(self, **values: str) -> str:
        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in values:
                raise KeyError(f"template {self.name}: no value for {{{{{key}}}}}")
            return values[key]

        return _PLACEHOLDER.sub(fill, self.body)


@cache
def template(name: str) -> Template:
    text = (resources.files("interviewer.prompts") / f"{name}.md").read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"prompts/{name}.md: missing the front matter with a version")
    meta = dict(line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    return Template(name, meta["version"].strip(), text[match.end() :])


def fence_token() -> str:
    return f"ANSWER-{secrets.token_hex(6)}"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) or "- (none)"


def rubric_parts(q: Question, lang: str) -> dict[str, str]:
    return {
        "question": q.question.get(lang),  # type: ignore[arg-type]
        "reference": q.reference(lang) or "(none)",  # type: ignore[arg-type]
        # a key point's label names it; its substance is in the reference answer above, so
        # the full text is sent only for points without a label (keeps the prompt compact)
        "key_points": _bullets(
            [
                f"{kp.id} [{kp.depth.value}, weight {kp.weight:g}]: "
                + (kp.label or kp.text).get(lang)  # type: ignore[arg-type]
                for kp in q.key_points
            ]  # type: ignore[arg-type]
        ),
        # the corrections are shown to the candidate from the rubric; the model only detects
        "misconceptions": _bullets([f"{m.id}: {m.text.get(lang)}" for m in q.misconceptions]),  # type: ignore[arg-type]
        # probe ids and what they are about: the model words the follow-up for this candidate
        "probes": _bullets(
            [f"{p.id} [{p.kind.value}, about {', '.join(p.targets)}]" for p in q.probes]
        ),
        "levels": _bullets(
            [f"{lv.min:g}-{lv.max:g}: {lv.description.get(lang)}" for lv in q.levels]  # type: ignore[arg-type]
        ),
    }


def format_block(schema: dict | None) -> str:
    """In prompt mode the schema travels in the prompt; otherwise the server enforces it."""
    if schema is None:
        return ""
    return (
        "\n# Output format\nReply with one JSON object matching this JSON schema:\n"
        + json.dumps(_untitled(schema), ensure_ascii=False, separators=(",", ":"))
        + "\n"
    )


def _untitled(node: Any) -> Any:
    """The schema without pydantic's "title" entries: they repeat the field names and cost
    about 200 tokens in every prompt-mode request."""
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items() if k != "title"}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node


@dataclass(frozen=True)
class RenderedPrompt:
    messages: list[dict[str, str]]
    version: str  # "grade-system/1+grade/1"
    hash: str  # of the rendered text, fence included

    @property
    def text(self) -> str:
        return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in self.messages)


def _rendered(system: Template, user: Template, lang: str, **values: str) -> RenderedPrompt:
    messages = [
        {"role": "system", "content": system.render(feedback_language=LANG_NAME[lang])},
        {"role": "user", "content": user.render(**values)},
    ]
    digest = hashlib.sha256(json.dumps(messages, ensure_ascii=False).encode()).hexdigest()[:16]
    return RenderedPrompt(messages, f"{system.version}+{user.version}", digest)


def grade_prompt(
    q: Question, answer: str, lang: str, schema: dict | None = None, fence: str | None = None
) -> RenderedPrompt:
    return _rendered(
        template("system"),
        template("grade"),
        lang,
        **rubric_parts(q, lang),
        format=format_block(schema),
        fence=fence or fence_token(),
        answer=answer,
    )


def follow_up_prompt(
    q: Question,
    probe: Probe,
    asked: str,
    main_answer: str,
    answer: str,
    lang: str,
    schema: dict | None = None,
    fence: str | None = None,
) -> RenderedPrompt:
    parts = rubric_parts(q, lang)
    expected = _bullets(
        [f"e{i}: {e.text.get(lang)}" for i, e in enumerate(probe.expected_points, start=1)]
    )  # type: ignore[arg-type]
    return _rendered(
        template("system"),
        template("follow_up"),
        lang,
        question=parts["question"],
        main_answer=main_answer,
        follow_up=asked,
        expected_points=expected,
        misconceptions=parts["misconceptions"],
        format=format_block(schema),
        fence=fence or fence_token(),
        answer=answer,
    )


def summary_prompt(summary: dict, lang: str) -> RenderedPrompt:
    """The closing debrief: the grades as computed, for the model to put into words."""
    facts = json.dumps(
        {k: summary[k] for k in ("average", "verdict", "tags", "strengths", "gaps")}
        | {
            "questions": [
                {"question": q["title"], "score": q["score"], "skipped": q["skipped"]}
                for q in summary["questions"]
            ]
        },
        ensure_ascii=False,
    )
    body = template("summary").render(feedback_language=LANG_NAME[lang], summary=facts)
    messages = [{"role": "user", "content": body}]
    digest = hashlib.sha256(json.dumps(messages, ensure_ascii=False).encode()).hexdigest()[:16]
    return RenderedPrompt(messages, template("summary").version, digest)
