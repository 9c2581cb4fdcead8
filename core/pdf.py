"""The PDF toolkit that the GCI country profiles and the drills' after-action reports share:
one page template (a handling marking such as TLP:CLEAR in the header of every page, "page X
of Y" in the footer, an optional DRAFT mark across every page), a cover, paragraph styles, a
table helper, and fonts for the six interface languages.

    report = pdf.Report(title="Kenya", marking="TLP:CLEAR", locale="en")
    story = report.cover("GCI 2024 country profile", "Kenya", [("Tier", "3")])
    story += [report.heading("Scores"), report.para(user_text), report.table(rows)]
    story.append(charts.bars(values, font=report.fonts.regular))
    data = report.build(story)           # bytes of the PDF

User text goes in through `para`, which always escapes it: Paragraph reads a mini-HTML markup,
and unescaped text breaks the layout or injects markup (CVE-2023-33733 came in that way).

Fonts. ReportLab embeds TrueType fonts with glyf outlines only (not CFF/OTF, so the Noto CJK
fonts will not do). We use fonts the operating system provides rather than vendoring
megabytes into the repository:

- DejaVu Sans (Debian package fonts-dejavu-core, present on nearly every Linux system) for
  Latin, Cyrillic and Arabic;
- WenQuanYi Zen Hei (fonts-wqy-zenhei, a TrueType collection with Latin glyphs too) for
  Chinese.

A font file dropped into core/fonts/ is found first. When the font a language needs is
missing, `fonts_for` raises FontMissing naming the package to install; `Report.for_locale`
then falls back to an English report (and to the built-in Helvetica if even DejaVu is
missing), logging a warning, so a PDF never comes out with empty boxes. .ci/run installs
both packages.

Right-to-left: reportlab's own bidi support needs `rlbidi`, which is not on PyPI (so the
`reportlab[bidi]` extra does not install from PyPI). Arabic is therefore shaped with
arabic-reshaper (presentation forms, which DejaVu Sans has) and put in visual order line by
line with python-bidi (`BidiParagraph`): the line breaks are chosen on the logical text, then
each line is reordered, so a paragraph of several lines reads from the top.

Why this module is longer than 400 lines: it is the one toolkit of the PDFs (page template,
fonts and the fallback font for text in another script, right-to-left paragraphs, styles),
each part small and read together with the others by both domains' reports.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

log = logging.getLogger(__name__)

FONT_DIRS = (
    Path(__file__).parent / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/truetype/wqy"),
    Path("/usr/share/fonts/wqy-zenhei"),
    Path("/usr/local/share/fonts"),
)


@dataclass(frozen=True)
class FontFamily:
    name: str  # registered names: name, name + "-Bold"
    regular: str  # file names
    bold: str
    package: str  # the Debian package that provides it


LATIN = FontFamily("CR-Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "fonts-dejavu-core")
CJK = FontFamily("CR-CJK", "wqy-zenhei.ttc", "wqy-zenhei.ttc", "fonts-wqy-zenhei")
FAMILY_OF_LOCALE = {"zh": CJK}  # every other interface language: LATIN
RTL_LOCALES = frozenset({"ar", "fa", "he", "ur"})
# Helvetica (built into every PDF reader) covers Latin-1: enough for these when DejaVu is gone.
HELVETICA_LOCALES = frozenset({"en", "es", "fr"})


class FontMissing(RuntimeError):
    """The font a language needs is not installed; the message says which package to add."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    locale: str
    rtl: bool = False
    cjk: bool = False


def _find(file_name: str) -> Path | None:
    for folder in FONT_DIRS:
        if (folder / file_name).is_file():
            return folder / file_name
    return None


@cache
def _register(family: FontFamily) -> bool:
    regular, bold = _find(family.regular), _find(family.bold)
    if regular is None or bold is None:
        return False
    index = {"subfontIndex": 0} if regular.suffix == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(family.name, str(regular), **index))
    pdfmetrics.registerFont(TTFont(family.name + "-Bold", str(bold), **index))
    pdfmetrics.registerFontFamily(
        family.name,
        normal=family.name,
        bold=family.name + "-Bold",
        italic=family.name,
        boldItalic=family.name + "-Bold",
    )
    return True


