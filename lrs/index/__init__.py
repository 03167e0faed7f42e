"""The statement index: `lrs/`'s own read model, written in the transaction that stores the statements."""
