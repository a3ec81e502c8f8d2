from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import CLINICAL_ROLES, Role
from kapclinic.sharedcare import views

app_name = "sharedcare"
CLINICAL = allow(CLINICAL_ROLES)
PHYSICIANS = allow(Role.PHYSICIAN)
REFERRER = allow(Role.REFERRER)
LETTERS = "patients/<int:patient_id>/letters/"
LETTER = f"{LETTERS}<int:letter_id>/"

urlpatterns = [
    route(LETTERS, views.letters, name="letters", policy=CLINICAL),
    route(LETTER, views.letter, name="letter", policy=CLINICAL),
    route(f"{LETTER}pdf/", views.letter_pdf, name="pdf", policy=CLINICAL),
    route(f"{LETTER}release/", views.release, name="release", policy=PHYSICIANS),
    route(f"{LETTER}correct/", views.correct, name="correct", policy=PHYSICIANS),
    route(
        "patients/<int:patient_id>/discharge/",
        views.discharge,
        name="discharge",
        policy=PHYSICIANS,
    ),
    route("refer/letters/", views.referrer_letters, name="referrer_letters", policy=REFERRER),
    route(
        "refer/letters/<int:letter_id>/pdf/",
        views.referrer_letter_pdf,
        name="referrer_pdf",
        policy=REFERRER,
    ),
]
