"""News articles (慈善资讯): a Snapshot (charity/snapshots.py) like every published thing. A draft
is edited freely, with its pictures and PDF attachments; publishing freezes the title, date,
category, the body rendered to safe HTML (markdown.py) and the files' addresses, and from then on
the article is corrected only by a published 更正说明 (ArticleErratum)."""

from django.db import models
from django.db.models import Q

from charity.snapshots import Erratum, Snapshot, SnapshotError


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Public articles, newest first (by their date, then by when they were published)."""
        return self.filter(status=Article.Status.PUBLISHED).order_by("-date", "-published_at", "-pk")


class Article(Snapshot):
    class Category(models.TextChoices):
        WORK = "work", "工作动态"
        NOTICE = "notice", "通知公告"
        HONOR = "honor", "光荣榜"
        PROJECT = "project", "项目动态"

    title = models.CharField("标题", max_length=120)
    category = models.CharField("栏目", max_length=10, choices=Category.choices, default=Category.WORK)
    date = models.DateField("日期", help_text="文章上显示的日期，例如会议或活动的日期；列表按此排序")
    summary = models.CharField(
        "摘要", max_length=200, blank=True, help_text="列表和分享卡片上的一两句话；不填则取正文开头"
    )
    body = models.TextField(
        "正文",
        help_text="Markdown 格式：空一行分段，“## 小标题”，“**加粗**”，“- 列表”，“[文字](网址)”。"
        "不支持 HTML，图片请在下方“图片”中上传。",
    )
    note = models.TextField("内部备注", blank=True, help_text="仅工作人员可见，不公开")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    mutable_after_publishing = ("note",)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "慈善资讯"
        verbose_name_plural = "慈善资讯"
        ordering = ["-date", "-pk"]
        permissions = [("publish_article", "可以发布慈善资讯及其更正说明")]
        indexes = [
            # The public list and the feed: published articles, newest date first, per category too.
            models.Index(fields=["status", "-date"], name="article_public_idx"),
            models.Index(fields=["status", "category", "-date"], name="article_category_idx"),
        ]

    def __str__(self):
        return self.title


class _PartOfDraft(models.Model):
    """A picture or attachment belongs to what the article froze once it is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self):
        published = Article.objects.filter(pk=self.article_id, status=Article.Status.PUBLISHED).exists()
        if published:
            raise SnapshotError(f"资讯“{self.article}”已发布，不能再修改其{self._meta.verbose_name}")


class ArticleImage(_PartOfDraft):
    """A picture, stored re-encoded as JPEG of its pixels only (charity/uploaded_images.py)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="images", verbose_name="资讯")
    image = models.ImageField("图片", upload_to="news/images/", width_field="width", height_field="height")
    width = models.PositiveIntegerField("宽", default=0, editable=False)
    height = models.PositiveIntegerField("高", default=0, editable=False)
    caption = models.CharField(
        "说明", max_length=200, blank=True, help_text="图片下方的文字，也供读屏软件朗读"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or f"图片 {self.pk}"


class ArticleAttachment(_PartOfDraft):
    """A PDF attached to an article (a notice's full text, a report)."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="attachments", verbose_name="资讯")
    title = models.CharField("附件名称", max_length=200)
    file = models.FileField("PDF 文件", upload_to="news/files/")
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="article_attachment_titled")]

    def __str__(self):
        return self.title


class ArticleErratum(Erratum):
    article = models.ForeignKey(Article, models.PROTECT, related_name="errata", verbose_name="资讯")

    class Meta(Erratum.Meta):
        verbose_name = "资讯更正说明"
        verbose_name_plural = "资讯更正说明"

    def __str__(self):
        return f"{self.article} 更正说明"
