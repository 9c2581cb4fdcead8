"""The GCI country profile as a PDF, built on core's PDF toolkit: published (public) or as a
draft of the current answers (for the country's own focal point, DRAFT on every page). One
function per section of the report; `_story` lists them in order."""

from __future__ import annotations

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from core import charts, pdf
from gci.results.labels import PLACEHOLDER_NOTICE, group_label, pillar_labels
from gci.results.profiles import Profile
from gci.results.scoring import PUBLISHED_DIGITS


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.{PUBLISHED_DIGITS}f}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.{PUBLISHED_DIGITS}f}"


def _pillar_charts(profile: Profile, labels: dict[str, str]):
    """For the page and the PDF alike: the radar (percent of each pillar's maximum) and
    the bars (points), both with the region and group averages beside the country."""
    codes = list(profile.pillars)

    def percent(values: dict[str, float]) -> dict[str, float]:
        return {
            labels[c]: 100 * values.get(c, 0) / profile.pillar_max[c]
            for c in codes
            if profile.pillar_max.get(c)
        }

    comparisons = {}
    markers = {}
    if profile.region:
        name = _("%(region)s average", region=profile.region.label)
        comparisons[name] = percent(profile.region.pillars)
        markers[name] = {labels[c]: profile.region.pillars.get(c, 0) for c in codes}
    for group, average in profile.groups.items():
        name = _("%(group)s average", group=group_label(group))
        comparisons[name] = percent(average.pillars)
        markers[name] = {labels[c]: average.pillars.get(c, 0) for c in codes}
    return comparisons, markers, percent(profile.pillars)


def profile_charts(profile: Profile, font: str = "Helvetica", line=str):
    """(radar, bars) Drawings of a profile; `line` prepares labels for a PDF."""
    labels = {c: line(str(n)) for c, n in pillar_labels_for(profile).items()}
    comparisons, markers, percent = _pillar_charts(profile, labels)
    comparisons = {line(k): v for k, v in comparisons.items()}
    markers = {line(k): v for k, v in markers.items()}
    country = line(profile.country.name)
    radar = charts.radar(
        percent,
        comparisons=comparisons,
        title=_("Pillar scores, percent of each pillar's maximum"),
        series_label=country,
        unit="%",
        font=font,
    )
    bars = charts.bars(
        {labels[c]: v for c, v in profile.pillars.items()},
        maximum={labels[c]: profile.pillar_max.get(c, 20) for c in profile.pillars},
        markers=markers,
        title=_("Pillar scores in points"),
        series_label=country,
        font=font,
    )
    return radar, bars


def pillar_labels_for(profile: Profile) -> dict[str, str]:
    return {
        code: pillar_labels(None).get(code) or profile.pillar_names.get(code, code)
        for code in profile.pillars
    }


def country_profile(profile: Profile, locale: str) -> bytes:
    """The profile as a PDF in `locale`, or in English when that language's font is not
    installed (core.pdf says which package to add)."""
    title = _("GCI country profile: %(country)s", country=profile.country.name)
    report = pdf.Report.for_locale(
        locale,
        title=title,
        marking="TLP:AMBER" if profile.draft else "TLP:CLEAR",
        draft_label=_("DRAFT") if profile.draft else None,
    )
    with force_locale(report.fonts.locale):
        # Texts again, now in the language the report is really written in.
        report.title = _("GCI country profile: %(country)s", country=profile.country.name)
        report.draft_label = _("DRAFT") if profile.draft else None
        report.page_label = _("Page %(page)s of %(pages)s", page="%(page)s", pages="%(pages)s")
        report.footer = profile.cycle.name
        return report.build(_story(report, profile))


def _story(report: pdf.Report, profile: Profile) -> list:
    labels = pillar_labels_for(profile)
    return [
        *_cover(report, profile),
        *_scores(report, profile, labels),
        report.heading(_("Pillar chart")),
        *profile_charts(profile, font=report.fonts.regular, line=report.line),
        *_comparison(report, profile),
        *_moves(report, profile),
        *_indicators(report, profile, labels),
    ]


def _tier_text(profile: Profile) -> str:
    if not profile.tier_name:
        return "—"
    return _("Tier %(n)s, %(name)s", n=profile.tier, name=profile.tier_name)


def _cover(report: pdf.Report, profile: Profile) -> list:
    country = profile.country
    details = [
        (_("Edition"), profile.cycle.name),
        (_("ITU region"), country.itu_region),
        (_("Overall score"), f"{_num(profile.overall)} / 100"),
        (_("Tier"), _tier_text(profile)),
    ]
    if profile.rank is not None:
        details.append((_("Global rank"), str(profile.rank)))
    if profile.draft:
        note = _(
            "Draft: provisional scores of the answers as given today, before the analysts' "
            "review. Not published; do not circulate."
        )
    else:
        published = format_datetime(profile.published_at, "medium") if profile.published_at else ""
        details.append((_("Published"), published))
        note = _("Published results, licensed under CC BY 4.0.")
    if profile.placeholder_weights:
        note += " " + str(PLACEHOLDER_NOTICE)
    return report.cover(
        _("GCI country profile"), f"{country.name} · {profile.cycle.name}", details, note
    )


