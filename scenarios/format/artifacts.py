"""Binary artifacts of injects (images, packet captures, PDF documents): their bytes travel
base64-encoded inside the scenario document, and their type is told by their content (the
magic bytes), never by their name or by what the file claims. No Flask, no database."""

from __future__ import annotations

import base64
import binascii
import re

MAX_BINARY_BYTES = 2 * 1024 * 1024  # decoded size of one binary artifact

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
PCAP = "application/vnd.tcpdump.pcap"
PCAPNG = "application/x-pcapng"
BINARY_TYPES = (PNG, JPEG, PDF, PCAP, PCAPNG)
# Which binary types an artifact of each kind may hold; the other kinds are text only.
KIND_TYPES = {"image": (PNG, JPEG), "pcap": (PCAP, PCAPNG), "document": (PDF,)}
# Types a browser may show inside the page (an <img>): never SVG or anything scriptable.
INLINE_IMAGES = (PNG, JPEG)
EXTENSIONS = {PNG: ".png", JPEG: ".jpg", PDF: ".pdf", PCAP: ".pcap", PCAPNG: ".pcapng"}

_PCAP_MAGICS = (
    b"\xa1\xb2\xc3\xd4",  # microseconds, big-endian
    b"\xd4\xc3\xb2\xa1",  # microseconds, little-endian
    b"\xa1\xb2\x3c\x4d",  # nanoseconds, big-endian
    b"\x4d\x3c\xb2\xa1",  # nanoseconds, little-endian
)


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None when they are none of BINARY_TYPES."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"%PDF-"):
        return PDF
    if len(data) >= 24 and data[:4] in _PCAP_MAGICS:
        return PCAP
    # pcapng: a Section Header Block, then its byte-order magic in either order
    if data[:4] == b"\x0a\x0d\x0d\x0a" and data[8:12] in (b"\x1a\x2b\x3c\x4d", b"\x4d\x3c\x2b\x1a"):
        return PCAPNG
    return None


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(content: str) -> bytes | None:
    """The bytes of base64 text (line breaks allowed), or None if it is not base64."""
    try:
        return base64.b64decode(re.sub(r"\s+", "", content), validate=True)
    except (binascii.Error, ValueError):
        return None


def check(data: bytes, kind: str, media_type: str | None) -> list[tuple[str, str]]:
    """Problems of a binary artifact as (field, message); empty when it may be used."""
    if len(data) > MAX_BINARY_BYTES:
        return [
            (
                "content",
                f"is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_BINARY_BYTES // 1024 // 1024} MB",
            )
        ]
    found = sniff(data)
    if found is None:
        return [("content", "is not a PNG, JPEG, PDF, pcap or pcapng file (judged by content)")]
    problems = []
    if media_type is not None and media_type != found:
        problems.append(("media_type", f"says {media_type} but the content is {found}"))
    if found not in KIND_TYPES.get(kind, ()):
        allowed = ", ".join(KIND_TYPES.get(kind, ())) or "text only"
        problems.append(("kind", f"{kind} cannot hold {found} (it takes {allowed})"))
    return problems


def kind_of(media_type: str) -> str:
    return next(kind for kind, types in KIND_TYPES.items() if media_type in types)


def download_name(name: str, media_type: str) -> str:
    """A safe file name for Content-Disposition: plain characters, the right extension."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "artifact"
    extension = EXTENSIONS.get(media_type, ".bin")
    if not stem.lower().endswith(extension):
        stem = stem.rsplit(".", 1)[0] if "." in stem else stem
        stem += extension
    return stem[:120]
