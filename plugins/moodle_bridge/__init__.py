"""Turns Moodle's xAPI statements into training-domain commands (a later issue)."""
