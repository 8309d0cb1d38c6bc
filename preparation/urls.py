from django.urls import path

from preparation import views

app_name = "preparation"

urlpatterns = [
    # Resident
    path("voorbereiden/", views.mine_view, name="mine"),
    path("voorbereiden/starten/<uuid:public_id>/", views.start_view, name="start"),
    path("voorbereiden/<uuid:public_id>/", views.detail_view, name="detail"),
    path("voorbereiden/<uuid:public_id>/onderdelen/<uuid:item_id>/", views.item_save_view, name="item_save"),
    path("voorbereiden/<uuid:public_id>/klaar/", views.ready_view, name="ready"),
    path("voorbereiden/documenten/<uuid:public_id>/verwijderen/", views.document_delete_view, name="document_delete"),
    # Resident and worker
    path("voorbereiden/documenten/<uuid:public_id>/", views.document_download_view, name="document_download"),
    # Worker
    path("werk/voorbereiden/", views.staff_overview_view, name="staff_overview"),
    path("werk/inwoners/<uuid:public_id>/voorbereiden/", views.staff_resident_view, name="staff_resident"),
    path("werk/voorbereiden/<uuid:public_id>/", views.staff_detail_view, name="staff_detail"),
    path("werk/voorbereiden/<uuid:public_id>/naar-dossier/", views.staff_move_view, name="staff_move"),
    # Organisation admin
    path("beheer/voorbereiden/", views.admin_guides_view, name="admin_guides"),
    path("beheer/voorbereiden/<uuid:public_id>/", views.admin_guide_view, name="admin_guide"),
]
