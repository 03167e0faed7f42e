"""The training records a safeguarding partnership keeps, every change an immutable domain event.

Agencies, workers, courses, pathways, course sessions with their bookings,
register and evaluations; `TrainingRecords` (domain/application.py) is the
application service. Rules come from ../shared/DESIGN.md and its seeds.
"""
