"""Clinics, their rooms, and the rules of each jurisdiction, as data."""
