"""The site's identity (charity.models.SiteIdentity): edited on one admin page by the
administrator, shown by every page, PDF and share image, and re-read after every change."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from charity import identity, images, pdf
from charity.models import AuditEntry, DonationAccount, SiteIdentity
from tests.factories import credit_code

pytestmark = pytest.mark.django_db

HENGYANG = {
    "full_name": "衡阳市慈善总会",
    "short_name": "衡阳慈善",
    "city": "衡阳市",
    "address": "衡阳市石鼓区示例路 1 号",
    "postcode": "421001",
    "help_hotline": "0734-8860089",
    "donation_hotline": "0734-8860090",
    "office_hours": "工作日 8:30—17:30",
    "email": "",
    "credit_code": "",
    "certificate_number": "",
    "registration_authority": "衡阳市民政局",
    "icp_number": "湘ICP备00000000号-1",
}


def form_data(**changes):
    data = {**HENGYANG, **changes}
    data.update({"accounts-TOTAL_FORMS": "0", "accounts-INITIAL_FORMS": "0"})
    return data


def png_upload(name="qr.png", size=(120, 120), **text):
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 10, 10)).save(buffer, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_without_a_saved_identity_the_site_names_no_city(client):
    page = client.get("/").content.decode()
    assert "<title>市慈善总会" in page
    assert "衡阳" not in page


def test_every_page_shows_the_saved_name_and_hotlines_at_once(client, django_capture_on_commit_callbacks):
    client.get("/")  # the defaults are cached now, and the whole page too
    with django_capture_on_commit_callbacks(execute=True):
        SiteIdentity.objects.create(**HENGYANG)
    for url in ["/", reverse("contact"), reverse("relief:project_list"), "/no/such/page/"]:
        page = client.get(url).content.decode()
        assert "衡阳慈善" in page, url  # the short name, in the header and the title
        assert "衡阳市慈善总会" in page, url  # the full name, in the footer
        assert 'href="tel:07348860089"' in page, url
        assert "捐助热线：<a" in page and "0734-8860090" in page, url
        assert "湘ICP备00000000号-1" in page, url


def test_one_hotline_line_when_both_numbers_are_the_same():
    site = SiteIdentity(help_hotline="0734-8860089", donation_hotline="0734-8860089")
    assert site.hotlines == [("求助、捐助热线", "0734-8860089")]
    assert SiteIdentity(donation_hotline="0734-1").hotlines == [("捐助热线", "0734-1")]


def test_the_contact_page_lists_the_donation_accounts(client, django_capture_on_commit_callbacks):
    site = SiteIdentity.objects.create(**HENGYANG)
    page = client.get(reverse("contact")).content.decode()
    assert "捐赠账户尚未在网上公布" in page
    with django_capture_on_commit_callbacks(execute=True):
        DonationAccount.objects.create(
            site=site,
            bank="中国工商银行衡阳分行",
            account_name="衡阳市慈善总会",
            account_number="1904 0000 0000",
        )
    page = client.get(reverse("contact")).content.decode()
    assert "中国工商银行衡阳分行" in page and "1904 0000 0000" in page
    assert "捐赠账户尚未在网上公布" not in page


def test_share_images_and_pdfs_carry_the_saved_name():
    SiteIdentity.objects.create(**HENGYANG)
    assert images.federation_name() == "衡阳市慈善总会"
    rendered = pdf.render_html  # the template is rendered with `site` in its context
    html = []
    pdf.render_html = lambda text, **kwargs: html.append(text)
    try:
        pdf.render_template("charity/_footer.html", {})
    finally:
        pdf.render_html = rendered
    assert "衡阳市慈善总会" in html[0] and "0734-8860089" in html[0]


def test_the_error_page_is_the_sites_own():
    SiteIdentity.objects.create(**HENGYANG)
    from charity.views import server_error

    page = server_error(None).content.decode()
    assert "出错了 · 衡阳慈善" in page and "0734-8860089" in page


# --- the admin page -------------------------------------------------------------------------------


def test_the_administrator_edits_it_on_one_audited_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:charity_siteidentity_add"), form_data())
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("admin:charity_siteidentity_changelist")).content.decode()
    assert reverse("admin:charity_siteidentity_change", args=[1]) in page
    data = form_data(help_hotline="0734-1234567")
    data.update(
        {
            "accounts-TOTAL_FORMS": "1",
            "accounts-0-bank": "中国银行衡阳分行",
            "accounts-0-account_name": "衡阳市慈善总会",
            "accounts-0-account_number": "6000 1234 5678",
            "accounts-0-order": "0",
        }
    )
    response = client.post(reverse("admin:charity_siteidentity_change", args=[1]), data)
    assert response.status_code == 302, response.content.decode()
    assert identity.current().help_hotline == "0734-1234567"
    assert [a.bank for a in identity.current().accounts_list] == ["中国银行衡阳分行"]
    entries = AuditEntry.objects.filter(action__startswith="charity.siteidentity.")
    assert {e.action for e in entries} == {"charity.siteidentity.created", "charity.siteidentity.changed"}
    change = entries.get(action="charity.siteidentity.changed").changes
    assert {"label": "求助热线", "before": "0734-8860089", "after": "0734-1234567"}.items() <= change[
        0
    ].items()
    assert AuditEntry.objects.filter(action="charity.donationaccount.created").exists()
    # One row: nothing to add, nothing to delete.
    assert client.get(reverse("admin:charity_siteidentity_add")).status_code == 403
    assert client.get(reverse("admin:charity_siteidentity_delete", args=[1])).status_code == 403


@pytest.mark.parametrize("role", ["publisher", "clerk", "leader"])
def test_no_staff_role_may_change_it(client, role, request):
    SiteIdentity.objects.create(**HENGYANG)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:charity_siteidentity_changelist")).status_code == 403
    response = client.post(reverse("admin:charity_siteidentity_change", args=[1]), form_data(full_name="X"))
    assert response.status_code == 403
    assert SiteIdentity.objects.get().full_name == "衡阳市慈善总会"


def test_a_wrong_credit_code_or_account_number_is_refused_in_chinese(client, admin_user):
    client.force_login(admin_user)
    bad = credit_code(7)[:17] + ("0" if credit_code(7)[17] != "0" else "1")
    data = form_data(credit_code=bad)
    data.update(
        {
            "accounts-TOTAL_FORMS": "1",
            "accounts-0-bank": "中国银行",
            "accounts-0-account_name": "衡阳市慈善总会",
            "accounts-0-account_number": "6000-1234-O678",
        }
    )
    page = client.post(reverse("admin:charity_siteidentity_add"), data).content.decode()
    assert "统一社会信用代码校验位错误" in page
    assert "账号只能由数字组成" in page
    assert not SiteIdentity.objects.exists()
    response = client.post(
        reverse("admin:charity_siteidentity_add"), form_data(credit_code=credit_code(7).lower())
    )
    assert response.status_code == 302
    assert SiteIdentity.objects.get().credit_code == credit_code(7)


def test_the_qr_code_is_stored_as_its_pixels_only(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    upload = png_upload(size=(2000, 2000), Comment="拍摄于 衡阳市某小区 3 栋")
    response = client.post(
        reverse("admin:charity_siteidentity_add"), {**form_data(), "wechat_pay_qr": upload}
    )
    assert response.status_code == 302, response.content.decode()
    stored = SiteIdentity.objects.get().wechat_pay_qr
    data = stored.read()
    assert b"\xe8\xa1\xa1\xe9\x98\xb3" not in data  # 衡阳: the upload's text chunk is gone
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and max(image.size) == identity.QR_SIDE
    assert "Comment" not in image.info
    page = Client().get(reverse("contact")).content.decode()
    assert stored.url in page and "微信扫码捐赠" in page


def test_a_file_that_is_not_an_image_is_refused(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    fake = SimpleUploadedFile("emblem.png", b"%PDF-1.4 not an image", content_type="image/png")
    page = client.post(
        reverse("admin:charity_siteidentity_add"), {**form_data(), "emblem": fake}
    ).content.decode()
    assert "emblem" in page and not SiteIdentity.objects.exists()
    assert "图片" in page
