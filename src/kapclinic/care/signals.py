"""What care announces to the apps above it, which it may not import (pyproject's layers)."""

from django.dispatch import Signal

# Sent by services.enrol inside its transaction, with by= (the User) and enrolment=:
# outcomes schedules the patient's measurements from it. Receivers that raise roll back
# the enrolment.
enrolled = Signal()
