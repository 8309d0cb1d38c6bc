from django.urls import path

from privacy import views

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
    path("mijn/privacy/", views.mine_view, name="mine"),
]
