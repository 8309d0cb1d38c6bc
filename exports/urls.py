from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("mijn/gegevens/", views.home_view, name="home"),
    path("mijn/gegevens/<uuid:public_id>/voortgang/", views.progress_view, name="progress"),
    path("mijn/gegevens/<uuid:public_id>/download/", views.download_view, name="download"),
]
