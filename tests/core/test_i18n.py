import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core import db as core_db
from core.models import User
from tests.conftest import ROOT, csrf_from, login

LANGUAGES = ["fr", "es", "ar", "ru", "zh"]
TRANSLATIONS = ROOT / "core" / "translations"


def catalog(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_string_in_the_code_is_in_every_catalog(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            "core",
            "gci",
            "drills",
            "scenarios",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    for lang in LANGUAGES:
        translated = {m.id for m in catalog(lang) if m.id and m.string and not m.fuzzy}
        missing = wanted - translated
        assert not missing, f"{lang} lacks: {sorted(missing)[:5]} (run pybabel update, translate)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_chosen_language_is_used_and_arabic_is_right_to_left(client, lang):
    expected = catalog(lang).get("Skip to main content").string
    response = client.post(
        "/language", data={"lang": lang, "next": "/", "csrf_token": csrf_from(client, "/")}
    )
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert f'lang="{lang}"' in page
    assert expected in page
    assert ('dir="rtl"' in page) is (lang == "ar")


def test_browser_language_is_honoured_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).get_data(as_text=True)
    assert 'lang="es"' in page


def test_unknown_language_is_refused(client):
    response = client.post("/language", data={"lang": "xx", "csrf_token": csrf_from(client, "/")})
    assert response.status_code == 400


def test_a_signed_in_choice_is_kept_on_the_account_for_later_sessions(app, users):
    first = app.test_client()
    login(first, users["participant"].email)
    first.post("/language", data={"lang": "fr", "next": "/", "csrf_token": csrf_from(first, "/")})
    with app.app_context():
        assert core_db.session().get(User, users["participant"].id).locale == "fr"
    later = app.test_client()  # another browser, which asks for English
    login(later, users["participant"].email)
    page = later.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="fr"' in page
    anonymous = app.test_client().get("/", headers={"Accept-Language": "en"})
    assert 'lang="en"' in anonymous.get_data(as_text=True)
