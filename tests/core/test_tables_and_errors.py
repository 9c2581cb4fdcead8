"""The one CSV module (core/tables.py) and the one domain error model (core/errors.py)."""

from __future__ import annotations

import pytest
from flask import Blueprint

from core import tables
from core.domain import DomainError


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_guarded_and_restored(start):
    text = start + "HYPERLINK(1)"
    assert tables.safe_cell(text) == "'" + text
    assert tables.unsafe_cell(tables.safe_cell(text)) == text


def test_plain_text_and_numbers_are_not_touched():
    assert tables.safe_cell("Ministry") == "Ministry"
    assert tables.safe_cell(-5) == -5
    assert tables.unsafe_cell("'quoted by the author") == "'quoted by the author"


def test_write_guards_text_except_the_columns_named():
    out = tables.write(["code", "note"], [{"code": "-1", "note": "=1+1"}], unguarded=["code"])
    assert out == "code,note\n-1,'=1+1\n"


def test_bom_semicolons_and_line_numbers_as_a_spreadsheet_saves_them():
    raw = '\ufeffiso3;name\r\n\r\nFRA;France\r\nDEU;"Allemagne; RFA"\r\n'.encode()
    columns, rows = tables.dict_rows(tables.decode(raw), delimiter=None)
    assert columns == ["iso3", "name"]
    assert [(r.line, r.get("iso3"), r.get("name")) for r in rows] == [
        (3, "FRA", "France"),
        (4, "DEU", "Allemagne; RFA"),
    ]


def test_not_utf8_is_a_table_error():
    with pytest.raises(tables.TableError):
        tables.decode("café".encode("latin-1"))


class _Refused(DomainError):
    status = 409

    def problem_fields(self):
        return {"version": 3}


@pytest.fixture
def refusing_app(app):
    bp = Blueprint("refusing", __name__)

    @bp.get("/refused")
    def refused():
        raise _Refused("Someone else changed it; reload.")

    app.register_blueprint(bp)
    return app


def test_a_domain_error_is_a_page_with_its_message_and_status(refusing_app):
    response = refusing_app.test_client().get("/refused", headers={"Accept": "text/html"})
    assert response.status_code == 409
    assert "Someone else changed it; reload." in response.get_data(as_text=True)


def test_a_domain_error_is_problem_json_for_json_clients(refusing_app):
    response = refusing_app.test_client().get("/refused", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"] == "Someone else changed it; reload."
    assert body["status"] == 409 and body["version"] == 3


def test_a_cell_holding_a_carriage_return_is_quoted_and_reads_back():
    text = tables.write(["a", "b"], [{"a": "x\ry", "b": "1"}])
    assert text == 'a,b\n"x\ry",1\n'
    assert tables.records(text) == [["a", "b"], ["x\ry", "1"]]
