"""/api/v1 rate cards, charges, credits and invoices (seed 000 s.9; DESIGN.md "Charging").

Amounts are pounds, as strings with two decimals (`"125.00"`), beside their
whole pence (`amount_pence`). Charges are raised by the session commands
(a cancellation, a register's close or correction), never posted here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from api.auth import RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.fields import Code, EnglishDate, Plain, Text
from api.records.routing import Answer, OnDateSchema, StrictSchema, operation, records
from domain.actor import Actor
from domain.charging import RULE_KEYS, pounds, to_pence

charges = Blueprint("charges", __name__, url_prefix="/api/v1")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class Pounds(fields.String):
    """An amount of pounds: a JSON string or number with at most two decimals, from 0 to 100,000."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be an amount of pounds such as \"75.00\"")
        try:
            to_pence(value)
        except (ValueError, ArithmeticError) as error:
            raise ValidationError(str(error)) from None
        return str(value)


def money(pence_attribute: str) -> fields.Function:
    """The pence held in `pence_attribute`, written as pounds with two decimals."""
    return fields.Function(lambda obj: pounds(getattr(obj, pence_attribute)), required=True,
                           metadata={"type": "string", "description": "pounds, e.g. 125.00"})


AmountsSchema = StrictSchema.from_dict(
    {key: Pounds(required=True, metadata={"description": rule}) for key, rule in RULE_KEYS.items()},
    name="AmountsSchema")


class PublishRateCardSchema(StrictSchema):
    """A rate card in force for sessions from `effective_from`; it never re-prices a charge already raised."""

    id = Code(required=True)
    effective_from = EnglishDate(required=True)
    amounts = fields.Nested(AmountsSchema, required=True)


class RateCardSchema(Schema):
    """A rate card: pounds per rule, in force for sessions on or after `effective_from`."""

    id = fields.String(required=True, attribute="code")
    effective_from = fields.Date(required=True)
    amounts = fields.Method("amounts_in_pounds", required=True)

    def amounts_in_pounds(self, card: Any) -> dict[str, str]:
        return {key: pounds(pence) for key, pence in card.amounts.items()}


class ChargeSchema(Schema):
    """A charge: its booking, rule, card, notice days (cancellations), amount, the agency that pays, status."""

    id = fields.String(required=True)
    booking = fields.String(required=True)
    session = fields.String(required=True)
    agency = fields.String(required=True)
    rule = fields.String(required=True)
    card = fields.String(required=True)
    notice_days = fields.Integer(required=True, allow_none=True)
    amount = money("amount_pence")
    amount_pence = fields.Integer(required=True)
    raised_at = fields.String(required=True, metadata={"format": "date-time"})
    status = fields.String(required=True, metadata={"enum": ["raised", "disputed", "dispute rejected", "credited"]})
    events = fields.List(Plain(), required=True)


class CreditSchema(Schema):
    """A credit of a whole charge: ChargeWaived, DisputeUpheld or CorrectionCredited."""

    id = fields.String(required=True)
    charge = fields.String(required=True)
    booking = fields.String(required=True)
    agency = fields.String(required=True)
    kind = fields.String(required=True)
    reason = fields.String(required=True)
    amount = money("amount_pence")
    amount_pence = fields.Integer(required=True)
    recorded_at = fields.String(required=True, metadata={"format": "date-time"})


class InvoiceSchema(Schema):
    """An issued invoice: every charge (positive) and credit (negative) line, in pence, and the total."""

    agency = fields.String(required=True)
    month = fields.String(required=True)
    issued_at = fields.String(required=True, metadata={"format": "date-time"})
    lines = fields.List(Plain(), required=True)
    total = money("total_pence")
    total_pence = fields.Integer(required=True)


class ChargesQuerySchema(StrictSchema):
    """Charges of one agency (an agency's credential: its own) or one session."""

    agency = Code()
    session = Text(max_length=64)


class AgencyQuerySchema(StrictSchema):
    """Of one agency (an agency's credential: its own)."""

    agency = Code()


class InvoicesQuerySchema(StrictSchema):
    """Invoices of one agency or one month."""

    agency = Code()
    month = fields.String(validate=validate.Regexp(MONTH, error="must be a month YYYY-MM"),
                          metadata={"pattern": MONTH})


class ReasonSchema(StrictSchema):
    """Why."""

    reason = Text(required=True, max_length=1000)


class WaiverSchema(ReasonSchema):
    """Why the partnership waives the charge, and who approved it."""

    approver = Text(required=True)


class IssueInvoicesSchema(StrictSchema):
    """The month (YYYY-MM, ended) to invoice every agency for."""

    month = fields.String(required=True, validate=validate.Regexp(MONTH, error="must be a month YYYY-MM"),
                          metadata={"pattern": MONTH})


@operation(charges, "GET", "/rate-cards", summary="List rate cards", scopes=RECORDS_READ_SCOPES,
           answer=RateCardSchema, many=True)
def list_rate_cards(actor: Actor) -> Any:
    """The shipped default card, then every card the partnership published, in order."""
    return records().list_rate_cards()


