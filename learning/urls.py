from django.urls import path

from learning import training_views, views

app_name = "learning"

urlpatterns = [
    # The resident.
    path("leren/", views.home_view, name="home"),
    path("leren/module/<uuid:public_id>/", views.module_view, name="module"),
    path("leren/module/<uuid:public_id>/starten/", views.module_start_view, name="module_start"),
    path("leren/module/<uuid:public_id>/stap/", views.step_save_view, name="step_save"),
    path("leren/module/<uuid:public_id>/delen/", views.share_view, name="share"),
    path("leren/afbeelding/<uuid:public_id>/", views.image_view, name="image"),
    path("leren/video/<uuid:public_id>/", views.video_view, name="video"),
    path("leren/video/<uuid:public_id>/ondertitels.vtt", views.captions_view, name="captions"),
    path("leren/bibliotheek/", views.library_view, name="library"),
    path("leren/bibliotheek/<uuid:public_id>/", views.article_view, name="article"),
    path("leren/trainingen/", training_views.training_list_view, name="training_list"),
    path("leren/training/<uuid:public_id>/", training_views.training_view, name="training"),
    path("leren/training/<uuid:public_id>/aanmelden/", training_views.training_sign_up_view, name="training_sign_up"),
    path("leren/training/<uuid:public_id>/afmelden/", training_views.training_leave_view, name="training_leave"),
    # The worker.
    path("werk/leren/", views.staff_home_view, name="staff_home"),
    path("werk/inwoners/<uuid:public_id>/leren/", views.staff_resident_view, name="staff_resident"),
    path("werk/inwoners/<uuid:public_id>/leren/<uuid:module_id>/", views.staff_progress_view, name="staff_progress"),
    path(
        "werk/inwoners/<uuid:public_id>/leren/training/",
        training_views.staff_training_sign_up_view,
        name="staff_training_sign_up",
    ),
    # Authors.
    path("beheer/leren/", views.author_home_view, name="author_home"),
    path("beheer/leren/makers/", views.authors_view, name="authors"),
    path("beheer/leren/module/nieuw/", views.module_new_view, name="module_new"),
    path("beheer/leren/module/<uuid:public_id>/", views.module_edit_view, name="module_edit"),
    path("beheer/leren/module/<uuid:public_id>/nieuwe-versie/", views.module_draft_view, name="module_draft"),
    path("beheer/leren/module/<uuid:public_id>/publiceren/", views.module_publish_view, name="module_publish"),
    path("beheer/leren/module/<uuid:public_id>/stap/nieuw/", views.step_add_view, name="step_add"),
    path("beheer/leren/stap/<uuid:public_id>/", views.step_edit_view, name="step_edit"),
    path("beheer/leren/stap/<uuid:public_id>/verwijderen/", views.step_delete_view, name="step_delete"),
    path("beheer/leren/bibliotheek/nieuw/", views.article_new_view, name="article_new"),
    path("beheer/leren/bibliotheek/<uuid:public_id>/", views.article_edit_view, name="article_edit"),
    # Trainings: authors of the organisation, and the host (a social worker).
    path("werk/trainingen/", training_views.training_manage_list_view, name="training_manage_list"),
    path("werk/trainingen/nieuw/", training_views.training_new_view, name="training_new"),
    path("werk/trainingen/<uuid:public_id>/", training_views.training_manage_view, name="training_manage"),
    path("werk/trainingen/<uuid:public_id>/wijzigen/", training_views.training_edit_view, name="training_edit"),
    path("werk/trainingen/<uuid:public_id>/publiceren/", training_views.training_publish_view, name="training_publish"),
    path("werk/trainingen/<uuid:public_id>/sluiten/", training_views.training_close_view, name="training_close"),
    path(
        "werk/trainingen/<uuid:public_id>/bijeenkomst/",
        training_views.training_session_attach_view,
        name="training_session_attach",
    ),
    path("werk/trainingen/<uuid:public_id>/modules/", training_views.training_modules_view, name="training_modules"),
    path(
        "werk/trainingen/<uuid:public_id>/deelnemer/",
        training_views.training_participant_add_view,
        name="training_participant_add",
    ),
]
