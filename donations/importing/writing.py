"""Writing checked rows: PostgreSQL COPY where available, bulk_create elsewhere.

Measured on the 60,000-row bench file (bench/import_bench.py): bulk_create spends most of its
time building model instances and SQL text; COPY streams tuples straight to the server and is
several times faster. COPY cannot return ids, so the ids are taken from the table's sequence
first, in one query, and written explicitly. Model.save() is never called on this path, so
everything save() would fill (sector and branch, timestamps, normalised names) is set here or by
validation.
"""

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from donations.models import Donation, Donor, ImportBatch, RemittanceLine

from .integrity import row_triggers_off
from .validation import UNIT

DONOR_FIELDS = ("kind", "name", "credit_code", "sector_id", "branch_id", "employer_id", "source_batch_id")
DONATION_FIELDS = (
    "donor_id",
    "campaign_id",
    "sector_id",
    "branch_id",
    "amount",
    "received_on",
    "channel",
    "route",
    "head_count",
    "receipt_no",
    "project_id",
    "anonymous",
    "note",
    "batch_id",
    "entered_by_id",
)
LINE_FIELDS = ("remittance_id", "donor_id", "amount", "anonymous", "note", "batch_id")


def use_copy():
    return connection.vendor == "postgresql"


def other_columns(model, given, now):
    """Values for the columns an import does not set: model defaults, and now for auto_now_add."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in given:
            continue
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            values[f.attname] = now
        elif f.default is not NOT_PROVIDED or not f.null:
            values[f.attname] = f.get_default()
        else:
            values[f.attname] = None
    return values


def insert(model, attnames, rows, now, references=None):
    """Insert tuples of `attnames` values; return the new primary keys in row order.

    `references` (integrity.References) records what was written when the database's
    foreign-key triggers are off.
    """
    if not rows:
        return []
    extra = other_columns(model, attnames, now)
    if use_copy():
        ids = copy_insert(model, attnames, rows, extra)
        if references is not None:
            references.record(model, attnames, rows, ids, extra)
        return ids
    objs = [model(**dict(zip(attnames, row, strict=True)), **extra) for row in rows]
    model.objects.bulk_create(objs, batch_size=2000)
    return [obj.pk for obj in objs]


def copy_insert(model, attnames, rows, extra):
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        # One round trip for all ids; nextval() keeps the sequence right for later inserts.
        # The sequence is looked up once: pg_get_serial_sequence() in the select list runs per
        # row and made this query 6x slower (0.24 s against 0.04 s for 60,000 ids).
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)])
        ids = [pk for (pk,) in cursor.fetchall()]
        column_of = {f.attname: f.column for f in meta.concrete_fields}
        columns = [meta.pk.column] + [column_of[name] for name in (*attnames, *extra)]
        constant = tuple(extra.values())
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row, *constant))
    return ids


def write_import(
    rows,
    plan,
    new_donors,
    campaign,
    user,
    *,
    forced,
    outside_dates_allowed,
    outside_dates_reason="",
    progress=None,
):
    """The batch, its new donors, donations and lines; `progress(rows written)` after each table."""
    now = timezone.now()
    batch = ImportBatch.objects.create(
        campaign=campaign,
        file_name=plan.file_name[:255],
        sha256=plan.sha256,
        row_count=plan.row_count,
        donation_count=plan.donation_count,
        line_count=plan.line_count,
        new_donor_count=plan.new_donor_count,
        total_amount=plan.total_amount,
        created_by=user,
        forced=forced,
        outside_dates_allowed=outside_dates_allowed,
        outside_dates_reason=outside_dates_reason[:200],
    )
    with row_triggers_off() as references:
        write_rows(rows, new_donors, batch, campaign, user, now, references, progress or _ignore)
    return batch


def _ignore(done):
    pass


def write_rows(rows, new_donors, batch, campaign, user, now, references, progress):
    # Ids and defaults are looked up once, not per row: `batch.pk` alone was 140,000 calls of
    # Model._get_pk_val for the bench file (35 ms under cProfile).
    user_id = user.pk if user is not None else None
    batch_id, campaign_id = batch.pk, campaign.pk
    bank, account = Donation.Channel.BANK, Donation.Route.ACCOUNT
    donor_ids = write_donors(new_donors, batch_id, now, references)

    def donor_id(ref):
        return ref if ref > 0 else donor_ids[-ref - 1]

    gifts = [i for i, line_of in enumerate(rows.remittance_refs) if not line_of]
    donation_ids = insert(
        Donation,
        DONATION_FIELDS,
        [
            (
                donor_id(rows.donor_refs[i]),
                campaign_id,
                rows.sector_ids[i],
                rows.branch_ids[i],
                rows.amounts[i],
                rows.received_on[i],
                rows.channels[i] or bank,
                rows.routes[i] or account,
                rows.head_counts[i],
                rows.receipts[i],
                rows.project_ids[i],
                rows.anonymous[i] or False,
                rows.notes[i],
                batch_id,
                user_id,
            )
            for i in gifts
        ],
        now,
        references,
    )
    progress(len(donation_ids))
    donation_of_row = dict(zip(gifts, donation_ids, strict=True))
    donor_refs, amounts, anonymous, notes = rows.donor_refs, rows.amounts, rows.anonymous, rows.notes
    line_rows = []
    for remittance in rows.remittances.values():
        target = donation_of_row[remittance.row] if remittance.row is not None else remittance.donation_id
        line_rows.extend(
            (target, donor_id(donor_refs[i]), amounts[i], anonymous[i] or False, notes[i], batch_id)
            for i in remittance.lines
        )
    insert(RemittanceLine, LINE_FIELDS, line_rows, now, references)
    progress(len(donation_ids) + len(line_rows))


def write_donors(new_donors, batch_id, now, references):
    """Create the file's new donors, units first: their staff point to them as employer."""
    ids = [None] * len(new_donors)
    units = [n for n, d in enumerate(new_donors) if d.kind == UNIT]
    people = [n for n, d in enumerate(new_donors) if d.kind != UNIT]
    unit_ids = insert(
        Donor,
        DONOR_FIELDS,
        [
            (d.kind, d.name, d.credit_code, d.sector_id, d.branch_id, None, batch_id)
            for d in map(new_donors.__getitem__, units)
        ],
        now,
        references,
    )
    for n, pk in zip(units, unit_ids, strict=True):
        ids[n] = pk

    def employer_id(ref):
        return None if ref is None else ref if ref > 0 else ids[-ref - 1]

    person_ids = insert(
        Donor,
        DONOR_FIELDS,
        [
            (d.kind, d.name, "", d.sector_id, None, employer_id(d.employer_ref), batch_id)
            for d in map(new_donors.__getitem__, people)
        ],
        now,
        references,
    )
    for n, pk in zip(people, person_ids, strict=True):
        ids[n] = pk
    return ids
