from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("berichten/", views.inbox_view, name="inbox"),
    path("berichten/zoeken/", views.search_view, name="search"),
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
]
