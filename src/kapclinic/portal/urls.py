from kapclinic.accounts.policy import PUBLIC, route
from kapclinic.portal import views

app_name = "portal"

# Public by design: the secret token in the address is the credential (single use, expiring).
urlpatterns = [
    route("q/<str:token>/", views.link_home, name="link", policy=PUBLIC),
    route(
        "q/<str:token>/<str:instrument>/",
        views.link_questionnaire,
        name="questionnaire",
        policy=PUBLIC,
    ),
]
