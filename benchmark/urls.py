from django.urls import path

from benchmark import views

app_name = "benchmark"

urlpatterns = [
    path("benchmark/", views.dashboard_view, name="dashboard"),
    path("benchmark/export.csv", views.export_csv_view, name="export_csv"),
    path("benchmark/export.xlsx", views.export_xlsx_view, name="export_xlsx"),
    path("benchmark/export.json", views.export_json_view, name="export_json"),
    path("beheer/benchmark/", views.naming_view, name="naming"),
]
