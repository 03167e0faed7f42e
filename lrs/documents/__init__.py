"""The xAPI document resources (Communication 2.2, 2.3, 2.6, 2.7): State, Activity Profile and Agent Profile.

Every write and every deletion of a document is an event of that document's
aggregate in the LRS's event store; an index of the live documents, written in
the same transaction, answers the multiple-document GETs and DELETEs.
"""
