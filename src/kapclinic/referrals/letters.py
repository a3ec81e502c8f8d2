"""PDF letters to referrers, rendered by WeasyPrint from the same HTML templates as pages."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from kapclinic.referrals.models import Referral


def acknowledgement_pdf(referral: Referral) -> bytes:
    html = render_to_string(
        "referrals/letters/acknowledgement.html",
        {"referral": referral, "today": timezone.localdate(timezone=referral.clinic.tzinfo)},
    )
    return HTML(string=html).write_pdf()
