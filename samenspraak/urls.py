from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views
from pages import views as page_views

urlpatterns = [
    path("", page_views.home_view, name="home"),
    path("health/", page_views.health_view, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Before allauth's own pattern: staff may not remove their last passkey.
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        account_views.remove_passkey_view,
        name="mfa_remove_webauthn",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("organisations.urls")),
    path("", include("audit.urls")),
    path("", include("casefiles.urls")),
    path("", include("blend.urls")),
    path("", include("messaging.urls")),
    path("", include("appointments.urls")),
    path("", include("diary.urls")),
    path("", include("outcomes.urls")),
    path("", include("exports.urls")),
    path("", include("privacy.urls")),
    path("", include("learning.urls")),
    path("", include("preparation.urls")),
    path("", include("benchmark.urls")),
    path("", include("feedback.urls")),
    path("", include("pages.urls")),
]

handler400 = "pages.errors.bad_request"
handler403 = "pages.errors.permission_denied"
handler404 = "pages.errors.page_not_found"
handler500 = "pages.errors.server_error"
