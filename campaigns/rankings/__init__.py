"""慈善排行榜: yearly ranking editions, reviewed by staff and frozen when published (charity.snapshots)."""
