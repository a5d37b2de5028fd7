"""Relief projects, spending and beneficiaries to and from Excel in the admin (charity/resources.py).

A beneficiary's identity number never leaves in clear: the export shows what the admin list
shows (staff_hint: first 4 and last 4 characters). On the way in, a full number is checked and
stored exactly as the admin form does it (Beneficiary.clean and save: GB 11643 check character,
one person per number, encrypted at rest); a masked number is accepted only where it is the one
already on file for that row, so an exported list imports back unchanged.
"""

from import_export import fields

from charity.resources import NamedWidget, SpreadsheetResource, TextWidget, cell_text, column

from .idnumbers import normalize_id_number, staff_hint
from .models import Beneficiary, Disbursement, ReliefProject

MASK = "*"
MASKED_NUMBER = (
    "身份证号码被遮盖（导出的文件只显示前 4 位和后 4 位）：新登记或更改号码时请填写完整的 18 位号码"
)


class ReliefProjectResource(SpreadsheetResource):
    name = column(ReliefProject, "name")
    category = column(ReliefProject, "category")
    year = column(ReliefProject, "year")
    end_year = column(ReliefProject, "end_year")
    budget = column(ReliefProject, "budget")
    partners = column(ReliefProject, "partners")
    description = column(ReliefProject, "description")
    status = column(ReliefProject, "status")
    start_date = column(ReliefProject, "start_date")
    end_date = column(ReliefProject, "end_date")

    class Meta(SpreadsheetResource.Meta):
        model = ReliefProject
        fields = [
            "id", "name", "category", "year", "end_year", "budget", "partners", "description", "status",
            "start_date", "end_date",
        ]  # fmt: skip


class DisbursementResource(SpreadsheetResource):
    project = column(Disbursement, "project", NamedWidget(ReliefProject, label="项目"))
    amount = column(Disbursement, "amount")
    paid_on = column(Disbursement, "paid_on")
    voucher_no = column(Disbursement, "voucher_no")
    people_helped = column(Disbursement, "people_helped")
    purpose = column(Disbursement, "purpose")
    over_limit_reason = column(Disbursement, "over_limit_reason")

    class Meta(SpreadsheetResource.Meta):
        model = Disbursement
        fields = [
            "id", "project", "voucher_no", "paid_on", "amount", "people_helped", "purpose",
            "over_limit_reason",
        ]  # fmt: skip


class IdNumberField(fields.Field):
    """Out: masked. In: a full number, or the masked form of the number already on file."""

    def get_value(self, instance):
        number = super().get_value(instance)
        return staff_hint(number) if number else ""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = cell_text(row.get(self.column_name))
        if MASK in text:
            if instance.pk is not None and text == staff_hint(instance.id_number):
                return  # unchanged: the export's own masked value
            raise ValueError(MASKED_NUMBER)
        instance.id_number = text


class BeneficiaryResource(SpreadsheetResource):
    name = column(Beneficiary, "name")
    id_number = IdNumberField(attribute="id_number", column_name="身份证号码", widget=TextWidget())
    district = column(Beneficiary, "district")
    group = column(Beneficiary, "group")
    name_withheld = column(Beneficiary, "name_withheld")

    class Meta(SpreadsheetResource.Meta):
        model = Beneficiary
        fields = ["id", "name", "id_number", "district", "group", "name_withheld"]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # The masked value compares equal for two numbers that differ in the middle.
        if original is not None and normalize_id_number(instance.id_number) != original.id_number:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)


for _resource in (ReliefProjectResource, DisbursementResource, BeneficiaryResource):
    _resource.audit_action()
