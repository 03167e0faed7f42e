"""A demo partnership for `make run`: generated deterministically through the training records' own commands."""
