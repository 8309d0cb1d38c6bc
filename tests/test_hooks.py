"""The hooks through which capabilities follow changes made below them
(``samenspraak/hooks.py``): who listens, in which order, what each handler
does on its own, and that a failing handler undoes the change."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from appointments.booking import appointments_follow_caseload
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import confirmed_appointment
from conftest import Personas
from messaging.models import Membership
from messaging.services import memberships_follow_caseload
from messaging.tests.helpers import direct_conversation
from organisations.models import CaseloadAssignment
from organisations.services import caseload_assign, caseload_unassign
from samenspraak import hooks
from samenspraak.sockets import sockets_follow_account, sockets_follow_caseload, user_sockets_group


def test_each_event_has_its_handlers_in_a_defined_order() -> None:
    names = {event: [handler.name for handler in hooks.hook_handlers(event)] for event in hooks.EVENTS}
    assert names == {
        hooks.CASELOAD_CHANGED: [
            "messaging.services.memberships_follow_caseload",
            "appointments.booking.appointments_follow_caseload",
            "samenspraak.sockets.sockets_follow_caseload",
        ],
        hooks.GRANT_REVOKED: [
            "messaging.services.memberships_follow_grant",
            "samenspraak.sockets.sockets_follow_grant",
        ],
        hooks.ACCOUNT_CHANGED: ["samenspraak.sockets.sockets_follow_account"],
        hooks.RESIDENT_NAME_CHANGED: ["messaging.services.memberships_follow_name"],
        hooks.RESIDENT_INVITED: ["organisations.services.caseload_follow_invitation"],
        hooks.CONSENT_WITHDRAWN: ["messaging.services.sockets_follow_consent"],
    }


def test_an_unknown_event_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        hooks.hook_call("caseload_chanced", resident=None)
    with pytest.raises(ValueError):
        hooks.hook_register("caseload_chanced", print, order=1)


def test_registering_twice_keeps_one_handler() -> None:
    before = hooks.hook_handlers(hooks.ACCOUNT_CHANGED)
    hooks.hook_register(hooks.ACCOUNT_CHANGED, sockets_follow_account, order=90)
    assert hooks.hook_handlers(hooks.ACCOUNT_CHANGED) == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_undoes_the_change(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    caseload_assign(resident=personas.resident, worker=personas.other_worker, assigned_by=personas.admin)

    def broken(**_: Any) -> None:
        raise RuntimeError("a capability could not follow")

    failing = hooks.Handler(event=hooks.CASELOAD_CHANGED, order=50, name="tests.broken", function=broken)
    monkeypatch.setitem(
        hooks._handlers, hooks.CASELOAD_CHANGED, [*hooks.hook_handlers(hooks.CASELOAD_CHANGED), failing]
    )

    with pytest.raises(RuntimeError):
        caseload_unassign(resident=personas.resident, worker=personas.other_worker, unassigned_by=personas.admin)
    assert CaseloadAssignment.objects.filter(resident=personas.resident, worker=personas.other_worker).exists()


@pytest.mark.django_db
def test_messaging_ends_the_memberships_of_workers_who_lost_the_resident(personas: Personas) -> None:
    caseload_assign(resident=personas.resident, worker=personas.other_worker, assigned_by=personas.admin)
    conversation = direct_conversation(personas.resident, personas.worker)
    Membership.objects.create(conversation=conversation, user=personas.other_worker, display_name="Ruben")
    CaseloadAssignment.objects.filter(resident=personas.resident, worker=personas.other_worker).delete()

    memberships_follow_caseload(resident=personas.resident, gained=[], lost=[personas.other_worker], by=personas.admin)

    assert not Membership.objects.active().filter(conversation=conversation, user=personas.other_worker).exists()
    assert Membership.objects.active().filter(conversation=conversation, user=personas.worker).exists()


@pytest.mark.django_db
def test_appointments_move_only_on_a_handover(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)

    appointments_follow_caseload(resident=personas.resident, by=personas.admin, handover=None)
    assert Appointment.objects.get(pk=appointment.pk).worker == personas.worker

    appointments_follow_caseload(
        resident=personas.resident, by=personas.admin, handover=(personas.worker, personas.other_worker)
    )
    moved = Appointment.objects.get(pk=appointment.pk)
    assert (moved.worker, moved.status) == (personas.other_worker, AppointmentStatus.AWAITING_WORKER)


@pytest.mark.django_db(transaction=True)
def test_sockets_of_the_people_who_lost_access_are_told_after_commit(personas: Personas) -> None:
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_sockets_group(personas.other_worker.public_id), channel)

    sockets_follow_caseload(resident=personas.resident, gained=[], lost=[personas.other_worker], by=personas.admin)

    assert async_to_sync(layer.receive)(channel) == {"type": "access.recheck"}
