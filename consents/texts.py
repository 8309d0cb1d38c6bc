"""The consent texts: what a person reads when they give consent.

Every form that asks for consent shows the text from here, and the register
stores the version shown with each record, so a record always says which
words the person agreed to. A change of wording gets a new version id (the
month it came into use); old records keep theirs. The key is the consent's
kind (``ConsentRecord.Kind``).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Records made from the history before the register existed.
UNKNOWN_VERSION = "onbekend (van vóór het register)"

CONSENT_TEXTS: dict[str, tuple[str, Promise]] = {
    "blend.chat": (
        "2026-12",
        _(
            "Ik wil chatten met mijn sociaal werker. De berichten worden bewaard in mijn dossier. "
            "Ik kan chat altijd weer uitzetten."
        ),
    ),
    "blend.video": (
        "2026-12",
        _("Ik wil beeldbellen met mijn sociaal werker. Er wordt niets opgenomen. Ik kan dit altijd weer uitzetten."),
    ),
    "blend.elearning": (
        "2026-12",
        _(
            "Ik wil online leren. Mijn sociaal werker mag zien hoe ver ik ben en wat ik deel. "
            "Ik kan dit altijd weer uitzetten."
        ),
    ),
    "blend.diary": (
        "2026-12",
        _(
            "Ik deel mijn dagboek met mijn coach. Mijn coach mag mijn weekoverzicht zien en erop reageren. "
            "Ik kan dit altijd weer uitzetten."
        ),
    ),
    "consultation.transcript": (
        "2026-12",
        _("De sociaal werker mag mij uitnodigen voor Samenspraak en dit gesprek bewaren in mijn dossier."),
    ),
    "trusted_person.access": (
        "2026-12",
        _(
            "Ik laat deze persoon meekijken met wat ik aanvink. Deze persoon ziet alleen dat. "
            "Ik kan dit altijd weer intrekken."
        ),
    ),
}


def consent_text(kind: str) -> str:
    """The current text of ``kind``, as shown in its form."""
    return str(CONSENT_TEXTS[kind][1])


def consent_text_version(kind: str) -> str:
    """The current version id of ``kind``'s text."""
    return CONSENT_TEXTS[kind][0]
