"""The system's own API under /api/v1 (read models and, later, the training records)."""
