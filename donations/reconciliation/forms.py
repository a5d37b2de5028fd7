"""The forms of the 对账 pages: the upload, and the gift created from a credit."""

from django import forms

from campaigns.core import Campaign

from ..models import Donor
from .models import StatementMapping


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="银行流水导出文件（.xlsx、.xls 或 .csv），或微信支付商户平台下载的交易账单（.csv）",
    )
    mapping = forms.ModelChoiceField(
        StatementMapping.objects.all(),
        label="列映射",
        required=False,
        empty_label="（微信支付账单不需要）",
        help_text="银行流水按哪家银行的列名读取；第一次导入某银行的流水前，请先在“银行流水列映射”中添加",
    )


class CreateGiftsForm(forms.Form):
    campaign = forms.ModelChoiceField(
        Campaign.objects.order_by("-year", "name"), label="计入活动", help_text="新建的捐赠计入这个活动"
    )
    # Only for one credit: the donor's kind and name, filled in from the payer.
    kind = forms.ChoiceField(
        label="捐赠人类型", choices=[("", "按户名判断"), *Donor.Kind.choices], required=False
    )
    name = forms.CharField(label="捐赠人名称", max_length=200, required=False, help_text="留空则用付款人户名")
