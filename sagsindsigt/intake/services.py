"""Intake: read a delivery, validate every row, report, and apply it all-or-nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import shutil
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.danish import number, plural
from sagsindsigt.common.models import AuditAction
from sagsindsigt.intake.appliers import APPLIERS, Outcome
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadIssue, LoadStatus, RecordKind, Source
from sagsindsigt.intake.progress import heartbeat, heartbeat_get, progress_clear, progress_set
from sagsindsigt.intake.readers import FileRejected, Table, open_table, records_table, sha256_file
from sagsindsigt.intake.records import Issue, Lookups, Record, header_issues, records
from sagsindsigt.organisation.access import Perm, require
from sagsindsigt.organisation.models import Administration
from sagsindsigt.organisation.selectors import working_day_rules

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# A report past this many messages helps no one; the rest are counted in one last message.
MAX_ISSUES = 1000
# Files larger than this are validated and committed by the background worker, not in the request.
BACKGROUND_BYTES = 2 * 1024 * 1024


def intake_dir() -> Path:
    path = Path(settings.VAR_DIR) / "intake"
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- sources ----------------------------------------------------------------------------------------


@transaction.atomic
def source_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    administration: Administration | None = None,
    mapping: Mapping | None = None,
    future_days: int | None = None,
) -> Source:
    require(actor, Perm.LOAD_DATA)
    if kind not in RecordKind.values:
        raise ValidationError("Ukendt posttype.")
    source = Source(
        name=name.strip(),
        kind=kind,
        administration=administration,
        mapping=(mapping or Mapping.default(kind)).to_json(),
    )
    if future_days is not None:
        source.future_days = future_days
    source.full_clean()
    source.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=source)
    return source


@transaction.atomic
def source_set_mapping(
    *, actor: Any, source: Source, mapping: Mapping, future_days: int | None = None
) -> Source:
    require(actor, Perm.LOAD_DATA)
    if mapping.kind != source.kind:
        raise ValidationError(f"Kortlægningen er til en anden posttype end kildesystemet ({source.kind}).")
    before = snapshot(source)
    source.mapping = mapping.to_json()
    if future_days is not None:
        source.future_days = future_days
    source.full_clean()
    source.save(update_fields=["mapping", "future_days"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=source, before=before)
    return source


@transaction.atomic
def source_issue_token(*, actor: Any, source: Source) -> str:
    """A new push-API token for the source; returned once, only its hash is kept."""
    require(actor, Perm.LOAD_DATA)
    token = f"si_{secrets.token_urlsafe(32)}"
    before = snapshot(source)
    source.api_token_hash = token_hash(token)
    source.save(update_fields=["api_token_hash"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=source, before=before)
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- reading and validating ---------------------------------------------------------------------------


@dataclass
class Scan:
    """What one pass found. Issues arrive in file order; the first MAX_ISSUES are kept, all are counted."""

    outcome: Outcome = field(default_factory=Outcome)
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    errors: int = 0
    invalid_rows: int = 0
    omitted: int = 0
    noun: str = "rækker"  # "poster" for pushed records: the API counts records, files count rows
    _last_invalid_row: int | None = None

    def add(self, issue: Issue) -> None:
        if not issue.warning:
            self.errors += 1
            if issue.row is not None and issue.row != self._last_invalid_row:
                self.invalid_rows += 1
                self._last_invalid_row = issue.row
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)
        else:
            self.omitted += 1

    def report(self) -> list[Issue]:
        """The kept issues, and how many more there are."""
        if not self.omitted:
            return self.issues
        more = Issue(
            None,
            "",
            f"Der er {number(self.omitted)} fejl og advarsler mere, som ikke er vist "
            f"(de første {number(MAX_ISSUES)} er vist). Ret dem, der er vist, og prøv igen.",
        )
        return [*self.issues, more]

    def invalid_message(self) -> str:
        n = self.invalid_rows
        if not n:
            return "Filen kan ikke læses. Intet er ændret."
        if self.noun == "poster":
            return (
                f"{plural(n, 'post', 'poster')} har fejl; ret dem og send alle poster igen. Intet er ændret."
            )
        return f"{plural(n, 'række', 'rækker')} har fejl; ret filen og indlæs den igen. Intet er ændret."


ProgressCallback = Callable[[str, int, int | None], None]


def _scan(
    load: Load,
    open_: Callable[[], Table],
    *,
    commit: bool,
    expected_rows: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> Scan:
    """One streamed pass over the delivery: validate every row; classify (or, when committing, apply)
    the valid ones in batches. Memory holds one batch, not the file."""
    source = load.source
    assert source is not None  # noqa: S101 (a load is always read for a source)
    mapping = Mapping.from_json(source.mapping, source.kind)
    scan = Scan()
    try:
        table = open_()
    except FileRejected as rejected:
        scan.add(Issue(None, "", rejected.message))
        return scan
    if table.format == "json":
        scan.noun = "poster"
    with table:
        return _scan_table(
            load,
            table,
            mapping,
            source,
            commit=commit,
            expected_rows=expected_rows,
            on_progress=on_progress,
            scan=scan,
        )


def _scan_table(
    load: Load,
    table: Table,
    mapping: Mapping,
    source: Source,
    *,
    commit: bool,
    expected_rows: int | None,
    on_progress: ProgressCallback | None,
    scan: Scan,
) -> Scan:
    for issue in header_issues(table, mapping):
        scan.add(issue)
    if scan.errors:
        return scan
    lookups = Lookups(
        administration_id=source.administration_id,
        rules=working_day_rules(),
        today=timezone.localdate(),
        future_days=source.future_days,
    )
    applier = APPLIERS[source.kind](source.name)
    batch: list[Record] = []

    def flush() -> None:
        result = applier.apply(batch, load) if commit else applier.classify(batch)
        scan.outcome.new += result.new
        scan.outcome.changed += result.changed
        scan.outcome.unchanged += result.unchanged
        batch.clear()
        phase = "commit" if commit else "validate"
        progress_set(load.pk, phase=phase, done=scan.rows, total=expected_rows)
        if on_progress is not None:
            on_progress(phase, scan.rows, expected_rows)

    try:
        for item in records(table, mapping, lookups, source.name):
            if isinstance(item, Issue):
                scan.add(item)
                continue
            scan.rows += 1
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                if commit and scan.errors:
                    batch.clear()  # nothing will be applied; read on so every bad row is reported
                else:
                    flush()
        if batch and not (commit and scan.errors):
            flush()
    except FileRejected as rejected:
        scan.add(Issue(None, "", rejected.message))
    if scan.rows == 0 and not scan.issues:
        scan.add(Issue(None, "", "Filen har ingen datarækker."))
    scan.rows += scan.invalid_rows
    return scan


def _opener(load: Load, records_data: list[dict[str, Any]] | None = None) -> Callable[[], Table]:
    if records_data is not None:
        return lambda: records_table(records_data)
    mapping = Mapping.from_json(load.source.mapping if load.source else {}, load.kind)
    return lambda: open_table(Path(load.stored_file), filename=load.file_name, sheet=mapping.sheet or None)


def _store_issues(load: Load, issues: Iterable[Issue]) -> None:
    LoadIssue.objects.filter(load=load).delete()
    LoadIssue.objects.bulk_create(
        [
            LoadIssue(
                load=load,
                row=i.row,
                column=i.column[:200],
                message=i.message[:500],
                severity=LoadIssue.Severity.WARNING if i.warning else LoadIssue.Severity.ERROR,
            )
            for i in issues
        ],
        batch_size=5000,
    )


def _counts(scan: Scan) -> dict[str, int]:
    return {
        "rows": scan.rows,
        "new": scan.outcome.new,
        "changed": scan.outcome.changed,
        "unchanged": scan.outcome.unchanged,
        "invalid": scan.invalid_rows + (1 if scan.errors and not scan.invalid_rows else 0),
    }


def _already_imported(source: Source, sha: str) -> Load | None:
    return Load.objects.filter(
        source=source, sha256=sha, status__in=[LoadStatus.COMMITTED, LoadStatus.COMMITTING]
    ).first()


# A load still needs its file in these states; in any other the file is deleted (see _discard_file).
_NEEDS_FILE = (LoadStatus.RECEIVED, LoadStatus.VALIDATED, LoadStatus.QUEUED, LoadStatus.COMMITTING)


def _discard_file(load: Load) -> None:
    """Delete the delivered file once the load is finished: it may hold raw CPR numbers, and nothing needs
    it afterwards (the report lives in LoadIssue, rollback uses before-images). Loads of the same file share
    it, so it stays while another of them is unfinished."""
    if not load.stored_file or load.status in _NEEDS_FILE:
        return
    if Load.objects.filter(stored_file=load.stored_file, status__in=_NEEDS_FILE).exclude(pk=load.pk).exists():
        return
    Path(load.stored_file).unlink(missing_ok=True)


def _refuse_duplicate(load: Load, earlier: Load) -> Load:
    load.status = LoadStatus.REFUSED
    load.message = (
        f"Filen er allerede indlæst (indlæsning nr. {earlier.pk}, "
        f"{timezone.localtime(earlier.created_at):%d-%m-%Y %H:%M}). Intet er ændret."
    )
    load.save(update_fields=["status", "message"])
    _discard_file(load)
    return load


def load_prepare(
    *, actor: Any, source: Source, path: Path, file_name: str, on_progress: ProgressCallback | None = None
) -> Load:
    """Store the file, validate every row and record the report. Nothing is applied yet."""
    load = load_receive(actor=actor, source=source, path=path, file_name=file_name)
    if load.status == LoadStatus.RECEIVED:
        return load_validate(actor=actor, load=load, on_progress=on_progress)
    return load


def load_receive(*, actor: Any, source: Source, path: Path, file_name: str) -> Load:
    """Store the delivered file under its SHA-256; a file this source already applied is refused."""
    require(actor, Perm.LOAD_DATA)
    sha = sha256_file(path)
    suffix = Path(file_name).suffix.lower()[:10]
    stored = intake_dir() / f"{sha}{suffix}"
    if not stored.exists():
        shutil.copyfile(path, stored)
    load = Load.objects.create(
        source=source,
        source_system=source.name,
        kind=source.kind,
        created_by=actor if getattr(actor, "pk", None) else None,
        status=LoadStatus.RECEIVED,
        file_name=Path(file_name).name[:255],
        stored_file=str(stored),
        sha256=sha,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, instance=load)
    earlier = _already_imported(source, sha)
    if earlier is not None:
        return _refuse_duplicate(load, earlier)
    # A run of the same file that never finished (the process was stopped): say so, instead of leaving it
    # looking as if it were still being checked.
    Load.objects.filter(source=source, sha256=sha, status=LoadStatus.RECEIVED).exclude(pk=load.pk).update(
        status=LoadStatus.FAILED,
        message=f"Afbrudt før den blev færdig; filen er modtaget igen i nr. {load.pk}.",
    )
    return load


def load_validate(*, actor: Any, load: Load, on_progress: ProgressCallback | None = None) -> Load:
    require(actor, Perm.LOAD_DATA)
    if load.status != LoadStatus.RECEIVED:
        raise ValidationError("Indlæsningen er allerede kontrolleret.")
    return _validate(load, _opener(load), on_progress=on_progress)


def _validate(load: Load, open_: Callable[[], Table], on_progress: ProgressCallback | None = None) -> Load:
    try:
        with heartbeat(load.pk):
            scan = _scan(load, open_, commit=False, on_progress=on_progress)
            _store_issues(load, scan.report())
            load.counts = _counts(scan)
            load.status = LoadStatus.INVALID if scan.errors else LoadStatus.VALIDATED
            load.message = scan.invalid_message() if scan.errors else ""
            # Only while still received: a load ended meanwhile as stalled (its file is gone) stays ended.
            if not Load.objects.filter(pk=load.pk, status=LoadStatus.RECEIVED).update(
                counts=load.counts, status=load.status, message=load.message
            ):
                load.refresh_from_db()
    except Exception as error:  # noqa: BLE001 (every failure ends the load; see _fail)
        _fail(load, error)
    finally:
        progress_clear(load.pk)
    _discard_file(load)
    return load


class _Abort(Exception):
    def __init__(self, scan: Scan) -> None:
        self.scan = scan


def load_commit(*, actor: Any, load: Load, on_progress: ProgressCallback | None = None) -> Load:
    """Apply a validated load in one transaction: all rows or none. Returns the load with its status."""
    require(actor, Perm.LOAD_DATA)
    return _commit(actor=actor, load=load, on_progress=on_progress)


def load_import(
    *,
    actor: Any,
    source: Source,
    path: Path,
    file_name: str,
    expected_rows: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> Load:
    """Validate and apply in a single pass and a single transaction (the command line): any bad row
    aborts it, with every problem reported and nothing applied. Half the reading of prepare + commit."""
    load = load_receive(actor=actor, source=source, path=path, file_name=file_name)
    if load.status != LoadStatus.RECEIVED:
        return load
    if expected_rows:
        load.counts = {"rows": expected_rows}
    return _commit(actor=actor, load=load, on_progress=on_progress)


def _commit(
    *,
    actor: Any,
    load: Load,
    records_data: list[dict[str, Any]] | None = None,
    on_progress: ProgressCallback | None = None,
) -> Load:
    if load.status not in (LoadStatus.VALIDATED, LoadStatus.QUEUED, LoadStatus.RECEIVED):
        raise ValidationError(
            f"Indlæsningen kan ikke gennemføres, fordi den har status «{load.get_status_display()}»."
        )
    assert load.source is not None  # noqa: S101
    try:
        with heartbeat(load.pk), transaction.atomic():
            # Claim the file first: the partial unique index on (source, sha256) makes a second, concurrent
            # commit of the same file wait here and then fail, before it has applied anything.
            Load.objects.filter(pk=load.pk).update(status=LoadStatus.COMMITTING)
            scan = _scan(
                load,
                _opener(load, records_data),
                commit=True,
                expected_rows=load.counts.get("rows"),
                on_progress=on_progress,
            )
            if scan.errors:
                raise _Abort(scan)
            # In the same transaction: the figures of these months are stale exactly when the rows land.
            APPLIERS[load.kind](load.source_system).mark_touched(load)
            load.status = LoadStatus.COMMITTED
            load.counts = _counts(scan)
            load.committed_at = timezone.now()
            load.message = ""
            load.save(update_fields=["status", "counts", "committed_at", "message"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=load,
                before={"status": str(load.status)},
                extra={"counts": [None, load.counts]},
            )
    except _Abort as aborted:
        # Bad rows (or rows that became bad since validation, e.g. a unit was removed): nothing applied.
        was_validated = load.status != LoadStatus.RECEIVED
        load.refresh_from_db()
        _store_issues(load, aborted.scan.report())
        load.status = LoadStatus.INVALID
        load.counts = _counts(aborted.scan)
        if was_validated:
            load.message = "Rækker blev ugyldige mellem kontrol og indlæsning. Intet er ændret."
        else:
            load.message = aborted.scan.invalid_message()
        load.save(update_fields=["status", "counts", "message"])
    except DatabaseError as error:
        # A second commit of the same file fails on the unique index (or, on SQLite, on the lock): refused.
        _drop_if_broken()
        earlier = _already_imported(load.source, load.sha256) if load.sha256 else None
        if earlier is not None and earlier.pk != load.pk:
            load.refresh_from_db()
            return _refuse_duplicate(load, earlier)
        _fail(load, error)
    except Exception as error:  # noqa: BLE001 (every failure ends the load; see _fail)
        _fail(load, error)
    finally:
        progress_clear(load.pk)
    _discard_file(load)
    return load


def _drop_if_broken() -> None:
    """A connection that broke (the server ended it) stays broken until it is closed; the next query
    then opens a new one, so the load can still be ended with its message."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


