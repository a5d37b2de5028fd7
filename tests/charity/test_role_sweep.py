"""Every back-office URL, asked by every role and by visitors: the answer each must get.

What each role may do is written here as a table (SPEC), from the job descriptions of issue #12,
not read from charity/roles.py: a role given one permission too many or too few fails this test.
Every URL pattern under the admin is swept; a new one that the sweep does not know fails it too,
so a page added later cannot escape the sweep (pretix sweeps its back office the same way).
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns.models import (
    Article,
    HonorRollIssue,
    RankingEdition,
    RankingEntry,
    ReportNarrative,
    YearReport,
)
from charity.models import AuditEntry, BackgroundJob, SiteIdentity
from donations.models import (
    BranchLiaison,
    Donation,
    FollowUp,
    ImportBatch,
    RemittanceLine,
    Statement,
    StatementMapping,
)
from relief.models import NamedFund, OrganisationBody, StatutoryFiling
from tests import factories
from tests.conftest import ROLES, staff_with_role
from tests.relief import helpers as relief

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "outsider"]
STAFF = ["admin", *ROLES]

# What each role may do with each model's records: v(iew), a(dd), c(hange), d(elete).
# "admin" is the superuser; what nobody may do (add an audit entry) is left out for it too.
SPEC = {
    "auth.group": {"admin": "vacd"},
    "auth.user": {"admin": "vacd"},
    "charity.auditentry": {"admin": "v", "reviewer": "v"},
    # Everyone lists their own background jobs; a job's page answers its requester (and the
    # superuser) only: anybody else is told it does not exist (an export lists donors by name).
    "charity.backgroundjob": dict.fromkeys(["admin", *ROLES], "v"),
    # 网站信息: the administrator's alone; one row, never added twice nor deleted.
    "charity.siteidentity": {"admin": "vc"},
    "donations.sector": {"admin": "vacd", "clerk": "v", "reviewer": "v", "liaison": "v"},
    "donations.branch": {"admin": "vacd", "clerk": "v", "reviewer": "v", "liaison": "v"},
    "donations.donor": {"admin": "vacd", "clerk": "vac", "reviewer": "v", "liaison": "vac"},
    "donations.donation": {"admin": "vacd", "clerk": "vacd", "reviewer": "v", "liaison": "vacd"},
    "donations.importbatch": {"admin": "vc", "clerk": "v", "reviewer": "v"},
    "donations.remittanceline": {"admin": "vacd", "clerk": "vacd", "reviewer": "v", "liaison": "vacd"},
    "donations.branchliaison": {"admin": "vacd"},
    "donations.followup": {"admin": "vacd", "clerk": "vacd", "reviewer": "v", "liaison": "vacd"},
    # 对账: the federation's own account, every branch's money in one file; no liaison.
    "donations.statement": {"admin": "v", "clerk": "v", "reviewer": "v"},
    "donations.statementmapping": {"admin": "vacd", "clerk": "vac"},
    "campaigns.campaign": {
        "admin": "vacd", "clerk": "v", "reviewer": "v", "publisher": "v", "leader": "v", "relief": "v",
    },
    "campaigns.honorrollissue": {"admin": "vacd", "publisher": "vacd", "leader": "v"},
    "campaigns.rankingedition": {"admin": "vacd", "publisher": "vacd", "leader": "v"},
    "campaigns.rankingentry": {"admin": "vacd", "publisher": "vacd"},
    "campaigns.annualsummarydocument": {"admin": "v", "publisher": "v", "leader": "v"},
    "campaigns.annualsummaryrelease": {"admin": "v", "publisher": "v", "leader": "v"},
    "campaigns.correctiondraft": {"admin": "v", "publisher": "v"},
    "campaigns.article": {"admin": "vacd", "publisher": "vacd"},
    "campaigns.reportnarrative": {"admin": "vacd", "publisher": "vacd", "leader": "v"},
    "campaigns.yearreport": {"admin": "vacd", "publisher": "vacd", "leader": "v"},
    "relief.reliefproject": {
        "admin": "vacd", "relief": "vacd", "publisher": "v", "leader": "v", "clerk": "v", "liaison": "v",
    },
    "relief.projectphoto": {"admin": "vacd", "relief": "vacd"},
    "relief.disbursement": {"admin": "vacd", "relief": "vacd"},
    "relief.beneficiary": {"admin": "vacd", "relief": "vacd"},
    "relief.disclosure": {"admin": "vacd", "relief": "vacd", "publisher": "v"},
    "relief.statutoryfiling": {"admin": "vacd", "relief": "vac"},
    # 信息公开's bodies and named funds: the administrator's, as the site identity is.
    "relief.organisationbody": {"admin": "vacd"},
    "relief.namedfund": {"admin": "vacd"},
}  # fmt: skip

# Who may use the back office's own pages (beyond the models').
CAN_IMPORT = {"admin", "clerk"}
CAN_REVERSE = {"admin", "reviewer"}
CAN_DOWNLOAD_SUMMARY = {"admin", "publisher", "leader"}
CAN_PUBLISH_DISCLOSURE = {"admin", "publisher"}
CAN_PUBLISH_CAMPAIGN_DOCUMENTS = {"admin", "publisher"}  # honor rolls and ranking editions
CAN_SEE_DASHBOARD = {"admin", "leader"}
CAN_MERGE_DONORS = {"admin", "clerk"}
CAN_CORRECT = {"admin", "publisher"}  # complete, publish or discard 更正说明草稿
CAN_RECONCILE = {"admin", "clerk"}  # upload statements, decide matches, create gifts from credits
MISSING = 999999


def may(role, model, verb):
    return verb in SPEC[model].get(role, "")


@pytest.fixture
def world(campaign):
    """Two branches (the liaison's, with a sub-branch, and another), gifts in both, one of each
    record the admin shows, and one account per role."""
    own = factories.branch("市住建局慈善分会", "住建系统")
    below = factories.branch("施工企业", "住建系统", parent=own)
    other = factories.branch("公安局慈善分会", "公安系统")
    own_unit = factories.unit("衡阳建工集团", "住建系统", branch=below)
    other_unit = factories.unit("衡阳市公安局", "公安系统", branch=other)
    own_pending = factories.donation(own_unit, campaign, "1000.00")
    own_confirmed = factories.donation(own_unit, campaign, "2000.00")
    Donation.objects.filter(pk=own_confirmed.pk).update(
        status=Donation.Status.CONFIRMED, confirmed_at=datetime.datetime(2023, 9, 2, tzinfo=datetime.UTC)
    )
    other_pending = factories.donation(other_unit, campaign, "3000.00")
    own_line = RemittanceLine.objects.create(
        remittance=own_pending, donor=factories.person("王建国", employer=own_unit), amount="100.00"
    )
    other_line = RemittanceLine.objects.create(
        remittance=other_pending, donor=factories.person("李公安", employer=other_unit), amount="100.00"
    )
    batch = ImportBatch.objects.create(campaign=campaign, file_name="a.xlsx", sha256="0" * 64)
    issue = HonorRollIssue.objects.create(campaign=campaign, number=1, cut_off=datetime.date(2023, 9, 30))
    edition = RankingEdition.objects.create(number=9, year=2023)
    project = factories.project()
    disbursement = relief.disbursement(project)
    beneficiary = relief.beneficiary()
    disclosure = relief.disclosure(project)
    body = OrganisationBody.objects.create(name="理事会", kind="decision")
    article = Article.objects.create(title="启动", date=datetime.date(2023, 8, 28), body="正文")
    filing = StatutoryFiling.objects.create(
        kind="annual_work", year=2023, published_on=datetime.date(2024, 5, 1)
    )
    users = {"admin": factories_superuser()}
    for key, role in ROLES.items():
        users[key] = staff_with_role(key, role)
    users["outsider"] = factories_outsider()
    job = BackgroundJob.objects.create(kind="export", title="导出捐赠", requested_by=users["clerk"])
    BranchLiaison.objects.create(user=users["liaison"], branch=own)
    own_follow_up = FollowUp.objects.create(donor=own_unit, staff=users["clerk"], promised_amount=500)
    other_follow_up = FollowUp.objects.create(donor=other_unit, staff=users["clerk"])
    ranking_category = edition.categories.create(name="爱心单位榜", kind="units", order=1)
    mapping = StatementMapping.objects.create(name="工商银行对公账户")
    statement = Statement.objects.create(
        source="bank", file_name="流水.xlsx", sha256="0" * 64, mapping=mapping,
        first_day=datetime.date(2023, 9, 1), last_day=datetime.date(2023, 9, 30),
    )  # fmt: skip
    credit = statement.credits.create(
        source="bank", serial="B1", row_number=5, received_on=datetime.date(2023, 9, 1), amount="10.00"
    )
    objects = {
        "auth.group": {"any": Group.objects.get(name="录入员").pk},
        "auth.user": {"any": users["clerk"].pk},
        "charity.auditentry": {"any": AuditEntry.objects.first().pk},
        "charity.backgroundjob": {"the clerk's": job.pk},
        "charity.siteidentity": {"any": SiteIdentity.objects.create(full_name="衡阳市慈善总会").pk},
        "donations.sector": {"any": own.sector_id},
        "donations.branch": {"own": below.pk, "other": other.pk},
        "donations.donor": {"own": own_unit.pk, "other": other_unit.pk},
        "donations.donation": {
            "own": own_pending.pk, "own, confirmed": own_confirmed.pk, "other": other_pending.pk,
        },
        "donations.importbatch": {"any": batch.pk},
        "donations.remittanceline": {"own": own_line.pk, "other": other_line.pk},
        "donations.branchliaison": {"any": BranchLiaison.objects.get().pk},
        "donations.followup": {"own": own_follow_up.pk, "other": other_follow_up.pk},
        "donations.statement": {"any": statement.pk},
        "donations.statementmapping": {"any": mapping.pk},
        "campaigns.campaign": {"any": campaign.pk},
        "campaigns.honorrollissue": {"any": issue.pk},
        "campaigns.rankingedition": {"any": edition.pk},
        "campaigns.rankingentry": {
            "any": RankingEntry.objects.create(category=ranking_category, public_name="爱心人士", amount=1).pk
        },
        "campaigns.annualsummarydocument": {"missing": MISSING},
        "campaigns.annualsummaryrelease": {"missing": MISSING},
        "campaigns.correctiondraft": {"missing": MISSING},
        "campaigns.article": {"any": article.pk},
        "campaigns.reportnarrative": {
            "any": ReportNarrative.objects.create(year=2023, heading="主要做法", body="加强领导。").pk
        },
        "campaigns.yearreport": {
            "any": YearReport.objects.create(year=2023, version=1, code="0123456789ab").pk
        },
        "relief.reliefproject": {"any": project.pk},
        "relief.projectphoto": {"missing": MISSING},
        "relief.disbursement": {"any": disbursement.pk},
        "relief.beneficiary": {"any": beneficiary.pk},
        "relief.disclosure": {"any": disclosure.pk},
        "relief.statutoryfiling": {"any": filing.pk},
        "relief.organisationbody": {"any": body.pk},
        "relief.namedfund": {
            "any": NamedFund.objects.create(
                name="助学基金", founder="某公司", founded_on=datetime.date(2019, 6, 1), purpose="助学"
            ).pk
        },
    }  # fmt: skip
    return {
        "users": users,
        "objects": objects,
        "confirmed": own_confirmed,
        "disclosure": disclosure,
        "job": job,
        "credit": credit,
    }


def factories_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123")


def factories_outsider():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("outsider", "outsider@example.org", "pw-out-123")


# --- the URLs ---------------------------------------------------------------------------------


def admin_patterns():
    """(name, route) of every URL pattern under the admin, custom views included."""
    resolver = get_resolver()
    found = []

    def walk(patterns, prefix, inside_admin):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, inside_admin or pattern.namespace == "admin")
            elif isinstance(pattern, URLPattern) and (inside_admin or route.startswith("admin/")):
                found.append((pattern.name, route))

    walk(resolver.url_patterns, "", False)
    return found


MODEL_URL = re.compile(r"^(?P<app>\w+)_(?P<model>\w+?)_(?P<kind>changelist|add|change|history|delete)$")


def requests_for(world):
    """[(label, url, expect(role))] covering every admin URL pattern; unknown patterns fail."""
    objects = world["objects"]
    cases, unknown = [], []
    models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert models == set(SPEC), f"SPEC 与后台注册的模型不一致：{models ^ set(SPEC)}"
    for name, route in admin_patterns():
        match = MODEL_URL.match(name or "")
        if name is None and route.endswith("<path:object_id>/"):
            continue  # Django's redirect from <id>/ to <id>/change/, for every model
        if match and f"{match['app']}.{match['model']}" in SPEC:
            model, kind = f"{match['app']}.{match['model']}", match["kind"]
            if kind in ("changelist", "add"):
                cases.append((f"{model} {kind}", reverse(f"admin:{name}"), model_expectation(model, kind)))
            else:
                for variant, pk in objects[model].items():
                    url = reverse(f"admin:{name}", args=[pk])
                    cases.append(
                        (f"{model} {kind} ({variant})", url, model_expectation(model, kind, variant))
                    )
        elif name in CUSTOM:
            cases += CUSTOM[name](world)
        else:
            unknown.append(f"{name} {route}")
    assert not unknown, "后台有新的网址，请在 test_role_sweep.py 中写明各角色应得的结果：" + "; ".join(
        unknown
    )
    return cases


def model_expectation(model, kind, variant="any"):
    def expect(role):
        if role in VISITORS:
            return 302  # to the login page
        verbs = SPEC[model].get(role, "")
        if kind == "changelist":
            return 200 if "v" in verbs else 403
        if kind == "add":
            return 200 if "a" in verbs else 403
        allowed = "d" in verbs if kind == "delete" else "v" in verbs
        if variant == "the clerk's" and role not in ("clerk", "admin"):
            return 404
        if variant == "missing" or (role == "liaison" and variant == "other"):
            # Not there, or not there for this account: the object is looked up first on the
            # history page, after the model permission elsewhere.
            return 404 if kind == "history" or allowed else 403
        if kind == "delete" and "confirmed" in variant:
            return 403  # a confirmed gift is locked, for the superuser too
        return 200 if allowed else 403

    return expect


def by_role(allowed, yes=200, no=403):
    return lambda role: 302 if role in VISITORS else (yes if role in allowed else no)


def one(label, name, args, expect):
    return lambda world: [(label, reverse(f"admin:{name}", args=args(world)), expect)]


STAFF_ONLY = by_role(set(STAFF))
VIEW_DONATIONS = {r for r in STAFF if may(r, "donations.donation", "v")}
VIEW_PROJECTS = {r for r in STAFF if may(r, "relief.reliefproject", "v")}

CUSTOM = {
    "index": one("后台首页", "index", lambda w: [], STAFF_ONLY),
    "login": one("登录", "login", lambda w: [], lambda role: 302 if role in STAFF else 200),
    # GET is not allowed (Django logs out on POST only); staff get 405, visitors the login page.
    "logout": one("退出", "logout", lambda w: [], lambda role: 302 if role in VISITORS else 405),
    "password_change": one("修改密码", "password_change", lambda w: [], STAFF_ONLY),
    "auth_user_password_change": one(
        "设置他人密码", "auth_user_password_change", lambda w: [w["users"]["clerk"].pk], by_role({"admin"})
    ),
    "password_change_done": one("密码已修改", "password_change_done", lambda w: [], STAFF_ONLY),
    # Without its parameters the autocomplete refuses everybody; tests/charity/test_liaison_scope.py
    # asks it properly.
    "autocomplete": one("自动完成", "autocomplete", lambda w: [], by_role(set(), no=403)),
    "jsi18n": one("后台脚本翻译", "jsi18n", lambda w: [], STAFF_ONLY),
    "view_on_site": lambda w: [
        (
            "查看网站上的对象",
            reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Donation).pk, MISSING]),
            lambda role: 302 if role in VISITORS else 404,
        )
    ],
    "app_list": lambda w: [
        (
            f"应用首页 {app}",
            reverse("admin:app_list", args=[app]),
            by_role(
                {r for r in STAFF if any(v.get(r) for m, v in SPEC.items() if m.startswith(f"{app}."))},
                no=404,
            ),
        )
        for app in ("auth", "charity", "donations", "campaigns", "relief")
    ],
    "donations_donation_import": one(
        "导入捐赠", "donations_donation_import", lambda w: [], by_role(CAN_IMPORT)
    ),
    "donations_donation_import_template": one(
        "导入模板", "donations_donation_import_template", lambda w: [], by_role(VIEW_DONATIONS)
    ),
    # A token this session never had: those who may import are sent back to the upload form.
    "donations_donation_import_preview": one(
        "导入预览", "donations_donation_import_preview", lambda w: ["0" * 32], by_role(CAN_IMPORT, yes=302)
    ),
    "donations_donation_import_confirm": one(
        "确认导入", "donations_donation_import_confirm", lambda w: ["0" * 32], by_role(CAN_IMPORT, yes=405)
    ),
    "donations_donation_export": one(
        "导出 CSV", "donations_donation_export", lambda w: ["csv"], by_role(VIEW_DONATIONS)
    ),
    "donations_donation_reverse": one(
        "冲正", "donations_donation_reverse", lambda w: [w["confirmed"].pk], by_role(CAN_REVERSE)
    ),
    # No campaign in 1999: those who may download are told so (404), the others refused.
    "campaigns_annual_summary_download": one(
        "下载年度总结",
        "campaigns_annual_summary_download",
        lambda w: [1999],
        by_role(CAN_DOWNLOAD_SUMMARY, 404),
    ),
    "campaigns_annual_summary_preview": one(
        "预览年度总结",
        "campaigns_annual_summary_preview",
        lambda w: [1999],
        by_role(CAN_DOWNLOAD_SUMMARY, 404),
    ),
    "campaigns_annual_summary_file": one(
        "年度总结文件",
        "campaigns_annual_summary_file",
        lambda w: [MISSING],
        by_role(CAN_DOWNLOAD_SUMMARY, 404),
    ),
    "campaigns_correctiondraft_decide": one(
        "处理更正说明草稿",
        "campaigns_correctiondraft_decide",
        lambda w: [MISSING],
        by_role(CAN_CORRECT, 404),
    ),
    # Drafts are prepared by POST (the dashboard's button): a GET is not allowed.
    "campaigns_correctiondraft_prepare": one(
        "准备更正说明草稿", "campaigns_correctiondraft_prepare", lambda w: [], by_role(CAN_CORRECT, 405)
    ),
    "donations_statement_upload": one(
        "导入对账单", "donations_statement_upload", lambda w: [], by_role(CAN_RECONCILE)
    ),
    # Decisions and the gifts made from credits are POSTs: a GET is not allowed to those who may.
    "donations_statement_decide": one(
        "处理到账记录",
        "donations_statement_decide",
        lambda w: [w["credit"].statement_id, w["credit"].pk, "confirm"],
        by_role(CAN_RECONCILE, yes=405),
    ),
    "donations_statement_create_gifts": one(
        "由到账记录创建捐赠",
        "donations_statement_create_gifts",
        lambda w: [w["credit"].statement_id],
        by_role(CAN_RECONCILE, yes=405),
    ),
    "relief_calendar": one("法定信息公开日历", "relief_calendar", lambda w: [], by_role(VIEW_PROJECTS)),
    "relief_disclosure_erratum": one(
        "公示更正说明",
        "relief_disclosure_erratum",
        lambda w: [w["disclosure"].pk],
        by_role(CAN_PUBLISH_DISCLOSURE),
    ),
    # 「预览并发布」 of a draft (charity/admin_publishing.py): only for those who may publish it.
    "campaigns_honorrollissue_publish": one(
        "预览并发布光荣榜",
        "campaigns_honorrollissue_publish",
        lambda w: [w["objects"]["campaigns.honorrollissue"]["any"]],
        by_role(CAN_PUBLISH_CAMPAIGN_DOCUMENTS),
    ),
    "campaigns_article_publish": one(
        "预览并发布慈善资讯",
        "campaigns_article_publish",
        lambda w: [w["objects"]["campaigns.article"]["any"]],
        by_role(CAN_PUBLISH_CAMPAIGN_DOCUMENTS),
    ),
    "campaigns_rankingedition_publish": one(
        "预览并发布排行榜",
        "campaigns_rankingedition_publish",
        lambda w: [w["objects"]["campaigns.rankingedition"]["any"]],
        by_role(CAN_PUBLISH_CAMPAIGN_DOCUMENTS),
    ),
    "campaigns_yearreport_publish": one(
        "预览并发布年度工作报告",
        "campaigns_yearreport_publish",
        lambda w: [w["objects"]["campaigns.yearreport"]["any"]],
        by_role(CAN_PUBLISH_CAMPAIGN_DOCUMENTS),
    ),
    "relief_disclosure_publish": one(
        "预览并发布公示",
        "relief_disclosure_publish",
        lambda w: [w["disclosure"].pk],
        by_role(CAN_PUBLISH_DISCLOSURE),
    ),
    # Not finished, so no result yet: not found, for its requester too; nobody else may know it.
    "charity_backgroundjob_result": one(
        "后台任务结果", "charity_backgroundjob_result", lambda w: [w["job"].pk], by_role(set(), no=404)
    ),
    # Two-factor sign-in (charity/two_factor/), offered to every member of staff and required of
    # nobody here (tests/charity/test_two_factor.py turns it on): without an authenticator the code
    # page and the recovery codes, shown once, send on; new codes only by POST.
    "two_factor": lambda w: [("两步验证", reverse("two_factor"), STAFF_ONLY)],
    "two_factor_enrol": lambda w: [("开启两步验证", reverse("two_factor_enrol"), STAFF_ONLY)],
    "two_factor_verify": lambda w: [
        ("两步验证码", reverse("two_factor_verify"), by_role(set(STAFF), yes=302))
    ],
    "two_factor_recovery_codes": lambda w: [
        ("恢复码", reverse("two_factor_recovery_codes"), by_role(set(STAFF), yes=302))
    ],
    "two_factor_renew_recovery_codes": lambda w: [
        ("重新生成恢复码", reverse("two_factor_renew_recovery_codes"), by_role(set(STAFF), yes=405))
    ],
    # 劝募名单 (donations/fundraising.py): whoever reads donors; a liaison's list is its branch's
    # (tests/donations/test_fundraising_lists.py).
    "donations_donor_lists": one(
        "劝募名单",
        "donations_donor_lists",
        lambda w: [],
        by_role({r for r in STAFF if may(r, "donations.donor", "v")}),
    ),
    # 合并重复记录 (donations/merging.py): a permission of its own, the clerk's; the page is a
    # preview (the merge itself is a POST, tests/donations/test_donor_merge.py).
    "donations_donor_merge": one(
        "合并重复的捐赠人",
        "donations_donor_merge",
        lambda w: [w["objects"]["donations.donor"]["own"]],
        by_role(CAN_MERGE_DONORS),
    ),
    "admin_dashboard": lambda w: [("数据看板", reverse("admin_dashboard"), by_role(CAN_SEE_DASHBOARD))],
    # Anything else under the admin: staff are told it does not exist, visitors sent to log in.
    None: lambda w: [("不存在的后台网址", "/admin/no/such/page/", by_role(set(), no=404))],
}

# The Excel import and export of back-office tables (charity/admin_spreadsheets.py): importing
# needs adding and changing the model and is refused to a branch liaison, who reads only its
# branches; exporting needs viewing it. The confirmation is a POST (405 to a GET).
SPREADSHEET_MODELS = [
    "donations.branch", "donations.donor",
    "relief.reliefproject", "relief.disbursement", "relief.beneficiary",
]  # fmt: skip
for _model in SPREADSHEET_MODELS:
    _name = _model.replace(".", "_")
    _importers = {r for r in STAFF if may(r, _model, "a") and may(r, _model, "c") and r != "liaison"}
    _viewers = {r for r in STAFF if may(r, _model, "v")}
    CUSTOM[f"{_name}_import"] = one(f"导入 {_model}", f"{_name}_import", lambda w: [], by_role(_importers))
    CUSTOM[f"{_name}_process_import"] = one(
        f"确认导入 {_model}", f"{_name}_process_import", lambda w: [], by_role(set(STAFF), yes=405)
    )
    CUSTOM[f"{_name}_export"] = one(f"导出 {_model}", f"{_name}_export", lambda w: [], by_role(_viewers))


@pytest.mark.parametrize("role", [*STAFF, *VISITORS])
def test_every_back_office_url_answers_each_role_as_its_job_requires(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    wrong = []
    for label, url, expect in requests_for(world):
        wanted = expect(role)
        got = client.get(url).status_code
        if got != wanted:
            wrong.append(f"{label} {url}: 应为 {wanted}，实为 {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_groups_hold_exactly_the_permissions_the_roles_need(world):
    """The other way round: every permission a role group holds shows up somewhere in SPEC or in
    the back office's own pages, so no group holds a permission the sweep does not check."""
    extra = {
        "donations.import_donation": CAN_IMPORT,
        "donations.merge_donor": CAN_MERGE_DONORS,
        "donations.confirm_donation": {"reviewer"},
        "donations.reverse_donation": CAN_REVERSE,
        "donations.finalize_importbatch": {"reviewer"},
        "donations.rollback_importbatch": {"clerk", "reviewer"},
        "campaigns.download_annualsummary": CAN_DOWNLOAD_SUMMARY,
        "campaigns.release_annualsummary": {"publisher"},
        "campaigns.publish_honorrollissue": {"publisher"},
        "campaigns.publish_rankingedition": {"publisher"},
        "campaigns.publish_yearreport": {"publisher"},
        "campaigns.view_dashboard": CAN_SEE_DASHBOARD,
        "campaigns.publish_correctiondraft": CAN_CORRECT,
        "relief.publish_disclosure": CAN_PUBLISH_DISCLOSURE,
        "campaigns.publish_article": CAN_PUBLISH_CAMPAIGN_DOCUMENTS - {"admin"},
        # 年度预算 of a project over several years, edited inline on the project's page.
        **{f"relief.{verb}_projectyear": {"relief"} for verb in ("view", "add", "change", "delete")},
        # 更正说明 of a document on 信息公开, added on its filing's page.
        "relief.view_filingerratum": {"relief"},
        "relief.add_filingerratum": {"relief"},
        # An article's pictures and attachments, edited inline on its page (the article's own
        # verbs are in SPEC): the admin asks for the inline model's permissions.
        **{
            f"campaigns.{verb}_{model}": {"publisher"}
            for verb in ("view", "add", "change", "delete")
            for model in ("articleimage", "articleattachment")
        },
        "donations.reconcile_statement": CAN_RECONCILE,
    }
    verbs = {"view": "v", "add": "a", "change": "c", "delete": "d"}
    for key, name in ROLES.items():
        held = set(
            Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
        )
        wanted = set()
        for model, roles in SPEC.items():
            if model == "charity.backgroundjob":
                continue  # every member of staff has their own jobs: no permission involved
            app, model_name = model.split(".")
            for verb, letter in verbs.items():
                if letter in roles.get(key, ""):
                    wanted.add((app, f"{verb}_{model_name}"))
        wanted |= {tuple(p.split(".")) for p, roles in extra.items() if key in roles}
        # What the admin allows nobody (adding an audit entry or a batch) still needs no permission.
        assert held == wanted, f"{name}：多出 {sorted(held - wanted)}，缺少 {sorted(wanted - held)}"
