"""The patient record, its care team, and who may see it."""
