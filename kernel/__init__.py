"""What both contexts share, below both: engines and SQL, the clock, per-person keys, the follow loop."""