def fonts_for(locale: str) -> Fonts:
    """Register (once) and name the fonts that render `locale`; FontMissing if not installed."""
    language = str(locale).split("_")[0].split("-")[0]
    family = FAMILY_OF_LOCALE.get(language, LATIN)
    rtl, cjk = language in RTL_LOCALES, family is CJK
    if _register(family):
        return Fonts(family.name, family.name + "-Bold", language, rtl, cjk)
    if language in HELVETICA_LOCALES:
        log.warning("%s not found; PDFs use Helvetica (Latin-1 only)", family.regular)
        return Fonts("Helvetica", "Helvetica-Bold", language)
    raise FontMissing(
        f"PDFs in '{language}' need the font {family.regular}: install the Debian package "
        f"{family.package} (apt-get install {family.package}) or put the file in core/fonts/."
    )


# --- right-to-left text ------------------------------------------------------------------

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


# python-bidi's reference algorithm knows embeddings but not the isolates of Unicode 6.3
# (it raises on them), which Arabic keyboards and word processors insert: each isolate is
# drawn as the embedding closest to it, and the marks that only steer the order go once it
# is worked out (fonts have no glyph for them).
ISOLATES = {"\u2066": "\u202a", "\u2067": "\u202b", "\u2069": "\u202c"}  # LRI, RLI, PDI
FIRST_STRONG_ISOLATE = "\u2068"
STEERING = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"))


def _embeddings(text: str) -> str:
    """Isolates as embeddings: FSI takes the direction of its first strong letter (P2)."""
    from bidi.algorithm import get_base_level

    out = []
    for i, char in enumerate(text):
        if char == FIRST_STRONG_ISOLATE:
            end = text.find("\u2069", i)
            inner = text[i + 1 : end if end != -1 else None]
            out.append("\u202b" if get_base_level(inner) == 1 else "\u202a")
        else:
            out.append(ISOLATES.get(char, char))
    return "".join(out)


def visual(text: str, base_dir: str | None = "R") -> str:
    """One line of right-to-left text as it is drawn: Arabic letters in their joined forms,
    runs in visual order (numbers and Latin words keep their own direction), brackets
    mirrored. base_dir None: the direction of the first strong letter (Unicode rule P2)."""
    import arabic_reshaper

    # bidi.algorithm, not the package's faster default: only it mirrors brackets (rule L4),
    # without which "(10)" in an Arabic line is drawn ")10(".
    from bidi.algorithm import get_display

    shown = get_display(arabic_reshaper.reshape(_embeddings(text)), base_dir=base_dir)
    return shown.translate(STEERING)


class BidiParagraph(Flowable):
    """A right-to-left paragraph: lines broken on the logical text, each line then put in
    visual order and drawn as one Paragraph line. base_dir None: each line takes the
    direction of its first strong letter (Arabic in a left-to-right report: "Respond (فريق
    مصر)" stays a left-to-right line with an Arabic run)."""

    def __init__(self, text: str, style: ParagraphStyle, base_dir: str | None = "R"):
        super().__init__()
        self.text, self.style, self.base_dir = text, style, base_dir
        self._paragraph: Paragraph | None = None

    def _lines(self, width: float) -> list[str]:
        import arabic_reshaper

        shaped_width = lambda words: pdfmetrics.stringWidth(  # noqa: E731
            arabic_reshaper.reshape(" ".join(words)), self.style.fontName, self.style.fontSize
        )
        lines, current = [], []
        for word in self.text.split():
            if current and shaped_width([*current, word]) > width:
                lines.append(current)
                current = []
            current.append(word)
        if current:
            lines.append(current)
        return [visual(" ".join(line), self.base_dir) for line in lines] or [""]

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        markup = "<br/>".join(escape(line) for line in self._lines(availWidth))
        self._paragraph = Paragraph(markup, self.style)
        return self._paragraph.wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):  # noqa: N803
        if self._paragraph is None:
            self.wrap(availWidth, availHeight)
        return self._paragraph.split(availWidth, availHeight)

    def draw(self):
        self._paragraph.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802
        return self.style.spaceAfter


# --- text in another script than the report's -------------------------------------------

CJK_TEXT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@cache
def _family_font(locale: str) -> str | None:
    try:
        return fonts_for(locale).regular
    except FontMissing:
        return None


def font_for(text: str, fonts: Fonts) -> str | None:
    """A font for text the report's own font cannot draw: Chinese in a Latin or Arabic
    report, Arabic in a Chinese one (one font family per report). None: the report's font
    will do."""
    if CJK_TEXT.search(text) and not fonts.cjk:
        return _family_font("zh")
    if ARABIC.search(text) and fonts.cjk:
        return _family_font("en")
    return None


def _drawings(items: Iterable) -> Iterable[Drawing]:
    for item in items:
        if isinstance(item, Drawing):
            yield item
        for row in getattr(item, "_cellvalues", []):
            yield from _drawings(c for c in row if isinstance(c, Drawing))


