"""Give the timeline's existing rows the params their kind's renderer needs,
where they can be found: titles and outcomes from the objects themselves,
people and channels from the stored summary. A row that stays without them
keeps reading as its stored summary (``casefiles/timeline.py``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TITLE_OBJECTS = {
    "casefiles.question_added": "SupportQuestion",
    "casefiles.goal_added": "Goal",
    "casefiles.goal_achieved": "Goal",
    "casefiles.document_added": "Document",
}
# Channel labels as summaries held them (Dutch, and English for rows written
# in English), longest first so "chat" does not win over a longer label.
CHANNELS = {
    "gesprek op een locatie": "face_to_face",
    "huisbezoek": "home_visit",
    "telefoon": "phone",
    "beeldbellen": "video",
    "online leren (e-learning)": "elearning",
    "dagboek": "diary",
    "groepstraining": "group_training",
    "chat": "chat",
    "meeting at a location": "face_to_face",
    "home visit": "home_visit",
    "phone": "phone",
    "video calling": "video",
    "online learning (e-learning)": "elearning",
    "diary": "diary",
    "group training": "group_training",
}
APPOINTMENT_KINDS = {
    "appointments.booked",
    "appointments.proposed",
    "appointments.confirmed",
    "appointments.moved",
    "appointments.cancelled",
    "appointments.handed_over",
    "appointments.no_show",
}
SESSION_KINDS = {
    "appointments.session_changed",
    "appointments.session_cancelled",
    "appointments.session_signed_up",
    "appointments.session_signed_off",
    "appointments.session_attendance",
}


def _channel(summary: str) -> str | None:
    lowered = summary.lower()
    for label in sorted(CHANNELS, key=len, reverse=True):
        if f" {label}" in lowered:
            return CHANNELS[label]
    return None


def fill(apps: Any, schema_editor: Any) -> None:
    TimelineEvent = apps.get_model("casefiles", "TimelineEvent")
    CorrectionRequest = apps.get_model("casefiles", "CorrectionRequest")
    User = apps.get_model("accounts", "User")
    Appointment = apps.get_model("appointments", "Appointment")
    GroupSession = apps.get_model("appointments", "GroupSession")
    GroupSessionSignup = apps.get_model("appointments", "GroupSessionSignup")

    # Events after which an appointment's stored start no longer says when
    # it was at the time of an earlier event.
    moved_at: dict[Any, Any] = {}
    for object_id, occurred_at in TimelineEvent.objects.filter(kind="appointments.moved").values_list(
        "object_public_id", "occurred_at"
    ):
        moved_at[object_id] = max(occurred_at, moved_at.get(object_id, occurred_at))

    changed = []
    for event in TimelineEvent.objects.filter(params={}).select_related("resident").iterator():
        params: dict[str, Any] = {}
        kind = event.kind
        if kind in TITLE_OBJECTS and event.object_public_id:
            model = apps.get_model("casefiles", TITLE_OBJECTS[kind])
            title = model.objects.filter(public_id=event.object_public_id).values_list("title", flat=True).first()
            if title:
                params = {"title": title}
        elif kind == "casefiles.note_added":
            params = {"shared": not event.summary.startswith(("Interne", "Internal"))}
        elif kind in {"casefiles.note_visibility", "casefiles.document_visibility"}:
            params = {"shared": not event.summary.startswith(("Niet meer", "No longer"))}
        elif kind == "casefiles.correction_answered" and event.object_public_id:
            status = (
                CorrectionRequest.objects.filter(public_id=event.object_public_id)
                .values_list("status", flat=True)
                .first()
            )
            if status:
                params = {"accepted": status == "accepted"}
        elif kind == "casefiles.handover":
            name = event.summary
            for prefix in ("Uw sociaal werker is nu ", "Your social worker is now "):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    candidates = [
                        user.pk
                        for user in User.objects.filter(organisation_id=event.resident.organisation_id).exclude(
                            role__in=["resident", "trusted_person", "visitor"]
                        )
                        if f"{user.first_name} {user.last_name}".strip() == name
                    ]
                    if len(candidates) == 1:
                        params = {"worker_user_id": candidates[0]}
        elif kind in {"blend.consent_given", "blend.consent_withdrawn"}:
            channel = _channel(event.summary)
            if channel:
                params = {"channel": channel}
        elif kind in APPOINTMENT_KINDS and event.object_public_id:
            appointment = Appointment.objects.filter(public_id=event.object_public_id).first()
            later_move = moved_at.get(event.object_public_id)
            if appointment is not None and (later_move is None or later_move <= event.occurred_at):
                params = {"kind": appointment.kind, "starts_at": appointment.starts_at.isoformat()}
                if kind == "appointments.handed_over":
                    params["worker_user_id"] = appointment.worker_id
        elif kind in SESSION_KINDS and event.object_public_id:
            session = GroupSession.objects.filter(public_id=event.object_public_id).first()
            if session is not None and kind != "appointments.session_changed":
                params = {"title": session.title, "starts_at": session.starts_at.isoformat()}
                if kind == "appointments.session_attendance":
                    attended = (
                        GroupSessionSignup.objects.filter(session=session, resident_id=event.resident_id)
                        .values_list("attended", flat=True)
                        .first()
                    )
                    params["attended"] = bool(attended)
        if params:
            event.params = params
            changed.append(event)
    TimelineEvent.objects.bulk_update(changed, ["params"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("casefiles", "0003_timeline_event_params"),
        ("accounts", "0007_fill_user_sort_name"),
        ("appointments", "0003_appointment_no_overlap_on_postgresql"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
