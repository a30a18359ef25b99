"""Intake end to end: real files in the formats municipalities export; nothing half-imported or lost."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.common.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from sagsindsigt.common.danish import number
from sagsindsigt.complaints.models import Complaint
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.services import (
    MAX_ISSUES,
    load_commit,
    load_rollback,
    source_create,
    source_set_mapping,
)
from sagsindsigt.intake.tests.conftest import KMD_HEADER, csv_lines, prepare, prepare_and_commit
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import Unit

GOOD = "K-1;4711;HJ;29-03-2024;15.04.2024;;010190-1235;ab12"

CONFIRMED = {CONFIRM_FIELD: CONFIRM_VALUE}


def _db_state() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Unit.objects.count(),
        Complaint.objects.count(),
        VolumeCount.objects.count(),
    )


def _messages(load: Load) -> str:
    return " | ".join(f"{i.row}:{i.column}:{i.message}" for i in load.issues.all()) + " | " + load.message


# -- the good path ---------------------------------------------------------------------------------


def test_kmd_csv_in_windows_1252_is_imported(mini: Mini, kmd: Source, write: Any) -> None:
    # given
    path = write(
        "kmd.csv", csv_lines(GOOD, "K-2;4712;BO;02-01-2024;2024-01-20;;;", "K-3;4711;HJ;05-06-2024;;;;")
    )
    before = Case.objects.count()
    # when
    load = prepare_and_commit(kmd, path)
    # then
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    assert load.counts == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "invalid": 0}
    assert Case.objects.count() == before + 3
    case = Case.objects.get(source_system="KMD", external_id="K-1")
    assert (case.unit, case.received_date, case.decided_date) == (
        mini.sof_a,
        date(2024, 3, 29),
        date(2024, 4, 15),
    )
    assert case.due_date == date(2024, 4, 15)  # received on Langfredag
    assert case.load == load
    assert len(case.citizen_key) == 64 and "0101901235" not in case.citizen_key
    assert Case.objects.get(external_id="K-3").status == "open"


def test_reimport_changes_nothing_and_same_file_is_refused(mini: Mini, kmd: Source, write: Any) -> None:
    first = prepare_and_commit(kmd, write("a.csv", csv_lines(GOOD)))
    assert first.status == LoadStatus.COMMITTED
    # The same file again: recognised by its SHA-256.
    again = prepare(kmd, write("a-kopi.csv", csv_lines(GOOD)))
    assert again.status == LoadStatus.REFUSED
    assert "allerede indlæst" in again.message
    # The same rows in another file: unchanged, nothing written.
    other = prepare_and_commit(kmd, write("b.csv", csv_lines(GOOD, "K-9;4711;HJ;01-02-2024;;;;")))
    assert other.counts["unchanged"] == 1 and other.counts["new"] == 1
    assert Case.objects.get(external_id="K-1").load == first


def test_changed_rows_are_updated_and_rollback_restores_them(mini: Mini, kmd: Source, write: Any) -> None:
    # given
    first = prepare_and_commit(kmd, write("a.csv", csv_lines(GOOD)))
    state = _db_state()
    # when: a later file changes K-1 and adds K-2
    second = prepare_and_commit(
        kmd, write("b.csv", csv_lines(GOOD.replace("15.04.2024", "16.04.2024"), "K-2;4712;BO;02-01-2024;;;;"))
    )
    assert second.counts["changed"] == 1 and second.counts["new"] == 1
    assert Case.objects.get(external_id="K-1").decided_date == date(2024, 4, 16)
    # the earlier load cannot be rolled back while a later one stands
    with pytest.raises(Exception, match="senere indlæsning"):
        load_rollback(actor=SYSTEM, load=first)
    load_rollback(actor=SYSTEM, load=second)
    # then
    case = Case.objects.get(external_id="K-1")
    assert case.decided_date == date(2024, 4, 15)
    assert case.load == first
    assert not Case.objects.filter(external_id="K-2").exists()
    assert _db_state() == state
    second.refresh_from_db()
    assert second.status == LoadStatus.ROLLED_BACK


def test_reordered_and_recased_headers_and_unknown_column(mini: Mini, kmd: Source, write: Any) -> None:
    content = "  MODTAGET   DATO ;sagsnr;Ekstra kolonne;ENHEDSKODE;sagstype\r\n29-03-2024;K-1;x;4711;HJ\r\n"
    load = prepare_and_commit(kmd, write("r.csv", content))
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    warning = load.issues.get()
    assert warning.severity == "warning" and "Ekstra kolonne" in warning.message


def test_utf8_bom_tab_separated_and_xlsx(mini: Mini, kmd: Source, write: Any, tmp_path: Path) -> None:
    tsv = KMD_HEADER.replace(";", "\t") + "\r\n" + GOOD.replace(";", "\t") + "\r\n"
    load = prepare_and_commit(kmd, write("t.csv", "\ufeff" + tsv, encoding="utf-8"))
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    # XLSX with real dates in cells
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(KMD_HEADER.split(";"))
    sheet.append(["K-5", 4711, "HJ", date(2024, 2, 1), date(2024, 2, 10), None, None, None])
    book.save(tmp_path / "kmd.xlsx")
    load = prepare_and_commit(kmd, tmp_path / "kmd.xlsx")
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    assert Case.objects.get(external_id="K-5").decided_date == date(2024, 2, 10)


def test_windows_1252_aeoeaa_is_decoded(mini: Mini, write: Any) -> None:
    source = source_create(
        actor=SYSTEM,
        name="Klagesystem",
        kind="complaints",
        mapping=Mapping.from_json(
            {
                "columns": {
                    "external_id": "Nr",
                    "unit": "Enhed",
                    "kind": "Art",
                    "received_date": "Modtaget",
                    "theme": "Tema",
                    "learning_note": "Læring",
                },
                "values": {"theme": {"lang sagsbehandlingstid": "T01", "partshøring": "T04"}},
            },
            "complaints",
        ),
    )
    content = (
        "Nr;Enhed;Art;Modtaget;Tema;Læring\r\n"
        "X1;SOF-A;Formalitet;01-02-2024;Lang sagsbehandlingstid;Svar på ansøgning om bolig\r\n"
        "X1;SOF-A;Formalitet;01-02-2024;Partshøring;Svar på ansøgning om bolig\r\n"
        "X2;SOF-B;Realitet;02-02-2024;T16;Æblegrød, økonomi og årsopgørelse\r\n"
    )
    load = prepare_and_commit(source, write("klager.csv", content, encoding="cp1252"))
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    assert Complaint.objects.get(external_id="X2").learning_note == "Æblegrød, økonomi og årsopgørelse"
    assert Complaint.objects.get(external_id="X1").points.count() == 2


# -- bad input: a clear Danish message naming row and column, and no change ---------------------

BAD_CASES = [
    ("empty", b"", None, "Filen er tom"),
    ("header only", csv_lines(), None, "ingen datarækker"),
    ("missing columns", "Sagsnr;Lukket dato\r\nK-1;\r\n", None, "«Enhedskode», «Sagstype», «Modtaget dato»"),
    ("ragged", csv_lines(GOOD, "K-2;4711;HJ"), 3, "felter"),
    ("31 February", csv_lines(GOOD.replace("29-03-2024", "31-02-2024")), 2, "Modtaget dato"),
    ("month 13", csv_lines(GOOD.replace("29-03-2024", "2024-13-01")), 2, "Modtaget dato"),
    ("duplicate id", csv_lines(GOOD, GOOD.replace("4711", "4712")), 3, "dublet"),
    ("unknown unit", csv_lines(GOOD.replace("4711", "9999")), 2, "ukendt enhedskode"),
    ("decided before received", csv_lines(GOOD.replace("15.04.2024", "01.01.2024")), 2, "før modtagelsen"),
    ("invalid cpr", csv_lines(GOOD.replace("010190-1235", "12345")), 2, "CPR-nummeret"),
    ("1 MB cell", csv_lines(GOOD.replace("K-1", "K" * 1_048_576)), 2, "tegn"),
]


@pytest.mark.parametrize(("name", "content", "row", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_csv_is_rejected_and_changes_nothing(
    mini: Mini, kmd: Source, write: Any, name: str, content: str | bytes, row: int | None, message: str
) -> None:
    # given
    state = _db_state()
    # when
    load = prepare(kmd, write(f"{name}.csv", content))
    # then
    assert load.status == LoadStatus.INVALID
    text = _messages(load)
    assert message in text
    if row is not None:
        assert load.issues.filter(row=row, severity="error").exists(), text
    with pytest.raises(Exception, match="status"):
        load_commit(actor=SYSTEM, load=load)
    assert _db_state() == state
    assert "0101901235" not in text and "010190-1235" not in text


def test_unbalanced_quotes_and_invalid_utf8(mini: Mini, kmd: Source, write: Any) -> None:
    state = _db_state()
    quotes = prepare(kmd, write("q.csv", csv_lines(GOOD, 'K-2;"4711;HJ;01-02-2024;;;;')))
    assert quotes.status == LoadStatus.INVALID and "anførselstegn" in _messages(quotes).lower()
    broken = prepare(kmd, write("u.csv", b"\xef\xbb\xbf" + csv_lines(GOOD).encode() + b"K-2;\xff\xfe;HJ\r\n"))
    assert broken.status == LoadStatus.INVALID and "UTF-8" in _messages(broken)
    assert _db_state() == state


def test_negative_counts_are_rejected(mini: Mini, write: Any) -> None:
    source = source_create(actor=SYSTEM, name="BIF-tal", kind="volume_counts")
    header = "Enhed;Sagstype;Måned;Modtagne;Afgjorte;Afgjort inden for frist\r\n"
    load = prepare(source, write("tal.csv", header + "BIF-1;HJ;01-2024;100;-3;\r\n"))
    assert load.status == LoadStatus.INVALID
    assert load.issues.filter(row=2, column="Afgjorte", message__contains="negativ").exists()
    good = prepare_and_commit(source, write("tal2.csv", header + "BIF-1;HJ;2024-03;1.200;1.100;900\r\n"))
    assert good.status == LoadStatus.COMMITTED, _messages(good)
    count = VolumeCount.objects.get(source_system="BIF-tal")
    assert (count.month, count.received, count.decided, count.decided_within_deadline) == (
        date(2024, 3, 1),
        1200,
        1100,
        900,
    )


def test_xlsx_that_is_really_csv_and_bombs(mini: Mini, kmd: Source, write: Any, tmp_path: Path) -> None:
    state = _db_state()
    fake = prepare(kmd, write("fake.xlsx", csv_lines(GOOD)))
    assert fake.status == LoadStatus.INVALID and "ikke en Excel-fil" in _messages(fake)
    # A zip bomb: a tiny archive that unpacks to hundreds of megabytes.
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    load = prepare(kmd, bomb)
    assert load.status == LoadStatus.INVALID and "mistænkeligt stor" in _messages(load)
    # An entity bomb inside a real workbook.
    book = openpyxl.Workbook()
    book.active.append(KMD_HEADER.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    evil = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = laughs.encode() + body
            dst.writestr(item, data)
    load = prepare(kmd, evil)
    assert load.status == LoadStatus.INVALID and "entiteter" in _messages(load)
    assert _db_state() == state


def test_formula_and_script_stay_text_and_are_escaped_on_output(
    mini: Mini, client: Client, write: Any
) -> None:
    source = source_create(
        actor=SYSTEM,
        name="Klager",
        kind="complaints",
        mapping=Mapping.from_json(
            {
                "columns": {
                    "external_id": "Nr",
                    "unit": "Enhed",
                    "kind": "Art",
                    "received_date": "Modtaget",
                    "theme": "Tema",
                    "learning_note": "Læring",
                }
            },
            "complaints",
        ),
    )
    content = (
        "Nr;Enhed;Art;Modtaget;Tema;Læring\r\n"
        'F1;SOF-A;formal;01-02-2024;T01;"=HYPERLINK(""http://x"";""klik"")"\r\n'
        "F2;SOF-A;formal;01-02-2024;T01;<script>alert(1)</script>\r\n"
    )
    load = prepare_and_commit(source, write("f.csv", content))
    assert load.status == LoadStatus.COMMITTED, _messages(load)
    assert Complaint.objects.get(external_id="F1").learning_note.startswith("=HYPERLINK")
    client.force_login(mini.sof_leader)
    exported = client.get(reverse("complaint_export")).getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and ";=HYPERLINK" not in exported
    html = client.get(reverse("complaint_detail", args=[Complaint.objects.get(external_id="F2").pk])).content
    assert b"<script>alert(1)</script>" not in html and b"&lt;script&gt;" in html


# -- the web pages ------------------------------------------------------------------------------------


def test_upload_report_commit_and_rollback_in_the_browser_flow(
    mini: Mini, kmd: Source, client: Client, write: Any
) -> None:
    mini.analyst.refresh_from_db()
    client.force_login(mini.analyst)
    path = write("web.csv", csv_lines(GOOD, "K-2;4711;HJ;31-02-2024;;;;"))
    with path.open("rb") as handle:
        response = client.post(reverse("intake_home"), {"source": kmd.pk, "file": handle})
    load = Load.objects.latest("pk")
    assert response.status_code == 302
    page = client.get(reverse("intake_load", args=[load.pk])).content.decode()
    assert (
        "Fejl i filen" in page
        and "Modtaget dato" in page
        and "31. februar" in page.replace("31-02", "31. februar")
    )
    issues_csv = client.get(reverse("intake_issues_csv", args=[load.pk])).getvalue().decode("utf-8-sig")
    assert issues_csv.splitlines()[1].startswith("3;Modtaget dato")
    # a corrected file goes through
    path = write("web2.csv", csv_lines(GOOD))
    with path.open("rb") as handle:
        client.post(reverse("intake_home"), {"source": kmd.pk, "file": handle})
    load = Load.objects.latest("pk")
    assert load.status == LoadStatus.VALIDATED
    # without JavaScript the first post only asks, on a page saying what will happen
    asked = client.post(reverse("intake_commit", args=[load.pk])).content.decode()
    load.refresh_from_db()
    assert load.status == LoadStatus.VALIDATED
    assert "Indlæs web2.csv?" in asked and "indlæses i én omgang" in asked
    client.post(reverse("intake_commit", args=[load.pk]), CONFIRMED)
    load.refresh_from_db()
    assert load.status == LoadStatus.COMMITTED
    asked = client.post(reverse("intake_rollback", args=[load.pk])).content.decode()
    load.refresh_from_db()
    assert load.status == LoadStatus.COMMITTED
    assert "nye post" in asked and "slettes" in asked
    client.post(reverse("intake_rollback", args=[load.pk]), CONFIRMED)
    load.refresh_from_db()
    assert load.status == LoadStatus.ROLLED_BACK
    assert not Case.objects.filter(source_system="KMD").exists()


def test_intake_pages_need_the_load_role(mini: Mini, kmd: Source, client: Client) -> None:
    client.force_login(mini.sof_leader)
    assert client.get(reverse("intake_home")).status_code == 403
    assert client.get(reverse("intake_source", args=[kmd.pk])).status_code == 403


def test_mapping_round_trips_as_a_file(mini: Mini, kmd: Source, client: Client) -> None:
    client.force_login(mini.analyst)
    exported = client.get(reverse("intake_mapping_export", args=[kmd.pk])).content
    other = source_create(actor=SYSTEM, name="KMD2", kind="cases")
    upload = io.BytesIO(exported)
    upload.name = "kortlaegning.json"
    response = client.post(reverse("intake_mapping_import", args=[other.pk]), {"file": upload})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.mapping == kmd.mapping
    bad = io.BytesIO(b'{"columns": {"nonsense": "x"}}')
    bad.name = "bad.json"
    page = client.post(reverse("intake_mapping_import", args=[other.pk]), {"file": bad}).content.decode()
    assert "Ukendte felter i kortlægningen: nonsense" in page


def test_mapping_form_value_lines(mini: Mini, kmd: Source) -> None:
    source_set_mapping(
        actor=SYSTEM,
        source=kmd,
        mapping=Mapping.from_json({**kmd.mapping, "values": {"unit": {"A": "SOF-A"}}}, "cases"),
    )
    kmd.refresh_from_db()
    assert Mapping.from_json(kmd.mapping, "cases").translate("unit", " a ") == "SOF-A"


def test_delivered_file_with_cpr_numbers_is_deleted_when_the_load_is_finished(
    mini: Mini, kmd: Source, write: Any
) -> None:
    # given: a validated load keeps its file until it is committed
    load = prepare(kmd, write("cpr.csv", csv_lines(GOOD)))
    stored = Path(load.stored_file)
    assert load.status == LoadStatus.VALIDATED and stored.exists()
    twin = prepare(kmd, write("cpr-kopi.csv", csv_lines(GOOD)))  # the same file, validated too
    assert twin.stored_file == load.stored_file
    # when: one of them is committed, the file stays for the other, which is still unfinished
    load_commit(actor=SYSTEM, load=load)
    assert stored.exists()
    # then: when the other is finished (refused: the file is already applied), the file is gone
    twin = load_commit(actor=SYSTEM, load=twin)
    assert twin.status == LoadStatus.REFUSED
    assert not stored.exists()
    # and an invalid file is not kept either
    bad = prepare(kmd, write("bad.csv", csv_lines(GOOD.replace("4711", "9999"))))
    assert bad.status == LoadStatus.INVALID and not Path(bad.stored_file).exists()
    # the report and a rollback need no file
    assert bad.issues.exists()
    load.refresh_from_db()
    assert load_rollback(actor=SYSTEM, load=load).status == LoadStatus.ROLLED_BACK


UNKNOWN_UNIT_HINT = "Opret enheden i stamdata eller oversæt koden i kortlægningen."


def test_every_problem_of_a_row_is_shown(mini: Mini, kmd: Source, write: Any) -> None:
    # given: row 3 repeats row 2's case number, has an unknown unit, and is decided and closed before it
    # was received
    bad = "K-1;9999;HJ;10-04-2024;01-04-2024;02-04-2024;;ab12"
    # when
    load = prepare(kmd, write("mange-fejl.csv", csv_lines(GOOD, bad)))
    # then: all four problems of the row are reported, each on its column
    assert load.status == LoadStatus.INVALID
    found = sorted(load.issues.filter(row=3).values_list("column", "message"))
    assert found == [
        ("Afgørelsesdato", "afgørelsen kan ikke ligge før modtagelsen."),
        (
            "Enhedskode",
            "ukendt enhedskode «9999». Opret enheden i stamdata eller oversæt koden i kortlægningen.",
        ),
        ("Lukket dato", "lukningen kan ikke ligge før modtagelsen."),
        ("Sagsnr", "samme «Sagsnr» som i række 2 (dublet)."),
    ]
    assert load.counts["invalid"] == 1 and load.message.startswith("1 række har fejl")


def test_a_duplicate_names_its_column_and_the_row_it_first_appeared_in(
    mini: Mini, kmd: Source, write: Any
) -> None:
    # cases: every later copy points at the first
    load = prepare(kmd, write("dubletter.csv", csv_lines(GOOD, GOOD.replace("K-1", "K-2"), GOOD, GOOD)))
    duplicates = list(load.issues.values_list("row", "column", "message"))
    assert duplicates == [(r, "Sagsnr", "samme «Sagsnr» som i række 2 (dublet).") for r in (4, 5)]
    # monthly counts: the key is unit, case type and month, named by the source's own headers
    counts = source_create(actor=SYSTEM, name="BIF-tal", kind="volume_counts")
    header = "Enhed;Sagstype;Måned;Modtagne;Afgjorte;Afgjort inden for frist\r\n"
    rows = "BIF-1;HJ;01-2024;10;9;\r\nBIF-1;HJ;02-2024;10;9;\r\nbif-1;hj;2024-01;12;11;\r\n"
    load = prepare(counts, write("tal.csv", header + rows))
    issue = load.issues.get()
    assert (issue.row, issue.column) == (4, "Måned")
    assert issue.message == "samme «Enhed», «Sagstype» og «Måned» som i række 2 (dublet)."


def test_a_report_keeps_the_first_thousand_messages_and_counts_the_rest(
    mini: Mini, kmd: Source, write: Any
) -> None:
    # given: every row of a large file is bad in two columns
    rows = [f"K-{n};9999;HJ;31-02-2024;;;;" for n in range(MAX_ISSUES)]
    # when
    load = prepare(kmd, write("alt-galt.csv", csv_lines(*rows)))
    # then: every row is counted, the first MAX_ISSUES messages are kept and the rest are counted
    assert load.counts["invalid"] == MAX_ISSUES and load.message.startswith(
        f"{number(MAX_ISSUES)} rækker har fejl"
    )
    assert load.issues.count() == MAX_ISSUES + 1
    more = load.issues.get(row=None)
    assert more.message.startswith(f"Der er {number(MAX_ISSUES)} fejl og advarsler mere, som ikke er vist")
    assert load.issues.filter(row=2).count() == 2
