"""Record classes for the retention engine, registered by the capability
that stores them.

The retention engine (``privacy.retention``) decides per organisation how
long each class of records is kept, honours legal holds and writes the
destruction register. It must not import the models of the apps that hold
the records (the case file, messages, the diary, exports, the access log),
so each of them registers a ``RecordClass`` in its ``AppConfig.ready``:

- ``items(organisation_id=, before=, resident_ids=)``: the units of this
  class in the organisation whose reference moment (a case closed, the last
  message, the last diary day, a visit, an export finished) lies before
  ``before`` (``None``: every unit, also those still in use, whose
  ``reference_at`` is then ``None``), optionally only of some residents.
  One query, whatever the number of rows;
- ``destroy(organisation_id=, object_ids=)``: delete (or anonymise) those
  units with bulk statements, never a query per row; files are removed after
  commit. Returns the object ids it destroyed (a unit that changed in the
  meantime, a case opened again, is skipped). ``None`` when the class
  cannot be destroyed yet: the engine then only reports what is due.

A unit is what is destroyed as a whole (a case with everything in it, a
conversation with its messages, a resident's diary, an anonymous visit, an
export). ``object_id`` is its public id; ``resident_id`` whose data it is
(legal holds on a resident apply through it); ``case_ref`` the public id of
the case it belongs to (holds on a case).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True)
class DueItem:
    object_id: str
    resident_id: int | None
    reference_at: datetime | None
    case_ref: str = ""


@dataclass(frozen=True)
class RecordClass:
    """One class of records. Periods are counted in ``unit`` (years or
    days) after the unit's reference moment; ``legal_minimum`` is what the
    law requires (0: no legal minimum, the organisation may choose any
    period of at least one unit); ``youth_care_*`` apply instead for an
    organisation that gives youth care (Jeugdwet)."""

    code: str
    label: Any
    rule: Any  # what the period counts from, for people ("na het afsluiten van het dossier")
    order: int
    unit: Literal["years", "days"]
    default: int
    legal_minimum: int
    legal_basis: Any
    items: Callable[..., list[DueItem]] | None
    destroy: Callable[..., list[str]] | None
    youth_care_default: int | None = None
    youth_care_legal_minimum: int | None = None
    youth_care_legal_basis: Any = None
    # For a class that cannot be destroyed yet: how many rows are past their date.
    pending_count: Callable[..., int] | None = None
    # False: the units are not a resident's own data (the access log): an
    # erasure request keeps them, and the register and the destruction's
    # log entry name no resident (``resident_id`` then only serves holds).
    resident_data: bool = True


_classes: dict[str, RecordClass] = {}


def record_class_register(record_class: RecordClass) -> None:
    """Register (or replace, for a second ``ready``) a record class."""
    _classes[record_class.code] = record_class


def record_classes() -> list[RecordClass]:
    return sorted(_classes.values(), key=lambda record_class: (record_class.order, record_class.code))


def record_class_get(code: str) -> RecordClass | None:
    return _classes.get(code)
