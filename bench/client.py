"""Model client overhead against the stub server, and the import cost of each client path.

    .venv/bin/python bench/client.py [--latency 0.05] [--requests 40]

The stub adds a fixed latency to every response; the overhead is the client's wall time per
request minus that latency (target <= 10 ms non-streaming), for the openai SDK path and the
litellm path. Import costs are measured in fresh interpreters; the openai path must not
import litellm.
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from interviewer.llm.client import LiteLLMClient, OpenAIClient  # noqa: E402
from interviewer.llm.spec import ModelSpec  # noqa: E402
from interviewer.llm.stub import Reply, StubServer  # noqa: E402
from interviewer.llm.types import ChatRequest  # noqa: E402

ASK = ChatRequest([{"role": "user", "content": "Grade this answer: dropout zeroes units."}])


async def measure(client, n: int, stream: bool) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        started = time.perf_counter()
        if stream:
            async for _item in client.stream(ASK):
                pass
        else:
            await client.complete(ASK)
        times.append(time.perf_counter() - started)
    return times


def import_cost(code: str, runs: int = 5) -> tuple[float, str]:
    times, extra = [], ""
    for _ in range(runs):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import time, sys; t=time.perf_counter(); {code}; "
                "print(time.perf_counter()-t, 'litellm' in sys.modules)",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
        )
        seconds, loaded = out.stdout.split()
        times.append(float(seconds))
        extra = "litellm imported" if loaded == "True" else "litellm not imported"
    return statistics.median(times), extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="stub latency per response (s)")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    print(f"stub latency {args.latency * 1000:.0f} ms, {args.requests} requests each (medians)")
    print(f"{'path':10} {'mode':10} {'wall':>9} {'overhead':>9}   target")
    with StubServer(latency=args.latency) as stub:
        stub.default = Reply('{"verdict": "covered", "quote": "dropout zeroes units"}')
        for cls in (OpenAIClient, LiteLLMClient):
            spec = ModelSpec(
                name="bench", model="openai/stub-model", api_base=stub.base_url, max_retries=0
            )
            client = cls(spec)
            asyncio.run(measure(client, 3, False))  # warm up connections and imports
            for stream in (False, True):
                times = asyncio.run(measure(client, args.requests, stream))
                wall = statistics.median(times) * 1000
                over = wall - args.latency * 1000
                target = "<= 10 ms" if not stream else ""
                name = "openai" if cls is OpenAIClient else "litellm"
                print(
                    f"{name:10} {'stream' if stream else 'complete':10} {wall:7.1f}ms {over:7.1f}ms   {target}"
                )
    print("\nimport cost in a fresh interpreter (median of 5)")
    for label, code in (
        ("openai client path", "from interviewer.llm.client import OpenAIClient; import openai"),
        (
            "litellm client path",
            "from interviewer.llm.client import import_litellm; import_litellm()",
        ),
    ):
        seconds, note = import_cost(code)
        print(f"  {label:22} {seconds * 1000:7.0f} ms   ({note})")


if __name__ == "__main__":
    main()
