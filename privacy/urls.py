from django.urls import path

from privacy import retention_views, views

app_name = "privacy"

urlpatterns = [
    path("privacy/verzoeken/", views.requests_view, name="requests"),
    path("privacy/verzoeken/nieuw/", views.request_new_view, name="request_new"),
    path("privacy/verzoeken/<uuid:public_id>/", views.request_detail_view, name="request_detail"),
    path("privacy/verzoeken/<uuid:public_id>/verlengen/", views.request_extend_view, name="request_extend"),
    path("privacy/verzoeken/<uuid:public_id>/status/", views.request_status_view, name="request_status"),
    path("privacy/datalekken/", views.breaches_view, name="breaches"),
    path("privacy/datalekken/nieuw/", views.breach_new_view, name="breach_new"),
    path("privacy/datalekken/<uuid:public_id>/", views.breach_detail_view, name="breach_detail"),
    path("privacy/datalekken/<uuid:public_id>/ap/", views.breach_authority_view, name="breach_authority"),
    path(
        "privacy/datalekken/<uuid:public_id>/betrokkenen/", views.breach_affected_add_view, name="breach_affected_add"
    ),
    path("privacy/datalekken/<uuid:public_id>/acties/", views.breach_action_view, name="breach_action"),
    path("privacy/datalekken/<uuid:public_id>/bericht/", views.breach_message_view, name="breach_message"),
    path("privacy/verzoeken/<uuid:public_id>/uitvoeren/", retention_views.request_erase_view, name="request_erase"),
    path("privacy/bewaartermijnen/", retention_views.retention_settings_view, name="retention"),
    path("privacy/bewaartermijnen/proefrun/", retention_views.retention_preview_view, name="retention_preview"),
    path("privacy/bewaarplicht/", retention_views.holds_view, name="holds"),
    path("privacy/bewaarplicht/<uuid:public_id>/opheffen/", retention_views.hold_lift_view, name="hold_lift"),
    path("privacy/vernietigd/", retention_views.destructions_view, name="destructions"),
    path("privacy/vernietigd/csv/", retention_views.destructions_csv_view, name="destructions_csv"),
    path("mijn/privacy/", views.mine_view, name="mine"),
    path("mijn/privacy/toestemming/<uuid:public_id>/intrekken/", views.consent_withdraw_view, name="consent_withdraw"),
    path("privacy/toestemmingen/", views.officer_consents_view, name="officer_consents"),
]
