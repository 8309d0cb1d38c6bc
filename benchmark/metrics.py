"""The benchmark's figures: what each one counts, how it is published and
in which additive group it stands. One list, read by the computation, the
pages, the exports and ``docs/benchmark.md``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from benchmark.disclosure import Kind


@dataclass(frozen=True)
class Metric:
    code: str
    label: str | Promise
    kind: Kind
    unit: str | Promise = ""
    is_charted: bool = False


METRICS = [
    Metric("residents_supported", _("Inwoners ondersteund"), Kind.COUNT, _("inwoners"), is_charted=True),
    Metric("cases_opened", _("Nieuwe dossiers"), Kind.COUNT, _("dossiers"), is_charted=True),
    Metric("cases_closed", _("Afgesloten dossiers"), Kind.COUNT, _("dossiers")),
    Metric(
        "online_blend_share",
        _("Inwoners met een online manier in de blend"),
        Kind.SHARE,
        "%",
        is_charted=True,
    ),
    Metric(
        "online_use_by_age_group",
        _("Inwoners met een online manier in de blend, per leeftijdsgroep"),
        Kind.SHARE,
        "%",
    ),
    Metric("appointments", _("Afspraken per soort"), Kind.COUNT, _("afspraken"), is_charted=True),
    Metric("messages", _("Berichten met de sociaal werker"), Kind.COUNT, _("berichten"), is_charted=True),
    Metric("consultation_chats", _("Gesprekken in het chatspreekuur"), Kind.COUNT, _("gesprekken")),
    Metric("consultation_wait_p50", _("Wachttijd chatspreekuur, mediaan (p50)"), Kind.MINUTES, _("minuten")),
    Metric("consultation_wait_p90", _("Wachttijd chatspreekuur, p90"), Kind.MINUTES, _("minuten")),
    Metric("no_show_rate", _("Niet verschenen per soort afspraak"), Kind.SHARE, "%"),
    Metric("zrm_change", _("Gemiddelde verandering ZRM per domein"), Kind.AVERAGE, _("punten")),
    Metric("experience_good_share", _("Ervaring per kanaal: contact was goed of heel goed"), Kind.SHARE, "%"),
    Metric("experience_again_share", _("Ervaring per kanaal: zou het weer zo doen"), Kind.SHARE, "%"),
]
METRICS_BY_CODE = {metric.code: metric for metric in METRICS}

# The appointment kinds as the benchmark splits them ("all" is their total).
APPOINTMENT_KINDS = {
    "face_to_face": _("gesprek op een locatie"),
    "home_visit": _("huisbezoek"),
    "phone": _("telefoon"),
    "video": _("beeldbellen"),
    "chat": _("chat"),
    "all": _("alle soorten samen"),
}

# The experience survey's channels (``feedback.models.Channel``).
EXPERIENCE_CHANNELS = {
    "face_to_face": _("gesprek op een locatie of huisbezoek"),
    "phone": _("telefoon"),
    "video": _("beeldbellen"),
    "chat": _("chat"),
    "elearning": _("e-learning"),
}

# The age bands of ``online_use_by_age_group`` (age reached in the year the
# quarter ends, from the optional birth year; ``blend.selectors.AGE_BANDS``),
# "all" is their total.
AGE_GROUPS = {
    "age_under_18": _("jonger dan 18"),
    "age_18_29": _("18 tot en met 29 jaar"),
    "age_30_49": _("30 tot en met 49 jaar"),
    "age_50_64": _("50 tot en met 64 jaar"),
    "age_65_79": _("65 tot en met 79 jaar"),
    "age_80_plus": _("80 jaar en ouder"),
    "age_unknown": _("leeftijd onbekend"),
    "age_all": _("alle leeftijden samen"),
}

# Figures the issue asks for that the platform cannot give yet. They are
# named here so the pages and the JSON say so plainly; nothing is made up.
NOT_YET_AVAILABLE: dict[str, str | Promise] = {}