def _fit_fonts(node, fonts: Fonts) -> None:
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            font = font_for(child.text, fonts)
            if font is not None:
                child.fontName = font
        else:
            _fit_fonts(child, fonts)


def fit_chart_fonts(story: Iterable, fonts: Fonts) -> None:
    """Chart labels (in the story's drawings, also inside tables) in a script the chart's
    font lacks get a font that has it."""
    for drawing in _drawings(story):
        _fit_fonts(drawing, fonts)


# --- styles ------------------------------------------------------------------------------

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#1f4e79")
ZEBRA = colors.HexColor("#eef2f7")
RULE = colors.HexColor("#9aa5b1")
TLP_COLOURS = {  # FIRST TLP 2.0: coloured text on black
    "TLP:CLEAR": "#ffffff",
    "TLP:GREEN": "#33ff00",
    "TLP:AMBER": "#ffc000",
    "TLP:AMBER+STRICT": "#ffc000",
    "TLP:RED": "#ff2b2b",
}


_CELL = {"fontSize": 8.5, "leading": 10.5, "spaceAfter": 0}
_HEADING = {"bold": True, "textColor": ACCENT}
_COVER = {"alignment": TA_CENTER}

# Each style after "body": what it changes of the body style ("bold": the bold font).
STYLE_CHANGES = {
    "small": {"fontSize": 8, "leading": 10, "textColor": MUTED},
    "h1": {**_HEADING, "fontSize": 16, "leading": 20, "spaceBefore": 10, "spaceAfter": 6},
    "h2": {**_HEADING, "fontSize": 12.5, "leading": 16, "spaceBefore": 8, "spaceAfter": 4},
    "cell": _CELL,
    "cell_number": {**_CELL, "alignment": TA_RIGHT},
    "cell_head": {**_CELL, "bold": True},
    "cell_head_number": {**_CELL, "bold": True, "alignment": TA_RIGHT},
    "cover_title": {**_HEADING, **_COVER, "fontSize": 26, "leading": 32, "spaceAfter": 12},
    "cover_subtitle": {**_COVER, "fontSize": 15, "leading": 20, "spaceAfter": 24},
    "cover_note": {**_COVER, "fontSize": 9, "leading": 12, "textColor": MUTED},
}


def make_styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    """The paragraph styles of a report in these fonts: "body" and those of STYLE_CHANGES."""
    align = TA_RIGHT if fonts.rtl else TA_LEFT
    wrap = {"wordWrap": "CJK"} if fonts.cjk else {}  # Chinese breaks between characters
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=10,
        leading=14,
        textColor=INK,
        alignment=align,
        spaceAfter=4,
        **wrap,
    )
    styles = {"body": base}
    for name, changes in STYLE_CHANGES.items():
        changes = dict(changes)
        if changes.pop("bold", False):
            changes["fontName"] = fonts.bold
        styles[name] = ParagraphStyle(name, parent=base, **changes)
    return styles


# --- the report --------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm


