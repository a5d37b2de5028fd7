"""The tall share images keep their whole title: the ranking's "第九届慈善排行榜（2023年度） ·
爱心单位榜" was drawn cut as "… · 爱…" (issue #23, the small things)."""

from PIL import ImageDraw

from charity import images


def drawn(monkeypatch, title):
    texts = []
    original = ImageDraw.ImageDraw.text

    def recording(self, xy, text, *args, **kwargs):
        texts.append(text)
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording)
    images.render_page(title, "共 3 项", [], "https://example.org/rankings/1/", 1, 1)
    return texts


def test_a_long_title_is_drawn_whole_on_two_lines(monkeypatch, db):
    title = "第九届慈善排行榜（2023年度） · 爱心单位榜（单位捐款额前五十名）"
    texts = drawn(monkeypatch, title)
    assert "".join(texts).count(title[:10]) == 1
    assert title in "".join(texts)  # every character, over its lines
    assert not any(text.endswith("…") for text in texts)


def test_a_short_title_stays_on_one_line(monkeypatch, db):
    assert "第一期光荣榜" in drawn(monkeypatch, "第一期光荣榜")
