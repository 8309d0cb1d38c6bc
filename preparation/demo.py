"""The preparation guide for debt counselling, in B1 Dutch, for ``make run``:
installed for the demo organisation (published), given to the demo
resident by their worker, with the first item ticked and a note."""

from __future__ import annotations

from accounts.models import User
from preparation.models import Guide
from preparation.services import ItemData, guide_create, guide_update, preparation_item_save, preparation_start

DEBT_COUNSELLING_TITLE = "Voorbereiden op schuldhulpverlening"
DEBT_COUNSELLING_INTRO = (
    "Hebt u binnenkort een gesprek over uw schulden? Dan kunt u nu al een paar dingen klaarleggen. "
    "Zo weet u samen met uw sociaal werker snel hoe het ervoor staat, en kan de hulp eerder beginnen.\n"
    "U hoeft niet alles te hebben. Vink aan wat u hebt gevonden. Schrijf een notitie als iets niet lukt. "
    "U kunt ook een foto of PDF toevoegen. Alleen u en uw sociaal werker zien wat u hier zet."
)
# (what, a short B1 explanation of what it is and why it is needed)
DEBT_COUNSELLING_ITEMS = [
    (
        "Inkomen",
        "Wat u elke maand krijgt: loon, uitkering, pensioen, toeslagen of studiefinanciering. "
        "Leg de laatste loonstrook of de brief over uw uitkering klaar. "
        "Zo weten we hoeveel geld er binnenkomt en hoeveel u kunt betalen.",
    ),
    (
        "Vaste lasten",
        "De kosten die elke maand terugkomen: huur, energie, water, zorgverzekering, telefoon en internet. "
        "Schrijf op wat u betaalt en wanneer. Zo zien we wat er overblijft om van te leven.",
    ),
    (
        "Overzicht van schulden",
        "Een lijstje van iedereen aan wie u geld moet betalen, en hoeveel. "
        "Het hoeft niet precies te zijn; schrijf op wat u weet. "
        "Met dit overzicht kunnen we afspraken maken met de mensen en bedrijven die geld van u krijgen.",
    ),
    (
        "Brieven van schuldeisers",
        "Brieven van bedrijven, incassobureaus of deurwaarders die geld van u vragen. "
        "Ook brieven die u nog niet hebt opengemaakt. Neem ze allemaal mee, of maak er een foto van. "
        "Daarin staat hoeveel u moet betalen en tot wanneer.",
    ),
    (
        "Bankafschriften van de laatste 3 maanden",
        "Een overzicht van wat er op uw bankrekening bij kwam en af ging. "
        "U kunt het downloaden in de app of op de website van uw bank, of het bij de bank vragen. "
        "Zo zien we samen waar uw geld naartoe gaat.",
    ),
    (
        "Identiteitsbewijs",
        "Uw paspoort, identiteitskaart of verblijfsdocument. "
        "Neem het mee naar het gesprek; u hoeft het hier niet toe te voegen. "
        "We hebben het nodig om te controleren wie u bent voordat we hulp kunnen aanvragen.",
    ),
    (
        "Huurcontract",
        "Het contract met uw verhuurder. Daarin staat hoeveel huur u betaalt. "
        "Hebt u een koophuis? Neem dan een brief van de hypotheek mee. "
        "Wonen is de belangrijkste vaste last: die moet altijd betaald blijven.",
    ),
]


def demo_guide_install(*, admin: User) -> Guide:
    """The debt-counselling guide, published, in the admin's organisation."""
    assert admin.organisation is not None
    guide = guide_create(organisation=admin.organisation, title=DEBT_COUNSELLING_TITLE, created_by=admin)
    return guide_update(
        guide=guide,
        title=DEBT_COUNSELLING_TITLE,
        intro=DEBT_COUNSELLING_INTRO,
        status=Guide.Status.PUBLISHED,
        items=[ItemData(title=title, explanation=explanation) for title, explanation in DEBT_COUNSELLING_ITEMS],
        changed_by=admin,
    )


def demo_preparation_create(*, admin: User, resident: User, worker: User) -> None:
    guide = demo_guide_install(admin=admin)
    preparation = preparation_start(guide=guide, resident=resident, started_by=worker)
    first = guide.items.all()[0]
    preparation_item_save(
        preparation=preparation,
        guide_item=first,
        is_done=True,
        note="Ik krijg een uitkering van de gemeente. De brief ligt in de la.",
        saved_by=resident,
    )
