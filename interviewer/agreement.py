"""Agreement statistics between two sets of scores (a grader vs experts, or two graders).

Small pure-Python versions, so the app does not pull in scipy / scikit-learn at run time; the
tests check each one against scipy.stats and sklearn.metrics on the same data.
"""

import math
import statistics
from collections.abc import Sequence

# The bank's five score bands (every built-in rubric's levels): the confusion matrix's axes.
LEVEL_BOUNDS = (3.0, 5.0, 7.0, 8.5)
LEVEL_NAMES = ("0-3", "3-5", "5-7", "7-8.5", "8.5-10")


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r; None when it is undefined (fewer than 2 pairs, or a constant side)."""
    if len(x) < 2 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    return statistics.correlation(list(x), list(y))


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank (as scipy.stats.rankdata)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    return pearson(ranks(x), ranks(y))


def mae(x: Sequence[float], y: Sequence[float]) -> float | None:
    return statistics.fmean(abs(a - b) for a, b in zip(x, y, strict=True)) if x else None


def qwk(x: Sequence[int], y: Sequence[int], low: int = 0, high: int = 10) -> float | None:
    """Quadratic weighted kappa on integer ratings in [low, high] (as sklearn's
    cohen_kappa_score(weights="quadratic") over the same label set)."""
    n = len(x)
    if n == 0:
        return None
    size = high - low + 1
    observed = [[0.0] * size for _ in range(size)]
    for a, b in zip(x, y, strict=True):
        observed[a - low][b - low] += 1
    rows = [sum(r) for r in observed]
    cols = [sum(observed[i][j] for i in range(size)) for j in range(size)]
    num = den = 0.0
    for i in range(size):
        for j in range(size):
            weight = (i - j) ** 2 / (size - 1) ** 2
            num += weight * observed[i][j]
            den += weight * rows[i] * cols[j] / n
    return None if den == 0 else 1 - num / den


def level(score: float) -> int:
    return sum(score >= bound for bound in LEVEL_BOUNDS)


def confusion(expert: Sequence[float], graded: Sequence[float]) -> list[list[int]]:
    """Counts by level: rows are the expert's level, columns the grader's."""
    matrix = [[0] * len(LEVEL_NAMES) for _ in LEVEL_NAMES]
    for a, b in zip(expert, graded, strict=True):
        matrix[level(a)][level(b)] += 1
    return matrix


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)
