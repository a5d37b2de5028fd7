"""The 23 sectors of the 2023 慈善一日捐 report, in the report's order.

The data migration seeds them and the demo data uses them; names are the report's own.
"""

REPORT_2023_SECTORS = [
    "市直工委慈善分会",
    "部队系统",
    "常务理事单位",
    "高校系统",
    "个人",
    "公安系统",
    "国资系统",
    "教育系统",
    "金融系统",
    "民政系统",
    "民宗系统",
    "民营企业",
    "人社系统",
    "市场监督管理系统",
    "司法系统",
    "卫健系统",
    "文旅广系统",
    "社会组织",
    "祁商会慈善分会",
    "高新区",
    "松木经开区",
    "民主党派",
    "住建系统",
]

# The sector an individual without a unit is counted in.
INDIVIDUAL_SECTOR = "个人"

# How public pages, honor rolls, the look-up and the annual summary name the money counted in no
# sector (a gift given as 未分配, or whose sector was never set): one label for them all.
UNASSIGNED_LABEL = "未分配版块"
