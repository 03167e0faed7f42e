"""Training levels and target groups (seed 000, tables 1 and 2; DESIGN.md "Business rules").

Levels are ordered basic < 1 < 2 < 3. Health staff's intercollegiate levels
map onto the same scale: health level 2 = level 1, health level 3 core =
level 2, health level 3 specialist = level 3.
"""

from __future__ import annotations

from domain.errors import InvalidCommandError

LEVELS = ("basic", "1", "2", "3")
HEALTH_LEVELS = {"health-2": "1", "health-3-core": "2", "health-3-specialist": "3"}
TARGET_GROUPS = range(1, 9)
DELIVERIES = ("inter-agency", "single-agency", "e-learning")
SECTORS = ("statutory", "voluntary", "community", "independent")


RANKS = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(level: str) -> int:
    """0 for basic up to 3 for level 3. Raises KeyError for anything else."""
    return RANKS[level]


def parse_level(label: str) -> str:
    """A level on the partnership's scale from a level or a health intercollegiate level.

    Raises InvalidCommandError for anything else.
    """
    if label in LEVELS:
        return label
    if label in HEALTH_LEVELS:
        return HEALTH_LEVELS[label]
    raise InvalidCommandError(f"level {label!r} is not one of {[*LEVELS, *HEALTH_LEVELS]}")


def check_target_group(group: int) -> int:
    """Raises InvalidCommandError unless `group` is 1 to 8."""
    if isinstance(group, bool) or not isinstance(group, int) or group not in TARGET_GROUPS:
        raise InvalidCommandError(f"target group must be 1 to 8, not {group!r}")
    return group


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """Raises InvalidCommandError unless `value` is one of `choices`."""
    if value not in choices:
        raise InvalidCommandError(f"{name} must be one of {list(choices)}, not {value!r}")
    return value
