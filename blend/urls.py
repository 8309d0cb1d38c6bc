from django.urls import path

from blend import views

app_name = "blend"

urlpatterns = [
    path("werk/inwoners/<uuid:public_id>/samenwerken/", views.staff_blend_view, name="staff_blend"),
    path("mijn/samenwerken/", views.resident_blend_view, name="resident_blend"),
    path("mijn/samenwerken/toestemming/", views.resident_consent_view, name="resident_consent"),
]
