"""The PDF toolkit, read back with pypdf: escaping, page X of Y, markings, DRAFT, tables,
and text in Latin, Cyrillic, Arabic (shaped, right to left) and Chinese."""

import io
import os
import re
import unicodedata

import pytest
from pypdf import PdfReader

from core import charts, pdf

LONG = "A long cell that has to wrap over several lines in a narrow column. " * 4


def read(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def build(locale="en", **kwargs):
    report = pdf.Report(title="Profile", locale=locale, **kwargs)
    story = report.cover("Cover title", "Subtitle", [("Tier", "3")], note="A note")
    story.append(report.heading("Section one"))
    story.append(report.para("Text with <b>markup</b> & <font color=red>an attempt</font>"))
    rows = [["Name", "Value", "Note"]] + [[f"Row {i}", f"{i}.00", LONG] for i in range(40)]
    story.append(report.table(rows, col_widths=[100, 60, report.width - 160], numeric=[1]))
    story.append(charts.bars({"Legal": 12.0}, font=report.fonts.regular))
    return report, report.build(story)


def test_every_page_has_the_marking_and_its_number_of_pages():
    _, data = build(marking="TLP:AMBER")
    pages = read(data)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "TLP:AMBER" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "DRAFT" not in text


def test_user_text_is_escaped_not_read_as_markup():
    _, data = build()
    text = "".join(read(data))
    assert "<b>markup</b> & <font color=red>an attempt</font>" in text


def test_table_wraps_long_cells_and_repeats_its_header():
    _, data = build()
    pages = read(data)
    table_pages = [p for p in pages if "Row " in p]
    assert len(table_pages) >= 2
    assert all("Name" in p and "Value" in p for p in table_pages)  # header on each page
    # every row once, in order, none lost or repeated at a page break; the last on the last page
    rows = [int(n) for p in table_pages for n in re.findall(r"\bRow (\d+)\b", p)]
    assert rows == list(range(40))
    assert "Row 39" in table_pages[-1] and "Row 39" not in "".join(table_pages[:-1])


def test_draft_mark_on_every_page():
    _, data = build(draft_label="DRAFT")
    pages = read(data)
    assert all(p.count("DRAFT") >= 2 for p in pages)  # header and the diagonal mark


def test_cyrillic_and_arabic_text_come_back_from_the_pdf():
    report = pdf.Report(title="Профиль", locale="ar")
    assert report.fonts.rtl
    name = "الإمارات العربية المتحدة"
    data = report.build(
        [report.heading(name), report.para("Россия 45.20"), report.para("نص " * 80)]
    )
    text = unicodedata.normalize("NFKC", read(data)[0])
    assert name in text  # shaped for drawing, extracted in reading order
    assert "Россия 45.20" in text
    assert "Профиль" in text


def test_arabic_is_shaped_and_drawn_right_to_left():
    word = "مصر"  # meem, sad, reh: three joined forms
    drawn = pdf.visual(word)
    # presentation forms (joined), in visual order: the first letter is drawn rightmost
    assert drawn == "\ufeae\ufebc\ufee3"
    assert unicodedata.normalize("NFKC", drawn[::-1]) == word
    assert pdf.visual("GCI 45.20") == "GCI 45.20"  # numbers and Latin keep their direction


def test_brackets_in_arabic_are_mirrored():
    # drawn left to right, the closing bracket comes first and must look like an opening one
    drawn = pdf.visual("النقاط (10)")
    assert drawn.startswith("(10) ") and drawn.endswith("\ufe8d")  # alef, drawn leftmost last
    assert pdf.visual("الفريق [ب]").startswith("[")
    mixed = pdf.visual("Team A (فريق)", base_dir=None)  # a left-to-right line, Arabic inside
    assert mixed.startswith("Team A (") and mixed.endswith(")")


def test_a_long_arabic_paragraph_breaks_in_reading_order():
    report = pdf.Report(title="t", locale="ar")
    words = [f"كلمة{i}" for i in range(40)]
    flowable = report.para(" ".join(words))
    flowable.wrap(200, 1000)
    lines = flowable._lines(200)
    assert len(lines) > 3
    first_line_words = pdf.visual(" ".join(words[:2]))  # the first words are on line one
    assert lines[0].endswith(first_line_words)


def test_chinese_text_comes_back_from_the_pdf():
    try:
        report = pdf.Report(title="概况", locale="zh")
    except pdf.FontMissing as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))
    data = report.build([report.heading("中国"), report.para("这是一个很长的中文段落。" * 30)])
    text = read(data)[0]
    assert "中国" in text and "这是一个很长的中文段落" in text


def test_a_missing_font_names_the_package_and_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    monkeypatch.setattr(
        pdf, "FAMILY_OF_LOCALE", {"zh": pdf.FontFamily("X", "none.ttf", "none.ttf", "fonts-x")}
    )
    with pytest.raises(pdf.FontMissing, match="apt-get install fonts-x"):
        pdf.fonts_for("zh")
    report = pdf.Report.for_locale("zh", title="t")
    assert report.fonts.locale == "en"
