from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("werk/inwoners/<uuid:public_id>/voortgang/", views.staff_progress_view, name="staff_progress"),
    path(
        "werk/inwoners/<uuid:public_id>/voortgang/meten/<uuid:version_id>/",
        views.staff_measurement_add_view,
        name="staff_measurement_add",
    ),
    path("werk/metingen/<uuid:public_id>/", views.staff_measurement_view, name="staff_measurement"),
    path("werk/metingen/<uuid:public_id>/aftekenen/", views.staff_sign_off_view, name="staff_sign_off"),
    path("werk/metingen/<uuid:public_id>/delen/", views.staff_share_view, name="staff_share"),
    path("werk/voortgang/", views.caseload_progress_view, name="caseload_progress"),
    path("beheer/metingen/indicatoren/", views.indicator_import_view, name="indicator_import"),
    path("mijn/voortgang/", views.resident_progress_view, name="resident_progress"),
    path("mijn/voortgang/invullen/", views.resident_fill_view, name="resident_fill"),
]
