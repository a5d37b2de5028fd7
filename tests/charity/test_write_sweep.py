"""Every back-office write, asked by each role with values outside what that role may see.

The read sweep (test_role_sweep.py) proves that a branch liaison (分会联络员) sees only its own
branch's records. Writes are a different path: Django checks a submitted foreign key against
every row of the related table, not against what the account may see. This sweep walks every
model admin in admin.site._registry, every foreign key of its add and change forms and of their
inlines, and every action, and posts, for each, each row the role may not see; it asserts the
refusal and that nothing was written (rows and audit entries alike). A foreign key added later
is swept without a change here; an add form the sweep cannot fill fails it.
"""

import datetime

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse

from charity.models import AuditEntry
from donations.models import (
    Branch,
    BranchLiaison,
    Donation,
    Donor,
    FollowUp,
    ImportBatch,
    RemittanceLine,
    Statement,
    StatementCredit,
    StatementMapping,
)
from donations.reconciliation.models import Outcome
from tests import factories
from tests.conftest import ROLES, staff_with_role

pytestmark = pytest.mark.django_db

# What a refused foreign key says (donations/scoping.py).
OUT_OF_SCOPE = "不在您负责的分会范围内"
# The real names of donors outside the liaison's branches: no answer to the liaison may hold them.
SECRET_NAMES = ["隐名的真名", "独立个人甲", "衡阳市公安局"]


@pytest.fixture
def world(campaign):
    own = factories.branch("市住建局慈善分会", "住建系统")
    below = factories.branch("施工企业", "住建系统", parent=own)
    other = factories.branch("公安局慈善分会", "公安系统")
    own_unit = factories.unit("衡阳建工集团", "住建系统", branch=below)
    own_person = factories.person("王建国", branch=below)
    other_unit = factories.unit("衡阳市公安局", "公安系统", branch=other)
    factories.person("独立个人甲")  # gives on their own: no branch's
    factories.person("隐名的真名", display=Donor.Display.ANONYMOUS)
    own_pending = factories.donation(own_unit, campaign, "1000.00", receipt_no="ZJ-001")
    other_confirmed = factories.donation(other_unit, campaign, "24290.00", receipt_no="GA-001")
    Donation.objects.filter(pk=other_confirmed.pk).update(
        status=Donation.Status.CONFIRMED, confirmed_at=datetime.datetime(2023, 9, 2, tzinfo=datetime.UTC)
    )
    other_pending = factories.donation(other_unit, campaign, "3000.00", receipt_no="GA-002")
    own_line = RemittanceLine.objects.create(remittance=own_pending, donor=own_person, amount="100.00")
    RemittanceLine.objects.create(
        remittance=other_pending, donor=factories.person("李公安", employer=other_unit), amount="100.00"
    )
    ImportBatch.objects.create(campaign=campaign, file_name="a.xlsx", sha256="0" * 64)
    users = {key: staff_with_role(key, role) for key, role in ROLES.items()}
    BranchLiaison.objects.create(user=users["liaison"], branch=own)
    own_follow_up = FollowUp.objects.create(donor=own_unit, staff=users["clerk"], promised_amount=1000)
    FollowUp.objects.create(donor=other_unit, staff=users["clerk"], promised_amount=500)
    return {
        "users": users,
        "campaign": campaign,
        "below": below,
        "own_unit": own_unit,
        "own_person": own_person,
        "own_pending": own_pending,
        "own_line": own_line,
        "other_confirmed": other_confirmed,
        "own_follow_up": own_follow_up,
    }


# Add forms the role may fill with values it may see: the sweep changes one foreign key at a time.
def donation_add(w):
    return {
        "campaign": w["campaign"].pk,
        "donor": w["own_unit"].pk,
        "amount": "500.00",
        "received_on": "2023-09-20",
        "channel": "bank",
        "route": "account",
        "receipt_no": "",
        "sector": "",
        "branch": "",
        "head_count": "",
        "project": "",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-donor": w["own_person"].pk,
        "lines-0-amount": "10.00",
        "lines-0-note": "",
    }


def donor_add(w):
    return {
        "kind": "individual",
        "name": "新来的职工",
        "credit_code": "",
        "sector": "",
        "branch": w["below"].pk,
        "employer": w["own_unit"].pk,
        "contact_person": "",
        "phone": "",
        "address": "",
        "display": "real",
        "alias": "",
        "note": "",
    }


def line_add(w):
    return {"remittance": w["own_pending"].pk, "donor": w["own_person"].pk, "amount": "10.00", "note": ""}


