"""What an uploaded evidence file really is, decided by its content and never by its name or
the type the browser claims: PDF, PNG and JPEG by their first bytes; office documents (zip
files) by their [Content_Types].xml (DOCX, XLSX, PPTX) or their `mimetype` entry (ODT, ODS).
Macro-enabled office files and anything else are refused. Pure: reads a file, no Flask."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType("pdf", "application/pdf")
PNG = FileType("png", "image/png")
JPEG = FileType("jpg", "image/jpeg")
OOXML = "application/vnd.openxmlformats-officedocument."
# The content type of each OOXML document's main part, in [Content_Types].xml.
OOXML_MAIN = {
    OOXML + "wordprocessingml.document.main+xml": FileType(
        "docx", OOXML + "wordprocessingml.document"
    ),
    OOXML + "spreadsheetml.sheet.main+xml": FileType("xlsx", OOXML + "spreadsheetml.sheet"),
    OOXML + "presentationml.presentation.main+xml": FileType(
        "pptx", OOXML + "presentationml.presentation"
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": FileType(
        "odt", "application/vnd.oasis.opendocument.text"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "ods", "application/vnd.oasis.opendocument.spreadsheet"
    ),
}
ACCEPTED = "PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG"
SMALL_ENTRY = 1024 * 1024  # a manifest larger than this is not an office document's


def sniff(path: Path) -> FileType | None:
    """The type of the file at `path` judged by its content, or None if not accepted."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    return None


def _office(path: Path) -> FileType | None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {info.filename: info for info in archive.infolist()}
            mimetype = entries.get("mimetype")
            if mimetype is not None and mimetype.file_size < 200:
                return ODF.get(archive.read(mimetype).decode("ascii", "replace").strip())
            manifest = entries.get("[Content_Types].xml")
            if manifest is None or manifest.file_size > SMALL_ENTRY:
                return None
            text = archive.read(manifest).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    found = {OOXML_MAIN[t] for t in re.findall(r'ContentType="([^"]+)"', text) if t in OOXML_MAIN}
    return found.pop() if len(found) == 1 else None


def download_name(original: str, file_type: FileType) -> str:
    """A safe name to download the file under: letters, digits, dots, dashes and underscores
    of the original stem, never a path, with the extension of what the file really is."""
    stem = Path(original.replace("\\", "/")).name.rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80] or "evidence"
    return f"{stem}.{file_type.extension}"


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) address, else ValueError saying what is wrong."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("give a full web address starting with http:// or https://")
    if any(ch.isspace() for ch in url):
        raise ValueError("a web address has no spaces")
    return url
