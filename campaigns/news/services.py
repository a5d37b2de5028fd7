"""Publishing news articles and their corrections: the publication layer's one shape
(charity.snapshots), one transaction and one audit entry each."""

from charity import audit
from charity.snapshots import publish_erratum, publish_snapshot

from . import content
from .models import ArticleErratum

PUBLISHED = audit.describe("campaigns.article.published", "发布慈善资讯")
ERRATUM_PUBLISHED = audit.describe("campaigns.article.erratum_published", "发布慈善资讯更正说明")


def publish_article(article, user, *, at=None):
    """Freeze and publish a draft article (SnapshotError when it may not be)."""
    return publish_snapshot(
        article, user, freeze=content.freeze, check=content.check, action=PUBLISHED, at=at
    )


def publish_article_erratum(article, text, user, *, reason="", changes=(), at=None):
    return publish_erratum(
        ArticleErratum,
        article,
        text,
        user,
        action=ERRATUM_PUBLISHED,
        at=at,
        reason=reason,
        changes=changes,
        article=article,
    )
