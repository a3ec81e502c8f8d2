"""Faxing letters, for clinics whose referrers still work by fax.

`FaxGateway` is the interface; `EmailToFaxGateway` sends through an email-to-fax service
(the common kind: mail to `<number>@<gateway domain>` with the PDF attached, and the service
dials). Set `KAPCLINIC_FAX_GATEWAY_DOMAIN` to switch it on; another gateway (an HTTP API)
implements the same Protocol and is named in `KAPCLINIC_FAX_GATEWAY`.
"""

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from kapclinic.errors import DomainError
from kapclinic.sharedcare.errors import SharedCareCode


class FaxError(DomainError):
    code = SharedCareCode.FAX


class FaxGateway(Protocol):
    def send(self, *, number: str, pdf: bytes, filename: str) -> str:
        """Send `pdf` to the fax `number`; return the gateway's reference (for the log)."""
        ...


def fax_digits(number: str) -> str:
    """514-555-0199 -> 5145550199 (North American numbers gain no prefix here)."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) < 10:
        raise FaxError(f"Not a fax number: {number!r}.")
    return digits


class EmailToFaxGateway:
    """Email-to-fax: one message per fax, to <digits>@<domain>, the PDF as its only attachment."""

    def __init__(self, *, domain: str, sender: str) -> None:
        self.domain = domain
        self.sender = sender

    def send(self, *, number: str, pdf: bytes, filename: str) -> str:
        address = f"{fax_digits(number)}@{self.domain}"
        message = EmailMessage(subject="", body="", from_email=self.sender, to=[address])
        message.attach(filename, pdf, "application/pdf")
        message.send()
        return address


def configured_gateway() -> FaxGateway | None:
    """The gateway the settings name, or None when faxing is off."""
    if settings.FAX_GATEWAY:
        gateway: FaxGateway = import_string(settings.FAX_GATEWAY)()
        return gateway
    if settings.FAX_GATEWAY_DOMAIN:
        return EmailToFaxGateway(
            domain=settings.FAX_GATEWAY_DOMAIN,
            sender=settings.FAX_GATEWAY_SENDER or settings.DEFAULT_FROM_EMAIL,
        )
    return None