def follow_up_add(w):
    return {
        "donor": w["own_unit"].pk,
        "contacted_on": "2023-09-05",
        "method": "visit",
        "staff": w["users"]["clerk"].pk,
        "outcome": "同意月底前汇款",
        "campaign": w["campaign"].pk,
        "promised_amount": "1000.00",
        "gift": w["own_pending"].pk,
        "next_on": "",
    }


ADD_FORMS = {Donation: donation_add, Donor: donor_add, RemittanceLine: line_add, FollowUp: follow_up_add}
# The record of each model whose change page the role opens (one it may see and change).
CHANGED = {
    Donation: "own_pending",
    Donor: "own_person",
    RemittanceLine: "own_line",
    FollowUp: "own_follow_up",
}


def request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def hidden_rows(model, user, limit_choices_to=None):
    """Rows of `model` that exist but that `user` may not see (its admin's queryset leaves them out)."""
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return []
    rows = model._default_manager.complex_filter(limit_choices_to or {})
    seen = model_admin.get_queryset(request_as(user)).values("pk")
    return list(rows.exclude(pk__in=seen).values_list("pk", flat=True))


def scoped_fields(form, user):
    """[(posted name, hidden pks)] of the form's foreign-key choices the user may not all see."""
    found = []
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            pks = hidden_rows(field.queryset.model, user, field.get_limit_choices_to())
            if pks:
                found.append((form.add_prefix(name), pks))
    return found


def form_fields_of(response, user):
    """[(posted name, hidden pks, more data)] of every scoped foreign key of the page's form and
    of its inlines' forms; for each inline also one more line, as 'add another' posts it."""
    context = response.context_data
    fields = [(name, pks, {}) for name, pks in scoped_fields(context["adminform"].form, user)]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for form in formset.forms:
            fields += [(name, pks, {}) for name, pks in scoped_fields(form, user)]
        extra = formset.add_prefix(str(len(formset.forms)))
        another = {
            formset.management_form.add_prefix("TOTAL_FORMS"): len(formset.forms) + 1,
            **{f"{extra}-{name}": value for name, value in NEW_LINE.items()},
        }
        for name, pks in scoped_fields(formset.empty_form, user):
            fields.append((name.replace("__prefix__", str(len(formset.forms))), pks, another))
    return fields


# What a new line of an inline holds besides the key under test.
NEW_LINE = {"amount": "10.00", "note": ""}


def errors_of(response):
    """Every error message the page's form and its inlines hold, hidden fields' included."""
    context = response.context_data
    found = [str(m) for messages in context["adminform"].form.errors.values() for m in messages]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        found += [str(m) for m in formset.non_form_errors()]
        for form in formset.forms:
            found += [str(m) for messages in form.errors.values() for m in messages]
    return found


def posted(response):
    """The POST data a browser sends for the page's form and inlines as shown."""
    context = response.context_data
    data = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms += formset.forms
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def written():
    """What a refused write must leave as it was: the records the liaison works on and the audit trail."""
    tables = [Branch, Donor, Donation, RemittanceLine, ImportBatch, BranchLiaison, FollowUp]
    return {
        **{model.__name__: list(model._base_manager.order_by("pk").values()) for model in tables},
        "audit": AuditEntry.objects.count(),
    }


def admin_forms_scoped_fields(model_admin, request, user):
    """The scoped foreign keys of an admin's form and of its inlines' forms, read off the classes."""
    fields = scoped_fields(model_admin.get_form(request)(), user)
    for formset, _inline in model_admin.get_formsets_with_inlines(request):
        fields += scoped_fields(formset().empty_form, user)
    return fields


