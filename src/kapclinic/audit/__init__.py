"""Append-only, hash-chained audit of every read and write of health data."""
