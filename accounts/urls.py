from django.urls import path, re_path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("activeren/", views.activate_view, name="activate"),
    path("activeren/account/", views.choose_credentials_view, name="choose_credentials"),
    # The e-mail link is "/uitnodiging/?code=<token>": a query string stays
    # out of the access logs (gunicorn.conf.py). Links sent before carry the
    # token in the path and keep working until they expire.
    re_path(r"^uitnodiging/(?:(?P<token>[^/]+)/)?$", views.accept_invitation_view, name="accept_invitation"),
    path("werk/inwoners/uitnodigen/", views.resident_invite_view, name="resident_invite"),
    path("werk/inwoners/<uuid:public_id>/brief/", views.resident_letter_view, name="resident_letter"),
]
