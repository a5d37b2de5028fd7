"""对账 (issue #22, 3): a bank statement and a WeChat Pay bill against the gifts recorded.

The statement below has one credit of each kind: two matched (by the receipt number in the memo,
by the payer's name), one whose amount differs, one with no gift; and the ledger has one gift
that never arrived. A second import of the same file changes nothing.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from charity.models import AuditEntry
from donations.models import Donation, Donor
from donations.reconciliation.models import Outcome, Statement, StatementCredit, StatementMapping
from donations.reconciliation.reading import StatementRejected
from donations.reconciliation.services import (
    ReconciliationError,
    confirm_credit,
    create_gifts,
    import_statement,
    reject_credit,
)
from tests import factories
from tests.donations import statement_files as files
from tests.donations.statement_files import DAY

pytestmark = pytest.mark.django_db


def day(n):
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def mapping():
    return StatementMapping.objects.create(name="工商银行对公账户")  # the defaults fit this export


@pytest.fixture
def ledger(campaign):
    gift = factories.donation
    return {
        "school": gift(
            factories.unit("衡阳市一中"), campaign, "1000.00", received_on=DAY, receipt_no="HY2023-0001"
        ),
        "health": gift(factories.unit("衡阳市卫健委"), campaign, "800.00", received_on=DAY),
        "education": gift(factories.unit("衡阳市教育局"), campaign, "500.00", received_on=DAY),
        "finance": gift(factories.unit("衡阳市财政局"), campaign, "2000.00", received_on=day(1)),
        "cash": gift(
            factories.unit("衡阳市现金单位"),
            campaign,
            "300.00",
            received_on=DAY,
            channel=Donation.Channel.CASH,
        ),
    }


def statement():
    return files.bank_statement(
        [
            files.credit(DAY, "B0001", "衡阳市第一中学", 1000, memo="慈善一日捐 HY2023-0001"),
            files.credit(day(2), "B0002", "衡阳市卫健委", 800, memo="捐款"),
            files.debit(day(2), "B0003", "中国工商银行", 20),
            files.credit(day(1), "B0004", "衡阳市教育局", 450, memo="一日捐"),
            files.credit(day(1), "B0005", "衡阳某某科技有限公司", 300, memo="捐赠"),
        ]
    )


def outcomes():
    return dict(StatementCredit.objects.values_list("serial", "outcome"))


def test_a_statement_gives_exactly_matched_unarrived_unmatched_and_differing(ledger, mapping):
    result = import_statement(statement(), "工行流水.xlsx", mapping=mapping)
    assert (result.new, result.repeated, result.skipped) == (4, 0, 1)
    assert result.counts == {"matched": 2, "unarrived": 1, "unmatched": 1, "differs": 1, "doubtful": 0}
    assert outcomes() == {
        "B0001": Outcome.MATCHED,
        "B0002": Outcome.MATCHED,
        "B0004": Outcome.DIFFERS,
        "B0005": Outcome.UNMATCHED,
    }
    by_serial = {c.serial: c for c in StatementCredit.objects.select_related("donation")}
    assert by_serial["B0001"].donation == ledger["school"]
    assert by_serial["B0001"].reason == "摘要中有票据号“HY2023-0001”，金额相同"
    assert by_serial["B0002"].donation == ledger["health"]
    assert by_serial["B0002"].reason == "金额相同，日期相差 2 天，付款人“衡阳市卫健委”即捐赠人"
    assert by_serial["B0004"].donation == ledger["education"]
    assert (
        by_serial["B0004"].reason
        == "付款人“衡阳市教育局”即捐赠人，日期相差 1 天，到账 450.00 元，登记 500.00 元"
    )
    assert by_serial["B0005"].donation is None
    statement_row = Statement.objects.get()
    assert (statement_row.first_day, statement_row.last_day) == (DAY, day(2))
    entry = AuditEntry.objects.get(action="donations.statement.imported")
    assert entry.data["new"] == 4 and entry.data["matched"] == 2


def test_importing_the_same_statement_again_changes_nothing(ledger, mapping):
    first = import_statement(statement(), "工行流水.xlsx", mapping=mapping)
    before = (list(StatementCredit.objects.values()), Statement.objects.count(), AuditEntry.objects.count())
    again = import_statement(statement(), "工行流水（再次下载）.xlsx", mapping=mapping)
    assert again.statement is None and (again.new, again.repeated) == (0, 4)
    assert again.counts == first.counts
    assert (
        list(StatementCredit.objects.values()),
        Statement.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_a_payer_whose_account_was_seen_before_is_recognised_under_another_name(ledger, mapping, campaign):
    import_statement(statement(), "九月.xlsx", mapping=mapping)
    account = StatementCredit.objects.get(serial="B0002").payer_account
    later = factories.donation(
        Donor.objects.get(name="衡阳市卫健委"), campaign, "600.00", received_on=day(10)
    )
    october = files.bank_statement([files.credit(day(11), "B0101", "卫健委机关工会", 600, account=account)])
    import_statement(october, "十月.xlsx", mapping=mapping)
    credit = StatementCredit.objects.get(serial="B0101")
    assert (credit.outcome, credit.donation) == (Outcome.MATCHED, later)
    assert f"付款账号 {account} 是该捐赠人此前用过的账号" in credit.reason


def test_a_doubtful_match_waits_for_staff_and_is_confirmed_or_rejected(campaign, mapping):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    zhang = factories.donation(factories.person("张三"), campaign, "200.00", received_on=DAY)
    factories.donation(factories.person("王五"), campaign, "90.00", received_on=DAY)
    import_statement(
        files.bank_statement(
            [
                files.credit(DAY, "B0201", "李四", 200, memo="代张三捐款"),
                files.credit(DAY, "B0202", "赵六", 90),
            ]
        ),
        "流水.xlsx",
        mapping=mapping,
    )
    first, second = StatementCredit.objects.order_by("serial")
    assert (first.outcome, first.donation) == (Outcome.DOUBTFUL, zhang)
    assert first.reason == "金额相同，同一天，但付款人“李四”不是捐赠人“张三”，请确认"
    confirm_credit(first, clerk)
    first.refresh_from_db()
    assert first.outcome == Outcome.MATCHED and first.reason.endswith("（已确认）")
    with pytest.raises(ReconciliationError, match="已匹配，无需确认"):
        confirm_credit(first, clerk)
    reject_credit(second, clerk)
    second.refresh_from_db()
    assert (second.outcome, second.donation) == (Outcome.UNMATCHED, None)
    actions = list(
        AuditEntry.objects.filter(action__startswith="donations.statement.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "donations.statement.confirmed",
        "donations.statement.imported",
        "donations.statement.rejected",
    ]


def test_a_credit_with_no_gift_becomes_one_in_one_step(ledger, mapping, campaign):
    import_statement(statement(), "工行流水.xlsx", mapping=mapping)
    credit = StatementCredit.objects.get(serial="B0005")
    [gift] = create_gifts([credit], campaign, None)
    assert (gift.amount, gift.received_on, gift.channel, gift.campaign) == (
        Decimal("300.00"),
        day(1),
        Donation.Channel.BANK,
        campaign,
    )
    assert (gift.donor.name, gift.donor.kind, gift.status) == (
        "衡阳某某科技有限公司",
        Donor.Kind.UNIT,
        "pending",
    )
    credit.refresh_from_db()
    assert (credit.outcome, credit.donation) == (Outcome.MATCHED, gift)
    with pytest.raises(ReconciliationError, match="已匹配，不能再创建捐赠"):
        create_gifts([credit], campaign, None)
    assert Donation.objects.filter(donor__name="衡阳某某科技有限公司").count() == 1


def test_a_wechat_pay_bill_imports_as_online_gifts_once(campaign):
    order = "42000000012023091800000000"
    one, two = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "oUpF8uN95KdmyJrsyYPmsRXQZc6A"
    bill = [
        files.wechat_order("2023-09-18 10:00:01", f"{order}01", one, "50.00"),
        files.wechat_order("2023-09-18 12:30:00", f"{order}02", two, "100.00"),
        files.wechat_order("2023-09-18 20:15:42", f"{order}03", one, "20.00"),
        files.wechat_order("2023-09-18 21:00:00", f"{order}02", two, "100.00", status="REFUND"),
    ]
    result = import_statement(files.wechat_bill(bill), "微信支付账单20230918.csv")
    assert (result.new, result.skipped) == (3, 1)  # the refund is no gift arriving
    assert result.counts["unmatched"] == 3
    credits = list(StatementCredit.objects.filter(outcome=Outcome.UNMATCHED).order_by("row_number"))
    gifts = create_gifts(credits, campaign, None)
    assert [(g.amount, g.channel, g.received_on) for g in gifts] == [
        (Decimal("50.00"), "wechat", DAY),
        (Decimal("100.00"), "wechat", DAY),
        (Decimal("20.00"), "wechat", DAY),
    ]
    # One WeChat user is one person, shown to the public as 爱心人士.
    assert gifts[0].donor == gifts[2].donor != gifts[1].donor
    assert gifts[0].donor.display == Donor.Display.ANONYMOUS
    assert Donation.objects.for_campaign(campaign).total() == Decimal("170.00")

    again = import_statement(files.wechat_bill(bill), "微信支付账单20230918.csv")
    assert again.new == 0 and again.counts["matched"] == 3 and again.counts["unmatched"] == 0
    assert Donation.objects.count() == 3 and StatementCredit.objects.count() == 3


def test_a_cut_off_wechat_bill_is_refused_whole(campaign):
    bill = files.wechat_bill(
        [files.wechat_order("2023-09-18 10:00:01", "4200000001202309180000000001", "oUpF8u", "50.00")],
        stated=2,
    )
    with pytest.raises(StatementRejected) as failure:
        import_statement(bill, "账单.csv")
    assert [str(e) for e in failure.value.errors] == [
        "第 4 行，“总交易单数”列：汇总行写明 2 笔交易，明细有 1 笔：文件可能不完整，请重新下载"
    ]
    assert not StatementCredit.objects.exists() and not Statement.objects.exists()


def test_a_bad_statement_says_every_row_and_column_and_stores_nothing(ledger, mapping):
    upload = files.bank_statement(
        [
            files.credit(DAY, "B0001", "衡阳市一中", 1000),
            files.credit("2023-13-01", "B0002", "衡阳市卫健委", 800),
            files.credit(DAY, "", "衡阳市教育局", 500),
            files.credit(DAY, "B0001", "衡阳市教育局", 500),
        ]
    )
    with pytest.raises(StatementRejected) as failure:
        import_statement(upload, "流水.xlsx", mapping=mapping)
    assert [str(e) for e in failure.value.errors] == [
        "第 6 行，“交易日期”列：日期“2023-13-01”不存在",
        "第 7 行，“流水号”列：流水号为空：每笔到账须有流水号，再次导入时据此跳过",
    ]
    assert not StatementCredit.objects.exists() and not AuditEntry.objects.filter(
        action__startswith="donations.statement."
    )


def test_a_mapping_of_another_bank_names_the_missing_columns(mapping):
    other = StatementMapping.objects.create(name="建设银行", amount_column="收入金额", memo_column="用途")
    with pytest.raises(StatementRejected) as failure:
        import_statement(statement(), "流水.xlsx", mapping=other)
    [message] = [str(e) for e in failure.value.errors]
    assert message.startswith("列映射“建设银行”的列 收入金额、用途 在文件中找不到")


def test_the_command_prints_the_four_counts_and_changes_nothing_the_second_time(
    ledger, mapping, tmp_path, capsys
):
    path = tmp_path / "工行流水.xlsx"
    path.write_bytes(statement().getvalue())
    call_command("reconcile", str(path), "--mapping", "工商银行对公账户")
    call_command("reconcile", str(path), "--mapping", "工商银行对公账户")
    first, counts, again, counts_again = capsys.readouterr().out.splitlines()
    assert first == "工行流水.xlsx：新到账 4 笔"
    assert counts == counts_again == "已匹配 2 笔；未到账 1 笔；无对应捐赠 1 笔；金额不符 1 笔；待确认 0 笔"
    assert again == "工行流水.xlsx：全部到账此前已导入，未作任何改动"
    assert AuditEntry.objects.get(action="donations.statement.imported").actor_label.startswith(
        "命令行 reconcile"
    )


def test_a_gbk_csv_export_is_read_through_another_banks_mapping(ledger):
    ccb = StatementMapping.objects.create(
        name="建设银行",
        date_column="记账日期",
        amount_column="收入金额",
        memo_column="用途",
        serial_column="交易流水号",
    )
    lines = [
        "中国建设银行单位账户明细,,,,,,",
        "记账日期,交易流水号,对方户名,对方账号,支出金额,收入金额,用途",
        "20230918,CCB-01,衡阳市卫健委,43001,,800.00,慈善一日捐",
        "20230918,CCB-02,工行手续费,,5.00,,手续费",
    ]
    upload = io.BytesIO("\r\n".join(lines).encode("gbk"))
    result = import_statement(upload, "建行.csv", mapping=ccb)
    assert (result.new, result.skipped) == (1, 1)
    credit = StatementCredit.objects.get()
    assert (credit.serial, credit.outcome, credit.donation) == ("CCB-01", Outcome.MATCHED, ledger["health"])


def test_a_credit_imported_meanwhile_by_someone_else_refuses_the_file_cleanly(ledger, mapping, monkeypatch):
    """Two clerks upload the same statement at once: the second is told to upload again, not a 500."""
    from donations.reconciliation import services

    original = services.match_credits

    def meanwhile(credits, source):
        other = Statement.objects.create(source=source, file_name="另一人.xlsx", sha256="1" * 64)
        other.credits.create(source=source, serial="B0001", row_number=5, received_on=DAY, amount="1.00")
        original(credits, source)

    monkeypatch.setattr(services, "match_credits", meanwhile)
    with pytest.raises(StatementRejected) as failure:
        import_statement(statement(), "工行流水.xlsx", mapping=mapping)
    assert "正在由另一人或另一个任务导入" in str(failure.value.errors[0])
    assert not Statement.objects.exists()  # this test's stand-in for the other upload went with it


def test_a_credit_whose_gift_was_deleted_is_a_credit_with_no_gift_again(ledger, mapping, campaign):
    """A pending gift may be deleted (entered twice, say): its credit is money with no gift again."""
    import_statement(statement(), "工行流水.xlsx", mapping=mapping)
    ledger["health"].delete()
    credit = StatementCredit.objects.get(serial="B0002")
    assert (credit.outcome, credit.state, credit.shown_reason) == (
        Outcome.MATCHED,
        Outcome.UNMATCHED,
        "原对应的捐赠已被删除",
    )
    counts = StatementCredit.objects.outcome_counts()
    assert (counts[Outcome.MATCHED][0], counts[Outcome.UNMATCHED][0]) == (1, 2)
    [gift] = create_gifts([credit], campaign, None)
    assert gift.donor.name == "衡阳市卫健委" and gift.amount == Decimal("800.00")


def test_a_memo_saying_total_is_a_gift_and_the_total_line_is_not(ledger, mapping):
    upload = files.bank_statement(
        [files.credit(DAY, "B0009", "衡阳市卫健委", 800, memo="合计捐款（全体职工）")]
    )
    result = import_statement(upload, "流水.xlsx", mapping=mapping)  # the file ends with a 合计 line
    assert result.new == 1 and StatementCredit.objects.get().memo == "合计捐款（全体职工）"


def test_the_command_lists_every_error_and_writes_nothing(mapping, tmp_path, capsys):
    from django.core.management.base import CommandError

    path = tmp_path / "流水.xlsx"
    path.write_bytes(files.bank_statement([files.credit(DAY, "", "衡阳市一中", 1000)]).getvalue())
    with pytest.raises(CommandError) as failure:
        call_command("reconcile", str(path), "--mapping", "工商银行对公账户")
    assert failure.value.returncode == 1
    assert "第 5 行，“流水号”列：流水号为空" in capsys.readouterr().err
    with pytest.raises(CommandError, match="找不到列映射“农业银行”；现有映射：工商银行对公账户"):
        call_command("reconcile", str(path), "--mapping", "农业银行")
    assert not StatementCredit.objects.exists()
