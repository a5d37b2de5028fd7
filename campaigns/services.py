"""State changes of campaigns: publishing honor-roll issues and ranking editions, and their errata.

Each is one transaction with one audit entry, through the one publishing shape in
charity.snapshots; a refusal is a SnapshotError whose message the admin shows as it is.
"""

from charity import audit
from charity.snapshots import SnapshotError, publish_erratum, publish_snapshot

from .honor_rolls import content as honor_roll_content
from .models import HonorRollErratum, RankingErratum
from .rankings import content as ranking_content

__all__ = [
    "SnapshotError",
    "publish_honor_roll",
    "publish_honor_roll_erratum",
    "publish_ranking",
    "publish_ranking_erratum",
    "refresh_ranking_candidates",
]

HONOR_ROLL_PUBLISHED = audit.describe("campaigns.honor_roll.published", "发布光荣榜")
HONOR_ROLL_ERRATUM = audit.describe("campaigns.honor_roll.erratum", "发布光荣榜更正说明")
RANKING_PUBLISHED = audit.describe("campaigns.ranking.published", "发布慈善排行榜")
RANKING_ERRATUM = audit.describe("campaigns.ranking.erratum", "发布慈善排行榜更正说明")
RANKING_REFRESHED = audit.describe("campaigns.ranking.refreshed", "计算排行榜候选名单")


def publish_honor_roll(issue, user):
    """Publish issue N: list every gift received by its cut-off that no earlier issue listed."""
    return publish_snapshot(
        issue,
        user,
        check=honor_roll_content.check_publishable,
        freeze=honor_roll_content.list_and_freeze,
        action=HONOR_ROLL_PUBLISHED,
    )


def publish_honor_roll_erratum(issue, text, user):
    return publish_erratum(HonorRollErratum, issue, text, user, action=HONOR_ROLL_ERRATUM, issue=issue)


def refresh_ranking_candidates(edition, user):
    """Compute each computed category's candidates from the year's donations, keeping staff's
    decisions (exclusions, honours) on those already there."""
    return ranking_content.refresh_candidates(edition, user, action=RANKING_REFRESHED)


def publish_ranking(edition, user):
    """Refresh the amounts, apply staff's review and freeze every category of the edition."""
    return publish_snapshot(
        edition,
        user,
        check=ranking_content.check_publishable,
        freeze=ranking_content.refresh_and_freeze,
        action=RANKING_PUBLISHED,
    )


def publish_ranking_erratum(edition, text, user):
    return publish_erratum(RankingErratum, edition, text, user, action=RANKING_ERRATUM, edition=edition)
