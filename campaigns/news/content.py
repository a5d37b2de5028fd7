"""What an article freezes when it is published, and the preview of it (charity/previews.py)."""

from django.utils import timezone

from charity.previews import Preview, dry_run
from charity.snapshots import SnapshotError

from . import markdown

FIRST_PARAGRAPHS = 5


def check(article):
    """The rules a draft must meet to be published (SnapshotError, for the user)."""
    if not article.title.strip():
        raise SnapshotError("请填写标题")
    if not markdown.plain_text(article.body).strip():
        raise SnapshotError("正文是空的，请先填写正文")


def freeze(article):
    """The article as the public will see it, from the draft now."""
    return {
        "title": article.title,
        "category": article.category,
        "category_label": article.get_category_display(),
        "date": article.date.isoformat(),
        "summary": article.summary.strip() or markdown.plain_text(article.body),
        "body": article.body,
        "body_html": markdown.render(article.body),
        "images": [
            {"url": image.image.url, "width": image.width, "height": image.height, "caption": image.caption}
            for image in article.images.all()
        ],
        "attachments": [
            {"url": attachment.file.url, "title": attachment.title, "size": attachment.size}
            for attachment in article.attachments.all()
        ],
    }


def preview(article):
    content, refusal = dry_run(article, freeze=freeze, check=check)
    if content is None:
        return Preview(title=str(article), content=None, refusal=refusal)
    paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    warnings = []
    if article.date > timezone.localdate():
        warnings.append(f"日期 {article.date:%Y年%m月%d日} 在今天之后，请确认")
    if not article.summary.strip():
        warnings.append("没有填写摘要：列表和分享卡片将显示正文的开头")
    if any(not image.caption for image in article.images.all()):
        warnings.append("有图片没有填写说明：读屏软件的用户将不知道图片的内容")
    return Preview(
        title=str(article),
        content=content,
        figures=[
            ("标题", content["title"]),
            ("栏目", content["category_label"]),
            ("日期", f"{article.date:%Y年%m月%d日}"),
            ("摘要", content["summary"]),
            ("图片", f"{len(content['images'])} 张"),
            ("附件", f"{len(content['attachments'])} 个"),
        ],
        columns=["正文（段落）"],
        rows=[[p] for p in paragraphs[:FIRST_PARAGRAPHS]],
        row_count=len(paragraphs),
        warnings=warnings,
    )
