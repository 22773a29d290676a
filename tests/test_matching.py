"""Text handling and signal matching (the grammar of docs/rubric-format.md §1)."""

import pytest

from interviewer.domain.rubric import RegexTerm, Signal
from interviewer.engine.matcher import compile_signal, compile_term, match_signal
from interviewer.engine.text import Normalized
from interviewer.vocab import Scope


def matches(signal: dict, answer: str) -> str | None:
    evidence = match_signal(compile_signal(Signal.model_validate(signal)), Normalized(answer))
    return evidence[0].quote if evidence else None


def finds(term: object, answer: str) -> bool:
    norm = Normalized(answer)
    compiled = compile_term(RegexTerm(re=term["re"]) if isinstance(term, dict) else term)  # type: ignore[arg-type]
    return compiled.find(norm, 0, len(norm.text)) is not None


@pytest.mark.parametrize(
    ("term", "answer", "expected"),
    [
        ("regularization", "we regularize the model", True),  # stemming
        ("regularization", "Regularized weights", True),
        ("weight decay", "the weights decayed slowly", True),  # phrase, each word stemmed
        ("weight decay", "decay of the weight", False),  # order matters
        ("L1", "L10 penalty", False),  # word boundary
        ("L1", "用L1正则", True),  # a CJK character ends a Latin word
        ("l1", "ＬＡＳＳＯ and Ｌ１", True),  # full width -> half width
        ("稀疏", "权重会变得稀疏性很强", True),  # Chinese as substring
        ("l1正则", "L1 正则化", True),  # whitespace ignored for CJK terms
        ("normaliz*", "normalisation normalizing", True),  # prefix
        ("select* feature*", "selecting features", True),
        ("dropout", "DROP-OUT", False),
        ({"re": r"1\s*/\s*\(\s*1\s*-\s*p\s*\)"}, "scale by 1/(1-p) at train time", True),
        ({"re": r"sqrt\(\s*2\s*/\s*n"}, "std = SQRT(2/n_in)", True),
        ({"re": r"λ\s*[·*]?\s*sign"}, "gradient λ·sign(w)", True),
        ({"re": r"λ\s*[·*]?\s*sign"}, "gradient 2λw", False),
    ],
)
def test_terms(term: object, answer: str, expected: bool) -> None:
    assert finds(term, answer) is expected


L1_SPARSE = {
    "all": [["L1", "lasso"], ["稀疏", "sparse", "sparsity"]],
    "none": [["not", "不", "而非"]],
}


@pytest.mark.parametrize(
    ("answer", "scope", "expected"),
    [
        ("L1 makes weights sparse.", "sentence", "L1 makes weights sparse"),
        ("L1 正则化会让权重稀疏。", "sentence", "L1 正则化会让权重稀疏"),
        ("L1 is a penalty. Weights become sparse.", "sentence", None),  # not in one sentence
        ("L1 is a penalty. Weights become sparse.", "answer", "L1 is a penalty"),
        ("L1 does not make weights sparse.", "sentence", None),  # negation cancels
        ("L1 makes weights sparse, L2 does not", "clause", "L1 makes weights sparse"),
        ("L1 makes weights sparse, L2 does not", "sentence", None),  # the not is in the sentence
        ("- L1: sparse\n- L2: smooth", "sentence", "L1: sparse"),  # bullets are units
        ("L1 的解是 sparse 的", "sentence", "L1 的解是 sparse 的"),  # mixed zh/en
    ],
)
def test_scope_and_negation(answer: str, scope: str, expected: str | None) -> None:
    assert matches(L1_SPARSE | {"scope": scope}, answer) == expected


def test_min_of_groups() -> None:
    signal = {"all": [["stack"], ["lifo"], ["push"], ["pop"]], "min": 3, "scope": "answer"}
    assert matches(signal, "a stack: push and pop") is not None
    assert matches(signal, "a stack you push to") is None


def test_evidence_is_a_verbatim_span_of_the_original() -> None:
    answer = "　首先，Ｌ１正则会让权重稀疏（sparse）。"
    norm = Normalized(answer)
    ev = match_signal(compile_signal(Signal.model_validate(L1_SPARSE)), norm)
    assert ev is not None
    assert answer[ev[0].start : ev[0].end] == ev[0].quote
    assert "Ｌ１正则会让权重稀疏" in ev[0].quote


def test_units() -> None:
    norm = Normalized("Use lr 0.01, e.g. with warmup. Then decay!\nSecond line; third clause")
    sentences = [norm.text[a:b].strip() for a, b in norm.units(Scope.SENTENCE)]
    assert sentences == ["use lr 0.01, e.g. with warmup", "then decay", "second line; third clause"]
    clauses = [norm.text[a:b].strip() for a, b in norm.units(Scope.CLAUSE)]
    assert "use lr 0.01" in clauses and "third clause" in clauses
    zh = Normalized("L1 产生稀疏解,而非平滑解;但 L2 不会")
    zh_clauses = [zh.text[a:b].strip() for a, b in zh.units(Scope.CLAUSE)]
    assert zh_clauses == ["l1 产生稀疏解", "而非平滑解", "l2 不会"]
