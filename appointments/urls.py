from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("werk/beschikbaarheid/", views.availability_view, name="availability"),
    path(
        "werk/beschikbaarheid/<uuid:public_id>/verwijderen/",
        views.availability_remove_view,
        name="availability_remove",
    ),
    path("werk/afwezigheid/<uuid:public_id>/verwijderen/", views.exception_remove_view, name="exception_remove"),
    path("beheer/sluitingsdagen/", views.closing_days_view, name="closing_days"),
    path(
        "beheer/sluitingsdagen/<uuid:public_id>/verwijderen/",
        views.closing_day_remove_view,
        name="closing_day_remove",
    ),
]
