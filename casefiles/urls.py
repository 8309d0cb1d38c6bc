from django.urls import path

from casefiles import views

app_name = "casefiles"

urlpatterns = [
    # Worker
    path("werk/inwoners/<uuid:public_id>/dossier/", views.staff_casefile_view, name="staff_casefile"),
    path("werk/inwoners/<uuid:public_id>/dossier/openen/", views.case_open_view, name="case_open"),
    path("werk/inwoners/<uuid:public_id>/tijdlijn/", views.timeline_view, name="timeline"),
    path("werk/dossiers/<uuid:public_id>/status/", views.case_status_view, name="case_status"),
    path("werk/dossiers/<uuid:public_id>/hulpvragen/", views.question_add_view, name="question_add"),
    path("werk/dossiers/<uuid:public_id>/doelen/", views.goal_add_view, name="goal_add"),
    path("werk/dossiers/<uuid:public_id>/afspraken/", views.agreement_add_view, name="agreement_add"),
    path("werk/dossiers/<uuid:public_id>/notities/", views.note_add_view, name="note_add"),
    path("werk/dossiers/<uuid:public_id>/documenten/", views.document_add_view, name="document_add"),
    path("werk/dossiers/<uuid:public_id>/overdragen/", views.handover_view, name="handover"),
    path(
        "werk/dossiers/<uuid:public_id>/vertrouwenspersoon/",
        views.trusted_person_register_view,
        name="trusted_person_register",
    ),
    path("werk/hulpvragen/<uuid:public_id>/status/", views.question_status_view, name="question_status"),
    path("werk/doelen/<uuid:public_id>/status/", views.goal_status_view, name="goal_status"),
    path("werk/doelen/<uuid:public_id>/stappen/", views.goal_action_add_view, name="goal_action_add"),
    path("werk/notities/<uuid:public_id>/zichtbaarheid/", views.note_visibility_view, name="note_visibility"),
    path("werk/documenten/<uuid:public_id>/zichtbaarheid/", views.document_visibility_view, name="document_visibility"),
    path("werk/correcties/<uuid:public_id>/", views.correction_answer_view, name="correction_answer"),
    # Both
    path("stappen/<uuid:public_id>/afvinken/", views.goal_action_done_view, name="goal_action_done"),
    path("documenten/<uuid:public_id>/", views.document_download_view, name="document_download"),
    # Resident and trusted person
    path("mijn/dossier/", views.resident_casefile_view, name="resident_casefile"),
    path("mijn/dossier/document-toevoegen/", views.resident_document_add_view, name="resident_document_add"),
    path("mijn/dossier/<str:kind>/<uuid:public_id>/reageren/", views.resident_comment_view, name="resident_comment"),
    path("mijn/dossier/<str:kind>/<uuid:public_id>/liever-in-gesprek/", views.talk_wish_view, name="talk_wish"),
    path(
        "mijn/dossier/<str:kind>/<uuid:public_id>/correctie/",
        views.correction_request_view,
        name="correction_request",
    ),
    path("meekijken/<uuid:public_id>/dossier/", views.trusted_casefile_view, name="trusted_casefile"),
]