def form_pages(world, user):
    """[(label, url, base data)] of every add and change form the user may submit."""
    request = request_as(user)
    pages, unknown = [], []
    for model, model_admin in admin.site._registry.items():
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        may_add, may_change = (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
        )
        scoped = (may_add or may_change) and admin_forms_scoped_fields(model_admin, request, user)
        if may_add and model in ADD_FORMS:
            pages.append((f"{name} add", reverse(f"admin:{name}_add"), ADD_FORMS[model](world)))
        elif may_add and scoped:
            unknown.append(name)
        if model in CHANGED:
            obj = world[CHANGED[model]]
            if model_admin.has_change_permission(request, obj):
                pages.append((f"{name} change", reverse(f"admin:{name}_change", args=[obj.pk]), None))
        elif may_change and (scoped or hidden_rows(model, user)):
            unknown.append(f"{name} (change)")
    assert not unknown, "写入扫描不知道如何填写这些表单，请在 ADD_FORMS / CHANGED 中补充：" + "、".join(
        unknown
    )
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_no_form_accepts_a_foreign_key_outside_the_roles_scope(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    wrong, tried = [], 0
    for label, url, base in form_pages(world, user):
        page = client.get(url)
        assert page.status_code == 200, label
        data = posted(page) if base is None else base
        for field, pks, more in form_fields_of(page, user):
            for pk in pks:
                before = written()
                response = client.post(url, {**data, **more, field: pk})
                tried += 1
                body = response.content.decode()
                refused = any(OUT_OF_SCOPE in e for e in errors_of(response)) and OUT_OF_SCOPE in body
                if response.status_code != 200 or not refused:
                    wrong.append(f"{label} {field}={pk}: 应拒绝，实为 {response.status_code}")
                elif written() != before:
                    wrong.append(f"{label} {field}={pk}: 拒绝了却写入了数据")
                leaked = [name for name in SECRET_NAMES if name in body]
                if leaked:
                    wrong.append(f"{label} {field}={pk}: 答复中出现了不应看到的姓名 {leaked}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    if role == "liaison":
        assert tried >= 20  # the donor, branch, employer, remittance and staff-line keys at least


@pytest.mark.parametrize("role", ROLES)
def test_the_sweeps_forms_are_accepted_within_the_scope(client, world, role):
    """The base values are valid: what the sweep sees refused is refused for the key it changed."""
    user = world["users"][role]
    client.force_login(user)
    for label, url, base in form_pages(world, user):
        page = client.get(url)
        response = client.post(url, posted(page) if base is None else base)
        assert response.status_code == 302, f"{label}: {response.content.decode()[:3000]}"


@pytest.mark.parametrize("role", ROLES)
def test_no_action_reaches_a_record_outside_the_roles_scope(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    request = request_as(user)
    wrong = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        hidden = hidden_rows(model, user)
        if not hidden:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for action in model_admin.get_actions(request):
            before = written()
            client.post(url, {"action": action, "_selected_action": hidden, "index": 0, "post": "yes"})
            if written() != before:
                wrong.append(f"{model._meta.label} {action}")
    assert not wrong, f"{role}: 动作改动了范围外的记录：" + "、".join(wrong)


def test_a_liaison_cannot_hang_a_line_on_another_branchs_confirmed_remittance(client, world):
    """Issue #18, 1: a crafted POST to 汇款明细's add page, another branch's confirmed remittance
    and a donor shown as 爱心人士, was saved and answered with the donor's real name."""
    client.force_login(world["users"]["liaison"])
    hidden = Donor.objects.get(name="隐名的真名")
    before = written()
    response = client.post(
        reverse("admin:donations_remittanceline_add"),
        {"remittance": world["other_confirmed"].pk, "donor": hidden.pk, "amount": "10.00", "note": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200 and OUT_OF_SCOPE in body
    assert "隐名的真名" not in body and written() == before


def test_a_liaison_cannot_count_an_outside_donor_in_its_branch(client, world):
    """Issue #18, 1: the liaison's own branch given, but a donor outside it (a person of nobody's
    branch, a unit of another): refused, nothing counted."""
    client.force_login(world["users"]["liaison"])
    for outsider in ("独立个人甲", "衡阳市公安局"):
        data = {**donation_add(world), "branch": world["below"].pk, "lines-TOTAL_FORMS": "0"}
        data["donor"] = Donor.objects.get(name=outsider).pk
        before = written()
        response = client.post(reverse("admin:donations_donation_add"), data)
        assert response.status_code == 200 and OUT_OF_SCOPE in response.content.decode(), outsider
        assert written() == before


def test_a_liaison_cannot_list_an_outside_person_on_its_own_gifts_staff_list(client, world):
    """Issue #18, 1: an inline staff line on the donation page naming a donor outside the
    liaison's branches was accepted."""
    client.force_login(world["users"]["liaison"])
    url = reverse("admin:donations_donation_change", args=[world["own_pending"].pk])
    data = posted(client.get(url))
    data.update(
        {
            "lines-TOTAL_FORMS": 2,
            "lines-1-donor": Donor.objects.get(name="独立个人甲").pk,
            "lines-1-amount": "10.00",
        }
    )
    before = written()
    response = client.post(url, data)
    assert response.status_code == 200 and OUT_OF_SCOPE in response.content.decode()
    assert written() == before


def test_a_liaison_granted_the_import_permission_still_imports_nothing(client, world):
    """The import writes rows for any branch the file names: a confined account never reaches it,
    whatever permissions it was given by mistake."""
    from django.contrib.auth.models import Permission

    liaison = world["users"]["liaison"]
    liaison.user_permissions.add(Permission.objects.get(codename="import_donation"))
    client.force_login(liaison)
    assert client.get(reverse("admin:donations_donation_import")).status_code == 403


def test_messages_and_audit_entries_name_a_hidden_donor_in_public_form(client, world):
    """A line of the liaison's branch may name a person of no branch (a clerk entered it): the
    liaison keeps it when saving, but its page, the success message and the audit entry name the
    person as the public sees them (爱心人士), not by the name they asked to keep private."""
    hidden = Donor.objects.get(name="隐名的真名")
    line = RemittanceLine.objects.create(remittance=world["own_pending"], donor=hidden, amount="50.00")
    client.force_login(world["users"]["liaison"])
    url = reverse("admin:donations_remittanceline_change", args=[line.pk])
    page = client.get(url)
    assert "隐名的真名" not in page.content.decode()
    data = {**posted(page), "amount": "60.00"}
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    assert response.redirect_chain and "爱心人士 60.00元" in body and "隐名的真名" not in body
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.object_repr == "爱心人士 60.00元"
    assert "隐名的真名" not in f"{entry.object_repr}{entry.changes}{entry.data}"
    # Whoever may see every donor reads the real name, in the same entry's object as elsewhere.
    client.force_login(world["users"]["clerk"])
    assert "隐名的真名" in client.get(url).content.decode()


def test_a_form_the_sweep_cannot_fill_fails_it(world, monkeypatch):
    """A new admin, or a new foreign key on a form the sweep has no values for, is not skipped."""
    monkeypatch.delitem(ADD_FORMS, RemittanceLine)
    with pytest.raises(AssertionError, match="donations_remittanceline"):
        form_pages(world, world["users"]["liaison"])


# --- 对账 (donations/reconciliation/admin.py): its writes are POSTs outside the model forms ----


def reconciliation_writes(world):
    """[(label, url, data)] of every 对账 write, aimed at a statement with a credit of each kind."""
    from tests.donations import statement_files as files

    mapping = StatementMapping.objects.create(name="工商银行对公账户")
    statement = Statement.objects.create(
        source="bank", file_name="流水.xlsx", sha256="0" * 64, mapping=mapping
    )
    day = datetime.date(2023, 9, 1)
    doubtful = statement.credits.create(
        source="bank", serial="B1", row_number=5, received_on=day, amount="1000.00",
        outcome=Outcome.DOUBTFUL, donation=world["own_pending"],
    )  # fmt: skip
    unmatched = statement.credits.create(
        source="bank", serial="B2", row_number=6, received_on=day, amount="20.00", payer_name="某公司"
    )

    def decide(credit, decision):
        return reverse("admin:donations_statement_decide", args=[statement.pk, credit.pk, decision])

    gift = {"campaign": world["campaign"].pk, "kind": "unit", "name": "某公司"}
    upload = files.bank_statement([files.credit(files.DAY, "B3", "某单位", 30)])
    return [
        ("导入对账单", reverse("admin:donations_statement_upload"), {"file": upload, "mapping": mapping.pk}),
        ("确认匹配", decide(doubtful, "confirm"), {}),
        ("否决匹配", decide(doubtful, "reject"), {}),
        ("创建捐赠", decide(unmatched, "create"), gift),
        ("全部创建", reverse("admin:donations_statement_create_gifts", args=[statement.pk]), gift),
        ("新增列映射", reverse("admin:donations_statementmapping_add"), mapping_add()),
    ]


def mapping_add():
    columns = ("date", "payer_name", "payer_account", "amount", "memo", "serial")
    defaults = {f"{c}_column": StatementMapping._meta.get_field(f"{c}_column").default for c in columns}
    return {"name": "建设银行", **defaults}


def reconciliation_state():
    return {
        **written(),
        "statements": list(Statement.objects.order_by("pk").values()),
        "credits": list(StatementCredit.objects.order_by("pk").values()),
        "mappings": list(StatementMapping.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("role", [r for r in ROLES if r != "clerk"])
def test_no_reconciliation_write_is_accepted_from_a_role_that_does_not_reconcile(client, world, role):
    """Only 录入员 reconcile: every other role, the liaison above all (a statement is every
    branch's money), is refused each write and nothing changes, the audit trail included."""
    client.force_login(world["users"][role])
    wrong = []
    for label, url, data in reconciliation_writes(world):
        before = reconciliation_state()
        response = client.post(url, data)
        if response.status_code != 403 or reconciliation_state() != before:
            wrong.append(f"{label}: {response.status_code}")
    assert not wrong, f"{role}: " + "、".join(wrong)


def test_the_reconciliation_writes_are_accepted_from_a_clerk(client, world):
    """The same writes succeed for the role that reconciles: the refusals above are the role's."""
    client.force_login(world["users"]["clerk"])
    for i in range(len(reconciliation_writes(world))):
        StatementCredit.objects.all().delete()
        Statement.objects.all().delete()
        StatementMapping.objects.all().delete()
        label, url, data = reconciliation_writes(world)[i]
        before = reconciliation_state()
        response = client.post(url, data)
        assert response.status_code == 302 and reconciliation_state() != before, label
