"""Generated hostile input for every form: never a server error.

Every ``forms.Form`` of the project (and the allauth forms we override) has
a row in ``CASES``: the page that takes it, the persona allowed to use it,
and how the view builds it. ``test_every_form_is_covered`` finds the form
classes by themselves and fails when a new one has no row.

The fields are read from the form itself, and Hypothesis fills them with
text with control characters, very long strings, unicode oddities,
extreme and malformed numbers, dates and times, missing fields and
repeated fields. Two tests per form:

- ``test_form_survives_generated_input``: the form bound exactly as its
  view binds it, validated and rendered again with its errors. Cheap, so
  this carries the bulk of the inputs (``FORM_EXAMPLES`` per form).
- ``test_view_survives_generated_input``: the same kind of input posted to
  the real view with Django's test client as the persona. No 500 (the
  client does not re-raise, the status is checked), and when the form
  calls the input invalid nothing in the database changed (row counts of
  every table of our apps, the access log and sessions aside). A request
  through the whole stack costs 40 to 90 ms on the 2-core CI machine, so
  fewer inputs go this way (``VIEW_EXAMPLES`` per form).

Reproducible: ``derandomize=True`` and no example database (no
``.hypothesis`` folder). ``HYPOTHESIS_FORMS_SCALE=10`` runs ten times as
many inputs for a deeper look.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from allauth.core.context import request_context
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import Personas, build_personas, client_for
from learning.selectors import social_workers as learning_social_workers
from tests.test_authorization_matrix import casefile_objects

# Hypothesis keeps a cache of constants it found in the code even without
# an example database; outside the repository, please.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "samenspraak-hypothesis"))

SCALE = int(os.environ.get("HYPOTHESIS_FORMS_SCALE", "1"))
FORM_EXAMPLES = 110 * SCALE
# Through the views: more inputs where dates and times are (most 500s
# found so far were there), fewer for forms of text and choices.
VIEW_EXAMPLES = 8 * SCALE
VIEW_EXAMPLES_WITH_DATES = 30 * SCALE
PROJECT_APPS = (
    "accounts",
    "organisations",
    "casefiles",
    "blend",
    "messaging",
    "appointments",
    "pages",
    "audit",
    "outcomes",
    "preparation",
    "learning",
    "benchmark",
    "diary",
    "feedback",
    "privacy",
    "consents",
)
# Tables a refused form may still write to: the access log (reading a page
# is logged), sessions, and the cache table that holds rate limits.
UNCOUNTED_APPS = {"audit", "sessions"}

MISSING = object()

# --- Values -------------------------------------------------------------------------

ODD_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "e\u0301",
    "😀👨‍👩‍👧",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "\r\n",
    "\t",
    "null",
    "None",
    "[]",
    "{}",
    "\\",
    "ﬁ",
    "İ",
    "ß",
    "\U0001d518\U0001d52b\U0001d526",  # Fraktur letters
]
ODD_NUMBERS = ["1e309", "NaN", "inf", "-inf", "-0", "0x10", "١٢", "  7  ", "1.5", "-1", "0", "9" * 400, "1_000", "+5"]
ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2101-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "10000-01-01",
    "-0001-01-01",
    "2026-1-1",
    "31-12-2026",
    "31/12/2026",
    "2026-03-29",
    "2026-10-25",
    "20260314",
    "2026-W10-1",
]
ODD_TIMES = ["24:00", "23:59:60", "02:30", "02:30:00.000001", "25:61", "00:00", "23:59", "12:00+01:00", "7", "-1:00"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(ODD_STRINGS),
    st.builds(
        lambda char, size: char * size,
        st.sampled_from(["x", "é", "\u202e", "😀", "\x00", "<", "9"]),
        st.sampled_from([121, 256, 2001, 10_001, 100_001]),
    ),
)
numbers = st.one_of(st.integers(-(10**30), 10**30).map(str), st.sampled_from(ODD_NUMBERS), texts)
# The ends of Python's calendar: a moment in UTC or a day added overflows.
EXTREME_DATES = ["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30"]
dates = st.one_of(st.sampled_from(EXTREME_DATES), st.dates().map(date.isoformat), st.sampled_from(ODD_DATES), texts)
times = st.one_of(
    st.times().map(lambda t: t.isoformat(timespec="minutes")),
    st.times().map(time.isoformat),
    st.sampled_from(ODD_TIMES),
    texts,
)
booleans = st.sampled_from(["on", "", "true", "false", "0", "1", "off", "\x00"])
uploads = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["brief.pdf", "foto.png", "a.exe", "../../x.pdf", "\u202etxt.pdf", "x" * 300 + ".pdf", ".pdf"]),
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b""]),
    ),
)


def _choice_values(form_field: forms.Field) -> list[str]:
    if isinstance(form_field, forms.ModelChoiceField):
        key = form_field.to_field_name or "pk"
        queryset = form_field.queryset
        return [str(value) for value in queryset.values_list(key, flat=True)[:5]] if queryset is not None else [""]
    values: list[str] = []
    for value, label in getattr(form_field, "choices", []):
        if isinstance(label, list | tuple):
            values.extend(str(inner) for inner, _ in label)
        else:
            values.append(str(value))
    return [v for v in values if v] or [""]


def value_strategy(form_field: forms.Field) -> st.SearchStrategy[Any]:
    """Values for one field: plausible ones (so a form sometimes passes and
    the view goes on to its service) and hostile ones."""
    if isinstance(form_field, forms.FileField):
        return uploads
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return st.one_of(st.sampled_from(_choice_values(form_field)), st.uuids().map(str), numbers, texts)
    if isinstance(form_field, forms.BooleanField):
        return booleans
    if isinstance(form_field, forms.DateTimeField):
        return st.one_of(st.builds(lambda d, t: f"{d}T{t}", dates, times), texts)
    if isinstance(form_field, forms.DateField):
        return dates
    if isinstance(form_field, forms.TimeField):
        return times
    if isinstance(form_field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return numbers
    if isinstance(form_field, forms.EmailField):
        return st.one_of(st.emails(), texts, st.just("a@" + "b" * 300 + ".nl"))
    if isinstance(form_field, forms.URLField):
        return st.one_of(
            st.sampled_from(
                ["https://meet.example.org", "javascript:alert(1)", "http://[::1", "https://" + "a" * 3000]
            ),
            texts,
        )
    return texts


def field_strategy(form_field: forms.Field) -> st.SearchStrategy[Any]:
    value = value_strategy(form_field)
    return st.one_of(st.just(MISSING), value, value, st.lists(value, min_size=2, max_size=3))


LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëï "
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def plausible_strategy(form_field: forms.Field) -> st.SearchStrategy[Any]:
    """A value a careful person would type, so that whole submissions get
    past the form and the view goes on to its service."""
    today = timezone.localdate()
    if isinstance(form_field, forms.FileField):
        return st.builds(lambda: SimpleUploadedFile("brief.pdf", PDF))
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return st.sampled_from(_choice_values(form_field))
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(form_field, forms.DateField):
        return st.integers(-30, 400).map(lambda days: (today + timedelta(days=days)).isoformat())
    if isinstance(form_field, forms.TimeField):
        return st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(8, 20), st.sampled_from([0, 15, 30, 45]))
    if isinstance(form_field, forms.IntegerField):
        low = form_field.min_value if isinstance(form_field.min_value, int) else 0
        high = form_field.max_value if isinstance(form_field.max_value, int) else low + 1000
        return st.integers(low, high).map(str)
    if isinstance(form_field, forms.EmailField):
        return st.integers(1, 10**6).map(lambda n: f"persoon{n}@example.org")
    if isinstance(form_field, forms.URLField):
        return st.just("https://meet.example.org")
    if isinstance(form_field, forms.RegexField):
        return st.from_regex(form_field.regex, fullmatch=True)
    patterns = [v.regex for v in form_field.validators if isinstance(v, RegexValidator)]
    if patterns:
        return st.from_regex(patterns[0], fullmatch=True)
    longest = min(getattr(form_field, "max_length", None) or 40, 40)
    shortest = max(getattr(form_field, "min_length", None) or 1, 1)
    if isinstance(form_field.widget, forms.PasswordInput):
        return st.just("een lange zin als wachtwoord 42")
    return st.text(alphabet=LETTERS, min_size=shortest, max_size=max(shortest, longest)).filter(str.strip)


@dataclass
class Submission:
    data: dict[str, list[str]]
    files: dict[str, list[SimpleUploadedFile]]

    def query_dict(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for name, values in self.data.items():
            query.setlist(name, values)
        return query

    def client_data(self) -> dict[str, Any]:
        payload: dict[str, Any] = dict(self.data)
        for name, uploaded in self.files.items():
            for upload in uploaded:
                upload.seek(0)
            payload[name] = uploaded
        return payload

    def file_dict(self) -> MultiValueDict[str, Any]:
        for uploaded in self.files.values():
            for upload in uploaded:
                upload.seek(0)
        return MultiValueDict(self.files)


def submissions(form: forms.BaseForm, extra: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Submission]:
    """Half the submissions mix hostile values in every field; the other
    half are plausible in every field but one (or none), so the input also
    reaches the services behind a valid form."""
    hostile = {form.add_prefix(name): field_strategy(f) for name, f in form.fields.items()}
    hostile.update(
        {name: st.one_of(st.just(MISSING), s, st.lists(s, min_size=2, max_size=2)) for name, s in extra.items()}
    )
    plausible = {form.add_prefix(name): plausible_strategy(f) for name, f in form.fields.items()}
    plausible.update(extra)

    def one_off(values: dict[str, Any], name: str, odd: Any) -> dict[str, Any]:
        return {**values, name: odd} if name else values

    # Dates and times break in more ways than text: they are the odd one
    # out three times as often, mostly with a value of their own kind.
    odd_one = {
        form.add_prefix(name): st.one_of(value_strategy(f), value_strategy(f), hostile[form.add_prefix(name)])
        for name, f in form.fields.items()
    }
    odd_one.update({name: hostile[name] for name in extra})
    chronological = [
        form.add_prefix(name) for name, f in form.fields.items() if isinstance(f, forms.DateField | forms.TimeField)
    ] + [name for name in extra if name == "tijd"]
    candidates = ["", *sorted(odd_one), *(chronological * 2)]
    mostly_plausible = st.fixed_dictionaries(plausible).flatmap(
        lambda values: st.sampled_from(candidates).flatmap(
            lambda name: (odd_one[name] if name else st.none()).map(lambda odd: one_off(values, name, odd))
        )
    )

    def build(values: dict[str, Any]) -> Submission:
        data: dict[str, list[str]] = {}
        files: dict[str, list[SimpleUploadedFile]] = {}
        for name, value in values.items():
            if value is MISSING:
                continue
            items = value if isinstance(value, list) else [value]
            if items and isinstance(items[0], SimpleUploadedFile):
                files[name] = items
            else:
                data[name] = [str(item) for item in items]
        return Submission(data, files)

    return st.one_of(st.fixed_dictionaries(hostile), mostly_plausible).map(build)


# --- The world every case points at ---------------------------------------------


@dataclass
class World:
    personas: Personas
    objects: dict[str, Any]
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def user(self, role: str) -> Any:
        return getattr(self.personas, role, None)


def _anonymous_session(**values: Any) -> str:
    store = SessionStore()
    for key, value in values.items():
        store[key] = value
    store.create()
    assert store.session_key is not None
    return store.session_key


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back
    at the end; each test and each example runs in its own savepoint."""
    from accounts.services import invitation_renew, resident_invite
    from accounts.views import INVITATION_SESSION_KEY

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            personas = build_personas()
            objects = casefile_objects(personas)
            objects["far_appointment"] = _far_appointment(personas)
            objects["signed_zrm"] = _signed_zrm(personas)
            objects["questionnaire_draft"] = _questionnaire_draft(personas)
            objects["preparation"] = _a_preparation(personas)
            objects.update(_learning_objects(personas))
            objects.update(_diary_privacy_feedback_objects(personas))
            world = World(personas=personas, objects=objects)
            for role in ("resident", "worker", "admin", "privacy_officer", "platform_admin"):
                client = client_for(getattr(personas, role))
                world.sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            new_resident = resident_invite(
                first_name="Nieuw",
                last_name="Inwoner",
                email="",
                phone="",
                channel="letter",
                invited_by=personas.worker,
            )
            world.sessions["invited"] = _anonymous_session(**{INVITATION_SESSION_KEY: new_resident.invitation.pk})
            recovery = invitation_renew(
                user=personas.other_resident, renewed_by=personas.other_worker, channel="letter"
            )
            world.sessions["recovering"] = _anonymous_session(**{INVITATION_SESSION_KEY: recovery.invitation.pk})
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _zrm_version(organisation_id: int) -> Any:
    from outcomes.selectors import instrument_version_get, instrument_versions_current

    versions = instrument_versions_current(organisation_id=organisation_id)
    chosen = next(v for v in versions if v.instrument.code == "zrm-2017")
    return instrument_version_get(organisation_id=organisation_id, public_id=chosen.public_id)


