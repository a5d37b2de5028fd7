"""Ten years of a federation's data for bench/admin_bench.py, written once with COPY.

Ten one-day campaigns (2014-2023) of 100,000 donations each by default: about a thousand units
remitting for their staff (most with the staff list itemised as remittance lines), the rest gifts
of people, some of them staff giving on their own. Donors are the demo's unit names and invented
people with the demo's common Hunan surnames, so a common name (王伟, 刘芳) matches hundreds of
people, as it does in a real city. Most rows come through import batches; a fifth were typed in
by clerks, whose saves fill the audit trail. Relief projects, honor-roll issues and ranking
editions are published through their services, as staff would.

Everything is one transaction: an interrupted load leaves nothing behind, and a complete one is
marked by `MARKER` in the last campaign's description, which later runs look for.
"""

import dataclasses
import datetime
import json
import random
from decimal import Decimal

YEARS = range(2014, 2024)
MARKER = "admin_bench 十年数据"
STAFF_USERS = 12
BATCHES_PER_CAMPAIGN = 40
ISSUES_PER_CAMPAIGN = 5
PROJECTS = (
    "慈善光明行",
    "慈康项目",
    "春风行动",
    "慈惠民生保险",
    "贫困灾民住房保障",
    "情暖回家路",
    "肾友血透",
    "金秋助学",
)


def loaded():
    from campaigns.models import Campaign

    return Campaign.objects.filter(description=MARKER).exists()


def load(donations=1_000_000, lines=2_000_000, audit_entries=300_000, report=print):
    """Fill an empty database (after migrate); returns nothing, reports each step's time."""
    from django.db import transaction

    with transaction.atomic():
        Loader(donations, lines, audit_entries, report).run()


