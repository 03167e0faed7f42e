"""The HTTP API and command line: the only Flask code, and the composition root."""