def _signed_zrm(personas: Personas) -> Any:
    from outcomes.services import ScoreInput, measurement_record, measurement_sign_off

    version = _zrm_version(personas.organisation.pk)
    measurement = measurement_record(
        resident=personas.resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate(),
        scored_by=personas.worker,
        scores={item.pk: ScoreInput(3) for item in version.items.all()},
    )
    return measurement_sign_off(measurement=measurement, signed_off_by=personas.worker)


def _questionnaire_draft(personas: Personas) -> Any:
    """A draft of the organisation's own questionnaire, one question in it."""
    from outcomes.services import ItemInput, questionnaire_create, questionnaire_item_save

    instrument = questionnaire_create(
        organisation_id=personas.organisation.pk,
        name="Tevredenheid",
        filled_by="both",
        validity_days=None,
        description="",
        created_by=personas.admin,
    )
    version = instrument.versions.get()
    questionnaire_item_save(
        version=version, data=ItemInput("Hoe gaat het?", "text", "", (), 100), saved_by=personas.admin
    )
    return version


def _learning_objects(personas: Personas) -> dict[str, Any]:
    """A published module and a module with a draft (for the step editor)."""
    from learning.services import StepData, module_create, module_publish, step_add

    published = module_create(organisation=personas.organisation, created_by=personas.admin, title="Hoe stem ik?")
    version = published.versions.get()
    step_add(version=version, added_by=personas.admin, data=StepData("text", "Stempas", "Neem hem mee."))
    module_publish(version=version, published_by=personas.admin)
    published.refresh_from_db()
    draft = module_create(organisation=personas.organisation, created_by=personas.admin, title="Concept")
    return {"learning_module": published, "learning_draft": draft, **_training_objects(personas)}


