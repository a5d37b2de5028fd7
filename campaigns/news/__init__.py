"""慈善资讯: the federation's news articles (work reports, notices, honor-roll announcements,
project news), drafted and published by the publisher, with a list, article pages, an Atom feed
and the home page's latest news. Part of the publication layer (docs/architecture.md)."""
