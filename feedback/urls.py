from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("mijn/ervaring/<uuid:public_id>/", views.survey_view, name="survey"),
    path("mijn/ervaring/bedankt/", views.thanks_view, name="thanks"),
    path("mijn/ervaring/instellingen/", views.preference_view, name="preference"),
    path("ervaringen/", views.results_view, name="results"),
]