def _training_objects(personas: Personas) -> dict[str, Any]:
    """A published training hosted by the worker and a session not yet on its schedule."""
    from datetime import timedelta

    from appointments.services import group_session_plan
    from learning.trainings import training_publish, training_save

    training = training_save(
        organisation=personas.organisation,
        saved_by=personas.admin,
        title="Assertiviteit",
        description="",
        host=personas.worker,
        capacity=10,
    )
    training_publish(training=training, by=personas.admin)
    session = group_session_plan(
        host=personas.worker,
        title="Bijeenkomst",
        description="",
        kind="face_to_face",
        location=personas.demo.location,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=60,
        capacity=10,
    )
    return {"learning_training": training, "learning_session": session}


def _a_preparation(personas: Personas) -> Any:
    from preparation.demo import demo_guide_install
    from preparation.services import preparation_start

    guide = demo_guide_install(admin=personas.admin)
    return preparation_start(guide=guide, resident=personas.resident, started_by=personas.worker)


def _diary_privacy_feedback_objects(personas: Personas) -> dict[str, Any]:
    """The URL arguments the matrix builds for these pages: a diary shared
    with the coach, a feedback offer, a privacy request, a breach with the
    resident affected and a legal hold."""
    from tests.test_authorization_matrix import (
        _a_breach,
        _a_feedback_offer,
        _a_legal_hold,
        _a_privacy_request,
        _a_shared_diary,
    )

    return {
        "shared_diary": _a_shared_diary(personas),
        "feedback_offer": _a_feedback_offer(personas),
        "privacy_request": _a_privacy_request(personas),
        "breach": _a_breach(personas),
        "legal_hold": _a_legal_hold(personas),
    }


