from django.core.management.base import BaseCommand

from charity.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "创建或更新员工角色组（录入员、审核员、发布员、领导、分会联络员、救助专员）及其权限"

    def handle(self, *args, **options):
        sync_roles()
        for name, permissions in ROLES.items():
            self.stdout.write(f"{name}：{len(permissions)} 项权限")
