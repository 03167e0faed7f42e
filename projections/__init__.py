"""Read models built from the events of `domain` and `lrs`, each with its own tracking."""