def _far_appointment(personas: Personas) -> Any:
    from appointments.tests.factories import confirmed_appointment

    return confirmed_appointment(
        resident=personas.resident, worker=personas.worker, kind="phone", starts_at=timezone.now() + timedelta(days=9)
    )


# --- One row per form --------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """``url`` and ``bind`` build the page address and the form's keyword
    arguments as the view does; ``fixed`` and ``query_fields`` are
    non-form fields the view reads (``formulier`` says which form of a
    page, ``tijd`` a slot)."""

    url: Callable[[World], str]
    role: str
    bind: Callable[[World], dict[str, Any]] = lambda w: {}
    method: str = "post"
    prefix: str | None = None
    query_fields: Callable[[World], dict[str, st.SearchStrategy[Any]]] = lambda w: {}
    fixed: dict[str, str] = field(default_factory=dict)
    cookies: Callable[[World], dict[str, str]] = lambda w: {}


def obj(name: str, **more: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"public_id": w.objects[name].public_id, **more}


def url(name: str, kwargs: Callable[[World], dict[str, Any]] = lambda w: {}) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs=kwargs(w))


def resident_id(w: World) -> dict[str, Any]:
    return {"public_id": w.personas.resident.public_id}


def locations(w: World) -> Any:
    from organisations.models import Location

    return Location.objects.filter(organisation=w.personas.organisation, is_active=True)


def kind_choices(w: World) -> list[tuple[str, str]]:
    from appointments import selectors
    from appointments.booking_views import _kind_choices

    return _kind_choices(selectors.kinds_offered_to(resident=w.personas.resident))


def teams(w: World) -> Any:
    from organisations.models import Team

    return Team.objects.filter(organisation=w.personas.organisation)


def casework_staff(w: World) -> Any:
    from organisations import selectors

    return selectors.casework_staff(organisation_id=w.personas.organisation.pk)


def residents(w: World) -> Any:
    from accounts.models import Role, User

    return User.objects.filter(organisation=w.personas.organisation, role=Role.RESIDENT)


def active_goals(w: World) -> dict[str, Any]:
    from casefiles.models import Goal

    return {"goals": list(Goal.objects.filter(case=w.objects["case"], status=Goal.Status.ACTIVE))}


def access_log_people(w: World) -> dict[str, Any]:
    from accounts.models import Role, User

    people = User.objects.filter(organisation=w.personas.organisation)
    return {"residents": people.filter(role=Role.RESIDENT), "users": people.exclude(role=Role.RESIDENT)}


def handover(w: World) -> dict[str, Any]:
    from accounts.models import User

    current = User.objects.filter(caseload_assignments__resident=w.personas.resident)
    return {"candidates": casework_staff(w), "current": current}


def slot_fields(w: World) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "soort": st.sampled_from(["phone", "video", "face_to_face", "", "x"]),
        "medewerker": st.sampled_from([str(w.personas.worker.public_id), str(uuid.uuid4()), ""]),
        "tijd": st.one_of(
            st.builds(lambda d, t, second: f"{d}T{t}{second}", dates, times, st.sampled_from(["", "~2", "~3"])), texts
        ),
    }


def case_choice(w: World) -> dict[str, Any]:
    return {"case": w.objects["case"]}


def totp_user(role: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"user": w.user(role)}


def _casefiles() -> dict[str, Case]:
    return {
        "casefiles.forms.CaseStatusForm": Case(url("casefiles:case_status", obj("case")), "worker"),
        "casefiles.forms.QuestionForm": Case(url("casefiles:question_add", obj("case")), "worker"),
        "casefiles.forms.GoalForm": Case(url("casefiles:goal_add", obj("case")), "worker", bind=case_choice),
        "casefiles.forms.GoalStatusForm": Case(url("casefiles:goal_status", obj("goal")), "worker"),
        "casefiles.forms.QuestionStatusForm": Case(url("casefiles:question_status", obj("question")), "worker"),
        "casefiles.forms.GoalActionForm": Case(url("casefiles:goal_action_add", obj("goal")), "worker"),
        "casefiles.forms.AgreementForm": Case(url("casefiles:agreement_add", obj("case")), "worker"),
        "casefiles.forms.NoteForm": Case(url("casefiles:note_add", obj("case")), "worker"),
        "casefiles.forms.DocumentForm": Case(url("casefiles:document_add", obj("case")), "worker"),
        "casefiles.forms.TrustedPersonRegisterForm": Case(
            url("casefiles:trusted_person_register", obj("case")), "worker"
        ),
        "casefiles.forms.ResidentDocumentForm": Case(url("casefiles:resident_document_add"), "resident"),
        "casefiles.forms.CommentForm": Case(
            url("casefiles:resident_comment", obj("shared_note", kind="note")), "resident"
        ),
        "casefiles.forms.CorrectionRequestForm": Case(
            url("casefiles:correction_request", obj("shared_note", kind="note")), "resident"
        ),
        "casefiles.forms.CorrectionAnswerForm": Case(url("casefiles:correction_answer", obj("correction")), "worker"),
        "casefiles.forms.HandoverForm": Case(url("casefiles:handover", obj("case")), "worker", bind=handover),
    }


def _appointments() -> dict[str, Case]:
    return {
        "appointments.forms.AvailabilityForm": Case(
            url("appointments:availability"),
            "worker",
            bind=lambda w: {"locations": locations(w)},
            prefix="tijd",
            fixed={"formulier": "tijd"},
        ),
        "appointments.forms.ExceptionForm": Case(
            url("appointments:availability"), "worker", prefix="afwezig", fixed={"formulier": "afwezig"}
        ),
        "appointments.forms.BookingRulesForm": Case(
            url("appointments:availability"), "worker", prefix="regels", fixed={"formulier": "regels"}
        ),
        "appointments.forms.ClosingDayForm": Case(url("appointments:closing_days"), "admin"),
        "appointments.forms.ProposeForm": Case(
            url("appointments:propose", resident_id),
            "worker",
            bind=lambda w: {"kinds": kind_choices(w), "locations": locations(w)},
        ),
        "appointments.forms.MoveForm": Case(
            url("appointments:move", obj("far_appointment")), "worker", bind=lambda w: {"locations": locations(w)}
        ),
        "appointments.forms.CancelForm": Case(url("appointments:cancel", obj("far_appointment")), "resident"),
        "appointments.forms.BookTopicForm": Case(
            url("appointments:book_confirm"), "resident", query_fields=slot_fields
        ),
        "appointments.forms.RequestForm": Case(
            url("appointments:request"),
            "resident",
            bind=lambda w: {
                "workers": [(str(w.personas.worker.public_id), "Sanne")],
                "kinds": kind_choices(w),
            },
        ),
        "appointments.session_forms.GroupSessionForm": Case(
            url("appointments:session_create"),
            "worker",
            bind=lambda w: {"locations": locations(w), "has_video_server": False},
        ),
        "appointments.session_forms.GroupSessionChangeForm": Case(
            url("appointments:session_change", obj("session")),
            "worker",
            bind=lambda w: {"locations": locations(w), "has_video_server": True},
        ),
        "appointments.session_forms.GroupSessionCancelForm": Case(
            url("appointments:session_cancel", obj("session")), "worker"
        ),
    }


def _messaging() -> dict[str, Case]:
    return {
        "messaging.forms.MessageForm": Case(url("messaging:send", obj("conversation")), "resident"),
        "messaging.forms.MessageEditForm": Case(url("messaging:message_edit", obj("message")), "worker"),
        "messaging.forms.SearchForm": Case(url("messaging:search"), "resident", method="get"),
        "messaging.forms.GroupForm": Case(
            url("messaging:group_create"), "worker", bind=lambda w: {"residents": residents(w)}
        ),
        "messaging.forms.AddMemberForm": Case(
            url("messaging:group_members", obj("group")), "worker", bind=lambda w: {"residents": residents(w)}
        ),
        "messaging.consultation_views.VisitStartForm": Case(
            lambda w: reverse("messaging:visit_start", kwargs={"code": w.personas.organisation.consultation_code}),
            "anonymous",
        ),
        "messaging.consultation_views.FollowUpForm": Case(url("messaging:follow_up", obj("visit")), "worker"),
        "messaging.consultation_views.HourForm": Case(
            url("messaging:hours"), "admin", bind=lambda w: {"workers": casework_staff(w)}
        ),
    }


def _organisations_and_pages() -> dict[str, Case]:
    return {
        "organisations.forms.OrganisationForm": Case(url("organisations:settings"), "admin"),
        "organisations.forms.AppointmentSettingsForm": Case(
            url("organisations:settings"), "admin", fixed={"formulier": "afspraken"}
        ),
        "organisations.forms.TeamForm": Case(url("organisations:teams"), "admin"),
        "organisations.forms.LocationForm": Case(url("organisations:location_new"), "admin"),
        "organisations.forms.AccountForm": Case(
            url("organisations:user_detail", resident_id),
            "admin",
            bind=lambda w: {"teams": teams(w), "is_staff_account": False},
        ),
        "organisations.forms.AssignWorkerForm": Case(
            url("organisations:user_assign_worker", resident_id),
            "admin",
            bind=lambda w: {"workers": casework_staff(w)},
        ),
        "organisations.forms.TrustedPersonInviteForm": Case(url("pages:trusted_person_invite"), "resident"),
        "organisations.forms.OrganisationCreateForm": Case(url("organisations:organisation_create"), "platform_admin"),
        "organisations.forms.CaseloadFilterForm": Case(url("organisations:caseload"), "worker", method="get"),
        "pages.forms.DisplayForm": Case(url("pages:display"), "resident"),
        "pages.forms.PreferredNameForm": Case(url("pages:preferred_name"), "resident"),
        "audit.forms.AccessLogSearchForm": Case(
            url("audit:access_log"), "privacy_officer", method="get", bind=access_log_people
        ),
        "blend.forms.BlendPlanForm": Case(url("blend:staff_blend", resident_id), "worker", bind=active_goals),
        "blend.forms.ConsentForm": Case(url("blend:resident_consent"), "resident"),
    }


def _accounts() -> dict[str, Case]:
    return {
        "accounts.forms.ResidentInviteForm": Case(url("accounts:resident_invite"), "worker"),
        "organisations.forms.StaffInviteForm": Case(
            url("organisations:user_invite"), "admin", bind=lambda w: {"teams": teams(w)}
        ),
        "accounts.forms.ActivationCodeForm": Case(url("accounts:activate"), "anonymous"),
        "accounts.forms.PasswordResetForm": Case(url("account_reset_password"), "anonymous"),
        # Step 2 of activation: an anonymous visitor whose session holds an
        # invitation (a new resident; a resident with a recovery letter).
        "accounts.forms.ChooseCredentialsForm": Case(url("accounts:choose_credentials"), "invited"),
        "accounts.forms.NewPasswordForm": Case(url("accounts:choose_credentials"), "recovering"),
        # Staff confirm who they are with a code from their app.
        "accounts.totp.TotpReauthenticateForm": Case(url("mfa_reauthenticate"), "worker", bind=totp_user("worker")),
    }


def _outcomes() -> dict[str, Case]:
    def zrm_add(w: World) -> dict[str, Any]:
        return {
            "public_id": w.personas.resident.public_id,
            "version_id": _zrm_version(w.personas.organisation.pk).public_id,
        }

    return {
        "outcomes.forms.MeasurementForm": Case(
            url("outcomes:staff_measurement_add", zrm_add),
            "worker",
            bind=lambda w: {"version": _zrm_version(w.personas.organisation.pk), "for_resident": False},
        ),
        "outcomes.forms.ShareForm": Case(url("outcomes:staff_share", obj("signed_zrm")), "worker"),
        "outcomes.forms.IndicatorImportForm": Case(
            url("outcomes:indicator_import"),
            "admin",
            bind=lambda w: {"versions": [_zrm_version(w.personas.organisation.pk)]},
        ),
        "outcomes.forms.QuestionnaireForm": Case(url("outcomes:instrument_list"), "admin"),
        "outcomes.forms.ItemForm": Case(
            url("outcomes:version_edit", lambda w: {"version_id": w.objects["questionnaire_draft"].public_id}), "admin"
        ),
    }


def _preparation() -> dict[str, Case]:
    def item(w: World) -> dict[str, Any]:
        preparation = w.objects["preparation"]
        return {"public_id": preparation.public_id, "item_id": preparation.guide.items.all()[0].public_id}

    def guide(w: World) -> dict[str, Any]:
        return {"public_id": w.objects["preparation"].guide.public_id}

    def published(w: World) -> dict[str, Any]:
        from preparation.selectors import guides_published

        return {"guides": guides_published(organisation_id=w.personas.organisation.pk)}

    return {
        "preparation.forms.ItemForm": Case(url("preparation:item_save", item), "resident"),
        "preparation.forms.GiveForm": Case(url("preparation:staff_resident", resident_id), "worker", bind=published),
        "preparation.forms.NewGuideForm": Case(url("preparation:admin_guides"), "admin"),
        "preparation.forms.GuideForm": Case(url("preparation:admin_guide", guide), "admin"),
        # One row of the editor's formset (without the guide's own fields,
        # so the page refuses and nothing may change).
        "preparation.forms.GuideItemForm": Case(
            url("preparation:admin_guide", guide),
            "admin",
            prefix="items-0",
            fixed={"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0"},
        ),
    }


def _learning() -> dict[str, Case]:
    return {
        "learning.forms.SearchForm": Case(url("learning:library"), "resident", method="get"),
        "learning.forms.ModuleForm": Case(url("learning:module_new"), "admin"),
        "learning.forms.StepForm": Case(
            url("learning:step_add", obj("learning_draft")),
            "admin",
            bind=lambda w: {"kind": "question"},
            fixed={"soort": "question"},
        ),
        "learning.forms.LibraryItemForm": Case(
            url("learning:article_new"), "admin", bind=lambda w: {"residents": [w.personas.resident]}
        ),
        "learning.forms.AuthorForm": Case(
            url("learning:authors"),
            "admin",
            bind=lambda w: {"workers": learning_social_workers(organisation_id=w.personas.organisation.pk)},
        ),
        "learning.forms.AssignForm": Case(
            url("learning:staff_resident", resident_id),
            "worker",
            bind=lambda w: {"modules": [w.objects["learning_module"]]},
        ),
        "learning.training_forms.TrainingForm": Case(
            url("learning:training_new"), "admin", bind=lambda w: {"hosts": [w.personas.worker]}
        ),
        "learning.training_forms.SessionAttachForm": Case(
            url("learning:training_session_attach", obj("learning_training")),
            "admin",
            bind=lambda w: {"sessions": [w.objects["learning_session"]]},
        ),
        "learning.training_forms.ModulesForm": Case(
            url("learning:training_modules", obj("learning_training")),
            "admin",
            bind=lambda w: {"modules": [w.objects["learning_module"]]},
        ),
        "learning.training_forms.TrainingChoiceForm": Case(
            url("learning:staff_training_sign_up", resident_id),
            "worker",
            bind=lambda w: {"trainings": [w.objects["learning_training"]]},
        ),
        "learning.training_forms.ParticipantAddForm": Case(
            url("learning:training_participant_add", obj("learning_training")),
            "worker",
            bind=lambda w: {"residents": [w.personas.resident]},
        ),
    }


def _diary_and_feedback() -> dict[str, Case]:
    def kwargs(name: str) -> Callable[[World], dict[str, Any]]:
        return lambda w: w.objects[name]

    return {
        "diary.forms.EntryForm": Case(url("diary:entry_add"), "resident"),
        "diary.forms.ReminderForm": Case(url("diary:reminder"), "resident"),
        "diary.forms.CommentForm": Case(url("diary:staff_comment", kwargs("shared_diary")), "worker"),
        "diary.forms.DiaryRuleForm": Case(url("diary:rule"), "admin"),
        # One form, three buttons; "keuze" says which (skip and stop need no form).
        "feedback.forms.SurveyForm": Case(
            url("feedback:survey", kwargs("feedback_offer")), "resident", fixed={"keuze": "answer"}
        ),
        "feedback.forms.PreferenceForm": Case(url("feedback:preference"), "resident"),
    }


def _privacy() -> dict[str, Case]:
    def kwargs(name: str) -> Callable[[World], dict[str, Any]]:
        return lambda w: w.objects[name]

    def own_residents(w: World) -> Any:
        from privacy.access import residents_for_officer

        return residents_for_officer(w.personas.privacy_officer)

    def people(w: World) -> dict[str, Any]:
        from accounts.models import User

        return {"people": User.objects.filter(organisation=w.personas.organisation)}

    def periods(w: World) -> dict[str, Any]:
        from privacy.retention import retention_periods

        return {"periods": retention_periods(organisation_id=w.personas.organisation.pk)}

    def case_choices(w: World) -> dict[str, Any]:
        from privacy.retention_views import _case_choices

        return {"cases": _case_choices(w.personas.resident)}

    def hold_resident(w: World) -> dict[str, st.SearchStrategy[Any]]:
        return {"inwoner": st.sampled_from([str(w.personas.resident.public_id), str(uuid.uuid4()), ""])}

    breach = kwargs("breach")
    request = kwargs("privacy_request")
    officer = "privacy_officer"
    return {
        "privacy.forms.RequestFilterForm": Case(url("privacy:requests"), officer, method="get"),
        "privacy.forms.RequestForm": Case(
            url("privacy:request_new"), officer, bind=lambda w: {"residents": own_residents(w)}
        ),
        "privacy.forms.ExtendForm": Case(url("privacy:request_extend", request), officer),
        "privacy.forms.StatusForm": Case(url("privacy:request_status", request), officer),
        "privacy.forms.BreachForm": Case(url("privacy:breach_new"), officer),
        # The breach page's search of the access log (GET, bound once "actor" is sent).
        "privacy.forms.AccessLogSearchForm": Case(
            url("privacy:breach_detail", breach), officer, method="get", bind=people
        ),
        "privacy.forms.AuthorityForm": Case(url("privacy:breach_authority", breach), officer),
        "privacy.forms.AffectedAddForm": Case(
            url("privacy:breach_affected_add", breach), officer, bind=lambda w: {"residents": own_residents(w)}
        ),
        "privacy.forms.ActionForm": Case(url("privacy:breach_action", breach), officer),
        "privacy.forms.MessageForm": Case(url("privacy:breach_message", breach), officer),
        "privacy.forms.ResidentRequestForm": Case(url("privacy:mine"), "resident"),
        "privacy.forms.RetentionSettingsForm": Case(url("privacy:retention"), officer, bind=periods),
        # A legal hold in two steps: the resident (GET), then what and why
        # (POST, with the chosen resident in "inwoner").
        "privacy.forms.HoldResidentForm": Case(
            url("privacy:holds"), officer, method="get", bind=lambda w: {"residents": own_residents(w)}
        ),
        "privacy.forms.HoldForm": Case(url("privacy:holds"), officer, bind=case_choices, query_fields=hold_resident),
        "privacy.forms.HoldLiftForm": Case(url("privacy:hold_lift", kwargs("legal_hold")), officer),
    }


CASES: dict[str, Case] = {
    **_casefiles(),
    **_appointments(),
    **_messaging(),
    **_organisations_and_pages(),
    **_accounts(),
    **_outcomes(),
    **_preparation(),
    **_learning(),
    **_diary_and_feedback(),
    **_privacy(),
    # The organisation's choice to be named in the benchmark.
    "benchmark.forms.NamingForm": Case(url("benchmark:naming"), "admin"),
}

# Forms whose page needs a state a test client cannot reach with a cookie
# alone; they are bound directly (the same generated input), not posted.
DIRECT_ONLY: dict[str, Case] = {
    # Only during sign-in, after the password step (allauth's login stage).
    "accounts.totp.TotpAuthenticateForm": Case(url("mfa_authenticate"), "worker", bind=totp_user("worker")),
    # Only right after re-authentication, for someone without an app yet.
    "accounts.totp.TotpActivateForm": Case(url("mfa_activate_totp"), "resident", bind=totp_user("resident")),
}


# --- Discovery -------------------------------------------------------------------


def _project_form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every form class defined in our apps: the URLconf imports every view
    (and so every form), the ``*_FORMS`` settings name the allauth forms we
    override, and every ``forms`` / ``*_forms`` module is imported too."""
    get_resolver().url_patterns  # noqa: B018 - importing the views is the point
    for setting in ("MFA_FORMS", "ACCOUNT_FORMS"):
        for dotted in getattr(django_settings, setting, {}).values():
            importlib.import_module(dotted.rsplit(".", 1)[0])
    for app in PROJECT_APPS:
        path = Path(apps.get_app_config(app).path)
        for module in pkgutil.iter_modules([str(path)]):
            if module.name == "forms" or module.name.endswith("_forms"):
                importlib.import_module(f"{app}.{module.name}")
    found: dict[str, type[forms.BaseForm]] = {}
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and not cls.__name__.startswith("_"):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def test_every_form_is_covered() -> None:
    found = _project_form_classes()
    missing = sorted(set(found) - set(CASES) - set(DIRECT_ONLY))
    stale = sorted((set(CASES) | set(DIRECT_ONLY)) - set(found))
    assert not missing, f"Forms without a row in CASES (generated input never reaches them): {missing}"
    assert not stale, f"Rows for forms that no longer exist: {stale}"
    assert len(found) >= 55


