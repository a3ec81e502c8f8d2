"""Screening: questionnaires scored as published, the suicidality safety flag, and its review."""
