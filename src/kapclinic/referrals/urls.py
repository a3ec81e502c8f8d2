from kapclinic.accounts.policy import PUBLIC, allow, route
from kapclinic.accounts.roles import Role
from kapclinic.referrals import views
from kapclinic.referrals.access import INTAKE_ROLES

app_name = "referrals"
REFERRER = allow(Role.REFERRER)
INTAKE = allow(INTAKE_ROLES)
ADMIN = allow(Role.CLINIC_ADMIN)

urlpatterns = [
    # referrer portal
    route("refer/register/", views.referrer_register, name="register", policy=PUBLIC),
    route("refer/register/sent/", views.register_sent, name="register_sent", policy=PUBLIC),
    route(
        "refer/register/<str:uidb64>/<str:token>/",
        views.register_confirm,
        name="register_confirm",
        policy=PUBLIC,
    ),
    route("refer/", views.portal, name="portal", policy=REFERRER),
    route("refer/new/", views.referral_edit, name="new", policy=REFERRER),
    route("refer/<int:referral_id>/", views.referral_sent, name="sent", policy=REFERRER),
    route("refer/<int:referral_id>/edit/", views.referral_edit, name="edit", policy=REFERRER),
    # people referring themselves
    route("start/", views.self_referral, name="self_referral", policy=PUBLIC),
    route("start/booked/", views.self_booked, name="self_booked", policy=PUBLIC),
    # intake
    route(
        "referrals/availability/",
        views.availability,
        name="availability",
        policy=allow(Role.INTAKE),
    ),
    route("referrals/", views.queue, name="queue", policy=INTAKE),
    route("referrals/fax/", views.fax_intake, name="fax", policy=INTAKE),
    route("referrals/<int:referral_id>/", views.referral_detail, name="detail", policy=INTAKE),
    route(
        "referrals/<int:referral_id>/fax.pdf",
        views.fax_document,
        name="fax_document",
        policy=INTAKE,
    ),
    route(
        "referrals/<int:referral_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
        policy=INTAKE,
    ),
    route(
        "referrals/<int:referral_id>/attempts/",
        views.contact_attempt,
        name="attempt",
        policy=INTAKE,
    ),
    route("referrals/<int:referral_id>/status/", views.change_status, name="status", policy=INTAKE),
    route(
        "referrals/<int:referral_id>/reconcile/",
        views.reconcile,
        name="reconcile",
        policy=INTAKE,
    ),
    route("referrals/referrers/", views.referrers, name="referrers", policy=ADMIN),
    route("referrals/referrers/new/", views.referrer_from_fax, name="referrer_new", policy=INTAKE),
    route(
        "referrals/referrers/<int:referrer_id>/verify/",
        views.verify_referrer,
        name="verify",
        policy=ADMIN,
    ),
    route("referrals/sla/", views.sla, name="sla", policy=ADMIN),
]
