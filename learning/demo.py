"""Real content for the demo, in B1 Dutch: the e-learning "Hoe stem ik?"
(municipal elections) and three library articles. ``seed_demo`` installs
it; tests install it in their own organisation the same way."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import User
from learning.models import LibraryItem, Module
from learning.services import (
    ChoiceData,
    LibraryItemData,
    StepData,
    library_item_save,
    module_assign,
    module_create,
    module_publish,
    step_add,
)
from organisations.models import Organisation

VOTING_TITLE = "Hoe stem ik?"
VOTING_SUMMARY = (
    "Stemmen voor de gemeenteraad in 9 korte stappen: stempas, identiteitsbewijs, stembureau, stembiljet en volmacht."
)

VOTING_STEPS: list[StepData] = [
    StepData(
        "text",
        "Waar gaat het over?",
        "Elke vier jaar kiest u de **gemeenteraad**. De gemeenteraad beslist over uw buurt: "
        "over wegen en parken, over hulp thuis en over de bibliotheek.\n\n"
        "Mag ik stemmen? Ja, als u op de dag van de verkiezing **18 jaar of ouder** bent en in de gemeente woont. "
        "Ook als u niet de Nederlandse nationaliteit hebt, mag u vaak stemmen voor de gemeenteraad. "
        "Dan moet u wel lang genoeg in Nederland wonen. Twijfelt u? Vraag het aan de gemeente.\n\n"
        "In deze module leert u in kleine stappen hoe stemmen gaat. U kunt altijd stoppen en later verder gaan.",
    ),
    StepData(
        "text",
        "Uw stempas",
        "Een paar weken voor de verkiezing krijgt u een **stempas** in de brievenbus. "
        "De stempas is een papier met uw naam. Zonder stempas kunt u niet stemmen.\n\n"
        "- Kijk of uw naam goed is.\n"
        "- Leg de stempas op een vaste plek.\n"
        "- Neem de stempas mee naar het stembureau.\n\n"
        "Is uw stempas kwijt of kapot? Vraag op tijd een nieuwe aan bij de gemeente. "
        "Aan de balie kan dat tot de dag voor de verkiezing, 12 uur 's middags.",
    ),
    StepData(
        "text",
        "Uw identiteitsbewijs",
        "In het stembureau laat u ook een **identiteitsbewijs** zien. Dat is bijvoorbeeld:\n\n"
        "- uw paspoort;\n"
        "- uw identiteitskaart (ID-kaart);\n"
        "- uw Nederlandse rijbewijs;\n"
        "- uw verblijfsdocument.\n\n"
        "Is uw identiteitsbewijs verlopen? Dat is niet erg als het **minder dan 5 jaar** geleden is verlopen. "
        "Het moet wel echt van u zijn: de foto moet op u lijken.",
    ),
    StepData(
        "question",
        "Vraag: mijn ID-kaart is verlopen",
        "Uw ID-kaart is 3 jaar geleden verlopen. Mag u er in het stembureau mee laten zien wie u bent?",
        choices=[
            ChoiceData(
                "Ja, dat mag",
                "Klopt! Een identiteitsbewijs mag tot 5 jaar verlopen zijn. 3 jaar is dus goed.",
                is_correct=True,
            ),
            ChoiceData(
                "Nee, dat mag niet",
                "Goed dat u erover nadenkt. Maar het mag wél: een identiteitsbewijs mag tot 5 jaar verlopen zijn. "
                "3 jaar is dus goed.",
            ),
        ],
    ),
    StepData(
        "text",
        "Naar het stembureau",
        "Op de dag van de verkiezing zijn de **stembureaus** open van half 8 's ochtends tot 9 uur 's avonds.\n\n"
        "Bij de verkiezing voor de gemeenteraad mag u stemmen in **elk stembureau in uw gemeente**. "
        "Kies dus een stembureau dat makkelijk is voor u, bijvoorbeeld dicht bij huis of bij uw werk. "
        "Op de website van de gemeente staat een lijst met alle stembureaus. "
        "Daar staat ook welke stembureaus goed te bereiken zijn met een rolstoel.\n\n"
        "In het stembureau geeft u uw stempas en laat u uw identiteitsbewijs zien. "
        "Dan krijgt u een stembiljet. Hebt u een vraag? De mensen van het stembureau helpen u graag.",
    ),
    StepData(
        "image",
        "Het stembiljet",
        "Het **stembiljet** is een groot papier met alle partijen en hun kandidaten. "
        "U gaat met het stembiljet in een stemhokje. Daar bent u alleen.\n\n"
        "Kies één kandidaat. Maak het **rode vakje** voor die naam helemaal rood met het rode potlood "
        "dat in het stemhokje ligt. Kleur maar één vakje.\n\n"
        "Vouw het stembiljet dicht en stop het in de stembus. Hebt u zich vergist? "
        "Stop het stembiljet dan niet in de stembus, maar vraag om een nieuw stembiljet.",
        image_alt="Tekening van een stembiljet met twee partijen en hun kandidaten. "
        "Voor elke naam staat een wit vakje. Eén vakje is helemaal rood gekleurd.",
    ),
    StepData(
        "question",
        "Vraag: hoe stemt u?",
        "U staat in het stemhokje met uw stembiljet. Wat doet u?",
        choices=[
            ChoiceData(
                "Ik kleur één rood vakje helemaal rood",
                "Precies goed! Zo telt uw stem.",
                is_correct=True,
            ),
            ChoiceData(
                "Ik zet een kruisje bij twee partijen",
                "Dat snappen we, u vindt misschien twee partijen goed. Maar dan telt uw stem niet. "
                "Kies één kandidaat en kleur alleen dat vakje rood.",
            ),
            ChoiceData(
                "Ik schrijf de naam van mijn partij op het stembiljet",
                "Een goede gedachte, maar dan telt uw stem niet. "
                "Schrijf niets op het stembiljet. Kleur alleen het rode vakje voor de naam van uw kandidaat.",
            ),
        ],
    ),
    StepData(
        "text",
        "Iemand anders voor u laten stemmen",
        "Kunt u zelf niet naar het stembureau? Dan kunt u iemand anders voor u laten stemmen. "
        "Dat heet een **volmacht**.\n\n"
        "- Kies iemand die u vertrouwt en die in dezelfde gemeente mag stemmen.\n"
        "- Vul de achterkant van uw stempas in en zet uw handtekening.\n"
        "- Geef de stempas en een kopie of foto van uw identiteitsbewijs aan die persoon.\n\n"
        "Die persoon stemt voor u op dezelfde tijd als hij of zij zelf stemt. "
        "Iemand mag voor **hoogstens 2 andere mensen** stemmen.",
    ),
    StepData(
        "question",
        "Vraag: hoeveel volmachten?",
        "Uw buurman wil voor u stemmen. Hij stemt al voor zijn moeder en zijn zus. Mag hij ook voor u stemmen?",
        choices=[
            ChoiceData(
                "Ja, dat mag",
                "Fijn dat u hem vertrouwt. Toch mag het niet: iemand mag voor hoogstens 2 andere mensen stemmen. "
                "Uw buurman heeft er al 2. Vraag iemand anders.",
            ),
            ChoiceData(
                "Nee, hij heeft er al 2",
                "Klopt! Iemand mag voor hoogstens 2 andere mensen stemmen. Vraag iemand anders om voor u te stemmen.",
                is_correct=True,
            ),
        ],
    ),
]

ARTICLES: list[LibraryItemData] = [
    LibraryItemData(
        title="Wat is een sociaal wijkteam?",
        summary="Een team in uw buurt dat helpt bij vragen over geld, wonen, zorg en meedoen. Gratis.",
        topic_name="Hulp in de buurt",
        body_markdown=(
            "Een **sociaal wijkteam** is een groep hulpverleners in uw buurt. Het team werkt voor de gemeente. "
            "In het team zitten bijvoorbeeld sociaal werkers, een wijkverpleegkundige en iemand die veel weet "
            "van geld en schulden.\n\n"
            "## Waarmee kan het wijkteam helpen?\n\n"
            "- geldzorgen en schulden;\n"
            "- wonen, bijvoorbeeld als u uw huis niet schoon of veilig kunt houden;\n"
            "- zorg en hulp thuis;\n"
            "- opvoeden van uw kinderen;\n"
            "- eenzaamheid, of als u mensen wilt ontmoeten.\n\n"
            "## Hoe werkt het?\n\n"
            "U kunt zelf bellen, mailen of langskomen. U hebt geen verwijzing van de huisarts nodig. "
            "De hulp is **gratis**. Een medewerker praat met u over wat er speelt. "
            "Samen maakt u een plan. U beslist mee over de hulp.\n\n"
            "Het wijkteam gaat zorgvuldig om met uw gegevens. Zonder uw toestemming vertelt het niets aan anderen, "
            "behalve als dat echt moet volgens de wet."
        ),
        is_published=True,
    ),
    LibraryItemData(
        title="Hulp bij post en rekeningen",
        summary="Zo houdt u overzicht over uw post en rekeningen, en hier vindt u hulp.",
        topic_name="Geld en post",
        body_markdown=(
            "Veel post in de bus? Brieven die u liever niet opent? Dat overkomt veel mensen. "
            "Met een paar vaste gewoontes houdt u overzicht.\n\n"
            "## Zo houdt u overzicht\n\n"
            "- Open uw post elke week op een vaste dag.\n"
            "- Maak drie stapels: **betalen**, **bewaren** en **weggooien**.\n"
            "- Leg rekeningen die u moet betalen in één map of doos.\n"
            "- Betaal op tijd. Zo voorkomt u extra kosten.\n\n"
            "## Kunt u een rekening niet betalen?\n\n"
            "Wacht niet. Bel of mail degene die de rekening stuurt. Vraag of u in delen mag betalen. "
            "Dat heet een **betalingsregeling**. Een herinnering of aanmaning weggooien maakt het probleem groter.\n\n"
            "## Hier vindt u hulp\n\n"
            "- Uw sociaal werker of het sociaal wijkteam helpt u gratis.\n"
            "- In veel gemeenten helpen vrijwilligers bij de thuisadministratie of bij formulieren.\n\n"
            "Let op: geef nooit uw DigiD-code of pincode aan iemand anders. Ook niet aan een hulpverlener."
        ),
        is_published=True,
    ),
    LibraryItemData(
        title="Beeldbellen: zo werkt het",
        summary="Een gesprek met uw sociaal werker via het scherm van uw telefoon, tablet of computer.",
        topic_name="Digitaal",
        body_markdown=(
            "Bij **beeldbellen** ziet en hoort u uw sociaal werker via een scherm. "
            "U hoeft dan niet te reizen. Het gesprek is net zo vertrouwelijk als een gesprek op kantoor.\n\n"
            "## Wat hebt u nodig?\n\n"
            "- een telefoon, tablet of computer met camera en microfoon;\n"
            "- internet, het liefst wifi;\n"
            "- een rustige plek waar niemand meeluistert.\n\n"
            "## Zo gaat het\n\n"
            "1. U maakt een afspraak voor beeldbellen met uw sociaal werker.\n"
            "2. Open 5 minuten voor de afspraak de afspraak in Samenspraak.\n"
            "3. Druk op de knop om het gesprek te beginnen.\n"
            "4. Uw telefoon of computer vraagt of Samenspraak de camera en microfoon mag gebruiken. Kies **Toestaan**.\n\n"
            "## Lukt het niet?\n\n"
            "Geen zorgen. Bel uw sociaal werker of de organisatie. Dan gaat het gesprek gewoon via de telefoon. "
            "Een oortje of koptelefoon helpt als u de ander slecht hoort."
        ),
        is_published=True,
    ),
]


def _ballot_png() -> bytes:
    """A simple drawing of a ballot: two lists of names, one box coloured red."""
    image = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 475, 295), outline="black", width=3)
    for column, left in enumerate((30, 260)):
        draw.rectangle((left, 24, left + 190, 54), outline="black", width=2)
        for row in range(5):
            top = 74 + row * 42
            filled = column == 1 and row == 1
            draw.rectangle(
                (left, top, left + 24, top + 24), outline="#c00000", width=3, fill="#c00000" if filled else "white"
            )
            draw.line((left + 40, top + 12, left + 180, top + 12), fill="black", width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_voting_module_create(*, organisation: Organisation, author: User) -> Module:
    """Publish "Hoe stem ik?" in ``organisation`` (written by ``author``)."""
    module = module_create(organisation=organisation, created_by=author, title=VOTING_TITLE, summary=VOTING_SUMMARY)
    version = module.versions.get()
    for data in VOTING_STEPS:
        image = SimpleUploadedFile("stembiljet.png", _ballot_png(), "image/png") if data.kind == "image" else None
        step_add(version=version, added_by=author, data=data, image=image)
    module_publish(version=version, published_by=author)
    module.refresh_from_db()
    return module


def demo_articles_create(*, organisation: Organisation, author: User) -> list[LibraryItem]:
    return [library_item_save(organisation=organisation, saved_by=author, data=data) for data in ARTICLES]


def demo_learning_create(
    *, organisation: Organisation, author: User, resident: User | None = None, worker: User | None = None
) -> Module:
    """The module and the articles; with a resident and their worker, the
    worker puts the module on the resident's list."""
    module = demo_voting_module_create(organisation=organisation, author=author)
    demo_articles_create(organisation=organisation, author=author)
    if resident is not None and worker is not None:
        module_assign(module=module, resident=resident, assigned_by=worker)
    return module


