"""Use cases of the evidence behind an answer: add an uploaded file (kept only when its
content is an accepted kind, gci/questionnaire/filetypes.py) or a web address, and remove
one. Audited under the question's key like the answer itself. Functions work in the
caller's session; the caller commits (and deletes a removed file after the commit)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session

from core import audit
from core.models import Country
from gci.models import Cycle, Evidence
from gci.questionnaire import filetypes, reading
from gci.questionnaire.errors import QuestionnaireError, TooLarge, WrongType

DESCRIPTION_MAX = 500
URL_MAX = 2000


def _question(session, cycle, code):
    return reading.question_of(reading.framework_of(session, cycle), cycle, code)


def _description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionnaireError(_("Describe the evidence: what it is and where it shows this."))
    if len(text) > DESCRIPTION_MAX:
        raise QuestionnaireError(
            _("Keep the description under %(n)s characters.", n=DESCRIPTION_MAX)
        )
    return text


def _receive(stream, path: Path, max_bytes: int):
    """Write the upload to `path`, if not larger than `max_bytes`; (its SHA-256, its size,
    its kind by content). Nothing is left at `path` when refused."""
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(
                        _("The upload is too large: the limit is %(mb)s MB.", mb=max_bytes // 2**20)
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise QuestionnaireError(_("The file is empty."))
        file_type = filetypes.sniff(path)
        if file_type is None:
            raise WrongType(
                _(
                    "This file is not one of the accepted kinds (%(kinds)s), judged by its "
                    "content, whatever its name says.",
                    kinds=filetypes.ACCEPTED,
                )
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, file_type


def add_file(
    session: Session,
    cycle: Cycle,
    country: Country,
    code: str,
    *,
    stream,
    filename: str,
    description: str,
    folder: Path,
    max_bytes: int,
    actor,
    today: date,
) -> Evidence:
    """Store an uploaded file as evidence, under a random name in `folder`, if its content is
    an accepted type and it is not larger than `max_bytes`. Nothing is kept when refused."""
    _question(session, cycle, code)
    text = _description(description)
    reading.check_editable(session, cycle, country, today, actor)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    sha256, size, file_type = _receive(stream, folder / stored_name, max_bytes)
    return _store(
        session,
        cycle,
        country,
        actor,
        question_code=code,
        kind="file",
        description=text,
        filename=filetypes.download_name(filename or "", file_type),
        stored_name=stored_name,
        content_type=file_type.content_type,
        size=size,
        sha256=sha256,
    )


def add_url(
    session: Session,
    cycle: Cycle,
    country: Country,
    code: str,
    *,
    url: str,
    description: str,
    actor,
    today: date,
) -> Evidence:
    _question(session, cycle, code)
    text = _description(description)
    try:
        url = filetypes.check_url(url)
    except ValueError as error:
        raise QuestionnaireError(_("The link is not usable: %(reason)s.", reason=error)) from None
    if len(url) > URL_MAX:
        raise QuestionnaireError(_("The link is longer than 2000 characters."))
    reading.check_editable(session, cycle, country, today, actor)
    return _store(
        session, cycle, country, actor, question_code=code, kind="url", description=text, url=url
    )


def _store(session: Session, cycle: Cycle, country: Country, actor, **fields) -> Evidence:
    """The new piece of evidence, on the country's questionnaire (made if need be), audited."""
    reading.get_or_create(session, cycle, country)
    item = Evidence(
        cycle_id=cycle.id, country_id=country.id, created_by_id=getattr(actor, "id", None), **fields
    )
    session.add(item)
    session.flush()
    _audit(session, "gci.evidence.added", cycle, country, item, actor)
    return item


def remove_evidence(
    session: Session, cycle: Cycle, country: Country, item: Evidence, actor, today: date
) -> str | None:
    """Delete a piece of evidence; returns the stored file's name, to delete after commit."""
    reading.check_editable(session, cycle, country, today, actor)
    _audit(session, "gci.evidence.removed", cycle, country, item, actor)
    session.delete(item)
    return item.stored_name


def _audit(session, action, cycle, country, item: Evidence, actor) -> None:
    audit.record(
        session,
        action,
        actor=actor,
        obj_type="gci_answer",
        obj_id=reading.answer_key(cycle, country, item.question_code),
        question=item.question_code,
        evidence_id=item.id,
        kind=item.kind,
        description=item.description,
        filename=item.filename,
        url=item.url,
        sha256=item.sha256,
    )
