"""Checks for the Result object and its Score."""

from __future__ import annotations

from lrs.validation.primitives import fail, is_duration, show
from lrs.validation.structures import (
    check_bool,
    check_extensions,
    check_number,
    check_string,
    expect_object,
    reject_unknown,
)

# xAPI 1.0.3 Data 2.4.5.s2 (Result) and 2.4.5.1.s2 (Score)
RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))


def check_score(value: object, path: str) -> None:
    """scaled in [-1, 1]; min < max; min <= raw <= max for whichever bounds are present."""
    score = expect_object(value, path, "score")
    if not score.keys() <= SCORE_KEYS:
        reject_unknown(score, SCORE_KEYS, path, "score")
    for key in ("scaled", "raw", "min", "max"):
        if key in score:
            check_number(score[key], f"{path}.{key}", f"score.{key}")
    scaled = score.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        # xAPI 1.0.3 Data 2.4.5.1.s2.table1.row1
        fail(f"{path}.scaled", f"score.scaled must be between -1 and 1 inclusive, got {show(scaled)}")
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and not low < high:
        # xAPI 1.0.3 Data 2.4.5.1.s2.table1.row3/row4
        fail(f"{path}.min", f"score.min ({show(low)}) must be less than score.max ({show(high)})")
    if raw is not None:
        # xAPI 1.0.3 Data 2.4.5.1.s2.table1.row2
        if low is not None and raw < low:
            fail(f"{path}.raw", f"score.raw ({show(raw)}) must not be below score.min ({show(low)})")
        if high is not None and raw > high:
            fail(f"{path}.raw", f"score.raw ({show(raw)}) must not exceed score.max ({show(high)})")


def check_result(value: object, path: str) -> None:
    """The Result object of a Statement or SubStatement."""
    result = expect_object(value, path, "result")
    if not result.keys() <= RESULT_KEYS:
        reject_unknown(result, RESULT_KEYS, path, "result")
    if "score" in result:
        check_score(result["score"], f"{path}.score")
    if "success" in result:
        check_bool(result["success"], f"{path}.success", "result.success")
    if "completion" in result:
        check_bool(result["completion"], f"{path}.completion", "result.completion")
    if "response" in result:
        check_string(result["response"], f"{path}.response", "result.response")
    if "duration" in result:
        duration = result["duration"]
        if not is_duration(duration):
            # xAPI 1.0.3 Data 4.6.s1.b1
            fail(
                f"{path}.duration",
                f'result.duration must be an ISO 8601 duration like "PT1H30M5.25S" or "P4W", got {show(duration)}',
            )
    if "extensions" in result:
        check_extensions(result["extensions"], f"{path}.extensions")
