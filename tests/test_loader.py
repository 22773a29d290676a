"""The loader reports every structural problem, with file, line and field path."""

from pathlib import Path

import pytest

from interviewer.bank.loader import load_bank, require_valid
from interviewer.errors import BankError
from tests.conftest import FIXTURES

MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def load_variant(tmp_path: Path, old: str, new: str, name: str = "q.yaml") -> list[str]:
    assert old in MINIMAL, old
    path = tmp_path / "bank" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in load_bank([path.parent]).problems]


def test_minimal_fixture_is_valid() -> None:
    bank = load_bank([FIXTURES / "minimal.yaml"])
    assert bank.problems == []
    assert [q.id for q in bank.questions] == ["minimal-question"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # types and required fields
        ("difficulty: 1", "difficulty: hard", ":7: difficulty: Input should be a valid integer"),
        (
            "difficulty: 1",
            "difficulty: 4",
            ":7: difficulty: Input should be less than or equal to 3",
        ),
        ("number: 1\n", "", "q.yaml:2: number: required field missing"),
        ("tags: [practice]", "tags: [practice]\ncolour: blue", ":7: colour: unknown field"),
        ("id: minimal-question", "id: Minimal Question", ":2: id: String should match pattern"),
        (
            "    weight: 2",
            "    weight: 0",
            ":16: key_points[1].weight: Input should be greater than 0",
        ),
        (
            "    penalty: 1",
            "    penalty: -1",
            "misconceptions[0].penalty: Input should be greater than 0",
        ),
        (
            "    depth: deep",
            "    depth: deeper",
            ":17: key_points[1].depth: Input should be 'core' or 'deep'",
        ),
        (
            "title: {en: Minimal question}",
            "title: {en: ''}",
            ":4: title: needs text in at least one language",
        ),
        # signals
        (
            'none: [["no", not]]',
            "none: [[no, not]]",
            ":20: key_points[1].signals[0].none[0][0]: a boolean is not a term",
        ),
        (
            "[keyword*, 关键词]",
            "[{re: 'sqrt(2'}, 关键词]",
            "signals[0].all[1][0]: invalid regular expression",
        ),
        (
            "        scope: clause",
            "        scope: paragraph",
            "signals[0].scope: Input should be 'clause', 'sentence' or 'answer'",
        ),
        # cross-field structure
        (
            "targets: [has-signals]",
            "targets: [no-such-point]",
            ":32: probes[0].targets[0]: no key point with id 'no-such-point'",
        ),
        (
            "  - id: has-signals\n",
            "  - id: has-key-point\n",
            ":14: key_points[1].id: duplicate key point id 'has-key-point'",
        ),
        (
            "{min: 5, max: 10,",
            "{min: 6, max: 10,",
            ":38: levels[1].min: 6 leaves a gap after the previous level ending at 5",
        ),
        (
            "{min: 5, max: 10,",
            "{min: 4, max: 10,",
            "levels[1].min: 4 overlaps the previous level ending at 5",
        ),
        (
            "{min: 5, max: 10,",
            "{min: 5, max: 9,",
            ":38: levels[1].max: the last level must end at 10, not 9",
        ),
        (
            "{min: 0, max: 5,",
            "{min: 1, max: 5,",
            "levels[0].min: the first level must start at 0, not 1",
        ),
        ("{min: 0, max: 5,", "{min: 0, max: 0,", ":37: levels[0]: min (0) must be below max (0)"),
        # YAML itself
        ("tags: [practice]", "tags: [practice]\ntags: [data]", ":7: tags: duplicate key"),
        ("title: {en: Minimal question}", "title: {en: Minimal question", ":5: invalid YAML"),
    ],
)
def test_each_structure_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = load_variant(tmp_path, old, new)
    assert any(expected in p for p in problems), problems


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("difficulty: 1", "difficulty: 9").replace(
        "    weight: 2", "    weight: -2"
    )
    text = text.replace("targets: [has-signals]", "targets: [nope]")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    problems = [str(p) for p in load_bank([tmp_path]).problems]
    assert any("a.yaml:7: difficulty" in p for p in problems)
    assert any("a.yaml:16: key_points[1].weight" in p for p in problems)
    assert any("b.yaml" in p and "invalid YAML" in p for p in problems)
    # pydantic stops before cross-field checks on an invalid file: the target error needs a
    # structurally valid question, reported on the next run
    with pytest.raises(BankError) as info:
        require_valid(load_bank([tmp_path]))
    assert "and 2 more" in str(info.value)


