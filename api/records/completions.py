"""/api/v1/workers/<id>/completions: training completed elsewhere (single-agency, e-learning), and withdrawals.

A completion is keyed by its `source` (`moodle:<digest>`, `hr:<ref>`, ...): the
same source sent again records nothing and answers 200 with `recorded: false`,
so a client may safely repeat a call.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from api.auth import RECORDS_WRITE_SCOPES
from api.records.answers import CompletionRecordedSchema, CompletionWithdrawnSchema
from api.records.fields import Code, EnglishDate, Text
from api.records.routing import Answer, StrictSchema, operation, records
from domain.actor import Actor

completions = Blueprint("completions", __name__, url_prefix="/api/v1")


class RecordCompletionSchema(StrictSchema):
    """The worker completed `course` on `completed_on` (not in the future), as `source` says."""

    course = Code(required=True)
    completed_on = EnglishDate(required=True)
    source = Text(required=True, max_length=500)


class WithdrawCompletionSchema(StrictSchema):
    """Withdraw the completion recorded from `source`, with a reason."""

    source = Text(required=True, max_length=500)
    reason = Text(required=True, max_length=1000)


@operation(completions, "POST", "/workers/<code>/completions", summary="Record a completion",
           scopes=RECORDS_WRITE_SCOPES, body=RecordCompletionSchema, answer=CompletionRecordedSchema, status=201,
           errors=(404, 409), repeatable=True)
def record_completion(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """201 when recorded, 200 with `recorded: false` when this source was recorded before."""
    recorded = records().record_completion(actor, code, body["course"], body["completed_on"], body["source"])
    return Answer({"worker": code, "source": body["source"], "recorded": recorded}, 201 if recorded else 200)


@operation(completions, "POST", "/workers/<code>/completion-withdrawals", summary="Withdraw a completion",
           scopes=RECORDS_WRITE_SCOPES, body=WithdrawCompletionSchema, answer=CompletionWithdrawnSchema,
           errors=(404, 409))
def withdraw_completion(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """`withdrawn: false` when the worker has no completion from that source (a repeat withdraws nothing)."""
    withdrawn = records().withdraw_completion(actor, code, body["source"], body["reason"])
    return {"worker": code, "source": body["source"], "withdrawn": withdrawn}
