from django.urls import path

from messaging import consultation_views, views

app_name = "messaging"

urlpatterns = [
    path("berichten/", views.inbox_view, name="inbox"),
    path("naaste/<uuid:public_id>/berichten/", views.trusted_messages_view, name="trusted_messages"),
    path("berichten/zoeken/", views.search_view, name="search"),
    path("berichten/groep/nieuw/", views.group_create_view, name="group_create"),
    path("berichten/<uuid:public_id>/deelnemers/", views.group_members_view, name="group_members"),
    path(
        "berichten/<uuid:public_id>/deelnemers/<uuid:member_id>/weg/",
        views.group_member_remove_view,
        name="group_member_remove",
    ),
    path("berichten/<uuid:public_id>/", views.conversation_view, name="conversation"),
    path("berichten/<uuid:public_id>/sturen/", views.message_send_view, name="send"),
    path("berichten/<uuid:public_id>/sinds/", views.messages_since_view, name="since"),
    path("berichten/bericht/<uuid:public_id>/wijzigen/", views.message_edit_view, name="message_edit"),
    path("berichten/bericht/<uuid:public_id>/verwijderen/", views.message_delete_view, name="message_delete"),
    path("berichten/bericht/<uuid:public_id>/melden/", views.message_report_view, name="message_report"),
    path("berichten/bericht/<uuid:public_id>/verbergen/", views.message_hide_view, name="message_hide"),
    path("berichten/bericht/<uuid:public_id>/bijlage/", views.attachment_view, name="attachment"),
    path("werk/inwoners/<uuid:public_id>/chat/", views.staff_chat_open_view, name="staff_chat_open"),
    path("mijn/chat/", views.resident_chat_view, name="resident_chat"),
    # The chat consultation hour
    path("spreekuur/", consultation_views.index_view, name="consultation_index"),
    path("spreekuur/bezoek/", consultation_views.visit_view, name="visit"),
    path("spreekuur/bezoek/opslaan/", consultation_views.visit_transcript_view, name="visit_transcript"),
    path("spreekuur/bezoek/sturen/", consultation_views.visit_send_view, name="visit_send"),
    path("spreekuur/bezoek/sinds/", consultation_views.visit_since_view, name="visit_since"),
    path("spreekuur/bezoek/toestemming/", consultation_views.visit_consent_view, name="visit_consent"),
    path(
        "spreekuur/bezoek/toestemming/intrekken/",
        consultation_views.visit_consent_withdraw_view,
        name="visit_consent_withdraw",
    ),
    path("spreekuur/bezoek/stoppen/", consultation_views.visit_leave_view, name="visit_leave"),
    path("spreekuur/<slug:code>/", consultation_views.visit_start_view, name="visit_start"),
    path("spreekuur/<slug:code>/verder/", consultation_views.next_steps_view, name="next_steps"),
    path("werk/spreekuur/", consultation_views.queue_view, name="queue"),
    path("werk/spreekuur/<uuid:public_id>/aannemen/", consultation_views.pick_up_view, name="pick_up"),
    path("werk/spreekuur/<uuid:public_id>/afsluiten/", consultation_views.close_visit_view, name="close_visit"),
    path("werk/spreekuur/<uuid:public_id>/uitnodigen/", consultation_views.follow_up_view, name="follow_up"),
    path("beheer/spreekuur/", consultation_views.hours_view, name="hours"),
    path("beheer/spreekuur/<int:pk>/verwijderen/", consultation_views.hour_delete_view, name="hour_delete"),
]
