"""Staff roles: Django groups, each with exactly the permissions its job needs.

A member of staff gets an account with 职员状态 (is_staff) and one or more of these groups; a
branch liaison also gets a BranchLiaison row naming the branch (donations/scoping.py). The
groups are created by a migration (charity/migrations/0002_staff_roles.py) and brought in step
with ROLES after every `migrate` (post_migrate), so changing a role here is one edit; `python
manage.py sync_roles` does the same by hand.
Superusers (the federation's administrator) have every permission and need no group.

What each role may do, beyond these permissions, is also ruled by the objects' state: a confirmed
donation is locked for everybody (donations/review.py), a published snapshot is frozen.
tests/charity/test_role_sweep.py walks every back-office URL as each role.
"""

CLERK = "录入员"
REVIEWER = "审核员"
PUBLISHER = "发布员"
LEADERSHIP = "领导"
LIAISON = "分会联络员"
RELIEF_OFFICER = "救助专员"

# Roles whose accounts must sign in with a second factor where it is required (STAFF_TWO_FACTOR_
# REQUIRED, always in production), superusers too: every role that publishes or that reads
# people's personal data, donors' telephones and addresses included (docs/roles.md, "Two-factor
# sign-in"). Leadership reads figures only, and may enrol of its own accord.
TWO_FACTOR_ROLES = frozenset({CLERK, REVIEWER, PUBLISHER, LIAISON, RELIEF_OFFICER})


def _crud(app, model, *verbs):
    return [f"{app}.{verb}_{model}" for verb in verbs]


ALL = ("view", "add", "change", "delete")

