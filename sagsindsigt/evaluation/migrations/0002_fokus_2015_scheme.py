"""The Borgerrådgiver's FOKUS scheme as used in 2015 (seed 001), loaded as the first scheme template.

The texts are copied here, not imported from app code, so that this migration means the same thing forever.
"""

from django.db import migrations

NAME = "FOKUS 2015"

CATEGORIES = [
    (
        1,
        "Forvaltningen er inaktiv på dette område",
        "Særligt om kategori 1 bemærkes, at kategorien også omfatter de tilfælde, hvor forvaltningen alene i meget begrænset omfang er aktiv på det pågældende område.",
        "red",
    ),
    (2, "Forvaltningen har delvist gennemført planlægning af den pågældende handling", "", "red"),
    (3, "Forvaltningen har fuldt ud gennemført planlægning af den pågældende handling", "", "yellow"),
    (
        4,
        "Forvaltningen er på nuværende tidspunkt i gang med at udføre den pågældende handling",
        "Om kategori 4 bemærkes, at denne omfatter de tilfælde, hvor den pågældende handling alene er udført delvist eller alene er udført i en eller flere af de relevante enheder i forvaltningen.",
        "yellow",
    ),
    (5, "Forvaltningen har udført den pågældende handling", "", "green"),
    (
        6,
        "Forvaltningen har udført den pågældende handling og følger op, evaluerer og tilretter eventuelt sin indsats på det pågældende område",
        "",
        "green",
    ),
    (
        7,
        "Alt, hvad forvaltningen gør, planlægges, udføres, følges op på, evalueres og tilrettes løbende, sådan at forvaltningen er i kontinuerlig udvikling på området.",
        "",
        "green",
    ),
]

COLOURS = [
    (
        "red",
        "Klassificeringen rød betyder, at forvaltningens indsats i forhold til det pågældende vurderingskriterium vurderes at være utilfredsstillende. Der er ikke aktuelt udsigt til, at indsatsen vil have en effekt.",
    ),
    (
        "yellow",
        "Klassificeringen gul betyder, at forvaltningens indsats i forhold til det pågældende vurderingskriterium på nuværende tidspunkt vurderes at være utilstrækkelig, men at forvaltningen er aktivt i gang med at styrke og kvalificere sin indsats. På sigt kan indsatsen have en mærkbar effekt, hvis forvaltningen går videre med indsatsen.",
    ),
    (
        "green",
        "Klassificeringen grøn betyder, at forvaltningens indsats i forhold til det pågældende vurderingskriterium vurderes at være god. Indsatsen kan have mærkbar effekt.",
    ),
]

# letter, title, the overall question (seed 001, section 1), member criteria, determining criterion
MAIN_CRITERIA = [
    (
        "A",
        "Forvaltningens oplysningsgrundlag – relevante enheder",
        "Har forvaltningen identificeret de relevante områder (organisatoriske enheder), hvor der sker sagsbehandling og/eller borgerbetjening? Dvs. ved forvaltningen, hvad den skal have styr på?",
        [1],
        1,
    ),
    (
        "B",
        "Forvaltningens oplysningsgrundlag – kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen",
        "Har forvaltningen viden om kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen på de relevante områder? Dvs. ved forvaltningen, hvor skoen trykker?",
        [2, 3],
        2,
    ),
    (
        "C",
        "Medarbejdernes kendskab til minimumskrav til kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen",
        "Har forvaltningen sikret, at medarbejderne har kendskab til de relevante minimumskrav for kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen, og at medarbejderne er klædt på til at opfylde minimumskravene? Dvs. har forvaltningen sikret, at medarbejderne er rustet til at løfte opgaven?",
        [4, 5],
        4,
    ),
    (
        "D",
        "Forvaltningens beslutningskraft og målsætninger",
        "Har forvaltningen udvist beslutningskraft ved at opstille mål og/eller hensigtserklæringer om at reducere eventuelle misforhold mellem minimumskrav og aktuelt kvalitetsniveau og ved at træffe konkrete beslutninger om, hvordan målene og/eller hensigtserklæringerne nås samt tilført ressourcer til opgaven? Dvs. er der beslutningskraft til at gøre noget ved eventuelle problemer, og er arbejdet gjort muligt?",
        [6, 7, 8],
        7,
    ),
    (
        "E",
        "Forvaltningens tiltag",
        "Har forvaltningen fulgt op på sine beslutninger ved at iværksætte konkrete tiltag, og følger forvaltningen op på, om disse tiltag efterleves? Dvs. er arbejdet gået i gang, og er der viden om, hvorvidt indsatsen virker?",
        [9, 10],
        9,
    ),
    (
        "F",
        "Forvaltningens evaluering",
        "Gennemfører forvaltningen løbende evaluering af sin indsats såvel som af resultaterne heraf, og korregerer forvaltningen om nødvendigt indsatsen? Dvs. er en eventuel evaluering en løbende proces eller en engangsforestilling, og hvad gør forvaltningen med sin viden om indsatsernes effektivitet?",
        [11, 12, 13, 14],
        14,
    ),
    (
        "G",
        "Forvaltningens viden om effekt",
        "Måler eller registrerer forvaltningen effekten af indsatsen? Dvs. har forvaltningen viden om indsatsens effekt?",
        [15],
        15,
    ),
]

