"""Deliveries of a released letter, run by `kapclinic worker`: the email notice (a link to the
portal, never health information) and the fax. Each outcome is a line of the delivery log."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from kapclinic.sharedcare.fax import configured_gateway
from kapclinic.sharedcare.models import DeliveryChannel, DeliveryLog, DeliveryStatus, Letter
from kapclinic.text import render_subject, render_text

logger = logging.getLogger(__name__)


def _log(letter: Letter, channel: str, status: str, address: str, detail: str = "") -> None:
    DeliveryLog.objects.create(
        letter=letter, channel=channel, status=status, address=address, detail=detail[:300]
    )


@task()
def email_letter_notice(letter_id: int) -> str:
    """Tell the referrer a letter waits in their portal: a link, no name, no health fact."""
    letter = Letter.objects.select_related("referrer__user").get(pk=letter_id)
    address = letter.referrer.email
    context = {"portal_url": settings.SITE_URL.rstrip("/") + reverse("sharedcare:referrer_letters")}
    with translation.override(letter.language):
        subject = render_subject("sharedcare/email/notice_subject.txt", context)
        body = render_text("sharedcare/email/notice.txt", context)
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()
    except Exception as error:  # a mail server refusal is logged, not raised
        logger.exception("letter notice not sent")
        _log(letter, DeliveryChannel.EMAIL, DeliveryStatus.FAILED, address, str(error))
        return "failed"
    _log(letter, DeliveryChannel.EMAIL, DeliveryStatus.SENT, address)
    return "sent"


@task()
def fax_letter(letter_id: int) -> str:
    letter = Letter.objects.select_related("referrer").get(pk=letter_id)
    number, gateway = letter.referrer.fax, configured_gateway()
    if gateway is None:
        _log(letter, DeliveryChannel.FAX, DeliveryStatus.FAILED, number, "no fax gateway")
        return "no gateway"
    try:
        reference = gateway.send(number=number, pdf=bytes(letter.pdf), filename=letter.filename)
    except Exception as error:  # the gateway's refusal is logged, not raised
        logger.exception("letter fax not sent")
        _log(letter, DeliveryChannel.FAX, DeliveryStatus.FAILED, number, str(error))
        return "failed"
    _log(letter, DeliveryChannel.FAX, DeliveryStatus.SENT, number, reference)
    return "sent"
