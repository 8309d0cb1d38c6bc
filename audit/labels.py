"""Readable names for the access log's object types.

The log stores a short code per entry (``trusted_person_grant``,
``casefile``); the privacy officer reads a Dutch name. The names are made at
display time, so the stored (hash-chained) codes never change. The audit app
is core and imports no capability: it holds the names of every type in use
today, and an app that logs a new type registers its name from its
``AppConfig.ready`` with ``register_object_type_label``.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_labels: dict[str, str | Promise] = {
    # Core and tenancy
    "resident": _("Gegevens van de inwoner"),
    "permission": _("Toegang tot een onderdeel"),
    "account": _("Account"),
    "invitation": _("Uitnodiging"),
    "home": _("Startpagina"),
    "access_log": _("Wie keek mee (toegangslog)"),
    "notification_settings": _("Instellingen voor meldingen"),
    "caseload": _("Caseload"),
    "caseload_assignment": _("Koppeling aan sociaal werker"),
    "trusted_person_grant": _("Machtiging vertrouwenspersoon"),
    # Case file
    "case": _("Dossier"),
    "casefile": _("Dossier"),
    "timeline": _("Tijdlijn van het dossier"),
    "supportquestion": _("Hulpvraag"),
    "goal": _("Doel"),
    "goalaction": _("Stap bij een doel"),
    "agreement": _("Afspraak in het dossier"),
    "note": _("Notitie"),
    "document": _("Document"),
    "correctionrequest": _("Correctieverzoek"),
    # Blend plan
    "blend_plan": _("Blendplan"),
    "channel_consent": _("Toestemming voor online contact"),
    # Messaging
    "conversation": _("Gesprek"),
    "message": _("Bericht"),
    "consultation_visit": _("Bezoek aan het chatspreekuur"),
    # Appointments
    "appointment": _("Afspraak"),
    "appointment_request": _("Verzoek om een afspraak"),
    "calendar_feed": _("Agendakoppeling"),
    "group_session": _("Groepsbijeenkomst"),
    "group_session_signup": _("Aanmelding voor een groepsbijeenkomst"),
}

# A code may carry a suffix for a part of the object: "note.visibility".
_suffix_labels: dict[str, str | Promise] = {
    "visibility": _("zichtbaarheid"),
    "comment": _("reactie van de inwoner"),
}


def register_object_type_label(code: str, label: str | Promise) -> None:
    """Give an object type a readable name (call from ``AppConfig.ready``)."""
    _labels[code] = label


def object_type_label(code: str) -> str:
    """The readable name of ``code``; an unknown code is shown as it is,
    so the officer never sees an empty cell."""
    if code in _labels:
        return str(_labels[code])
    base, _dot, suffix = code.partition(".")
    if base in _labels and suffix in _suffix_labels:
        return f"{_labels[base]} ({_suffix_labels[suffix]})"
    return code


def known_object_types() -> frozenset[str]:
    return frozenset(_labels)