_CALL_IT = "Kontakt it-afdelingen, hvis det sker igen."


def _fail(load: Load, error: BaseException) -> None:
    """End a load whose work broke off (the database went away, a bug): failed, with a Danish message,
    and its file deleted by the caller. Nothing was applied: the commit's transaction rolled back. The
    log gets the traceback's frames but not the error's text, which could quote a row of the file."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("Indlæsning %s fejlede: %s\n%s", load.pk, type(error).__name__, frames)
    if isinstance(error, OperationalError | InterfaceError):
        message = (
            "Forbindelsen til databasen svigtede under indlæsningen. Den er afbrudt, og intet er ændret; "
            "prøv igen om lidt."
        )
    elif isinstance(error, DatabaseError):
        message = "Databasen afviste indlæsningen, og intet er ændret. " + _CALL_IT
    else:
        message = "Indlæsningen fejlede uventet, og intet er ændret. " + _CALL_IT
    _drop_if_broken()
    Load.objects.filter(pk=load.pk).update(status=LoadStatus.FAILED, message=message)
    load.status, load.message = LoadStatus.FAILED, message


# Loads in these states are being worked on, or wait for the worker (see tasks.loads_waiting).
ACTIVE = (LoadStatus.RECEIVED, LoadStatus.QUEUED, LoadStatus.COMMITTING)
STALLED_MESSAGE = (
    "Indlæsningen holdt op med at svare, før den blev færdig (programmet, der læste filen, blev stoppet). "
    "Intet er ændret, og filen er slettet; indlæs den igen."
)


def loads_end_stalled(*, waiting: Callable[[], set[int]]) -> list[int]:
    """End as failed every active load whose heartbeat is older than INTAKE_STALL_SECONDS (its process was
    killed), except those `waiting` for the worker (asked only when there are candidates); delete their
    files. Returns their ids."""
    limit = settings.INTAKE_STALL_SECONDS
    now = time.time()
    old = list(
        Load.objects.filter(status__in=ACTIVE, created_at__lt=timezone.now() - timedelta(seconds=limit))
    )
    if not old:
        return []
    queued = waiting()
    ended = []
    for load in old:
        if load.pk in queued:
            continue
        last = heartbeat_get(load.pk) or load.created_at.timestamp()
        if now - last <= limit:
            continue
        # Only while still active: a load that finished meanwhile keeps its status.
        if Load.objects.filter(pk=load.pk, status__in=ACTIVE).update(
            status=LoadStatus.FAILED, message=STALLED_MESSAGE
        ):
            load.status, load.message = LoadStatus.FAILED, STALLED_MESSAGE
            progress_clear(load.pk)
            _discard_file(load)
            ended.append(load.pk)
    return ended


@transaction.atomic
def load_rollback(*, actor: Any, load: Load) -> Load:
    """Remove the load's inserts and revert its updates. Only the source's latest committed load can be
    rolled back, so no later load depends on the rows it wrote."""
    require(actor, Perm.LOAD_DATA)
    load = Load.objects.select_for_update().get(pk=load.pk)
    if load.status != LoadStatus.COMMITTED:
        raise ValidationError("Kun en gennemført indlæsning kan rulles tilbage.")
    later = Load.objects.filter(
        source=load.source, status=LoadStatus.COMMITTED, committed_at__gt=load.committed_at
    ).exists()
    if later:
        raise ValidationError("En senere indlæsning fra samme kildesystem skal rulles tilbage først.")
    applier = APPLIERS[load.kind](load.source_system)
    applier.mark_touched(load)
    applier.rollback(load)
    before = snapshot(load)
    load.status = LoadStatus.ROLLED_BACK
    load.rolled_back_at = timezone.now()
    load.rolled_back_by = actor if getattr(actor, "pk", None) else None
    load.save(update_fields=["status", "rolled_back_at", "rolled_back_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=load, before=before)
    return load


class TokenRefused(Exception):
    """No token, a wrong token, or the token of another source."""


def load_push(*, token: str, source: Source | str, records_data: list[dict[str, Any]]) -> tuple[Load, bool]:
    """The REST push: the source's own token authorises it; then the same validation and commit as a
    file. Returns the load and whether it is new: an identical body is answered with the load that
    already applied it (idempotent retries). A source name that does not exist is refused like a wrong
    token, so the answer tells a caller nothing about which names exist."""
    if isinstance(source, str):
        found = Source.objects.filter(name=source).first()
        if found is None:
            raise TokenRefused("Ugyldig eller manglende API-nøgle for dette kildesystem.")
        source = found
    if (
        not token
        or not source.api_token_hash
        or not secrets.compare_digest(token_hash(token), source.api_token_hash)
    ):
        raise TokenRefused("Ugyldig eller manglende API-nøgle for dette kildesystem.")
    actor = None  # recorded as the source system itself (created_by empty, file name "API")
    body = json.dumps(records_data, sort_keys=True, ensure_ascii=False, default=str).encode()
    sha = hashlib.sha256(body).hexdigest()
    earlier = _already_imported(source, sha)
    if earlier is not None:
        return earlier, False
    load = Load.objects.create(
        source=source,
        source_system=source.name,
        kind=source.kind,
        created_by=actor,
        status=LoadStatus.RECEIVED,
        file_name="API",
        sha256=sha,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, instance=load)
    load = _validate(load, _opener(load, records_data))
    if load.status == LoadStatus.VALIDATED:
        load = _commit(actor=actor, load=load, records_data=records_data)
    return load, True
