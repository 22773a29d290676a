"""Each `bank check --strict` policy, from a bad variant of a bundled rubric."""

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewer.bank.loader import load_bank
from tests.conftest import BUNDLED, bundled_dict, write_yaml

BASE = bundled_dict("01-")


def strict_problems(tmp_path: Path, data: dict) -> list[str]:
    bank = load_bank([write_yaml(tmp_path / "q.yaml", data)])
    assert bank.problems == [], bank.problems  # structurally valid: only policy fails
    return [str(p) for p in bank.policy_problems()]


def test_bundled_rubrics_pass_strict() -> None:
    bank = load_bank([BUNDLED])
    assert len(bank.entries) >= 3
    assert bank.problems == [] and bank.policy_problems() == []


def test_base_variant_passes(tmp_path: Path) -> None:
    assert strict_problems(tmp_path, BASE) == []


def drop_key_points(d: dict) -> None:
    d["key_points"] = d["key_points"][:4]
    kept = {kp["id"] for kp in d["key_points"]}
    for probe in d["probes"]:
        probe["targets"] = [t for t in probe["targets"] if t in kept] or [d["key_points"][0]["id"]]


def no_deep(d: dict) -> None:
    for kp in d["key_points"]:
        kp["depth"] = "core"


def extra_key_points(d: dict) -> None:
    for i in range(9 - len(d["key_points"])):
        d["key_points"].append(copy.deepcopy(d["key_points"][0]) | {"id": f"extra-{i}"})


def one_kind(d: dict) -> None:
    for probe in d["probes"]:
        probe["kind"] = "deeper"


def english_only_hint(d: dict) -> None:
    d["key_points"][2]["hint"] = {"en": d["key_points"][2]["hint"]["en"]}


def no_reference(d: dict) -> None:
    del d["reference_answer"]


def unsignalled_point(d: dict) -> None:
    d["key_points"][1]["signals"] = []


def unsignalled_expected(d: dict) -> None:
    d["probes"][0]["expected_points"][0]["signals"] = []


def recitation_too_high(d: dict) -> None:
    for kp in d["key_points"]:
        kp["source"] = "covered"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (drop_key_points, "key_points: has 4 key points; strict wants 5-8"),
        (extra_key_points, "key_points: has 9 key points; strict wants 5-8"),
        (no_deep, "has 0 deep key points; strict wants at least 2"),
        (
            lambda d: d.update(misconceptions=d["misconceptions"][:1]),
            "has 1 misconceptions; strict wants 2-4",
        ),
        (lambda d: d.update(probes=d["probes"][:2]), "has 2 probes; strict wants 3-5"),
        (one_kind, "probes: needs a probe of kind 'challenge'"),
        (english_only_hint, "key_points[2].hint.zh: missing"),
        (
            lambda d: d["key_points"][0].update(label={"en": "only English"}),
            "key_points[0].label.zh: missing",
        ),
        (no_reference, "reference_answer: missing (strict wants it in zh and en)"),
        (lambda d: d["title"].pop("en"), "title.en: missing"),
        (unsignalled_point, "key_points[1].signals: needs at least one signal"),
        (unsignalled_expected, "probes[0].expected_points[0].signals: needs at least one signal"),
        (lambda d: d.update(source_points=[]), "source_points: missing"),
        (lambda d: d.update(levels=[]), "levels: missing: strict wants levels covering 0-10"),
        (
            lambda d: d.update(tags=["astrology"]),
            "tags[0]: 'astrology' is not in the tag vocabulary",
        ),
        (recitation_too_high, "recitation score 10 is outside [3.5, 5.5]"),
    ],
)
def test_each_strict_policy(
    tmp_path: Path, mutate: Callable[[dict], object], expected: str
) -> None:
    data = copy.deepcopy(BASE)
    mutate(data)
    problems = strict_problems(tmp_path, data)
    assert any(expected in p for p in problems), problems
    assert all(":" in p.split(" ", 1)[0] for p in problems)  # every problem names file:line
