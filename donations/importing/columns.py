"""The import template's columns: the contract with staff, the export and the admin's template."""

COLUMNS = (
    "捐赠日期",
    "捐赠人",
    "捐赠人类型",
    "统一社会信用代码",
    "所在单位",
    "版块",
    "分会",
    "金额",
    "参与人数",
    "渠道",
    "到账方式",
    "票据号",
    "定向项目",
    "匿名",
    "备注",
    "汇款票据号",
)
REQUIRED_COLUMNS = ("捐赠日期", "捐赠人", "捐赠人类型", "金额")

# The campaign a row belongs to. The export adds it after the template's columns, so an export of
# several campaigns can be told apart; an import accepts it but does not need it (the campaign is
# chosen when importing, so the template leaves it out): blank or the chosen campaign's name is
# fine, another name refuses the row (validation.check_campaign_column).
CAMPAIGN_COLUMN = "活动"
ACCEPTED_COLUMNS = (*COLUMNS, CAMPAIGN_COLUMN)

# The 版块 value for money not yet assigned to a sector (Donation.sector NULL). An empty 版块 on a
# unit's row stays an error, so "not assigned yet" is always a deliberate choice.
UNASSIGNED_SECTOR = "未分配"

# Columns that belong to the remittance, not to one of its itemisation lines.
# (参与人数 is refused on every individual's row, so it is not listed here.)
REMITTANCE_ONLY_COLUMNS = ("票据号", "渠道", "到账方式", "定向项目", "版块", "分会")


# The export's second sheet: the staff lines (each names its remittance in 汇款票据号), kept off
# the first sheet so that its 金额 column adds up to the donations' total. The importer reads
# it after the first sheet when a workbook has it (reading.read_first_sheet).
STAFF_SHEET = "汇款明细"
