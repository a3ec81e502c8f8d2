from kapclinic.accounts.policy import PUBLIC, SIGNED_IN, route
from kapclinic.web import views

app_name = "web"

urlpatterns = [
    route("", views.home, name="home", policy=SIGNED_IN),
    route("language/", views.switch_language, name="language", policy=PUBLIC),
    route("healthz", views.healthz, name="healthz", policy=PUBLIC),
]
