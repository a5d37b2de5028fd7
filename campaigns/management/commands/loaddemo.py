import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.demo import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    demo_is_loaded,
    ensure_demo_accounts,
    existing_data,
    load_demo,
)
from campaigns.demo.figures import DEMO_CAMPAIGN_NAMES
from charity import audit
from charity.money import count


def admin_address():
    """Where the back office answers when scripts/serve runs with the same HOST and PORT.

    scripts/serve passes them to runserver (defaults 127.0.0.1 and 8000) and runs this command
    with the same environment, so the printed link is the one being served.
    """
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "[::]"}:
        host = "127.0.0.1"  # listening on every interface; this machine answers on loopback
    port = os.environ.get("PORT") or "8000"
    return f"http://{host}:{port}/{settings.ADMIN_URL}"


class Command(BaseCommand):
    help = "装入演示数据（2023年、2022年慈善一日捐，与2023年报告的数字分毫不差）并确保演示管理员账号可用。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在生产环境中也装入（一般不要这样做）")

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION and not force:
            # Demo donors and a known admin password must never reach the real portal by accident.
            raise CommandError(
                "当前是生产环境（CHARITY_ENV=production），拒绝装入演示数据和演示管理员账号。"
                "如确需装入，请加 --force。"
            )
        if demo_is_loaded():
            self.stdout.write(f"演示数据已存在（{'、'.join(DEMO_CAMPAIGN_NAMES)}），未重复创建。")
        elif other := existing_data():
            # Not an error: scripts/serve runs this on every start, also against a working database.
            found = "、".join(f"{label} {n} 个" for label, n in other.items())
            self.stdout.write(
                self.style.WARNING(
                    f"数据库中已有数据（{found}），演示数据只装入空数据库，本次未装入，管理员账号也未改动。"
                )
            )
            return
        else:
            with audit.acting_as(audit.command_actor("loaddemo")):
                created = load_demo()
            self.stdout.write(self.style.SUCCESS(self.summary(created)))
        _, accounts = ensure_demo_accounts()
        others = "、".join(f"{name}（{role}）" for name, role in accounts[1:])
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"管理后台: {admin_address()}",
                    f"用户名: {ADMIN_USERNAME}",
                    f"密码: {ADMIN_PASSWORD}",
                    f"各角色演示账号（密码相同）: {others}",
                ]
            )
        )

    def summary(self, created):
        return (
            "已创建演示数据："
            f"募捐活动 {created['campaigns']} 个、分会 {created['branches']} 个、"
            f"单位 {count(created['units'])} 家、个人 {count(created['people'])} 名、"
            f"捐赠 {count(created['donations'])} 笔、汇款明细 {count(created['lines'])} 条、"
            f"救助项目 {created['projects']} 个。"
        )