def _form_class(dotted: str) -> type[forms.BaseForm]:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _unbound(dotted: str, case: Case, w: World) -> forms.BaseForm:
    return _form_class(dotted)(prefix=case.prefix, **case.bind(w))


def _strategy(dotted: str, case: Case, w: World) -> st.SearchStrategy[Submission]:
    fixed = {name: [value] for name, value in case.fixed.items()}
    with _as_request_of(case, w):
        unbound = _unbound(dotted, case, w)
    return submissions(unbound, case.query_fields(w)).map(lambda s: Submission({**s.data, **fixed}, s.files))


def _bound(dotted: str, case: Case, w: World, submission: Submission) -> forms.BaseForm:
    form_class = _form_class(dotted)
    kwargs = {"prefix": case.prefix, **case.bind(w)}
    if case.method == "get":
        return form_class(submission.query_dict(), **kwargs)
    return form_class(submission.query_dict(), submission.file_dict(), **kwargs)


@contextmanager
def _as_request_of(case: Case, w: World) -> Iterator[None]:
    """allauth's forms read the current request (rate limits per user)."""
    request = RequestFactory().post("/")
    request.user = w.user(case.role) or AnonymousUser()
    request.session = SessionStore(session_key=w.sessions.get(case.role))
    with request_context(request):
        yield


