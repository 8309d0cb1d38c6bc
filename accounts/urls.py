from django.urls import path, re_path

from accounts import oidc_views, views

app_name = "accounts"

urlpatterns = [
    path("activeren/", views.activate_view, name="activate"),
    path("activeren/account/", views.choose_credentials_view, name="choose_credentials"),
    # The e-mail link is "/uitnodiging/?code=<token>": a query string stays
    # out of the access logs (gunicorn.conf.py). Links sent before carry the
    # token in the path and keep working until they expire.
    re_path(r"^uitnodiging/(?:(?P<token>[^/]+)/)?$", views.accept_invitation_view, name="accept_invitation"),
    # Sign-in through an OpenID Connect provider (DigiD via a broker); the
    # callback's address is registered at the provider (docs/oidc.md).
    path("digid/inloggen/", oidc_views.sign_in_start_view, name="oidc_authenticate"),
    path("digid/terug/", oidc_views.callback_view, name="oidc_callback"),
    path("beveiliging/digid/", oidc_views.link_view, name="oidc_link"),
    path("beveiliging/digid/koppelen/", oidc_views.link_start_view, name="oidc_link_start"),
    path("beveiliging/digid/ontkoppelen/", oidc_views.unlink_view, name="oidc_unlink"),
    path("werk/inwoners/uitnodigen/", views.resident_invite_view, name="resident_invite"),
    path("werk/inwoners/<uuid:public_id>/brief/", views.resident_letter_view, name="resident_letter"),
]
