from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from charity.audit import acting_as, command_actor
from charity.two_factor import services


class Command(BaseCommand):
    help = (
        "重置一名员工的两步验证（手机丢失或更换时）：删除其验证器和恢复码，"
        "并让其所有登录失效；下次登录时重新设置。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="员工的用户名")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为“{username}”的账号。") from None
        with acting_as(command_actor("reset_two_factor")):
            devices, sessions = services.reset(user)
        if devices:
            self.stdout.write(
                f"已重置“{username}”的两步验证：删除验证器和恢复码 {devices} 项，结束登录会话 {sessions} 个。"
                "该员工下次登录后需重新扫码设置。"
            )
        else:
            self.stdout.write(f"“{username}”尚未开启两步验证，无需重置；已结束其登录会话 {sessions} 个。")
