"""A deterministic generator of realistic safeguarding-training xAPI statements for benchmarks."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

VERBS = [
    ("http://adlnet.gov/expapi/verbs/completed", "completed"),
    ("http://adlnet.gov/expapi/verbs/attempted", "attempted"),
    ("http://adlnet.gov/expapi/verbs/passed", "passed"),
    ("http://adlnet.gov/expapi/verbs/failed", "failed"),
    ("http://adlnet.gov/expapi/verbs/attended", "attended"),
    ("http://adlnet.gov/expapi/verbs/registered", "registered"),
    ("http://adlnet.gov/expapi/verbs/answered", "answered"),
    ("http://id.tincanapi.com/verb/viewed", "viewed"),
    ("http://adlnet.gov/expapi/verbs/launched", "launched"),
    ("http://adlnet.gov/expapi/verbs/experienced", "experienced"),
]
TYPES = [
    "http://adlnet.gov/expapi/activities/course",
    "http://adlnet.gov/expapi/activities/module",
    "http://adlnet.gov/expapi/activities/assessment",
    "http://adlnet.gov/expapi/activities/cmi.interaction",
]
TOPICS = ["Introduction to Safeguarding", "Working Together", "Section 47 enquiries", "Information sharing",
          "Child development", "Impact of parenting issues", "Safer recruitment", "Serious case reviews"]


class StatementGenerator:
    """Statements from thousands of workers across courses, modules and sessions; same seed, same output."""

    def __init__(self, seed: int = 2026, actors: int = 5000, activities: int = 500, registrations: int = 2000) -> None:
        self.random = random.Random(seed)
        self.actors = [self._actor(n) for n in range(actors)]
        self.courses = [f"https://lscp.example/courses/{n}" for n in range(max(1, activities // 10))]
        self.activities = [self._activity(n) for n in range(activities)]
        self.registrations = [str(uuid.UUID(int=self.random.getrandbits(128), version=4)) for _ in range(registrations)]

    def _actor(self, n: int) -> dict[str, Any]:
        if n % 3 == 0:
            return {"objectType": "Agent", "name": f"Worker {n}", "mbox": f"mailto:worker{n}@agency{n % 40}.example"}
        return {"objectType": "Agent", "name": f"Worker {n}",
                "account": {"homePage": "https://moodle.lscp.example", "name": str(n)}}

    def _activity(self, n: int) -> dict[str, Any]:
        topic = TOPICS[n % len(TOPICS)]
        return {
            "objectType": "Activity",
            "id": f"https://lscp.example/activities/{n}",
            "definition": {
                "name": {"en-GB": f"{topic}: part {n}"},
                "description": {"en-GB": f"Module {n} of the {topic} pathway"},
                "type": TYPES[n % len(TYPES)],
                "extensions": {"https://lscp.example/ext/level": n % 4},
            },
        }

    def statement(self) -> dict[str, Any]:
        r = self.random
        verb_id, verb_name = VERBS[r.randrange(len(VERBS))]
        activity = self.activities[r.randrange(len(self.activities))]
        statement: dict[str, Any] = {
            "id": str(uuid.UUID(int=r.getrandbits(128), version=4)),
            "actor": self.actors[r.randrange(len(self.actors))],
            "verb": {"id": verb_id, "display": {"en-GB": verb_name}},
            "object": activity,
            "timestamp": f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(8, 17):02d}:"
                         f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z",
            "context": {
                "registration": self.registrations[r.randrange(len(self.registrations))],
                "platform": "Moodle",
                "language": "en-GB",
                "contextActivities": {
                    "parent": [{"id": self.courses[r.randrange(len(self.courses))]}],
                    "grouping": [{"id": "https://lscp.example/pathways/group-" + str(r.randint(1, 8))}],
                },
            },
        }
        if verb_id.endswith(("completed", "passed", "failed", "answered")):
            raw = r.randint(0, 100)
            statement["result"] = {
                "score": {"raw": raw, "min": 0, "max": 100, "scaled": raw / 100},
                "success": raw >= 70, "completion": True, "duration": f"PT{r.randint(1, 90)}M{r.randint(0, 59)}S",
            }
        return statement

    def statements(self, count: int) -> Iterator[dict[str, Any]]:
        for _ in range(count):
            yield self.statement()
