"""Every URL of kapclinic. Each app declares who may use each of its views (accounts.policy)."""

from allauth.urls import urlpatterns as allauth_urls
from django.urls import include, path

from kapclinic.accounts.policy import ACCOUNT_PAGES, declare_all
from kapclinic.patients.urls import urlpatterns as patient_pages
from kapclinic.web.chart import chart_urlpatterns

urlpatterns = [
    path("", include("kapclinic.web.urls")),
    # The chart gathers several apps, so its view is in web/; its name stays patients:chart.
    path("patients/", include((patient_pages + chart_urlpatterns, "patients"))),
    path("staff/", include("kapclinic.accounts.urls")),
    path("audit/", include("kapclinic.audit_review.urls")),
    path("", include("kapclinic.referrals.urls")),
    path("", include("kapclinic.screening.urls")),
    path("", include("kapclinic.care.urls")),
    path("", include("kapclinic.scheduling.urls")),
    path("register/", include("kapclinic.register.urls")),
    path("", include("kapclinic.dosing.urls")),
    path("outcomes/", include("kapclinic.outcomes.urls")),
    path("", include("kapclinic.recordings.urls")),
    path("", include("kapclinic.billing.urls")),
    path("", include("kapclinic.groups.urls")),
    path("", include("kapclinic.sharedcare.urls")),
    path("", include("kapclinic.portal.urls")),
    path("fhir/R4/", include("kapclinic.fhir.urls")),
    # Sign-in, sign-out, password reset and MFA enrolment: allauth checks sign-in itself.
    path("accounts/", include(declare_all(allauth_urls, ACCOUNT_PAGES))),
]
