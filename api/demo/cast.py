"""Who and what the demo partnership holds: agencies, courses, and the names its workers are drawn from."""

from __future__ import annotations

from dataclasses import dataclass

SECTOR_AGENCIES: list[tuple[str, str, str, bool, bool]] = [  # id, name, sector, health, contributes
    ("city-council", "City Council Children's Services", "statutory", False, True),
    ("police", "Constabulary (Public Protection)", "statutory", False, True),
    ("hospital-trust", "University Hospitals NHS Trust", "statutory", True, True),
    ("community-health", "Community Health Partnership", "statutory", True, True),
    ("probation", "Probation Service", "statutory", False, False),
    ("riverside-academy", "Riverside Academy Trust", "independent", False, True),
    ("st-marys", "St Mary's Independent School", "independent", False, False),
    ("little-steps", "Little Steps Nurseries", "independent", False, False),
    ("family-action", "Family Action Centre", "voluntary", False, True),
    ("youth-trust", "City Youth Trust", "voluntary", False, False),
    ("faith-forum", "Interfaith Community Forum", "community", False, False),
    ("sports-clubs", "Community Sports Clubs Network", "community", False, False),
]

ROLES = {1: "Receptionist", 2: "Teaching assistant", 3: "Social worker", 4: "Child protection officer",
         5: "Designated safeguarding lead", 6: "Team manager", 7: "Head of service", 8: "Partnership member"}
GROUP_WEIGHTS = {1: 24, 2: 25, 3: 25, 4: 8, 5: 5, 6: 7, 7: 4, 8: 2}

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack", "Kiran", "Leah",
         "Mohammed", "Nia", "Oliver", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yusuf",
         "Zara", "Aled", "Bethan", "Cormac", "Dina", "Eilidh"]
LAST = ["Adeyemi", "Baker", "Chen", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones", "Khan",
        "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Vaughan",
        "Walsh", "Xu", "Young", "Zielinski"]


@dataclass(frozen=True)
class DemoCourse:
    """A course of the demo programme."""

    id: str
    title: str
    level: str
    delivery: str
    outcomes: tuple[str, ...]
    minutes: int


COURSES = [
    DemoCourse("awareness", "Safeguarding Children Awareness", "basic", "e-learning",
               ("Recognise signs of abuse and neglect", "Know who to tell"), 60),
    DemoCourse("intro", "Introduction to Safeguarding Children", "1", "inter-agency",
               ("Recognise abuse and neglect", "Respond to a disclosure", "Record and share concerns"), 180),
    DemoCourse("intro-online", "Introduction to Safeguarding Children (e-learning)", "1", "e-learning",
               ("Recognise abuse and neglect", "Respond to a disclosure"), 120),
    DemoCourse("working-together", "Working Together to Safeguard Children", "2", "inter-agency",
               ("Share information across agencies", "Use the assessment framework", "Work with parents"), 360),
    DemoCourse("section-47", "Section 47 Enquiries and Child Protection Conferences", "3", "inter-agency",
               ("Plan a section 47 enquiry", "Contribute to a conference"), 360),
    DemoCourse("neglect", "Neglect and the Graded Care Profile", "3", "inter-agency",
               ("Assess neglect", "Use the Graded Care Profile"), 360),
    DemoCourse("police-foundation", "Police Safeguarding Foundation", "1", "single-agency",
               ("Apply force procedures",), 240),
    DemoCourse("health-level-3", "Safeguarding Children Level 3 (health)", "health-3-core", "single-agency",
               ("Apply the intercollegiate competences",), 480),
]
VALIDATIONS = {"police-foundation": ("2024-01-01", "2026-12-31"), "health-level-3": ("2025-01-01", "2027-12-31")}
