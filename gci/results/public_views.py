"""Public GCI pages (no sign-in): the ranking of the newest published edition with filters,
search and sorting done on the server (they work without JavaScript), the tiers, country
profiles with their charts and PDF, regional pages, and the open data downloads. Only
published snapshots are read here (gci.results.publication); nothing provisional appears.

Pages answer conditional requests: the ETag changes when anything is published, with the
language, the URL and whether someone is signed in; the page is not even rendered for a
304. The focal point's draft PDF of their own country lives here too, beside its public
sibling, behind the gci.country.read object check. Routes are listed in gci/blueprint.py
(the `results` blueprint)."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from urllib.parse import quote

from flask import Response, abort, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import charts, countries, db
from core.models import ItuRegion
from core.outbox import public_url
from core.policy import allow, authorize
from gci.results import open_data, profiles, publication, reports
from gci.results.labels import PLACEHOLDER_NOTICE, group_label, pillar_labels

STARTED = str(time.time())  # a restart (a new release) changes every ETag
REGION_SLUGS = {r.value.lower().replace(" ", "-"): r.value for r in ItuRegion}
SLUG_OF_REGION = {v: k for k, v in REGION_SLUGS.items()}
SORT_LABELS = {
    "name": _l("Country"),
    "overall": _l("Overall"),
    "tier": _l("Tier"),
    "rank": _l("Rank"),
    "change": _l("Change"),
}


def cached(max_age: int = 0):
    """Answer If-None-Match with 304 before doing the work. max_age 0: HTML pages, which
    hold a per-visitor form token, are revalidated each time (Cache-Control: no-cache)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            key = "|".join(
                [
                    STARTED,
                    publication.publication_key(db.session()),
                    str(get_locale()),
                    request.full_path,
                    str(current_user.is_authenticated),
                ]
            )
            etag = hashlib.sha256(key.encode()).hexdigest()[:32]
            if request.if_none_match.contains(etag):
                response = Response(status=304)
            else:
                response = make_response(view(*args, **kwargs))
            response.set_etag(etag)
            if max_age:
                response.cache_control.public = True
                response.cache_control.max_age = max_age
            else:
                response.cache_control.no_cache = True
            response.vary.update(("Cookie", "Accept-Language"))
            return response

        return wrapper

    return decorator


def _edition() -> publication.Published | None:
    """The edition asked for (?cycle=CODE, published ones only) or the newest; 404 for a
    cycle that has nothing published."""
    code = request.args.get("cycle") or None
    found = publication.current(db.session(), code)
    if code and found is None:
        abort(404)
    return found


def _region_links() -> dict[str, str]:
    return {region: url_for("results.region", slug=slug) for slug, region in REGION_SLUGS.items()}


@allow("public")
@cached()
def ranking():
    session = db.session()
    edition = _edition()
    region = request.args.get("region") or ""
    region = region if region in REGION_SLUGS.values() else ""
    group = request.args.get("group") or ""
    group = group if group in countries.GROUPS else ""
    search = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort") or "overall"
    sort = sort if sort in publication.SORT_KEYS else "overall"
    order = request.args.get("order")
    descending = {"asc": False, "desc": True}.get(order or "")
    shown = []
    total = 0
    if edition is not None:
        if sort == "rank" and not edition.ranks:
            sort = "overall"
        all_rows = publication.rows(session, edition)
        total = len(all_rows)
        shown = publication.select_rows(
            all_rows, region=region, group=group, search=search, sort=sort, descending=descending
        )
    if descending is None:
        descending = sort in ("overall", "change", *publication.PILLAR_CODES)

    def sort_url(key: str) -> str:
        flip = "asc" if (key == sort and descending) else "desc"
        if key != sort:
            flip = "asc" if key in ("name", "tier", "rank") else "desc"
        args = {k: v for k, v in request.args.items() if k not in ("sort", "order")}
        return url_for("results.ranking", **args, sort=key, order=flip)

    return render_template(
        "gci/public/ranking.html",
        edition=edition,
        editions=publication.published_cycles(session),
        rows=shown,
        total=total,
        region=region,
        group=group,
        search=search,
        sort=sort,
        descending=descending,
        sort_url=sort_url,
        sort_labels=SORT_LABELS,
        regions=[r.value for r in ItuRegion],
        region_links=_region_links(),
        groups=countries.GROUP_LABELS,
        pillars=pillar_labels(edition.framework if edition else None),
        placeholder_notice=PLACEHOLDER_NOTICE,
        licence=open_data.LICENCE,
        licence_url=open_data.LICENCE_URL,
    )


