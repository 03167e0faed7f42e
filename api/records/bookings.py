"""/api/v1/sessions/<id>/bookings: book a place, cancel, substitute, mark the register, correct it.

A booking belongs to the agency that made it: another agency's booking ids
answer 404. Marking and correcting the register are the partnership's (trainers).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from api.auth import RECORDS_WRITE_SCOPES
from api.records.answers import BookingSchema
from api.records.fields import Code, Instant, StrictBoolean, Text
from api.records.routing import StrictSchema, operation, records
from domain.actor import Actor

bookings = Blueprint("bookings", __name__, url_prefix="/api/v1")


class BookPlaceSchema(StrictSchema):
    """The worker to book (they must meet the course's prerequisites)."""

    worker = Code(required=True)


class CancelBookingSchema(StrictSchema):
    """When the cancellation was received (ISO 8601 with offset; kept exactly, notice counted in English days)."""

    received_at = Instant(required=True)


class SubstituteSchema(StrictSchema):
    """Another worker of the booking's agency, meeting the prerequisites, takes the place."""

    worker = Code(required=True)


class AttendanceSchema(StrictSchema):
    """Whether the delegate attended (the register opens at the session's start)."""

    attended = StrictBoolean(required=True)


class RegisterCorrectionSchema(StrictSchema):
    """A correction of a closed register, with its reason."""

    attended = StrictBoolean(required=True)
    reason = Text(required=True, max_length=1000)


@operation(bookings, "POST", "/sessions/<code>/bookings", summary="Book a place", scopes=RECORDS_WRITE_SCOPES,
           body=BookPlaceSchema, answer=BookingSchema, status=201, errors=(404, 409))
def book_place(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """A place if one is free (`status: booked`), else the waiting list (`status: waiting` and its `position`)."""
    return records().book_place(actor, code, body["worker"])


@operation(bookings, "POST", "/sessions/<code>/bookings/<booking>/cancellation", summary="Cancel a booking",
           scopes=RECORDS_WRITE_SCOPES, body=CancelBookingSchema, answer=BookingSchema, errors=(404, 409))
def cancel_booking(actor: Actor, code: str, booking: str, body: dict[str, Any]) -> Any:
    """Cancel as received at `received_at`; a freed place goes to the first waiting who meets the prerequisites."""
    return records().cancel_booking(actor, code, booking, body["received_at"])


@operation(bookings, "POST", "/sessions/<code>/bookings/<booking>/substitutions", summary="Substitute a delegate",
           scopes=RECORDS_WRITE_SCOPES, body=SubstituteSchema, answer=BookingSchema, errors=(404, 409))
def substitute(actor: Actor, code: str, booking: str, body: dict[str, Any]) -> Any:
    """Another worker of the booking's agency takes a live booking (refused with 409 if inappropriate)."""
    return records().substitute(actor, code, booking, body["worker"])


@operation(bookings, "PUT", "/sessions/<code>/bookings/<booking>/attendance", summary="Mark the register",
           scopes=RECORDS_WRITE_SCOPES, body=AttendanceSchema, answer=BookingSchema, errors=(404, 409))
def record_attendance(actor: Actor, code: str, booking: str, body: dict[str, Any]) -> Any:
    """The partnership marks one booked delegate attended or not, from the session's start to the register's close."""
    return records().record_attendance(actor, code, booking, body["attended"])


@operation(bookings, "POST", "/sessions/<code>/bookings/<booking>/register-corrections",
           summary="Correct a closed register", scopes=RECORDS_WRITE_SCOPES, body=RegisterCorrectionSchema,
           answer=BookingSchema, errors=(404, 409))
def correct_register(actor: Actor, code: str, booking: str, body: dict[str, Any]) -> Any:
    """The partnership corrects one delegate's outcome after the register closed, with a reason."""
    return records().correct_register(actor, code, booking, body["attended"], body["reason"])
