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
    path("beheer/voortgang/", views.organisation_progress_view, name="organisation_progress"),
    path("beheer/vragenlijsten/", views.instrument_list_view, name="instrument_list"),
    path("beheer/vragenlijsten/<uuid:public_id>/", views.instrument_detail_view, name="instrument_detail"),
    path("beheer/vragenlijsten/<uuid:public_id>/nieuwe-versie/", views.version_new_view, name="version_new"),
    path("beheer/vragenlijsten/versies/<uuid:version_id>/", views.version_edit_view, name="version_edit"),
    path(
        "beheer/vragenlijsten/versies/<uuid:version_id>/publiceren/",
        views.version_publish_view,
        name="version_publish",
    ),
    path(
        "beheer/vragenlijsten/versies/<uuid:version_id>/vragen/<int:order>/",
        views.item_edit_view,
        name="item_edit",
    ),
    path(
        "beheer/vragenlijsten/versies/<uuid:version_id>/vragen/<int:order>/wijzigen/",
        views.item_change_view,
        name="item_change",
    ),
    path("mijn/voortgang/", views.resident_progress_view, name="resident_progress"),
    path("mijn/voortgang/invullen/", views.resident_fill_view, name="resident_fill"),
    path(
        "mijn/voortgang/vragenlijsten/<uuid:version_id>/",
        views.resident_questionnaire_view,
        name="resident_questionnaire",
    ),
]
