"""Loads the municipality-wide complaint themes of DOMAIN.md §3."""

from django.db import migrations

CORE_THEMES = [
    ("T01", "Lang sagsbehandlingstid / svartid", "rtsl. § 3; OFL § 36; god forvaltningsskik", "formal", ""),
    (
        "T02",
        "Manglende svar / tilbagemelding",
        "god forvaltningsskik; lokal tilbagemeldingsgaranti",
        "formal",
        "",
    ),
    ("T03", "Manglende/mangelfuld vejledning", "FVL § 7", "formal", ""),
    ("T04", "Partshøring", "FVL §§ 19–21", "formal", "guarantee"),
    ("T05", "Begrundelse", "FVL §§ 22–24", "formal", "guarantee"),
    ("T06", "Klagevejledning", "FVL § 25", "formal", "order"),
    ("T07", "Notatpligt", "OFL § 13", "formal", ""),
    ("T08", "Journalisering", "OFL § 15", "formal", ""),
    ("T09", "Aktindsigt", "FVL § 9; OFL §§ 7, 36 (7 arbejdsdage)", "formal", ""),
    (
        "T10",
        "Sagsoplysning (officialprincippet)",
        "uskreven grundsætning; Ankestyrelsens hyppigste omgørelsesgrund",
        "formal",
        "guarantee",
    ),
    ("T11", "Opfølgning / inddragelse af borgeren", "sektorlovgivning", "formal", ""),
    ("T12", "Optræden, betjening, kommunikation", "god forvaltningsskik", "service", ""),
    ("T13", "Koordination / sammenhæng", "god praksis", "service", ""),
    ("T14", "Datasikkerhed / sikker post", "databeskyttelsesreglerne", "formal", ""),
    ("T15", "Digital tilgængelighed", "", "service", ""),
    ("T16", "Uenighed i afgørelsen", "sektorlovgivning", "substantive", ""),
    ("T17", "Diskrimination / ligebehandling", "", "formal", ""),
    ("T18", "Praktiske opgaver (faktisk forvaltningsvirksomhed)", "", "service", ""),
]


def load(apps, schema_editor):
    theme = apps.get_model("complaints", "ComplaintTheme")
    for code, name, legal_basis, kind, weight in CORE_THEMES:
        theme.objects.update_or_create(
            code=code,
            defaults={"name": name, "legal_basis": legal_basis, "kind": kind, "rule_weight": weight},
        )


def unload(apps, schema_editor):
    apps.get_model("complaints", "ComplaintTheme").objects.filter(
        code__in=[t[0] for t in CORE_THEMES], parent__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_initial")]
    operations = [migrations.RunPython(load, unload)]
