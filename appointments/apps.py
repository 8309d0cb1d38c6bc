from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from appointments import attention, booking, timeline_kinds
        from samenspraak import hooks

        # Coming appointments follow a handover (samenspraak/hooks.py).
        hooks.hook_register(hooks.CASELOAD_CHANGED, booking.appointments_follow_caseload, order=20)
        # How its events read on the resident's timeline (casefiles/timeline.py).
        timeline_kinds.register()
        # What waits for a worker or a resident (samenspraak/attention.py)
        # and per resident on the caseload (organisations/caseload.py).
        attention.register()
