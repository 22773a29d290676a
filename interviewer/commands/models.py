"""`interviewer models` lists the profiles; `models check NAME|MODEL` tries one."""

import argparse
import asyncio
import json
import os
import re
import time
from typing import Any

from interviewer.commands._context import print_json, settings_from
from interviewer.errors import InterviewerError
from interviewer.llm.spec import ModelSpec, resolve_model
from interviewer.settings import redact_url
from interviewer.textfmt import table
from interviewer.vocab import ExitCode

CHECK_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def _profiles(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    rows = []
    for name, p in sorted(settings.models.items()):
        spec = resolve_model(name, settings)
        key = (
            "-"
            if not spec.api_key_env
            else f"${spec.api_key_env} ({'set' if os.environ.get(spec.api_key_env) else 'not set'})"
        )
        rows.append(
            {
                "name": name,
                "model": p.model,
                "route": spec.route,
                "api_base": redact_url(p.api_base) if p.api_base else None,
                "api_key": key,
                "structured": p.structured,
            }
        )
    if args.json:
        print_json(rows)
    elif not rows:
        print(
            "no model profiles; add [models.NAME] tables to the config file "
            "(`interviewer config path`)"
        )
    else:
        print(
            table(
                ["name", "model", "route", "api_base", "key", "structured"],
                [
                    [
                        r["name"],
                        r["model"],
                        r["route"],
                        r["api_base"] or "-",
                        r["api_key"],
                        r["structured"],
                    ]
                    for r in rows
                ],
            )
        )
    return 0


def _parse(text: str) -> dict[str, Any] | None:
    """Tolerant: a JSON object alone, in a code fence, or after some prose."""
    match = _JSON_OBJECT.search(text)
    if not match:
        return None
    try:
        value = json.loads(match.group())
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


async def _check(spec: ModelSpec) -> dict[str, Any]:
    from interviewer.llm.client import make_client
    from interviewer.llm.types import ChatRequest

    client = make_client(spec)
    ask = [{"role": "user", "content": 'Reply with the JSON object {"ok": true} and nothing else.'}]
    started = time.perf_counter()
    result: dict[str, Any] = {"model": spec.label, "route": spec.route}
    try:
        reply = await client.complete(ChatRequest(ask, max_tokens=20))
    except InterviewerError as exc:
        return result | {"reachable": False, "error": str(exc)}
    result |= {
        "reachable": True,
        "latency_ms": int((time.perf_counter() - started) * 1000),
        "reply": reply.text[:80],
    }
    modes: dict[str, str] = {}
    formats = {
        "json_schema": {
            "type": "json_schema",
            "json_schema": {"name": "check", "schema": CHECK_SCHEMA, "strict": True},
        },
        "json_object": {"type": "json_object"},
        "prompt": None,
    }
    for mode, fmt in formats.items():
        try:
            answer = (
                reply
                if fmt is None
                else await client.complete(ChatRequest(ask, max_tokens=20, response_format=fmt))
            )
        except InterviewerError as exc:
            modes[mode] = f"no: {exc}"
            continue
        parsed = _parse(answer.text)
        if parsed is None:
            modes[mode] = "no: the answer is not a JSON object"
        elif isinstance(parsed.get("ok"), bool):
            modes[mode] = "yes"
        else:
            modes[mode] = "partly: JSON, but not the requested schema"
    return result | {"structured": modes}


async def ping(settings: Any, name: str) -> dict[str, Any]:
    """Reachability and latency of a profile with one tiny request (the TUI's home screen)."""
    from interviewer.llm.client import make_client
    from interviewer.llm.types import ChatRequest

    started = time.perf_counter()
    try:
        spec = resolve_model(name, settings)
        client = make_client(spec)
        await client.complete(
            ChatRequest([{"role": "user", "content": "Reply with OK."}], max_tokens=5)
        )
    except InterviewerError as exc:
        return {"reachable": False, "error": str(exc)}
    return {"reachable": True, "latency_ms": int((time.perf_counter() - started) * 1000)}


def _run_check(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    spec = resolve_model(args.model, settings, args.api_base, args.api_key_env)
    result = asyncio.run(_check(spec))
    if args.json:
        print_json(result)
    elif not result["reachable"]:
        print(f"{result['model']}: not reachable\n  {result['error']}")
    else:
        print(f"{result['model']}: reachable via {result['route']} in {result['latency_ms']} ms")
        for mode, verdict in result["structured"].items():
            print(f"  structured output {mode:12} {verdict}")
    return int(ExitCode.OK if result["reachable"] else ExitCode.MODEL)


def run(args: argparse.Namespace) -> int:
    if args.models_command == "check":
        return _run_check(args)
    return _profiles(args)
