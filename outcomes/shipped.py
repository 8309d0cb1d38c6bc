"""The instruments Samenspraak ships (global, no organisation): the
Zelfredzaamheid-Matrix (ZRM 2017) structure, the resident's self-assessment
on the same 13 domains in our own plain words, and the participation
ladder.

The ZRM's per-cell indicator texts are copyrighted by their owner and are
not shipped: only the domains and the scale's names (an organisation with
the licence imports its own, ``IndicatorText``).

``instruments_ship`` takes a model registry (a migration's ``apps`` or
Django's) and adds what is missing, so it is safe to run again: migration
0002 runs it, and so does ``post_migrate`` (a database flushed by a
transactional test gets the instruments back, as it gets its content
types). A change to a shipped instrument is a new version, never an edit.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

# (domain code, ZRM name, self-assessment word, self-assessment question)
DOMAINS = [
    ("financien", "Financiën", "Geld", "Hoe gaat het met uw geld?"),
    ("werk_opleiding", "Werk & opleiding", "Werk of school", "Hoe gaat het met werk of school?"),
    ("tijdsbesteding", "Tijdsbesteding", "Wat u doet op een dag", "Hoe gaat het met wat u doet op een dag?"),
    ("huisvesting", "Huisvesting", "Wonen", "Hoe gaat het met uw huis?"),
    ("huiselijke_relaties", "Huiselijke relaties", "Thuis en familie", "Hoe gaat het thuis en met uw familie?"),
    ("geestelijke_gezondheid", "Geestelijke gezondheid", "Hoe u zich voelt", "Hoe voelt u zich?"),
    ("lichamelijke_gezondheid", "Lichamelijke gezondheid", "Uw lichaam", "Hoe gaat het met uw lichaam?"),
    (
        "middelengebruik",
        "Middelengebruik",
        "Alcohol, drugs en medicijnen",
        "Hoe gaat het met alcohol, drugs of medicijnen?",
    ),
    ("basale_adl", "Basale ADL", "Voor uzelf zorgen", "Hoe gaat het met wassen, aankleden en eten?"),
    ("instrumentele_adl", "Instrumentele ADL", "Het huishouden", "Hoe gaat het met het huishouden?"),
    ("sociaal_netwerk", "Sociaal netwerk", "Mensen om u heen", "Hoe gaat het met de mensen om u heen?"),
    (
        "maatschappelijke_participatie",
        "Maatschappelijke participatie",
        "Meedoen",
        "Hoe gaat het met meedoen in de buurt of de stad?",
    ),
    ("justitie", "Justitie", "Politie en justitie", "Hebt u te maken met politie of justitie?"),
]

ZRM_SCALE = [
    (1, "acute problematiek"),
    (2, "niet zelfredzaam"),
    (3, "beperkt zelfredzaam"),
    (4, "voldoende zelfredzaam"),
    (5, "volledig zelfredzaam"),
]

SELF_SCALE = [
    (1, "Het gaat helemaal niet goed"),
    (2, "Het gaat niet goed"),
    (3, "Het gaat een beetje"),
    (4, "Het gaat goed"),
    (5, "Het gaat heel goed"),
]

LADDER_SCALE = [
    (1, "geïsoleerd"),
    (2, "sociale contacten buiten de deur"),
    (3, "deelname georganiseerde activiteiten"),
    (4, "onbetaald werk"),
    (5, "betaald werk met ondersteuning"),
    (6, "betaald werk"),
]

INSTRUMENTS: list[dict[str, Any]] = [
    {
        "code": "zrm-2017",
        "name": "Zelfredzaamheid-Matrix (ZRM 2017)",
        "kind": "matrix",
        "filled_by": "worker",
        "validity_days": 30,
        "description": (
            "De structuur van de ZRM 2017: 13 domeinen op een schaal van 1 tot 5. De indicatoren per cel "
            "zijn auteursrechtelijk beschermd en worden niet meegeleverd."
        ),
        "scale": ZRM_SCALE,
        "items": [(code, zrm, "") for code, zrm, _word, _question in DOMAINS],
    },
    {
        "code": "zelfinschatting",
        "name": "Hoe gaat het met u? (zelfinschatting)",
        "kind": "self_assessment",
        "filled_by": "resident",
        "validity_days": 30,
        "description": "De inwoner kijkt zelf naar dezelfde 13 onderwerpen als de ZRM, in eigen woorden.",
        "scale": SELF_SCALE,
        "items": [(code, word, question) for code, _zrm, word, question in DOMAINS],
    },
    {
        "code": "participatieladder",
        "name": "Participatieladder",
        "kind": "ladder",
        "filled_by": "worker",
        "validity_days": None,
        "description": "Zes treden, van geïsoleerd tot betaald werk.",
        "scale": LADDER_SCALE,
        "items": [("participatie", "Trede op de participatieladder", "")],
    },
]


def instruments_ship(apps: Any, schema_editor: Any = None) -> None:
    Instrument = apps.get_model("outcomes", "Instrument")
    InstrumentVersion = apps.get_model("outcomes", "InstrumentVersion")
    ScalePoint = apps.get_model("outcomes", "ScalePoint")
    Item = apps.get_model("outcomes", "Item")
    now = timezone.now()
    shipped = set(Instrument.objects.filter(organisation=None).values_list("code", flat=True))
    for spec in INSTRUMENTS:
        if spec["code"] in shipped:
            continue
        instrument = Instrument.objects.create(
            organisation=None,
            code=spec["code"],
            name=spec["name"],
            kind=spec["kind"],
            filled_by=spec["filled_by"],
            validity_days=spec["validity_days"],
            description=spec["description"],
        )
        version = InstrumentVersion.objects.create(instrument=instrument, number=1, published_at=now)
        ScalePoint.objects.bulk_create(ScalePoint(version=version, value=v, label=label) for v, label in spec["scale"])
        Item.objects.bulk_create(
            Item(version=version, order=order, domain=code, label=label, resident_wording=wording)
            for order, (code, label, wording) in enumerate(spec["items"], start=1)
        )


def instruments_unship(apps: Any, schema_editor: Any = None) -> None:
    Instrument = apps.get_model("outcomes", "Instrument")
    Instrument.objects.filter(organisation=None, code__in=[spec["code"] for spec in INSTRUMENTS]).delete()