@operation(charges, "GET", "/rate-cards/in-force", summary="The rate card in force on a date",
           scopes=RECORDS_READ_SCOPES, query=OnDateSchema, answer=RateCardSchema)
def rate_card_in_force(actor: Actor, query: dict[str, Any]) -> Any:
    """The card a charge for a session on `on` (default today) would use, as the records stand now."""
    return records().rate_card_in_force(query.get("on") or records().today())


@operation(charges, "POST", "/rate-cards", summary="Publish a rate card", scopes=RECORDS_WRITE_SCOPES,
           body=PublishRateCardSchema, answer=RateCardSchema, status=201, errors=(409,))
def publish_rate_card(actor: Actor, body: dict[str, Any]) -> Any:
    """The partnership publishes a card (pounds per rule) for sessions from `effective_from`."""
    card = records().publish_rate_card(actor, body["id"], body["effective_from"], body["amounts"])
    return Answer(card, 201)


@operation(charges, "GET", "/charges", summary="List charges", scopes=RECORDS_READ_SCOPES,
           query=ChargesQuerySchema, answer=ChargeSchema, many=True, errors=(404,))
def list_charges(actor: Actor, query: dict[str, Any]) -> Any:
    """Charges, oldest first, with what befell each; an agency's credential sees its own only."""
    return records().list_charges(actor, query.get("agency"), query.get("session"))


@operation(charges, "GET", "/charges/<charge>", summary="Read a charge", scopes=RECORDS_READ_SCOPES,
           answer=ChargeSchema, errors=(404,))
def get_charge(actor: Actor, charge: str) -> Any:
    """One charge; another agency's looks absent."""
    return records().get_charge(actor, charge)


@operation(charges, "POST", "/charges/<charge>/waiver", summary="Waive a charge", scopes=RECORDS_WRITE_SCOPES,
           body=WaiverSchema, answer=ChargeSchema, errors=(404, 409))
def waive_charge(actor: Actor, charge: str, body: dict[str, Any]) -> Any:
    """The partnership waives a charge: a credit of the whole, with the reason and the approver."""
    return records().waive_charge(actor, charge, body["reason"], body["approver"])


@operation(charges, "POST", "/charges/<charge>/dispute", summary="Dispute a charge", scopes=RECORDS_WRITE_SCOPES,
           body=ReasonSchema, answer=ChargeSchema, errors=(404, 409))
def dispute_charge(actor: Actor, charge: str, body: dict[str, Any]) -> Any:
    """The agency that pays disputes a raised charge, with a reason (once)."""
    return records().dispute_charge(actor, charge, body["reason"])


@operation(charges, "POST", "/charges/<charge>/dispute/upholding", summary="Uphold a dispute",
           scopes=RECORDS_WRITE_SCOPES, body=ReasonSchema, answer=ChargeSchema, errors=(404, 409))
def uphold_dispute(actor: Actor, charge: str, body: dict[str, Any]) -> Any:
    """The partnership upholds the dispute: a credit naming the charge."""
    return records().uphold_dispute(actor, charge, body["reason"])


@operation(charges, "POST", "/charges/<charge>/dispute/rejection", summary="Reject a dispute",
           scopes=RECORDS_WRITE_SCOPES, body=ReasonSchema, answer=ChargeSchema, errors=(404, 409))
def reject_dispute(actor: Actor, charge: str, body: dict[str, Any]) -> Any:
    """The partnership rejects the dispute with a reason; the charge stands."""
    return records().reject_dispute(actor, charge, body["reason"])


@operation(charges, "GET", "/credits", summary="List credits", scopes=RECORDS_READ_SCOPES,
           query=AgencyQuerySchema, answer=CreditSchema, many=True, errors=(404,))
def list_credits(actor: Actor, query: dict[str, Any]) -> Any:
    """Waivers, upheld disputes and register corrections, oldest first; an agency sees its own only."""
    return records().list_credits(actor, query.get("agency"))


@operation(charges, "GET", "/invoices", summary="List invoices", scopes=RECORDS_READ_SCOPES,
           query=InvoicesQuerySchema, answer=InvoiceSchema, many=True, errors=(404,))
def list_invoices(actor: Actor, query: dict[str, Any]) -> Any:
    """Issued invoices by month and agency; an agency's credential sees its own only."""
    return records().list_invoices(actor, query.get("agency"), query.get("month"))


@operation(charges, "GET", "/invoices/<agency>/<month>", summary="Read an invoice", scopes=RECORDS_READ_SCOPES,
           answer=InvoiceSchema, errors=(404,))
def get_invoice(actor: Actor, agency: str, month: str) -> Any:
    """One agency's invoice for a month (YYYY-MM); another agency's looks absent."""
    return records().get_invoice(actor, agency, month)


@operation(charges, "POST", "/invoices", summary="Issue a month's invoices", scopes=RECORDS_WRITE_SCOPES,
           body=IssueInvoicesSchema, answer=InvoiceSchema, many=True, errors=(409,))
def issue_invoices(actor: Actor, body: dict[str, Any]) -> Any:
    """Invoice every agency for an ended month; issuing the month again changes nothing and answers the same."""
    return records().issue_invoices(actor, body["month"])
