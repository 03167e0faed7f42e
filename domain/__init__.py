"""The training domain: agencies, workers, course sessions, pathways, rate cards (later issues)."""
