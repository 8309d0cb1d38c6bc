from django.urls import path

from diary import views

app_name = "diary"

urlpatterns = [
    path("mijn/dagboek/", views.week_view, name="week"),
    path("mijn/dagboek/nieuw/", views.entry_add_view, name="entry_add"),
    path("mijn/dagboek/<uuid:public_id>/", views.entry_edit_view, name="entry_edit"),
    path("mijn/dagboek/<uuid:public_id>/verwijderen/", views.entry_delete_view, name="entry_delete"),
    path("mijn/dagboek/herinnering/", views.reminder_view, name="reminder"),
    path("mijn/dagboek/dagboek.csv", views.export_csv_view, name="export_csv"),
    path("mijn/dagboek/afdrukken/", views.print_view, name="print"),
    path("werk/inwoners/<uuid:public_id>/dagboek/", views.staff_week_view, name="staff_week"),
    path("werk/inwoners/<uuid:public_id>/dagboek/opmerking/", views.staff_comment_view, name="staff_comment"),
    path("beheer/dagboek/", views.rule_view, name="rule"),
]
