from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("werk/", views.caseload_view, name="caseload"),
    path("werk/inwoners/<uuid:public_id>/", views.resident_detail_view, name="resident_detail"),
    path("werk/inwoners/<uuid:public_id>/collega/", views.resident_colleague_add_view, name="resident_colleague_add"),
    path(
        "werk/inwoners/<uuid:public_id>/uitnodiging-mailen/",
        views.resident_email_invitation_view,
        name="resident_email_invitation",
    ),
    path("beheer/", views.admin_home_view, name="admin_home"),
    path("beheer/organisatie/", views.organisation_settings_view, name="settings"),
    path("beheer/teams/", views.team_list_view, name="teams"),
    path("beheer/teams/<uuid:public_id>/", views.team_detail_view, name="team_detail"),
    path("beheer/locaties/", views.location_list_view, name="locations"),
    path("beheer/locaties/nieuw/", views.location_edit_view, name="location_new"),
    path("beheer/locaties/<uuid:public_id>/", views.location_edit_view, name="location_edit"),
    path("beheer/gebruikers/", views.user_list_view, name="users"),
    path("beheer/gebruikers/uitnodigen/", views.user_invite_view, name="user_invite"),
    path("beheer/gebruikers/<uuid:public_id>/", views.user_detail_view, name="user_detail"),
    path("beheer/gebruikers/<uuid:public_id>/koppelen/", views.user_assign_worker_view, name="user_assign_worker"),
    path(
        "beheer/gebruikers/<uuid:public_id>/ontkoppelen/<uuid:worker_id>/",
        views.user_unassign_worker_view,
        name="user_unassign_worker",
    ),
    path("platform/", views.platform_home_view, name="platform_home"),
    path("platform/organisaties/nieuw/", views.organisation_create_view, name="organisation_create"),
    path("branding/<uuid:public_id>/logo.png", views.logo_view, name="logo"),
]