ROLES = {
    # Enters gifts by hand and imports files; edits and deletes only gifts still pending, and
    # may undo an import of the wrong file before it is reviewed.
    CLERK: [
        "donations.view_sector",
        "donations.view_branch",
        *_crud("donations", "donor", "view", "add", "change"),
        "donations.merge_donor",  # two records of one unit or person (donations/merging.py)
        *_crud("donations", "donation", *ALL),
        "donations.import_donation",
        *_crud("donations", "remittanceline", *ALL),
        "donations.view_importbatch",
        "donations.rollback_importbatch",
        *_crud("donations", "followup", *ALL),  # 劝募跟进: visits, calls, promises
        # 对账: uploads bank statements and WeChat Pay bills, decides doubtful matches, creates
        # the gift a credit with none is (donations/reconciliation/), keeps each bank's mapping.
        "donations.view_statement",
        "donations.reconcile_statement",
        *_crud("donations", "statementmapping", "view", "add", "change"),
        "campaigns.view_campaign",
        "relief.view_reliefproject",  # directed gifts name their project
    ],
    # Checks what clerks entered: confirms gifts and import batches (which locks them), reverses
    # a confirmed gift that was wrong, reads the audit trail. Edits nothing itself.
    REVIEWER: [
        "donations.view_sector",
        "donations.view_branch",
        "donations.view_donor",
        "donations.view_donation",
        "donations.confirm_donation",
        "donations.reverse_donation",
        "donations.view_remittanceline",
        "donations.view_followup",
        "donations.view_importbatch",
        "donations.finalize_importbatch",
        "donations.rollback_importbatch",
        "donations.view_statement",  # what reached the account, before confirming gifts
        "campaigns.view_campaign",
        "charity.view_auditentry",
    ],
    # Publishes what the public sees: honor rolls, rankings, disclosures, the annual summary, news.
    PUBLISHER: [
        "campaigns.view_campaign",
        *_crud("campaigns", "honorrollissue", *ALL),
        "campaigns.publish_honorrollissue",
        *_crud("campaigns", "rankingedition", *ALL),
        "campaigns.publish_rankingedition",
        *_crud("campaigns", "rankingentry", *ALL),  # honours are added by hand
        "campaigns.view_annualsummarydocument",
        "campaigns.download_annualsummary",
        "campaigns.release_annualsummary",
        "campaigns.view_annualsummaryrelease",
        # 年度工作报告文字部分: the federation's words around the year report's figures
        *_crud("campaigns", "reportnarrative", *ALL),
        # 年度工作报告: drafts of a year's version, preview and release (campaigns/annual_report/)
        *_crud("campaigns", "yearreport", "view", "add", "change", "delete"),
        "campaigns.publish_yearreport",
        # 更正说明草稿: completing and publishing (or discarding) them (campaigns/admin_corrections.py)
        "campaigns.view_correctiondraft",
        "campaigns.publish_correctiondraft",
        "relief.view_reliefproject",
        "relief.view_disclosure",
        "relief.publish_disclosure",
        # 慈善资讯 (campaigns/news/): drafts with their pictures and attachments, publishing, errata
        *_crud("campaigns", "article", *ALL),
        "campaigns.publish_article",
        *_crud("campaigns", "articleimage", *ALL),
        *_crud("campaigns", "articleattachment", *ALL),
    ],
    # Reads the dashboard and downloads the annual summaries; changes nothing and sees no
    # beneficiary's personal data.
    LEADERSHIP: [
        "campaigns.view_dashboard",
        "campaigns.view_campaign",
        "campaigns.view_annualsummarydocument",
        "campaigns.download_annualsummary",
        "campaigns.view_annualsummaryrelease",
        "campaigns.view_reportnarrative",
        "campaigns.view_yearreport",
        "campaigns.view_honorrollissue",
        "campaigns.view_rankingedition",
        "relief.view_reliefproject",
    ],
    # Enters and sees the gifts of one branch only (the BranchLiaison row says which).
    LIAISON: [
        "donations.view_sector",
        "donations.view_branch",
        *_crud("donations", "donor", "view", "add", "change"),
        *_crud("donations", "donation", *ALL),
        *_crud("donations", "remittanceline", *ALL),
        *_crud("donations", "followup", *ALL),  # its branch's donors only
        "relief.view_reliefproject",
    ],
    # Keeps the relief projects, their spending and beneficiaries, and drafts disclosures; the
    # publisher publishes them.
    RELIEF_OFFICER: [
        "campaigns.view_campaign",
        *_crud("relief", "reliefproject", *ALL),
        *_crud("relief", "projectphoto", *ALL),
        *_crud("relief", "projectyear", *ALL),  # 年度预算, edited on the project's page
        *_crud("relief", "disbursement", *ALL),
        *_crud("relief", "beneficiary", *ALL),
        *_crud("relief", "disclosure", *ALL),
        *_crud("relief", "statutoryfiling", "view", "add", "change"),
        # 更正说明 of a document published on 信息公开 (added on the filing's page, never changed)
        "relief.view_filingerratum",
        "relief.add_filingerratum",
    ],
}


def create_all_permissions(apps, using="default"):
    """Create every model's permissions now (Django does it only after all migrations ran)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        module = getattr(app_config, "models_module", None)
        app_config.models_module = module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = module


def sync_roles(apps=None, *, strict=True):
    """Create the role groups and give each exactly its permissions (idempotent).

    `apps` is a migration's historical registry; without it, the live models. A permission named
    here that does not exist is an error when `strict`; a migration passes strict=False, since a
    permission added later in the code does not exist yet at its point in history (the
    post_migrate run at the end of every `migrate` brings the groups fully in step).
    """
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        found = {}
        for perm in Permission.objects.select_related("content_type").filter(
            codename__in=[p.split(".", 1)[1] for p in wanted]
        ):
            found[f"{perm.content_type.app_label}.{perm.codename}"] = perm
        missing = sorted(set(wanted) - set(found))
        if missing and strict:
            raise LookupError(f"角色“{name}”的权限不存在：{', '.join(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([found[p] for p in wanted if p in found])


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate: after every `migrate` (and test database flush) the groups match ROLES."""
    from django.apps import apps as live_apps

    create_all_permissions(live_apps, using=using)
    sync_roles()