CRITERIA = {
    1: "Har forvaltningen identificeret de organisatoriske enheder i forvaltningen, hvor der sker sagsbehandling og/eller borgerbetjening.",
    2: "Ved forvaltningen hvordan kvalitetsniveauet er i sagsbehandlingen og/eller borgerbetjeningen i de enheder i forvaltningen, der er omfattet af evalueringsordningen.",
    3: "Hvilke minimumskrav har kommunen selv fastsat til kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen på de sagsområder, som hører under de enheder i forvaltningen, der er omfattet af evalueringsordningen.",
    4: "Har forvaltningen sikret, at medarbejderne i de enheder i forvaltningen, der er omfattet af evalueringsordningen, er bekendt med de minimumskrav, der findes for kvalitetsniveauet i sagsbehandlingen og/eller borgerbetjeningen på de pågældende enheders sagsområder.",
    5: "Har forvaltningen sikret, at medarbejderne i de enheder i forvaltningen, der er omfattet af evalueringsordningen, er klædt på til samt har de fornødne værktøjer og ressourcer til at kunne opfylde de gældende minimumskrav.",
    6: "Har forvaltningen opstillet mål og/eller hensigtserklæringer om bedre sagsbehandling og/eller borgerbetjening i forvaltningen.",
    7: "Har forvaltningen truffet konkrete beslutninger om, hvordan forvaltningen når målene og/eller hensigtserklæringerne.",
    8: "Er der blevet afsat ressourcer til arbejdet med at nå forvaltningens mål og/eller hensigtserklæringer.",
    9: "Har forvaltningen iværksat konkrete tiltag for at nå forvaltningens mål og/eller hensigtserklæringer.",
    10: "Foretager forvaltningen løbende opfølgning på, om de iværksatte tiltag efterleves.",
    11: "Gennemfører forvaltningen evaluering af resultaterne af forvaltningens indsats for bedre sagsbehandling og/eller borgerbetjening.",
    12: "Gennemfører forvaltningen løbende en generel evaluering – baseret på de vurderingskriterier som fremgår af spørgsmål 1-10 ovenfor – af forvaltningens indsats for bedre sagsbehandling og/eller borgerbetjening.",
    13: "På baggrund af forvaltningens eventuelle evaluering af indsatsen (kriterium 12) og/eller resultaterne af indsatsen (kriterium 11) vurderer forvaltningen da, om der er behov for at korrigere forvaltningens indsats for bedre sagsbehandling og/eller borgerbetjening.",
    14: "Hvor forvaltningen vurderer, at der er et behov for at korrigere indsatsen (kriterium 13), iværksætter forvaltningen da tiltag for at korrigere indsatsen.",
    15: "Måler eller registrerer forvaltningen effekten af forvaltningens indsats.",
}

# Added at the finance committee's request (22 October 2013): the case volume behind criterion 1.
SUB_QUESTIONS = [
    (
        1,
        "1.3",
        "Har forvaltningen opgjort, hvor mange borgersager de enkelte organisatoriske enheder behandler per år?",
    ),
    (
        1,
        "1.4",
        "Har forvaltningen opgjort, hvor mange borgersager forvaltningen samlet set behandler per år?",
    ),
]


def load(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    CategoryDefinition = apps.get_model("evaluation", "CategoryDefinition")
    ColourDefinition = apps.get_model("evaluation", "ColourDefinition")
    MainCriterion = apps.get_model("evaluation", "MainCriterion")
    Criterion = apps.get_model("evaluation", "Criterion")
    SubQuestion = apps.get_model("evaluation", "SubQuestion")
    if Scheme.objects.filter(name=NAME, round__isnull=True).exists():
        return
    scheme = Scheme.objects.create(name=NAME, year_label="2015")
    for number, text, note, colour in CATEGORIES:
        CategoryDefinition.objects.create(scheme=scheme, number=number, text=text, note=note, colour=colour)
    for colour, meaning in COLOURS:
        ColourDefinition.objects.create(scheme=scheme, colour=colour, meaning=meaning)
    criteria = {}
    for letter, title, question, members, determining in MAIN_CRITERIA:
        main = MainCriterion.objects.create(scheme=scheme, letter=letter, title=title, question=question)
        for number in members:
            criteria[number] = Criterion.objects.create(
                scheme=scheme,
                main_criterion=main,
                number=number,
                text=CRITERIA[number],
                determining=number == determining,
            )
    for number, code, text in SUB_QUESTIONS:
        SubQuestion.objects.create(criterion=criteria[number], code=code, text=text)


def unload(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    Scheme.objects.filter(name=NAME, round__isnull=True, copied_from__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