def test_duplicate_ids_and_numbers_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("number: 1", "number: 2"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        MINIMAL.replace("id: minimal-question", "id: other-question"), encoding="utf-8"
    )
    problems = [str(p) for p in load_bank([tmp_path]).problems]
    assert any(p.startswith(f"{tmp_path}/b.yaml:2: id: duplicate question id") for p in problems), (
        problems
    )
    assert any("c.yaml:3: number: duplicate question number 1" in p for p in problems), problems


def test_ids_must_be_unique_across_banks_numbers_only_within(tmp_path: Path) -> None:
    for bank in ("one", "two"):
        (tmp_path / bank).mkdir()
    (tmp_path / "one" / "q.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "two" / "q.yaml").write_text(
        MINIMAL.replace("id: minimal-question", "id: second-bank"), encoding="utf-8"
    )
    bank = load_bank([tmp_path / "one", tmp_path / "two"])
    assert bank.problems == []  # number 1 in each bank is fine
    with pytest.raises(Exception, match="ambiguous across banks"):
        bank.find("1")
    assert bank.find("second-bank").number == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"- just\n- a list\n", "expected a mapping of question fields"),
        (b"id: caf\xe9\n", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "q.yaml").write_bytes(content)
    problems = [str(p) for p in load_bank([tmp_path]).problems]
    assert any(expected in p for p in problems), problems


def test_missing_bank_and_empty_bank(tmp_path: Path) -> None:
    problems = [str(p) for p in load_bank([tmp_path / "nope", tmp_path]).problems]
    assert any("nope: no such bank" in p for p in problems)
    assert any("no question files" in p for p in problems)


def test_find_suggests_close_matches() -> None:
    bank = load_bank([FIXTURES / "minimal.yaml"])
    with pytest.raises(Exception, match="did you mean minimal-question"):
        bank.find("minimal-questoin")


def test_valid_files_are_cached_by_content(tmp_path: Path, isolated_home: Path) -> None:
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    source = bank_dir / "q.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    first = load_bank([bank_dir])
    cached = list((isolated_home / "cache" / "bank").glob("*.json"))
    assert len(cached) == 1
    second = load_bank([bank_dir])
    assert second.questions == first.questions
    # a corrupted cache entry is ignored, never trusted
    cached[0].write_text("{broken", encoding="utf-8")
    assert load_bank([bank_dir]).questions == first.questions
    # an edit is a new key: the change is seen at once
    source.write_text(MINIMAL.replace("difficulty: 1", "difficulty: 3"), encoding="utf-8")
    assert load_bank([bank_dir]).questions[0].difficulty == 3


def test_invalid_files_are_not_cached(tmp_path: Path, isolated_home: Path) -> None:
    problems = load_variant(tmp_path, "difficulty: 1", "difficulty: 7")
    assert problems
    assert not list((isolated_home / "cache").rglob("*.json"))
    assert load_variant(tmp_path, "difficulty: 1", "difficulty: 7") == problems


def test_policy_problems_on_a_cached_question_still_name_lines(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text(MINIMAL, encoding="utf-8")
    load_bank([tmp_path])  # fills the cache
    policy = [str(p) for p in load_bank([tmp_path]).policy_problems()]
    assert any("q.yaml:8: key_points: has 2 key points" in p for p in policy), policy
