"""Sources as a municipality would set them up, and files in the formats their systems export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sagsindsigt.conftest import Mini
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, Source
from sagsindsigt.intake.services import load_commit, load_prepare, source_create
from sagsindsigt.organisation.access import SYSTEM

KMD_HEADER = "Sagsnr;Enhedskode;Sagstype;Modtaget dato;Afgørelsesdato;Lukket dato;CPR-nr.;Sagsbehandler"


@pytest.fixture
def kmd(mini: Mini) -> Source:
    return kmd_source()


def kmd_source() -> Source:
    """A KMD-style case source: Danish headers, local unit codes translated by the mapping."""
    mapping = Mapping.from_json(
        {
            "columns": {
                "external_id": "Sagsnr",
                "unit": "Enhedskode",
                "case_type": "Sagstype",
                "received_date": "Modtaget dato",
                "decided_date": "Afgørelsesdato",
                "closed_date": "Lukket dato",
                "citizen_cpr": "CPR-nr.",
                "caseworker_id": "Sagsbehandler",
            },
            "values": {"unit": {"4711": "SOF-A", "4712": "SOF-B"}},
        },
        "cases",
    )
    return source_create(actor=SYSTEM, name="KMD", kind="cases", mapping=mapping)


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def _write(name: str, content: str | bytes, encoding: str = "cp1252") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


def csv_lines(*rows: str) -> str:
    return "\r\n".join([KMD_HEADER, *rows]) + "\r\n"


def prepare(source: Source, path: Path) -> Load:
    return load_prepare(actor=SYSTEM, source=source, path=path, file_name=path.name)


def prepare_and_commit(source: Source, path: Path) -> Load:
    load = prepare(source, path)
    return load_commit(actor=SYSTEM, load=load)


def database_url() -> str:
    """The test database, for a second process (the command line as a user runs it)."""
    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    return f"postgres://{cfg['USER']}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"
