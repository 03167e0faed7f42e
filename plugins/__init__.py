"""Plugins that follow stored statements and turn them into domain commands."""