class Loader:
    def __init__(self, donations, lines, audit_entries, report):
        self.rng = random.Random(20240101)
        self.total_donations = donations
        self.total_lines = lines
        self.total_audit = audit_entries
        self.report = report

    def run(self):
        import time

        from django.db import connection

        steps = [
            ("账号、分会、单位", self.people_and_places),
            ("捐赠人", self.donors),
            ("活动与导入批次", self.campaigns_and_batches),
            ("捐赠与汇款明细", self.donations_and_lines),
            ("救助项目", self.relief),
            ("操作记录", self.audit_trail),
            ("光荣榜与排行榜", self.publications),
        ]
        for label, step in steps:
            started = time.perf_counter()
            step()
            self.report(f"  {label}：{time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- staff accounts, branches, units ---------------------------------------------------------

    def people_and_places(self):
        from django.contrib.auth.models import User

        from campaigns.demo import names
        from donations.models import Branch, Sector

        self.admin = User.objects.create_superuser("bench-admin", None, None)
        self.clerks = []
        for n in range(1, STAFF_USERS + 1):
            clerk = User(username=f"clerk{n:02d}", first_name=names.person_name(self.rng), is_staff=True)
            clerk.set_unusable_password()
            self.clerks.append(clerk)
        User.objects.bulk_create(self.clerks)
        self.sectors = {s.name: s for s in Sector.objects.all()}
        self.branches = {}
        for sector, name, parent in names.BRANCHES:
            self.branches[sector, name] = Branch.objects.create(
                sector=self.sectors[sector], name=name, parent=self.branches.get((sector, parent))
            )
        # Most sectors have a 分会 or two of their own by now (the 2019 report names several).
        for sector in self.sectors.values():
            for suffix in ("慈善分会", "第二分会")[: 1 + (sector.pk % 2)]:
                name = f"{sector.name.removesuffix('慈善分会')}{suffix}"
                if (sector.name, name) not in self.branches:
                    self.branches[sector.name, name] = Branch.objects.create(sector=sector, name=name)

    def donors(self):
        """About a thousand units (the demo's, and more companies), staff and people on their own."""
        from campaigns.demo import names
        from campaigns.demo.split import heavy_tailed_weight

        rng = self.rng
        taken, codes = set(), set()
        self.units = []  # (id, sector id, branch id)
        rows = []
        next_id = self.last_id("donations_donor") + 1
        for group in names.UNIT_GROUPS:
            # Invented companies are four times as many as the demo's: ten years bring new ones.
            if not isinstance(group.names, tuple):
                group = dataclasses.replace(group, in_2023=group.size * 4, only_2022=0)
            unit_names = names.unit_names(group, rng, taken)
            branch = self.branches.get((group.sector, group.branch))
            sector = self.sectors[group.sector]
            for name in unit_names:
                display = "anonymous" if rng.random() < 0.02 else "real"
                rows.append(
                    (next_id, "unit", name, names.credit_code(name, rng, codes), sector.pk,
                     branch.pk if branch else None, None, display, "",
                     names.person_name(rng), f"0734-8{rng.randint(100000, 999999)}",
                     self.address(), "", self.moment(2014, 2023))
                )  # fmt: skip
                self.units.append((next_id, sector.pk, branch.pk if branch else None))
                next_id += 1
        # Staff sized so that ten years of itemised lists come to about `total_lines` lines:
        # a unit gives in 85 % of years, itemises in 80 % of those, listing 95 % of its staff.
        staff_total = int(self.total_lines / (len(YEARS) * 0.85 * 0.8 * 0.95))
        # Most units have a few dozen staff on their list, a few hospitals and schools thousands.
        weights = [heavy_tailed_weight(rng) for _ in self.units]
        scale = staff_total / sum(weights)
        self.staff = {}  # unit id -> [person ids]
        for (unit_id, _, _), weight in zip(self.units, weights, strict=True):
            ids = []
            for _ in range(max(3, min(3000, round(weight * scale)))):
                rows.append(self.person_row(next_id, unit_id))
                ids.append(next_id)
                next_id += 1
            self.staff[unit_id] = ids
        first_independent = next_id
        for _ in range(max(1000, self.total_donations // 10)):
            rows.append(self.person_row(next_id, None))
            next_id += 1
        self.independents = range(first_independent, next_id)
        self.staff_people = [p for ids in self.staff.values() for p in ids]
        self.copy(
            "donations_donor",
            "id, kind, name, credit_code, sector_id, branch_id, employer_id, display, alias,"
            " contact_person, phone, address, note, created_at",
            rows,
        )
        self.donor_count = len(rows)

    def person_row(self, pk, employer):
        from campaigns.demo import names

        draw = self.rng.random()
        display, alias = ("real", "")
        if draw < 0.015:
            display, alias = ("anonymous", "") if draw < 0.01 else ("alias", "一位老党员")
        phone = f"1{self.rng.randint(3000000000, 9999999999)}" if self.rng.random() < 0.3 else ""
        return (pk, "individual", names.person_name(self.rng), "", None, None, employer, display, alias,
                "", phone, "", "", self.moment(2014, 2023))  # fmt: skip

    # --- campaigns, batches, donations, lines --------------------------------------------------------

    def campaigns_and_batches(self):
        from campaigns.models import Campaign
        from donations.models import ImportBatch

        self.campaigns = [
            Campaign.objects.create(
                name=f"{year}年慈善一日捐",
                year=year,
                kind=Campaign.Kind.ONE_DAY,
                start_date=datetime.date(year, 8, 28),
                end_date=datetime.date(year, 12, 31),
                goal=Decimal(15_000_000 + 500_000 * (year - 2014)),
            )
            for year in YEARS
        ]
        self.batches = {}
        for campaign in self.campaigns:
            batches = []
            for n in range(BATCHES_PER_CAMPAIGN):
                status = (
                    ImportBatch.Status.FINAL
                    if campaign.year < 2023
                    else ImportBatch.Status.ROLLED_BACK
                    if n % 13 == 5
                    else ImportBatch.Status.IMPORTED
                )
                batches.append(
                    ImportBatch(
                        campaign=campaign,
                        file_name=f"{campaign.year}年第{n + 1}批汇款明细.xlsx",
                        sha256=f"{campaign.year:04d}{n:04d}".ljust(64, "0"),
                        status=status,
                        created_by=self.rng.choice(self.clerks),
                    )
                )
            batches = ImportBatch.objects.bulk_create(batches)
            for n, batch in enumerate(batches):
                ImportBatch.objects.filter(pk=batch.pk).update(
                    created_at=self.at(campaign.start_date + datetime.timedelta(days=3 * n + 1))
                )
            self.batches[campaign.pk] = [b.pk for b in batches if b.status != ImportBatch.Status.ROLLED_BACK]
        self.batch_list = [b for ids in self.batches.values() for b in ids]

    def donations_and_lines(self):
        from relief.models import ReliefProject

        rng = self.rng
        personal = self.sectors["个人"].pk
        self.projects_by_year = {}
        projects = []
        for year in YEARS:
            for name in PROJECTS:
                projects.append(
                    ReliefProject(
                        name=f"{year}年{name}",
                        category=rng.choice(ReliefProject.Category.values),
                        year=year,
                        budget=Decimal(rng.randrange(100_000, 6_000_000, 10_000)),
                        partners="爱尔眼科、市残联" if name == "慈善光明行" else "",
                    )
                )
        for project in ReliefProject.objects.bulk_create(projects):
            self.projects_by_year.setdefault(project.year, []).append(project.pk)
        donation_rows, line_rows = [], []
        self.remittances = []  # (donation id, line count)
        self.hand_entered = []  # (donation id, year)
        donation_id = self.last_id("donations_donation")
        line_id = self.last_id("donations_remittanceline")
        per_campaign = self.total_donations // len(self.campaigns)
        for campaign in self.campaigns:
            days = (campaign.end_date - campaign.start_date).days
            batches = self.batches[campaign.pk]
            count = 0

            def gift_day(start=campaign.start_date, days=days):
                # Most money arrives in the last weeks of a campaign.
                return start + datetime.timedelta(days=round(days * rng.betavariate(2.2, 1.2)))

            def provenance(day, start=campaign.start_date, batches=batches):
                # A fifth typed in by clerks, the rest imported in the batch of their days.
                if rng.random() < 0.2:
                    return None, rng.choice(self.clerks).pk
                return batches[min(len(batches) - 1, (day - start).days // 3)], None

            for unit_id, sector_id, branch_id in self.units:
                if rng.random() >= 0.85 or count >= per_campaign:
                    continue
                donation_id += 1
                count += 1
                day = gift_day()
                batch, clerk = provenance(day)
                staff = self.staff[unit_id]
                listed = [p for p in staff if rng.random() < 0.95] if rng.random() < 0.8 else []
                amounts = [rng.choice((50, 100, 100, 150, 200, 300, 500)) for _ in listed]
                amount = sum(amounts) + rng.randrange(0, 20_000) + 100
                for person, share in zip(listed, amounts, strict=True):
                    line_id += 1
                    line_rows.append((line_id, donation_id, person, share, rng.random() < 0.01, "", batch))
                if listed:
                    self.remittances.append((donation_id, len(listed)))
                receipt = f"HY{campaign.year}-U{donation_id:07d}"
                donation_rows.append(
                    (donation_id, unit_id, campaign.pk, sector_id, branch_id, amount, day, "bank",
                     len(listed) or max(1, round(len(staff) * 0.9)), receipt, None, False, "", batch,
                     clerk, self.at(day))
                )  # fmt: skip
                if clerk:
                    self.hand_entered.append((donation_id, campaign.year))
            staff_by_unit = [(u, s, b) for u, s, b in self.units]
            while count < per_campaign:
                donation_id += 1
                count += 1
                day = gift_day()
                batch, clerk = provenance(day)
                if rng.random() < 0.35:  # staff giving on their own, counted in their unit's sector
                    unit_id, sector_id, branch_id = rng.choice(staff_by_unit)
                    donor = rng.choice(self.staff[unit_id])
                else:
                    donor, sector_id, branch_id = rng.choice(self.independents), personal, None
                amount = rng.choice((10, 20, 50, 50, 100, 100, 100, 200, 200, 500, 1000, 2000, 5000))
                amount = Decimal(amount) + (Decimal(rng.randrange(100)) / 100 if rng.random() < 0.1 else 0)
                receipt = f"HY{campaign.year}-P{donation_id:07d}" if rng.random() < 0.3 else ""
                project = rng.choice(self.projects_by_year[campaign.year]) if rng.random() < 0.003 else None
                channel = rng.choice(("wechat", "wechat", "alipay", "bank", "cash"))
                donation_rows.append(
                    (donation_id, donor, campaign.pk, sector_id, branch_id, amount, day, channel, None,
                     receipt, project, rng.random() < 0.01, "", batch, clerk, self.at(day))
                )  # fmt: skip
                if clerk:
                    self.hand_entered.append((donation_id, campaign.year))
        # Reviewed (已确认) when entered, the way ten years of data stand; the gifts of batches
        # still open are made pending just below.
        self.copy(
            "donations_donation",
            "id, donor_id, campaign_id, sector_id, branch_id, amount, received_on, channel, head_count,"
            " receipt_no, project_id, anonymous, note, batch_id, entered_by_id, entered_at,"
            " status, confirmed_at, reversal_reason",
            ((*row, "confirmed", row[-1], "") for row in donation_rows),
        )
        self.pending_until_their_batch_is_confirmed()
        self.donation_count = len(donation_rows)
        del donation_rows
        self.copy(
            "donations_remittanceline",
            "id, remittance_id, donor_id, amount, anonymous, note, batch_id",
            line_rows,
        )
        self.line_count = len(line_rows)

    # --- relief ------------------------------------------------------------------------------------

    def relief(self):
        from relief import crypto, services
        from relief.idnumbers import check_char
        from relief.models import (
            Beneficiary,
            Disbursement,
            DisbursementShare,
            Disclosure,
            District,
            StatutoryFiling,
        )

        rng = self.rng
        people, digests = [], set()
        surnames, given = "刘李王张陈周罗彭谭唐邓曾肖胡黄", "翠菊淑珍素琼芝荣贵富昌茂根旺满仁礼义孝碧瑶"
        while len(people) < 10_000:
            born = datetime.date(rng.randint(1940, 2012), 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
            first17 = f"430421{born:%Y%m%d}{rng.randint(1, 999):03d}"
            number = first17 + check_char(first17)
            digest = crypto.digest(number)
            if digest in digests:
                continue
            digests.add(digest)
            people.append(
                Beneficiary(
                    name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                    id_number=number,
                    id_number_digest=digest,
                    district=rng.choice(District.values),
                    group=rng.choice(Beneficiary.Group.values),
                )
            )
        people = Beneficiary.objects.bulk_create(people)
        disbursements = []
        for year, projects in self.projects_by_year.items():
            for project in projects:
                for n in range(4):
                    disbursements.append(
                        Disbursement(
                            project_id=project,
                            voucher_no=f"ZC{year}-{project:03d}-{n + 1}",
                            paid_on=datetime.date(year, 3 * n + 2, 15),
                            amount=Decimal(rng.randrange(20_000, 500_000, 100)),
                            people_helped=rng.randrange(10, 300),
                            purpose=f"第{n + 1}季度救助支出",
                        )
                    )
        disbursements = Disbursement.objects.bulk_create(disbursements)
        shares = []
        for person in people:
            shares.append(
                DisbursementShare(
                    disbursement=rng.choice(disbursements), beneficiary=person, amount=Decimal("1000.00")
                )
            )
        DisbursementShare.objects.bulk_create(shares)
        for year, projects in self.projects_by_year.items():
            for project in projects[:3]:
                disclosure = Disclosure.objects.create(
                    project_id=project,
                    kind="progress",
                    title=f"{year}年项目进展公示（{project}）",
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 6, 30),
                    objection_start=datetime.date(year, 7, 10),
                    objection_end=datetime.date(year, 7, 16),
                    objection_contact="0734-8860089",
                    summary="项目按计划实施。",
                )
                services.publish_disclosure(disclosure)
            StatutoryFiling.objects.create(
                kind="annual_work", year=year, published_on=datetime.date(year + 1, 5, 20)
            )

    # --- the audit trail -----------------------------------------------------------------------------

    def audit_trail(self):
        """What ten years of clerks' saves leave: an entry for each typed-in donation, its later
        corrections, donors typed in and corrected, and one entry per imported batch."""
        from django.contrib.contenttypes.models import ContentType

        from donations.models import Donation, Donor, ImportBatch

        rng = self.rng
        donation_type = ContentType.objects.get_for_model(Donation).pk
        donor_type = ContentType.objects.get_for_model(Donor).pk
        batch_type = ContentType.objects.get_for_model(ImportBatch).pk
        clerks = [(c.pk, c.username) for c in self.clerks]
        rows = []
        entry_id = self.last_id("charity_auditentry")

        def entry(action, content_type, object_id, repr_, changes, data, year):
            nonlocal entry_id
            entry_id += 1
            actor, label = rng.choice(clerks)
            rows.append(
                (entry_id, self.moment(year, year), actor, label, action, content_type, str(object_id), repr_,
                 json.dumps(changes, ensure_ascii=False), json.dumps(data, ensure_ascii=False))
            )  # fmt: skip

        for batch in self.batch_list:
            name = f"批次{batch}.xlsx"
            data = {"file_name": name, "sha256": f"{batch:08d}".ljust(64, "a"), "rows": 2500}
            entry("donations.import_batch.imported", batch_type, batch, name, [], data, 2014 + batch % 10)
        corrections = max(0, self.total_audit - len(rows) - len(self.hand_entered)) // 2
        for donation_id, year in self.hand_entered:
            if len(rows) >= self.total_audit - corrections:
                break
            amount = str(rng.randrange(10, 999))
            changes = [
                {"field": "amount", "label": "金额（元）", "before": None, "after": amount},
                {"field": "received_on", "label": "捐赠日期", "before": None, "after": f"{year}-10-01"},
                {"field": "channel", "label": "渠道", "before": None, "after": "微信"},
            ]  # fmt: skip
            entry("donations.donation.created", donation_type, donation_id, f"捐赠 #{donation_id}", changes,
                  {}, year)  # fmt: skip
        while len(rows) < self.total_audit:
            if rng.random() < 0.6:
                donation_id, year = rng.choice(self.hand_entered)
                changes = [{"field": "amount", "label": "金额（元）", "before": "100.00", "after": "200.00"}]
                entry("donations.donation.changed", donation_type, donation_id, f"捐赠 #{donation_id}",
                      changes, {}, year)  # fmt: skip
            else:
                donor = rng.randrange(1, self.donor_count)
                changes = [{"field": "phone", "label": "电话", "before": "", "after": "0734-8888888"}]
                entry("donations.donor.changed", donor_type, donor, f"捐赠人 #{donor}", changes, {},
                      rng.choice(YEARS))  # fmt: skip
        self.copy(
            "charity_auditentry",
            "id, created_at, actor_id, actor_label, action, content_type_id, object_id, object_repr,"
            " changes, data",
            rows,
        )

    # --- published snapshots --------------------------------------------------------------------------

    def publications(self):
        from campaigns import services
        from campaigns.models import Campaign, HonorRollIssue, RankingEdition
        from campaigns.rankings.content import add_default_categories

        for campaign in self.campaigns:
            span = (campaign.end_date - campaign.start_date).days
            for number in range(1, ISSUES_PER_CAMPAIGN + 1):
                cut_off = campaign.start_date + datetime.timedelta(days=span * number // ISSUES_PER_CAMPAIGN)
                issue = HonorRollIssue.objects.create(campaign=campaign, number=number, cut_off=cut_off)
                services.publish_honor_roll(issue, self.admin)
        for number, year in enumerate(YEARS, start=1):
            edition = RankingEdition.objects.create(number=number, year=year)
            add_default_categories(edition)
            services.publish_ranking(edition, self.admin)
        Campaign.objects.filter(pk=self.campaigns[-1].pk).update(description=MARKER)

    # --- helpers ---------------------------------------------------------------------------------------

    def address(self):
        from campaigns.demo import names

        street, number = self.rng.choice(names.STREETS), self.rng.randint(1, 300)
        return f"衡阳市{self.rng.choice(names.URBAN_DISTRICTS)}区{street}{number}号"

    def moment(self, first_year, last_year):
        start = datetime.datetime(first_year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(last_year, 12, 31, tzinfo=datetime.UTC)
        return start + datetime.timedelta(seconds=self.rng.randrange(int((end - start).total_seconds())))

    def at(self, day):
        return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC) + datetime.timedelta(
            minutes=self.rng.randrange(600)
        )

    def pending_until_their_batch_is_confirmed(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE donations_donation SET status = 'pending', confirmed_at = NULL"
                " WHERE batch_id IN (SELECT id FROM donations_importbatch WHERE status = 'imported')"
            )

    def last_id(self, table):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            return cursor.fetchone()[0]

    def copy(self, table, columns, rows):
        from django.db import connection

        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # The rows came with their ids: what is saved next must get the ones after them.
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
