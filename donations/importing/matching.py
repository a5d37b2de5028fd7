"""Matching each row's donor to an existing Donor or to one new donor, in a few set-based queries.

A donor reference is an int: a positive id for a donor already in the database, and -(n + 1) for
the n-th new donor this file creates. Rules, in order:

- a unit is matched by credit code, else by normalised name; one name with two credit codes in a
  file is an error, two names with one credit code are one unit (the code wins);
- an individual is matched by normalised name and unit (所在单位); the unit must be in the
  database or be a unit of the same file; an itemisation line's unit defaults to the remitter;
- whatever matches nothing becomes exactly one new donor, however many rows name it.
"""

from dataclasses import dataclass

from donations.models import Donor

from .queries import filter_in
from .validation import INDIVIDUAL, UNIT


@dataclass
class NewDonor:
    kind: str
    name: str
    credit_code: str = ""
    sector_id: int | None = None
    branch_id: int | None = None
    employer_ref: int | None = None


class DonorMatcher:
    def __init__(self, rows, log):
        self.rows = rows
        self.log = log
        self.new = []
        self.unit_ref_by_name = {}  # file's unit names -> ref
        self.db_units_by_name = {}
        self.by_code = {}
        # Database donors seen while matching: id -> attribution.DONOR_COLUMNS values, so the
        # attribution rule needs no second query for them.
        self.known = {}

    def new_ref(self, donor):
        self.new.append(donor)
        return -len(self.new)

    @property
    def matched_count(self):
        return len({ref for ref in self.rows.donor_refs if ref is not None and ref > 0})

    def match(self, remitter_of_line):
        """Fill rows.donor_refs and rows.employers; remitter_of_line(i) gives a line's unit ref."""
        rows = self.rows
        rows.donor_refs = [None] * len(rows)
        rows.employers = [None] * len(rows)
        self.match_units()
        self.match_individuals(remitter_of_line)

    # --- units ---

    def match_units(self):
        rows, log = self.rows, self.log
        unit_rows = [i for i in range(len(rows)) if rows.kinds[i] == UNIT and rows.names[i]]
        code_of_name, first_row_of_name = {}, {}
        for i in unit_rows:
            name, code = rows.names[i], rows.credit_codes[i]
            first_row_of_name.setdefault(name, i)
            if not code:
                continue
            known = code_of_name.setdefault(name, code)
            if known != code:
                log.add(
                    i,
                    "统一社会信用代码",
                    f"单位“{name}”在本文件中已使用信用代码 {known}，本行为 {code}；"
                    "同一单位只能有一个信用代码",
                )
        employer_names = {name for name in rows.employer_names if name}
        codes = set(code_of_name.values())
        by_code = {}
        # exclude("") lets PostgreSQL use the partial unique index on credit codes.
        for query in filter_in(Donor.objects.exclude(credit_code=""), "credit_code", codes):
            columns = ("id", "credit_code", "sector_id", "branch_id")
            for pk, code, sector_id, branch_id in query.values_list(*columns):
                by_code[code] = pk
                self.known[pk] = (UNIT, sector_id, branch_id, None)
        names = set(first_row_of_name) | employer_names
        for query in filter_in(Donor.objects.filter(kind=UNIT), "name", names):
            columns = ("id", "name", "credit_code", "sector_id", "branch_id")
            for pk, name, code, sector_id, branch_id in query.values_list(*columns):
                self.db_units_by_name[name] = (pk, code)
                self.known[pk] = (UNIT, sector_id, branch_id, None)

        self.by_code = by_code
        ref_by_code = {}
        for name, i in first_row_of_name.items():
            code = code_of_name.get(name)
            ref = ref_by_code.get(code) if code else None
            if ref is None:
                ref = self.existing_unit(name, code, i)
            if ref is None:
                ref = self.new_ref(NewDonor(UNIT, name, code or "", rows.sector_ids[i], rows.branch_ids[i]))
            if code:
                ref_by_code[code] = ref
            self.unit_ref_by_name[name] = ref
        for i in unit_rows:
            rows.donor_refs[i] = self.unit_ref_by_name[rows.names[i]]

    def existing_unit(self, name, code, i):
        if code and code in self.by_code:
            return self.by_code[code]
        found = self.db_units_by_name.get(name)
        if found is None:
            return None
        pk, db_code = found
        if code and db_code and db_code != code:
            self.log.add(
                i,
                "统一社会信用代码",
                f"数据库中的单位“{name}”信用代码为 {db_code}，与本行 {code} 不一致；请核对",
            )
        return pk

    # --- individuals ---

    def match_individuals(self, remitter_of_line):
        rows, log = self.rows, self.log
        # Columns bound to locals: these loops run once per person (59,400 in the bench file).
        names, employer_names, employers = rows.names, rows.employer_names, rows.employers
        line_of = rows.remittance_refs
        person_rows = [
            i
            for i, (kind, name) in enumerate(zip(rows.kinds, names, strict=True))
            if kind == INDIVIDUAL and name
        ]
        unit_ref_by_name, db_units_by_name = self.unit_ref_by_name, self.db_units_by_name
        for i in person_rows:
            employer_name = employer_names[i]
            if employer_name:
                ref = unit_ref_by_name.get(employer_name)
                if ref is None and employer_name in db_units_by_name:
                    ref, _code = db_units_by_name[employer_name]
                if ref is None:
                    log.add(
                        i,
                        "所在单位",
                        f"所在单位“{employer_name}”既不在数据库中，也不是本文件中的单位；"
                        "请先在系统中添加该单位，或在本文件中加入该单位的捐赠行",
                    )
                employers[i] = ref
            elif line_of[i]:
                employers[i] = remitter_of_line(i)

        existing = {}
        people = Donor.objects.filter(kind=INDIVIDUAL).order_by("-id")
        for query in filter_in(people, "name", {names[i] for i in person_rows}):
            for pk, name, employer_id, sector_id, branch_id in query.values_list(
                "id", "name", "employer_id", "sector_id", "branch_id"
            ):
                existing[(name, employer_id)] = pk  # descending ids: the oldest donor wins
                self.known[pk] = (INDIVIDUAL, sector_id, branch_id, employer_id)
        new_refs = {}
        donor_refs, sector_ids, sector_names = rows.donor_refs, rows.sector_ids, rows.sector_names
        for i in person_rows:
            key = (names[i], employers[i])
            ref = existing.get(key) if key[1] is None or key[1] > 0 else None
            if ref is None:
                ref = new_refs.get(key)
                if ref is None:
                    explicit = sector_ids[i] if sector_names[i] and not line_of[i] else None
                    ref = new_refs[key] = self.new_ref(
                        NewDonor(INDIVIDUAL, key[0], sector_id=explicit, employer_ref=key[1])
                    )
            donor_refs[i] = ref
