"""Statement files as banks and WeChat Pay hand them over, built in memory for the tests."""

import datetime
import io

import openpyxl

BANK_HEADER = ["交易日期", "流水号", "对方户名", "对方账号", "借方发生额", "贷方发生额", "余额", "摘要"]
DAY = datetime.date(2023, 9, 18)


def bank_statement(rows, name="工行流水.xlsx"):
    """An .xlsx as a bank's online banking exports it: account lines above the header, the
    transactions (debits and credits in two columns), a 合计 line at the end."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "账户明细"
    sheet.append(["衡阳市慈善总会 账户交易明细"])
    sheet.append(["账号：4300 1234 5678 9012", "币种：人民币", "期间：2023-09-01 至 2023-09-30"])
    sheet.append([])
    sheet.append(BANK_HEADER)
    for row in rows:
        sheet.append(row)
    credits = sum(r[5] for r in rows if isinstance(r[5], int | float))
    sheet.append(["合计", "", "", "", "", credits, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def credit(day, serial, payer, amount, memo="", account=""):
    return [day, serial, payer, account or f"6222{serial[-6:]:0>12}", "", amount, "", memo]


def debit(day, serial, payee, amount):
    return [day, serial, payee, "", amount, "", "", "手续费"]


ALL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
ALL_SUMMARY = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"


def wechat_order(time, order_no, openid, amount, status="SUCCESS", goods="慈善一日捐在线捐款", attach=""):
    refund = status != "SUCCESS"
    fields = [
        time, "wx8888888888888888", "1900000109", "0", "", order_no, f"HY{order_no[-8:]}", openid, "JSAPI",
        status, "OTHERS", "CNY", amount, "0.00",
        "50300000012023091800001" if refund else "0", "R1" if refund else "0",
        amount if refund else "0.00", "0.00", "ORIGINAL" if refund else "", "SUCCESS" if refund else "",
        goods, attach, "0.30", "0.60%", amount, amount if refund else "0.00", "",
    ]  # fmt: skip
    return ",".join(f"`{field}" for field in fields)


def wechat_bill(orders, *, stated=None, name="微信支付账单20230918.csv"):
    """The documented trade bill (bill_type ALL): header, backtick-prefixed details, the summary."""
    count = len(orders) if stated is None else stated
    lines = [ALL_HEADER, *orders, ALL_SUMMARY, f"`{count},`0.00,`0.00,`0.00,`0.00,`0.00,`0.00"]
    buffer = io.BytesIO(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    buffer.name = name
    return buffer
