from django.urls import path

from appointments import booking_views, calendar_views, call_views, group_call_views, session_views, views

app_name = "appointments"

urlpatterns = [
    path("werk/beschikbaarheid/", views.availability_view, name="availability"),
    path(
        "werk/beschikbaarheid/<uuid:public_id>/verwijderen/",
        views.availability_remove_view,
        name="availability_remove",
    ),
    path("werk/afwezigheid/<uuid:public_id>/verwijderen/", views.exception_remove_view, name="exception_remove"),
    path("beheer/sluitingsdagen/", views.closing_days_view, name="closing_days"),
    path(
        "beheer/sluitingsdagen/<uuid:public_id>/verwijderen/",
        views.closing_day_remove_view,
        name="closing_day_remove",
    ),
    # Booking, requests and the agenda.
    path("afspraken/", booking_views.my_appointments_view, name="mine"),
    path("afspraken/maken/", booking_views.book_view, name="book"),
    path("afspraken/maken/bevestigen/", booking_views.book_confirm_view, name="book_confirm"),
    path("afspraken/verzoek/", booking_views.request_view, name="request"),
    path(
        "afspraken/verzoek/<uuid:public_id>/intrekken/",
        booking_views.request_withdraw_view,
        name="request_withdraw",
    ),
    path("afspraken/<uuid:public_id>/", booking_views.detail_view, name="detail"),
    path("afspraken/<uuid:public_id>/bevestigen/", booking_views.confirm_view, name="confirm"),
    path("afspraken/<uuid:public_id>/verzetten/", booking_views.move_view, name="move"),
    path("afspraken/<uuid:public_id>/afzeggen/", booking_views.cancel_view, name="cancel"),
    path("afspraken/<uuid:public_id>/niet-verschenen/", booking_views.no_show_view, name="no_show"),
    path("afspraken/<uuid:public_id>/beeldbellen/", call_views.call_view, name="call"),
    path("werk/agenda/", booking_views.agenda_view, name="agenda"),
    path("werk/inwoners/<uuid:public_id>/afspraak/", booking_views.propose_view, name="propose"),
    path("naaste/<uuid:public_id>/afspraken/", booking_views.trusted_appointments_view, name="trusted_appointments"),
    # Calendar: one appointment as a file, the private feed address and the feed.
    path("afspraken/<uuid:public_id>/agenda.ics", calendar_views.appointment_ics_view, name="ics"),
    path("agenda/koppeling/", calendar_views.feed_settings_view, name="feed_settings"),
    path("agenda/feed/<str:token>.ics", calendar_views.feed_view, name="feed"),
    # Group sessions (trainings): residents sign up, workers plan and cancel.
    path("groepsbijeenkomsten/", session_views.sessions_view, name="sessions"),
    path("groepsbijeenkomsten/nieuw/", session_views.session_create_view, name="session_create"),
    path("groepsbijeenkomsten/<uuid:public_id>/", session_views.session_detail_view, name="session_detail"),
    path("groepsbijeenkomsten/<uuid:public_id>/aanmelden/", session_views.session_signup_view, name="session_signup"),
    path("groepsbijeenkomsten/<uuid:public_id>/afmelden/", session_views.session_signoff_view, name="session_signoff"),
    path("groepsbijeenkomsten/<uuid:public_id>/afzeggen/", session_views.session_cancel_view, name="session_cancel"),
    path("groepsbijeenkomsten/<uuid:public_id>/wijzigen/", session_views.session_change_view, name="session_change"),
    path(
        "groepsbijeenkomsten/<uuid:public_id>/beeldbellen/",
        group_call_views.group_call_view,
        name="group_call",
    ),
    path(
        "groepsbijeenkomsten/<uuid:public_id>/aanwezigheid/",
        session_views.session_attendance_view,
        name="session_attendance",
    ),
]