# --- The demo training ----------------------------------------------------------------------------

TRAINING_TITLE = "Assertiviteit: voor jezelf opkomen"
TRAINING_DESCRIPTION = (
    "Vindt u het moeilijk om nee te zeggen? Of om te zeggen wat u vindt? In deze training oefent u dat, "
    "samen met andere inwoners.\n\n"
    "We komen vier keer bij elkaar, een keer per week. Drie keer in het buurthuis en een keer online. "
    "U oefent in kleine stappen, in een rustige groep. Niemand hoeft iets te doen wat hij niet wil.\n\n"
    "Tussendoor leest u korte stukjes en praat u met de groep in de groepschat."
)
TRAINING_ARTICLES = [
    (
        "Nee zeggen in drie stappen",
        "Zo zegt u nee, rustig en duidelijk.",
        "Nee zeggen is moeilijk. Deze drie stappen helpen.\n\n"
        '1. **Neem even tijd.** U mag zeggen: "Ik denk erover na."\n'
        '2. **Zeg kort nee.** Bijvoorbeeld: "Nee, dat doe ik niet." U hoeft geen lange uitleg te geven.\n'
        "3. **Blijf vriendelijk.** Herhaal uw nee als de ander blijft vragen.\n\n"
        "Oefen het eerst met iemand die u vertrouwt.",
    ),
    (
        "Zeggen wat u vindt: de ik-boodschap",
        "Praat over uzelf, niet over de ander.",
        "Een ik-boodschap gaat over wat u voelt en wat u wilt.\n\n"
        '- Zeg wat er gebeurt: "Als u harder gaat praten ..."\n'
        '- Zeg wat u voelt: "... word ik onrustig."\n'
        '- Zeg wat u wilt: "Ik wil graag dat we rustig praten."\n\n'
        "Zo voelt de ander zich minder snel aangevallen.",
    ),
]


