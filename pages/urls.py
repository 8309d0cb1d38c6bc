from django.urls import path

from pages import day_views, views

app_name = "pages"

urlpatterns = [
    path("weergave/", views.display_view, name="display"),
    path("mijn/", views.resident_home_view, name="resident_home"),
    path("werk/vandaag/", day_views.today_view, name="today"),
    path("mijn/vertrouwenspersonen/", views.trusted_persons_view, name="trusted_persons"),
    path("mijn/vertrouwenspersonen/nieuw/", views.trusted_person_invite_view, name="trusted_person_invite"),
    path(
        "mijn/vertrouwenspersonen/<uuid:public_id>/intrekken/",
        views.trusted_person_revoke_view,
        name="trusted_person_revoke",
    ),
    path("beveiliging/", views.security_view, name="security"),
    path("mijn/naam-in-groepen/", views.preferred_name_view, name="preferred_name"),
]