@allow("public")
@cached()
def tiers():
    session = db.session()
    edition = _edition()
    rows = []
    if edition is not None:
        counts: dict[int | None, int] = {}
        for row in publication.rows(session, edition):
            counts[row.tier] = counts.get(row.tier, 0) + 1
        ordered = sorted(edition.tiers, key=lambda t: -t.min_score)
        ceiling = 100.0
        for tier in ordered:
            rows.append((tier, ceiling, counts.get(tier.tier, 0)))
            ceiling = tier.min_score
    return render_template("gci/public/tiers.html", edition=edition, tiers=rows)


def _country_or_404(iso3: str):
    country = countries.by_iso3(db.session(), iso3.upper())
    if country is None:
        abort(404)
    return country


def _profile_or_404(iso3: str):
    """The country, the newest published edition and the country's profile in it (404 when
    there is none)."""
    found = _country_or_404(iso3)
    edition = _edition()
    profile = profiles.profile(db.session(), edition, found) if edition else None
    if profile is None:
        abort(404)
    return found, edition, profile


@allow("public")
@cached()
def country(iso3: str):
    found, edition, profile = _profile_or_404(iso3)
    radar, bars = reports.profile_charts(profile)
    return render_template(
        "gci/public/country.html",
        edition=edition,
        profile=profile,
        radar=charts.to_svg(radar),
        bars=charts.to_svg(bars),
        pillars=reports.pillar_labels_for(profile),
        region_slug=SLUG_OF_REGION.get(found.itu_region),
        group_label=group_label,
        placeholder_notice=PLACEHOLDER_NOTICE,
    )


def _pdf_response(data: bytes, filename: str, inline: bool = False) -> Response:
    response = Response(data, mimetype="application/pdf")
    kind = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f"{kind}; filename*=UTF-8''{quote(filename)}"
    return response


@allow("public")
@cached(max_age=300)
def country_pdf(iso3: str):
    found, _edition_shown, profile = _profile_or_404(iso3)
    data = reports.country_profile(profile, str(get_locale()))
    return _pdf_response(data, f"{profile.cycle.code}-{found.iso3}-profile.pdf")


@allow("gci.country.read")
def draft_pdf(iso3: str):
    found = countries.by_iso3(db.session(), iso3.upper())
    # a focal point reads only their own country's draft, and learns nothing of another's
    authorize("gci.country.read", found, conceal=True)
    profile = profiles.draft_profile(db.session(), found)
    if profile is None:
        abort(404)
    data = reports.country_profile(profile, str(get_locale()))
    response = _pdf_response(data, f"{profile.cycle.code}-{found.iso3}-DRAFT.pdf")
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


@allow("public")
@cached()
def region(slug: str):
    name = REGION_SLUGS.get(slug) or abort(404)
    session = db.session()
    edition = _edition()
    members, average, world = [], None, None
    chart = None
    labels = pillar_labels(edition.framework if edition else None)
    if edition is not None:
        all_rows = publication.rows(session, edition)
        members = publication.select_rows(all_rows, region=name)
        average = publication.region_average(all_rows, name)
        world = publication.average("global", all_rows)
        if average:
            codes = list(average.pillars)
            chart = charts.to_svg(
                charts.bars(
                    {labels.get(c, c): v for c, v in average.pillars.items()},
                    maximum={labels.get(c, c): edition.pillar_max.get(c, 20) for c in codes},
                    markers={
                        _("Global average"): {
                            labels.get(c, c): world.pillars.get(c, 0) for c in codes
                        }
                    },
                    series_label=_("%(region)s average", region=name),
                    title=_("%(region)s: average pillar scores", region=name),
                )
            )
    return render_template(
        "gci/public/region.html",
        edition=edition,
        region=name,
        rows=members,
        average=average,
        world=world,
        chart=chart,
        pillars=labels,
        region_links=_region_links(),
        placeholder_notice=PLACEHOLDER_NOTICE,
    )


# --- open data ---------------------------------------------------------------------------


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@allow("public")
@cached(max_age=300)
def data_csv():
    edition = _edition() or abort(404)
    rows = publication.rows(db.session(), edition)
    return _download(
        open_data.to_csv(edition, rows), "text/csv", f"{edition.cycle.code}-results.csv"
    )


@allow("public")
@cached(max_age=300)
def data_json():
    edition = _edition() or abort(404)
    rows = publication.rows(db.session(), edition)
    document = open_data.to_json(edition, rows, public_url(url_for("results.schema")))
    return _download(
        json.dumps(document, ensure_ascii=False, indent=1),
        "application/json",
        f"{edition.cycle.code}-results.json",
    )


@allow("public")
@cached(max_age=3600)
def schema():
    document = open_data.json_schema(public_url(url_for("results.schema")))
    return Response(json.dumps(document, indent=1), mimetype="application/schema+json")
