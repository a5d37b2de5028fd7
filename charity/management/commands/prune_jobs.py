from django.core.management.base import BaseCommand

from charity.job_upkeep import prune


class Command(BaseCommand):
    help = (
        "记录已中断的后台任务（任务进程已停止），并删除超过 JOB_FILES_MAX_AGE 的已结束任务、"
        "队列记录和任务文件。每次提交新任务时也会自动执行；建议每天由定时任务运行一次。"
    )

    def handle(self, *args, **options):
        counts = prune()
        self.stdout.write(
            f"已记录 {counts['interrupted']} 个中断的后台任务；已删除 {counts['jobs']} 个已结束的后台任务、"
            f"{counts['tasks']} 条队列记录、{counts['files']} 个任务文件"
        )
