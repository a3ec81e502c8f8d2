"""The patient's side: answering questionnaires from a single-use link, on a phone."""
