"""Units, people and branches to and from Excel in the admin (charity/resources.py).

Sectors and branches are named, not numbered: a branch as “版块 › 分会” (its name alone is enough
where no other sector has one so named), a person's employer by the unit's name. Donations are
not here: they have their own importer (donations/importing, docs/dev/import-engines.md).
"""

from charity.resources import NamedWidget, SpreadsheetResource, cell_text, column

from .models import Branch, Donor, Sector

BRANCH_SEPARATOR = "›"


class BranchWidget(NamedWidget):
    """A branch by “版块 › 分会”, as Branch.__str__ writes it, or by its name alone when unique."""

    def __init__(self, label="分会"):
        super().__init__(Branch, "name", label=label)

    def get_queryset(self, value, row=None, *args, **kwargs):
        return Branch.objects.select_related("sector")

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        sector, _, name = (part.strip() for part in text.rpartition(BRANCH_SEPARATOR))
        found = Branch.objects.filter(name=name)
        if sector:
            found = found.filter(sector__name=sector)
        found = list(found[:2])
        if not found:
            raise ValueError(f"{self.label}“{text}”不存在，请先在后台添加，或核对名称（可写成“版块 › 分会”）")
        if len(found) > 1:
            raise ValueError(f"{self.label}“{text}”在多个版块中都有，请写成“版块 › 分会”")
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class UnitWidget(NamedWidget):
    """A person's employer: a unit, by its name (unit names are unique)."""

    def __init__(self):
        super().__init__(Donor, "name", label="单位")

    def get_queryset(self, value, row=None, *args, **kwargs):
        return Donor.objects.filter(kind=Donor.Kind.UNIT)

    def render(self, value, obj=None, **kwargs):
        # As the donor list shows it (Donor.__str__): a liaison's own person may work for a unit
        # of another branch that gives anonymously, whose name the liaison does not see.
        return "" if value is None else str(value)


class DonorResource(SpreadsheetResource):
    kind = column(Donor, "kind")
    name = column(Donor, "name")
    credit_code = column(Donor, "credit_code")
    sector = column(Donor, "sector", NamedWidget(Sector, label="版块"))
    branch = column(Donor, "branch", BranchWidget())
    employer = column(Donor, "employer", UnitWidget())
    contact_person = column(Donor, "contact_person")
    phone = column(Donor, "phone")
    address = column(Donor, "address")
    display = column(Donor, "display")
    alias = column(Donor, "alias")
    note = column(Donor, "note")

    validate_constraints = False  # see check_instance

    class Meta(SpreadsheetResource.Meta):
        model = Donor
        fields = [
            "id", "kind", "name", "credit_code", "sector", "branch", "employer", "contact_person", "phone",
            "address", "display", "alias", "note",
        ]  # fmt: skip

    def check_instance(self, instance):
        # The database's unique constraints (Donor.Meta), said in words; the database still
        # refuses whatever slips past (the import is then rolled back).
        errors = {}
        others = Donor.objects.exclude(pk=instance.pk)
        units = others.filter(kind=Donor.Kind.UNIT)
        if instance.kind == Donor.Kind.UNIT and units.filter(name=instance.name).exists():
            errors["name"] = f"已有同名的单位“{instance.name}”（同一文件中重复，或已在系统中）"
        if instance.credit_code and others.filter(credit_code=instance.credit_code).exists():
            errors["credit_code"] = "该统一社会信用代码已登记给另一个单位（同一文件中重复，或已在系统中）"
        return errors


class BranchResource(SpreadsheetResource):
    name = column(Branch, "name")
    sector = column(Branch, "sector", NamedWidget(Sector, label="版块"))
    parent = column(Branch, "parent", BranchWidget(label="上级分会"))
    active = column(Branch, "active")

    class Meta(SpreadsheetResource.Meta):
        model = Branch
        fields = ["id", "name", "sector", "parent", "active"]


for _resource in (DonorResource, BranchResource):
    _resource.audit_action()
