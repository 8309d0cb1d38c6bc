"""The retention engine: records of every class at various ages in two
organisations, a purge years later that destroys only what is past its date
by each organisation's own periods and not under a legal hold, an entry in
the destruction register and the access log for every destroyed unit, a
chain that still verifies; erasure requests carried out through the engine
with the legal reasons for what is kept; a purge whose number of queries
does not grow with the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AccessLogEntry
from audit.services import access_log_verify
from casefiles.models import Case, Note
from casefiles.services import case_open, case_status_set, note_add
from conftest import Personas
from diary.models import DiaryEntry
from diary.services import EntryData, diary_entry_add
from exports.models import DataExport
from messaging.models import ConsultationVisit, Conversation, Message
from messaging.tests.helpers import direct_conversation, say
from privacy.models import DestructionRecord, LegalHold, PrivacyRequest
from privacy.retention import (
    RetentionError,
    erasure_execute,
    legal_hold_lift,
    legal_hold_place,
    retention_periods,
    retention_plan,
    retention_purge,
    retention_settings_set,
)
from privacy.services import RequestData, privacy_request_register
from samenspraak.retention import record_classes

AMSTERDAM = timezone.get_default_timezone()
START = datetime(2026, 1, 15, 10, 0, tzinfo=AMSTERDAM)
PURGE = datetime(2042, 1, 15, 10, 0, tzinfo=AMSTERDAM)  # 16 years later


def years(n: float) -> timedelta:
    return timedelta(days=round(365.25 * n))


def officer_of(organisation_id: int) -> User:
    return User.objects.get(role=Role.PRIVACY_OFFICER, organisation_id=organisation_id)


def closed_case(resident: User, worker: User, *, opened: datetime, closed: datetime, note: str = "") -> Case:
    with time_machine.travel(opened, tick=False):
        case = case_open(resident=resident, opened_by=worker)
        note_add(case=case, body=note or "Gesprek over de schulden", is_shared=True, author=worker)
    with time_machine.travel(closed, tick=False):
        return case_status_set(case=case, status=Case.Status.CLOSED, reason="Doelen bereikt", changed_by=worker)


def chat(resident: User, worker: User, *, at: datetime) -> Conversation:
    with time_machine.travel(at, tick=False):
        conversation = direct_conversation(resident, worker)
        say(conversation, resident, "Hallo, ik heb een vraag")
    return conversation


def diary(resident: User, *, at: datetime) -> DiaryEntry:
    with time_machine.travel(at, tick=False):
        return diary_entry_add(
            resident=resident,
            added_by=resident,
            data=EntryData("Wandelen", timezone.localdate(), None, 30, 2, 4),
        )


def anonymous_visit(organisation_id: int, *, at: datetime) -> ConsultationVisit:
    """A visitor of the consultation hour as ``visit_start`` leaves it (the
    hour itself needs opening times that are beside the point here)."""
    with time_machine.travel(at, tick=False):
        visitor = User.objects.create(
            username=f"visitor-{at:%Y%m%d%H%M}-{organisation_id}",
            first_name="Bezoeker",
            role=Role.VISITOR,
            organisation_id=organisation_id,
            is_active=False,
        )
        conversation = Conversation.objects.create(
            organisation_id=organisation_id, kind=Conversation.Kind.CONSULTATION, created_by=visitor
        )
        return ConsultationVisit.objects.create(
            organisation_id=organisation_id, visitor=visitor, is_anonymous=True, conversation=conversation
        )


def ready_export(resident: User, *, at: datetime) -> DataExport:
    """A finished export as the builder leaves it (the ZIP itself is not the point)."""
    with time_machine.travel(at, tick=False):
        return DataExport.objects.create(
            resident=resident,
            status=DataExport.Status.READY,
            progress=100,
            finished_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=7),
        )


@dataclass
class World:
    destroyed: dict[str, set[str]] = field(default_factory=dict)
    kept: dict[str, set[str]] = field(default_factory=dict)

    def expect(self, code: str, object_id: object, *, gone: bool) -> None:
        (self.destroyed if gone else self.kept).setdefault(code, set()).add(str(object_id))


def build_world(p: Personas) -> World:
    """Organisation A keeps the defaults; organisation B gives youth care
    (case files 20 years) and sets its own periods. ``gone`` says what a
    purge at PURGE must destroy."""
    world = World()
    a_officer = officer_of(p.organisation.pk)
    b_officer = officer_of(p.foreign_organisation.pk)
    with time_machine.travel(START, tick=False):
        retention_settings_set(
            officer=b_officer,
            provides_youth_care=True,
            periods={"case_file": 20, "messages": 20, "diary": 1, "exports": 2, "consultation_chats": 60},
        )

    # Case files: 15 years after closing in A, 20 in B.
    old = closed_case(p.resident, p.worker, opened=START, closed=START + timedelta(days=1))
    world.expect("case_file", old.public_id, gone=True)
    held_case = closed_case(p.resident, p.worker, opened=START + timedelta(days=2), closed=START + timedelta(days=3))
    world.expect("case_file", held_case.public_id, gone=False)
    recent = closed_case(p.other_resident, p.other_worker, opened=START, closed=START + years(10))
    world.expect("case_file", recent.public_id, gone=False)
    on_hold = closed_case(p.team_resident, p.team_worker, opened=START, closed=START + timedelta(days=1))
    world.expect("case_file", on_hold.public_id, gone=False)
    youth = closed_case(p.foreign_resident, p.foreign_worker, opened=START, closed=START + timedelta(days=1))
    world.expect("case_file", youth.public_id, gone=False)  # 16 years: past A's 15, not B's 20

    # Messages: 15 years after the last message in A, 20 in B.
    world.expect("messages", chat(p.resident, p.worker, at=START).public_id, gone=True)
    world.expect("messages", chat(p.other_resident, p.other_worker, at=START + years(10)).public_id, gone=False)
    world.expect("messages", chat(p.team_resident, p.team_worker, at=START).public_id, gone=False)  # hold
    world.expect("messages", chat(p.foreign_resident, p.foreign_worker, at=START).public_id, gone=False)

    # Diary: 2 years after the last day in A, 1 in B.
    diary(p.resident, at=START)
    world.expect("diary", p.resident.public_id, gone=True)
    diary(p.other_resident, at=START)
    diary(p.other_resident, at=PURGE - years(1.5))  # the last day counts
    world.expect("diary", p.other_resident.public_id, gone=False)
    diary(p.team_resident, at=START)
    world.expect("diary", p.team_resident.public_id, gone=False)  # hold
    diary(p.foreign_resident, at=PURGE - years(1.5))
    world.expect("diary", p.foreign_resident.public_id, gone=True)  # B: 1 year

    # Anonymous consultation chats: 30 days in A, 60 in B.
    world.expect(
        "consultation_chats", anonymous_visit(p.organisation.pk, at=PURGE - timedelta(days=40)).public_id, gone=True
    )
    world.expect(
        "consultation_chats", anonymous_visit(p.organisation.pk, at=PURGE - timedelta(days=10)).public_id, gone=False
    )
    world.expect(
        "consultation_chats",
        anonymous_visit(p.foreign_organisation.pk, at=PURGE - timedelta(days=40)).public_id,
        gone=False,
    )

    # Exports: 7 days in A, 2 in B.
    world.expect("exports", ready_export(p.resident, at=PURGE - timedelta(days=8)).public_id, gone=True)
    world.expect("exports", ready_export(p.other_resident, at=PURGE - timedelta(days=4)).public_id, gone=False)
    world.expect("exports", ready_export(p.foreign_resident, at=PURGE - timedelta(days=4)).public_id, gone=True)

    with time_machine.travel(START + timedelta(days=5), tick=False):
        legal_hold_place(officer=a_officer, resident=p.team_resident, reason="Klacht bij de rechter")
        legal_hold_place(
            officer=a_officer, resident=p.resident, reason="Onderzoek inspectie", case_ref=str(held_case.public_id)
        )
    return world


def remaining(code: str, ids: set[str]) -> set[str]:
    """Which of ``ids`` of class ``code`` still exist (an export counts while its file may be there)."""
    found: Any
    if code == "case_file":
        found = Case.objects.filter(public_id__in=ids).values_list("public_id", flat=True)
    elif code == "messages":
        found = Conversation.objects.filter(public_id__in=ids).values_list("public_id", flat=True)
    elif code == "diary":
        found = DiaryEntry.objects.filter(resident__public_id__in=ids).values_list("resident__public_id", flat=True)
    elif code == "consultation_chats":
        found = ConsultationVisit.objects.filter(public_id__in=ids).values_list("public_id", flat=True)
    else:
        found = DataExport.objects.filter(public_id__in=ids, status=DataExport.Status.READY).values_list(
            "public_id", flat=True
        )
    return {str(value) for value in found}


def test_a_purge_years_later_destroys_only_what_is_past_its_date_and_not_on_hold(personas: Personas) -> None:
    world = build_world(personas)
    chain_a = f"org:{personas.organisation.pk}"
    held_entries = set(
        AccessLogEntry.objects.filter(chain_key=chain_a, subject=personas.team_resident).values_list("pk", flat=True)
    )
    assert held_entries
    with time_machine.travel(PURGE, tick=False):
        dry_run = {
            plan.period.code: {item.object_id for item in plan.due}
            for plan in retention_plan(organisation_id=personas.organisation.pk)
        }
        report = retention_purge()

    # The dry run promised exactly what the purge then did in organisation A.
    for code, ids in world.destroyed.items():
        assert remaining(code, ids) == set(), code
    for code, ids in world.kept.items():
        assert remaining(code, ids) == ids, code
    a_destroyed = set(
        DestructionRecord.objects.filter(organisation=personas.organisation).values_list("record_class", "object_id")
    )
    # The access log is cut as one prefix of the chain: one register line
    # naming its last destroyed entry (not one per entry).
    access_log_due = dry_run.pop("access_log")
    assert a_destroyed - {r for r in a_destroyed if r[0] == "access_log"} == {
        (code, object_id) for code, ids in dry_run.items() for object_id in ids
    }
    (cut,) = [object_id for code, object_id in a_destroyed if code == "access_log"]
    assert cut in access_log_due
    through = int(cut.split("#")[1])
    assert not AccessLogEntry.objects.filter(chain_key=chain_a, sequence__lte=through).exists()
    # The cut stopped before the first entry of the resident under a hold.
    first_left = AccessLogEntry.objects.filter(chain_key=chain_a).order_by("sequence").first()
    assert first_left is not None and first_left.sequence == through + 1
    assert first_left.subject_id == personas.team_resident.pk
    assert (
        set(
            AccessLogEntry.objects.filter(chain_key=chain_a, subject=personas.team_resident).values_list(
                "pk", flat=True
            )
        )
        >= held_entries
    )
    # Everything in the case went with it; the notes of a kept case stayed.
    assert not Note.objects.filter(case__public_id__in=world.destroyed["case_file"]).exists()
    assert Note.objects.filter(case__public_id__in=world.kept["case_file"]).count() == 4
    assert not Message.objects.filter(conversation__public_id__in=world.destroyed["messages"]).exists()

    # Every destroyed unit has its register entry and its access-log entry, nothing more.
    records = list(DestructionRecord.objects.all())
    assert {(r.record_class, r.object_id) for r in records if r.record_class != "access_log"} == {
        (code, object_id) for code, ids in world.destroyed.items() for object_id in ids
    }
    assert all(r.resident_ref is None for r in records if r.record_class == "access_log")
    assert report.destroyed_total == len(records)
    assert all(r.trigger == "purge" and r.destroyed_at == PURGE for r in records)
    case_record = next(r for r in records if r.record_class == "case_file")
    assert case_record.rule == "Dossier: 15 jaar na het afsluiten van het dossier"
    assert case_record.resident_ref == personas.resident.public_id
    diary_b = next(
        r for r in records if r.record_class == "diary" and r.organisation_id == personas.foreign_organisation.pk
    )
    assert diary_b.rule == "Dagboek: 1 jaar na de laatste dag in het dagboek"
    logged = AccessLogEntry.objects.filter(object_type="destruction", action="delete")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(r.object_id for r in records)
    assert set(logged.values_list("actor_id", flat=True)) == {None}

    # What the holds kept is reported; the access log of both organisations was cut.
    assert {code: count for code, count in report.held.items() if code != "access_log"} == {
        "case_file": 2,
        "messages": 1,
        "diary": 1,
    }
    assert report.held["access_log"] >= len(held_entries)
    assert report.destroyed["access_log"] == 2
    assert "access_log" not in report.not_supported
    assert access_log_verify() == []


def test_a_lifted_hold_lets_the_next_purge_destroy(personas: Personas) -> None:
    case = closed_case(personas.team_resident, personas.team_worker, opened=START, closed=START + timedelta(days=1))
    officer = officer_of(personas.organisation.pk)
    with time_machine.travel(START + timedelta(days=5), tick=False):
        hold = legal_hold_place(officer=officer, resident=personas.team_resident, reason="Klacht")
    with time_machine.travel(PURGE, tick=False):
        assert retention_purge(codes=["case_file"]).held == {"case_file": 1}
        assert Case.objects.filter(pk=case.pk).exists()
        legal_hold_lift(hold=hold, officer=officer, reason="Klacht afgehandeld")
        assert retention_purge(codes=["case_file"]).destroyed == {"case_file": 1}
    assert not Case.objects.filter(pk=case.pk).exists()
    hold.refresh_from_db()
    assert hold.lift_reason == "Klacht afgehandeld"
    assert AccessLogEntry.objects.filter(object_type="legal_hold", object_id=str(hold.public_id)).count() == 2
    with pytest.raises(RetentionError, match="al opgeheven"):
        legal_hold_lift(hold=hold, officer=officer, reason="Nog eens")


def test_a_period_below_the_legal_minimum_is_refused_and_nothing_is_stored(personas: Personas) -> None:
    officer = officer_of(personas.organisation.pk)
    with pytest.raises(RetentionError, match="niet korter zijn dan de wettelijke termijn van 15 jaar"):
        retention_settings_set(officer=officer, provides_youth_care=False, periods={"case_file": 10})
    with pytest.raises(RetentionError, match=r"Toegangslog mag niet korter.*5 jaar.*NEN 7513"):
        retention_settings_set(officer=officer, provides_youth_care=False, periods={"access_log": 4})
    # Youth care raises the minimum for case files to 20 years.
    with pytest.raises(RetentionError, match="20 jaar"):
        retention_settings_set(officer=officer, provides_youth_care=True, periods={"case_file": 15})
    with pytest.raises(RetentionError, match="minstens 1 dag"):
        retention_settings_set(officer=officer, provides_youth_care=False, periods={"exports": 0})
    periods = {period.code: period.amount for period in retention_periods(organisation_id=personas.organisation.pk)}
    assert periods == {record_class.code: record_class.default for record_class in record_classes()}
    assert {
        "case_file": 15,
        "messages": 15,
        "diary": 2,
        "consultation_chats": 30,
        "exports": 7,
        "access_log": 5,
    }.items() <= periods.items()
    with pytest.raises(RetentionError, match="privacyfunctionaris"):
        retention_settings_set(officer=personas.worker, provides_youth_care=False, periods={"diary": 3})


def test_a_hold_on_a_resident_of_another_organisation_is_refused(personas: Personas) -> None:
    officer = officer_of(personas.organisation.pk)
    with pytest.raises(RetentionError, match="eigen organisatie"):
        legal_hold_place(officer=officer, resident=personas.foreign_resident, reason="Klacht")
    with pytest.raises(RetentionError, match="Schrijf op waarom"):
        legal_hold_place(officer=officer, resident=personas.resident, reason="  ")
    assert not LegalHold.objects.exists()


# --- Erasure requests -------------------------------------------------------------------


def erasure_request(p: Personas) -> PrivacyRequest:
    data = RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.resident)
    return privacy_request_register(officer=p.privacy_officer, data=data)


def test_an_erasure_destroys_what_may_go_and_keeps_the_legally_retained_case_file_with_its_reason(
    personas: Personas,
) -> None:
    p = personas
    now = timezone.now()
    ancient = closed_case(p.resident, p.worker, opened=now - years(17), closed=now - years(16))
    kept = closed_case(p.resident, p.worker, opened=now - years(4), closed=now - years(3))
    conversation = chat(p.resident, p.worker, at=now - timedelta(days=3))
    diary(p.resident, at=now - timedelta(days=2))
    export = ready_export(p.resident, at=now - timedelta(days=1))
    other_conversation = chat(p.other_resident, p.other_worker, at=now - timedelta(days=3))
    request = erasure_request(p)

    done = erasure_execute(request=request, officer=p.privacy_officer)

    assert not Case.objects.filter(pk=ancient.pk).exists()
    assert Case.objects.filter(pk=kept.pk).exists()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not DiaryEntry.objects.filter(resident=p.resident).exists()
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert Conversation.objects.filter(pk=other_conversation.pk).exists()
    records = DestructionRecord.objects.filter(request=done)
    assert {(r.record_class, r.trigger) for r in records} == {
        ("case_file", "erasure"),
        ("messages", "erasure"),
        ("diary", "erasure"),
        ("exports", "erasure"),
    }
    # The reasons are on the request, and in its history.
    until = timezone.localtime(kept.closed_at).date()
    until = date(until.year + 15, until.month, until.day)
    assert done.erasure_executed_at is not None
    assert "Dossier (afgesloten op" in done.erasure_report
    assert f"wettelijke bewaartermijn tot {until:%d-%m-%Y}" in done.erasure_report
    assert "Wmo" in done.erasure_report
    assert "Toegangslog: wordt bewaard (NEN 7513: minstens 5 jaar)" in done.erasure_report
    assert done.status == "in_progress"
    assert done.events.filter(text__contains="Verwijdering uitgevoerd").exists()
    assert (
        AccessLogEntry.objects.filter(object_type="destruction", actor=p.privacy_officer, subject=p.resident).count()
        == 4
    )
    assert access_log_verify() == []


def test_an_erasure_keeps_an_open_case_and_what_a_hold_covers(personas: Personas) -> None:
    p = personas
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        case_open(resident=p.resident, opened_by=p.worker)
    diary(p.resident, at=timezone.now() - timedelta(days=2))
    legal_hold_place(officer=p.privacy_officer, resident=p.resident, reason="Klacht bij de ombudsman")
    done = erasure_execute(request=erasure_request(p), officer=p.privacy_officer)
    assert "Er was niets dat vernietigd mocht worden." in done.erasure_report
    assert "bewaarplicht (Klacht bij de ombudsman)" in done.erasure_report
    assert DiaryEntry.objects.filter(resident=p.resident).exists()
    assert not DestructionRecord.objects.exists()


def test_only_an_open_erasure_request_of_the_officers_organisation_is_executed(personas: Personas) -> None:
    p = personas
    request = erasure_request(p)
    with pytest.raises(RetentionError, match="privacyfunctionaris"):
        erasure_execute(request=request, officer=officer_of(p.foreign_organisation.pk))
    access = privacy_request_register(
        officer=p.privacy_officer,
        data=RequestData(kind="access", received_on=timezone.localdate(), resident=p.resident),
    )
    with pytest.raises(RetentionError, match="Alleen een verzoek tot verwijdering"):
        erasure_execute(request=access, officer=p.privacy_officer)
    request.refresh_from_db()
    assert request.erasure_executed_at is None


# --- Query count ------------------------------------------------------------------------


def _fill(p: Personas, count: int) -> None:
    """``count`` residents of organisation A with an old diary and an old
    closed case each, and ``count`` old anonymous chats."""
    workers = [p.worker]
    for number in range(count):
        resident = User.objects.create(
            username=f"bulk-{count}-{number}",
            first_name="Inwoner",
            last_name=str(number),
            role=Role.RESIDENT,
            organisation=p.organisation,
        )
        closed_case(resident, workers[0], opened=START, closed=START + timedelta(days=1))
        diary(resident, at=START)
        anonymous_visit(p.organisation.pk, at=START + timedelta(minutes=number))


def _purge_queries(organisation_id: int, count: int) -> int:
    with time_machine.travel(PURGE, tick=False), CaptureQueriesContext(connection) as queries:
        # Without the access log: the first purge's own log entries (at the
        # travelled-to time) stop the second cut, which then does less work;
        # its queries are counted in audit/tests/test_truncate.py.
        codes = [record_class.code for record_class in record_classes() if record_class.code != "access_log"]
        report = retention_purge(organisation_ids=[organisation_id], codes=codes)
    assert report.destroyed == {"case_file": count, "diary": count, "consultation_chats": count}
    return len(queries)


def test_the_purge_takes_the_same_number_of_queries_for_2_and_20_of_everything(personas: Personas) -> None:
    _fill(personas, 2)
    small = _purge_queries(personas.organisation.pk, 2)
    _fill(personas, 20)
    large = _purge_queries(personas.organisation.pk, 20)
    assert small == large


# --- The command ------------------------------------------------------------------------


def test_the_command_shows_a_dry_run_then_purges_and_reports_the_access_log(personas: Personas) -> None:
    from io import StringIO

    from django.core.management import call_command

    diary(personas.resident, at=START)
    with time_machine.travel(PURGE, tick=False):
        out = StringIO()
        call_command("purge_retention", "--dry-run", stdout=out)
        assert "  diary: 1 would be destroyed, 0 on hold" in out.getvalue()
        assert "  access_log: " in out.getvalue() and "(not supported yet)" not in out.getvalue()
        assert DiaryEntry.objects.filter(resident=personas.resident).exists()

        out = StringIO()
        call_command("purge_retention", stdout=out)
        assert "  diary: 1 destroyed" in out.getvalue()
        assert "  access_log: 1 destroyed" in out.getvalue()
    assert not DiaryEntry.objects.filter(resident=personas.resident).exists()


def test_the_consultation_purge_command_runs_only_the_anonymous_chats(personas: Personas) -> None:
    from io import StringIO

    from django.core.management import call_command

    visit = anonymous_visit(personas.organisation.pk, at=START)
    diary(personas.resident, at=START)
    with time_machine.travel(PURGE, tick=False):
        call_command("purge_consultation_transcripts", stdout=StringIO())
    assert not ConsultationVisit.objects.filter(pk=visit.pk).exists()
    assert DiaryEntry.objects.filter(resident=personas.resident).exists()
    assert set(DestructionRecord.objects.values_list("record_class", flat=True)) == {"consultation_chats"}
