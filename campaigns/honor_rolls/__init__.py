"""光荣榜: numbered honor-roll issues of a campaign, frozen when published (charity.snapshots)."""
