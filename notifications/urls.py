from django.urls import path

from notifications import pwa, views

app_name = "notifications"

urlpatterns = [
    path("meldingen/", views.settings_view, name="settings"),
    path("meldingen/push/aan/", views.push_subscribe_view, name="push_subscribe"),
    path("meldingen/push/uit/", views.push_unsubscribe_view, name="push_unsubscribe"),
    path("meldingen/apparaten/<uuid:public_id>/verwijderen/", views.device_remove_view, name="device_remove"),
    # The installable app: at the root, so the service worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest_view, name="manifest"),
    path("sw.js", pwa.service_worker_view, name="service_worker"),
    path("offline/", pwa.offline_view, name="offline"),
]
