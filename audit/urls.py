from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("privacy/toegangslog/", views.access_log_view, name="access_log"),
    path("privacy/toegangslog/export.csv", views.access_log_export_view, name="access_log_export"),
    path("mijn/wie-keek-mee/", views.who_looked_view, name="who_looked"),
]