HYPOTHESIS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.mark.parametrize("dotted", sorted(CASES | DIRECT_ONLY))
def test_form_survives_generated_input(dotted: str, world: World, db: None) -> None:
    case = (CASES | DIRECT_ONLY)[dotted]

    @settings(HYPOTHESIS, max_examples=FORM_EXAMPLES)
    @given(submission=_strategy(dotted, case, world))
    def check(submission: Submission) -> None:
        with transaction.atomic(), _as_request_of(case, world):
            form = _bound(dotted, case, world, submission)
            if not form.is_valid():
                assert form.errors
            str(form)  # rendering the form with its errors and odd values
            transaction.set_rollback(True)

    check()


def _fingerprint() -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label in UNCOUNTED_APPS or label not in PROJECT_APPS:
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


def _view_examples(dotted: str, case: Case, w: World) -> int:
    with _as_request_of(case, w):
        fields = _unbound(dotted, case, w).fields.values()
    has_dates = any(isinstance(f, forms.DateField | forms.TimeField) for f in fields)
    return VIEW_EXAMPLES_WITH_DATES if has_dates or case.query_fields(w) else VIEW_EXAMPLES


@pytest.mark.parametrize("dotted", sorted(CASES))
def test_view_survives_generated_input(dotted: str, world: World, db: None) -> None:
    case = CASES[dotted]
    address = case.url(world)

    @settings(HYPOTHESIS, max_examples=_view_examples(dotted, case, world))
    @given(submission=_strategy(dotted, case, world))
    def check(submission: Submission) -> None:
        cache.clear()
        with transaction.atomic():
            with _as_request_of(case, world):
                is_valid = _bound(dotted, case, world, submission).is_valid()
            before = None if is_valid else _fingerprint()
            client = world.client(case.role)
            if case.method == "get":
                response = client.get(address, submission.data)
            else:
                response = client.post(address, submission.client_data())
            if os.environ.get("HYPOTHESIS_FORMS_DISCOVER"):
                print(f"\n{dotted} valid={is_valid} -> {response.status_code}")
            assert response.status_code < 500, (
                f"{case.method.upper()} {address} answered {response.status_code}: {getattr(response, 'exc_info', '')}"
            )
            assert response.status_code not in (401, 403), f"{case.role} may use {address}"
            assert not (response.status_code == 302 and "/accounts/login/" in response["Location"]), address
            if before is not None:
                assert _fingerprint() == before, f"invalid input changed the database: {submission.data}"
            transaction.set_rollback(True)

    check()