class Report:
    """One PDF: its fonts, styles and page decoration. Build the story with the methods
    below, then `build(story)` returns the bytes."""

    def __init__(
        self,
        *,
        title: str,
        marking: str = "TLP:CLEAR",
        locale: str = "en",
        draft_label: str | None = None,
        page_label: str = "Page %(page)s of %(pages)s",
        author: str = "CyberReady",
        footer: str = "",
    ):
        self.fonts = fonts_for(locale)
        self.styles = make_styles(self.fonts)
        self.title, self.marking, self.author = title, marking, author
        self.draft_label, self.page_label, self.footer = draft_label, page_label, footer
        self.width = PAGE_WIDTH - 2 * MARGIN  # of the text frame

    @classmethod
    def for_locale(cls, locale: str, **kwargs) -> Report:
        """A report in `locale`, or in English when that language's font is missing (the
        caller renders its strings under force_locale(report.fonts.locale))."""
        try:
            return cls(locale=locale, **kwargs)
        except FontMissing as error:
            log.warning("%s; this PDF is rendered in English instead", error)
            return cls(locale="en", **kwargs)

    # text
    def line(self, text: str) -> str:
        """A single line as it must be drawn (chart labels, header text)."""
        text = str(text)
        return visual(text) if self.fonts.rtl and ARABIC.search(text) else text

    def para(self, text: object, style: str = "body") -> Flowable:
        """A paragraph of plain text; always escaped, never read as markup."""
        text = "" if text is None else str(text)
        chosen = self.styles[style]
        if self.fonts.rtl and ARABIC.search(text):
            if chosen.alignment == TA_LEFT:
                chosen = ParagraphStyle(chosen.name + "-rtl", parent=chosen, alignment=TA_RIGHT)
            return BidiParagraph(text, chosen)
        return Paragraph(escape(text), chosen)

    def heading(self, text: object, level: int = 1) -> Flowable:
        return self.para(text, f"h{level}")

    def table(
        self,
        rows: Sequence[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        header_rows: int = 1,
        numeric: Sequence[int] = (),
    ) -> Table:
        """A table that wraps long cells, repeats its header on every page and shades every
        other row. Cells are text (escaped) or flowables; `numeric`: column indexes aligned
        to the right. Right-to-left reports put the first column on the right."""
        count = max(len(r) for r in rows)
        widths = list(col_widths or [self.width / count] * count)
        body = []
        for i, row in enumerate(rows):
            cells = []
            for j, cell in enumerate(row):
                if isinstance(cell, Flowable):
                    cells.append(cell)
                elif i < header_rows:
                    cells.append(
                        self.para(cell, "cell_head_number" if j in numeric else "cell_head")
                    )
                else:
                    cells.append(self.para(cell, "cell_number" if j in numeric else "cell"))
            body.append(cells)
        if self.fonts.rtl:
            body = [list(reversed(r)) for r in body]
            widths.reverse()
        # splitInRow: a cell taller than a page (a 4,000-character answer) goes on over the
        # next page instead of stopping the whole PDF (ReportLab raises LayoutError).
        table = Table(body, colWidths=widths, repeatRows=header_rows, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 1, ACCENT),
                    ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
                    ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def cover(
        self,
        title: str,
        subtitle: str = "",
        details: Sequence[tuple[str, object]] = (),
        note: str = "",
    ) -> list[Flowable]:
        """The first page: title, subtitle, a short table of facts, a note; then a page
        break."""
        story: list[Flowable] = [Spacer(1, 50 * mm), self.para(title, "cover_title")]
        if subtitle:
            story.append(self.para(subtitle, "cover_subtitle"))
        if details:
            story.append(
                self.table(
                    [(label, value) for label, value in details],
                    col_widths=[self.width * 0.35, self.width * 0.45],
                    header_rows=0,
                )
            )
        if note:
            story += [Spacer(1, 12 * mm), self.para(note, "cover_note")]
        story.append(PageBreak())
        return story

    # pages
    def _decorate(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - 11 * mm
        # Handling marking, top right (top left in right-to-left reports), on every page.
        marking = self.marking
        canvas.setFont(self.fonts.bold, 9)
        box = pdfmetrics.stringWidth(marking, self.fonts.bold, 9) + 8
        x = MARGIN if self.fonts.rtl else PAGE_WIDTH - MARGIN - box
        canvas.setFillColor(colors.black)
        canvas.rect(x, top - 3, box, 13, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(TLP_COLOURS.get(marking.upper(), "#ffffff")))
        canvas.drawString(x + 4, top, marking)
        canvas.setFillColor(MUTED)
        canvas.setFont(self.fonts.regular, 8)
        header = self.line(self.title)
        if self.draft_label:  # the mark comes first in the reading direction
            draft = self.line(self.draft_label)
            header = f"{header} · {draft}" if self.fonts.rtl else f"{draft} · {header}"
        if self.fonts.rtl:
            canvas.drawRightString(PAGE_WIDTH - MARGIN, top, header)
        else:
            canvas.drawString(MARGIN, top, header)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, top - 6, PAGE_WIDTH - MARGIN, top - 6)
        # Footer: page X of Y, and the footer line.
        bottom = 10 * mm
        canvas.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
        numbers = self.line(self.page_label % {"page": page, "pages": pages})
        left, right = (
            (numbers, self.line(self.footer))
            if self.fonts.rtl
            else (self.line(self.footer), numbers)
        )
        canvas.drawString(MARGIN, bottom, left)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, bottom, right)
        if self.draft_label:
            canvas.setFillColor(colors.HexColor("#c00000"))
            canvas.setFillAlpha(0.14)
            canvas.setFont(self.fonts.bold, 96)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -30, self.line(self.draft_label))
        canvas.restoreState()

    def _canvas_maker(self):
        report = self

        class NumberedCanvas(Canvas):
            """Keeps each page until the end, so every page can say how many there are."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):  # noqa: N802 - reportlab's name
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    report._decorate(self, number, len(self._pages))
                    super().showPage()
                super().save()

        return NumberedCanvas

    def build(self, story: list[Flowable]) -> bytes:
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 4 * mm,
            bottomMargin=MARGIN,
            title=self.title,
            author=self.author,
            lang=self.fonts.locale,
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(story, canvasmaker=self._canvas_maker())
        return buffer.getvalue()