def _scores(report: pdf.Report, profile: Profile, labels: dict[str, str]) -> list:
    """Scores and tier: the overall score, the change, the pillar table with the averages."""
    story = [report.heading(_("Scores and tier"))]
    if profile.draft:
        story.append(
            report.para(
                _(
                    "Provisional overall score %(p)s / 100 (answers as given); %(o)s / 100 "
                    "counting only the answers the analysts have accepted.",
                    p=_num(profile.overall),
                    o=_num(profile.official_overall),
                )
            )
        )
    else:
        overall = _("Overall score %(s)s / 100.", s=_num(profile.overall))
        story.append(report.para(overall + " " + _tier_text(profile)))
        if profile.change is not None and profile.previous_cycle is not None:
            story.append(
                report.para(
                    _(
                        "Change since %(cycle)s: %(change)s points.",
                        cycle=profile.previous_cycle.name,
                        change=_signed(profile.change),
                    )
                )
            )
    story.append(_pillar_table(report, profile, labels))
    return story


def _pillar_table(report: pdf.Report, profile: Profile, labels: dict[str, str]):
    header = [_("Pillar"), _("Score"), _("Maximum")]
    if profile.region:
        header.append(_("%(region)s average", region=profile.region.label))
    header += [_("%(group)s average", group=group_label(g)) for g in profile.groups]
    rows = [header]
    for code, value in profile.pillars.items():
        row = [labels.get(code, code), _num(value), _num(profile.pillar_max.get(code))]
        if profile.region:
            row.append(_num(profile.region.pillars.get(code)))
        row += [_num(a.pillars.get(code)) for a in profile.groups.values()]
        rows.append(row)
    total = [_("Overall"), _num(profile.overall), _num(100.0)]
    if profile.region:
        total.append(_num(profile.region.overall))
    total += [_num(a.overall) for a in profile.groups.values()]
    rows.append(total)
    return report.table(rows, numeric=range(1, len(header)))


def _comparison(report: pdf.Report, profile: Profile) -> list:
    """Comparison with region and group."""
    story = [report.heading(_("Comparison with region and group"))]
    if profile.region is None and not profile.groups:
        story.append(report.para(_("No published results to compare with yet.")))
        return story
    compare = [[_("Compared with"), _("Countries"), _("Average overall"), _("Difference")]]
    averages = ([profile.region] if profile.region else []) + list(profile.groups.values())
    for average in averages:
        name = (
            _("%(region)s average", region=average.label)
            if average is profile.region
            else _("%(group)s average", group=group_label(average.label))
        )
        compare.append(
            [name, str(average.count), _num(average.overall),
             _signed(profile.overall - average.overall)]
        )  # fmt: skip
    story.append(report.table(compare, numeric=(1, 2, 3)))
    return story


def _moves(report: pdf.Report, profile: Profile) -> list:
    """What would raise the score most (drafts)."""
    if not profile.moves:
        return []
    story = [report.heading(_("What would raise the score most"))]
    for code, text, gain in profile.moves:
        story.append(report.para(f"{code} {text}: " + _("+%(p)s points", p=_num(gain))))
    return story


def _indicators(report: pdf.Report, profile: Profile, labels: dict[str, str]) -> list:
    """Strengths and areas to improve, then every indicator's points."""
    if not profile.indicators:
        return []
    story = [report.heading(_("Strengths and areas to improve"))]
    for heading, chosen in (
        (_("Strengths"), profile.strongest()),
        (_("Areas to improve"), profile.weakest()),
    ):
        story.append(report.heading(heading, 2))
        for indicator in chosen:
            story.append(
                report.para(
                    _(
                        "%(name)s (%(pillar)s): %(percent)s%% of its points",
                        name=indicator.name,
                        pillar=labels.get(indicator.pillar, indicator.pillar),
                        percent=f"{indicator.percent:.0f}",
                    )
                )
            )
    story.append(report.heading(_("Indicators")))
    table = [[_("Pillar"), _("Indicator"), _("Points"), _("Maximum"), _("Share")]]
    for i in profile.indicators:
        table.append(
            [
                labels.get(i.pillar, i.pillar),
                f"{i.code} {i.name}",
                _num(i.earned),
                _num(i.maximum),
                f"{i.percent:.0f}%",
            ]
        )
    width = report.width
    story.append(
        report.table(
            table,
            col_widths=[width * 0.2, width * 0.44, width * 0.12, width * 0.12, width * 0.12],
            numeric=(2, 3, 4),
        )
    )
    return story
