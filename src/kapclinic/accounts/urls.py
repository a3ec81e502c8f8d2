from kapclinic.accounts import views
from kapclinic.accounts.policy import allow, route
from kapclinic.accounts.roles import Role

app_name = "accounts"
ADMINS = allow(Role.CLINIC_ADMIN)

urlpatterns = [
    route("", views.staff_list, name="staff", policy=ADMINS),
    route("new/", views.staff_create, name="staff_create", policy=ADMINS),
    route("<int:user_id>/credentials/", views.staff_credentials, name="credentials", policy=ADMINS),
    route("credentials/expiring/", views.expiring_credentials, name="expiring", policy=ADMINS),
    route(
        "<int:user_id>/deactivate/", views.staff_deactivate, name="staff_deactivate", policy=ADMINS
    ),
]
