"""CSV/JSON downloads of what each dashboard page shows, built from the selectors' rows.

Statement rows use the contract's statements export shape (DESIGN.md §1, exports.STATEMENT_FIELDS);
overview rows are the table and the shift list as shown. CSV cells that a spreadsheet would read as a
formula (=, +, -, @ first) are prefixed with an apostrophe (OWASP "CSV injection").
"""

import io
import json

from django.http import HttpResponse

from tracker.dashboard.exports import STATEMENT_FIELDS, write_csv

CURRENT_FIELDS = ["donor", "donor_name", "recipient", "level", "level_rank", "level_label", "stated_on", "certainty"]
SHIFT_FIELDS = [
    "donor",
    "recipient",
    "scope",
    "stated_on",
    "from_level",
    "to_level",
    "direction",
    "speaker",
    "certainty",
    "quote",
    "sources",
]


def statement_row(r: dict) -> dict:
    return {
        "donor": r["donor"],
        "recipient": r["recipient"],
        "level": r["level_code"],
        "scope": r["scope"],
        "stated_on": r["stated_on"].isoformat(),
        "speaker": r["speaker"],
        "certainty": r["certainty"],
        "quote": r["quote"],
        "sources": [s["url"] for s in r["sources"]],
        "conditions": list(r["conditions"]),
        "weapons": list(r["weapons"] or []),
    }


def current_row(r: dict) -> dict:
    return {
        "donor": r["donor"],
        "donor_name": r["donor_name"],
        "recipient": r["recipient"],
        "level": r["level_code"],
        "level_rank": r["level_rank"],
        "level_label": r["level_label"],
        "stated_on": r["stated_on"].isoformat(),
        "certainty": r["certainty"],
    }


def shift_row(r: dict) -> dict:
    return {
        "donor": r["donor"],
        "recipient": r["recipient"],
        "scope": r["scope"],
        "stated_on": r["stated_on"].isoformat(),
        "from_level": r["from_code"],
        "to_level": r["level_code"],
        "direction": r["direction"],
        "speaker": r["speaker"],
        "certainty": r["certainty"],
        "quote": r["quote"],
        "sources": [s["url"] for s in r["sources"]],
    }


def _defuse(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, list):
        return [_defuse(v) for v in value]
    return value


def response(rows: list[dict], fields: list[str], *, fmt: str, filename: str) -> HttpResponse:
    """An attachment: JSON (a list of objects) or CSV (one header row, lists joined with " | ")."""
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2)
        resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        write_csv(({k: _defuse(v) for k, v in row.items()} for row in rows), fields, out)
        resp = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp


STATEMENTS = STATEMENT_FIELDS