def demo_training_create(*, organisation: Organisation, author: User, host: User, resident: User) -> Any:
    """The training "Assertiviteit: voor jezelf opkomen": four weekly
    sessions (the third online when the organisation has a video server),
    two articles for its participants, the voting module, published, with
    ``resident`` signed up."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from appointments.services import GroupSessionError, group_session_plan
    from learning.trainings import (
        training_modules_set,
        training_publish,
        training_save,
        training_session_attach,
        training_sign_up,
    )

    training = training_save(
        organisation=organisation,
        saved_by=author,
        title=TRAINING_TITLE,
        description=TRAINING_DESCRIPTION,
        host=host,
        capacity=12,
    )
    today = timezone.localdate()
    first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    location = organisation.locations.filter(is_active=True).first()
    for week in range(4):
        starts_at = timezone.make_aware(datetime.combine(first + timedelta(weeks=week), time(19, 0)))
        arguments: dict[str, Any] = {
            "host": host,
            "title": f"{TRAINING_TITLE} ({week + 1} van 4)",
            "description": "",
            "starts_at": starts_at,
            "minutes": 90,
            "capacity": 12,
        }
        try:
            if week != 2:
                raise GroupSessionError("op een locatie")
            session = group_session_plan(**arguments, kind="online", location=None)
        except GroupSessionError:
            # Without a video server of its own the organisation meets on location.
            session = group_session_plan(**arguments, kind="face_to_face", location=location)
        training_session_attach(training=training, session=session, by=author)
    for title, summary, body in TRAINING_ARTICLES:
        library_item_save(
            organisation=organisation,
            saved_by=author,
            data=LibraryItemData(title, body, summary=summary, is_published=True, audience_training=training),
        )
    module = Module.objects.filter(organisation=organisation, published_version__isnull=False).first()
    if module is not None:
        training_modules_set(training=training, modules=[module], by=author)
    training_publish(training=training, by=author)
    training_sign_up(training=training, resident=resident)
    return training
