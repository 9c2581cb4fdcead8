"""The after-action report PDF (HSEEP AAR/IP), drawn from the data of drills/reports/content.py
with core's PDF toolkit (core/pdf.py, core/charts.py): cover and handling, exercise overview,
results per objective (heat map of P/S/M/U ratings), timeline, scores and ranking (bar charts,
response-time distribution per inject), strengths and areas for improvement, hot-wash feedback,
and the appendices: improvement plan matrix, participants and evaluators, rating thresholds.

The same function draws the drill report and a team report: the data decides (a team's data
holds only that team). Wide team tables and charts are cut into chunks (drills/reports/layout.py)
so that 200 teams still fit the page. Strings go through gettext: call `render` inside an app
context; it renders under the locale given (the data stores it, so a finalised copy matches the
draft).

Why this module is larger than 400 lines: it is one class, `_Writer`, with one method per
report section (about a dozen, each drawing its part of the story in order, the long ones
calling a method per part); splitting the sections over modules or mixins would scatter one
document's reading order. Toolkit code (fonts, the
right-to-left paragraphs, the box plot) lives in core, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from core import charts, pdf
from drills.reports import content
from drills.reports.layout import (
    BAR_TEAMS,
    DISTRIBUTION_INJECTS,
    HEATMAP_OBJECTIVES,
    HEATMAP_TEAMS,
    LABEL_CHARS,
    TEAM_TIMELINE_LIMIT,
    aar_level,
    chunks,
    element_labels,
    even_chunks,
    keep_headings_with_charts,
    rating_meanings,
    side_by_side,
    unique_labels,
)


def render(data: dict, *, final: bool, locale: str = "en", version: int | None = None) -> bytes:
    """The PDF of a report's data; DRAFT on every page unless `final`."""
    report = pdf.Report.for_locale(
        locale,
        title=_title(data, locale),
        marking=data["drill"]["marking"],
        draft_label=None if final else "DRAFT",
        author="CyberReady",
    )
    with force_locale(report.fonts.locale):
        report.title = _title(data, report.fonts.locale)
        report.draft_label = None if final else _("DRAFT")
        report.page_label = _("Page %(page)s of %(pages)s")
        report.footer = data["drill"]["name"]
        return report.build(_Writer(report, data, version).story())


def _title(data: dict, locale: str) -> str:
    with force_locale(locale):
        if data["scope"] == "team":
            return _("After-action report: %(team)s", team=data["team"])
        return _("After-action report: %(drill)s", drill=data["drill"]["name"])


class _Writer:
    def __init__(self, report: pdf.Report, data: dict, version: int | None):
        self.r, self.d, self.version = report, data, version
        self.zone = ZoneInfo(data["drill"]["time_zone"] or "UTC")
        self.team_report = data["scope"] == "team"
        self.objectives = data["objectives"]
        self.teams = {str(t["id"]): t for t in data["teams"]}
        drill = data["drill"]
        # A drill within one day: the timeline says only the time (the cover has the date).
        self.one_day = (
            bool(drill["ended_at"])
            and self.when(drill["starts_at"])[:10] == self.when(drill["ended_at"])[:10]
        )

    def text(self, value: object, style: str = "cell") -> Flowable:
        """User text, escaped; Arabic shaped and ordered even in a left-to-right report, and
        drawn with a font that has its letters (a Chinese name in an English report)."""
        text = "" if value is None else str(value)
        font = pdf.font_for(text, self.r.fonts)
        if font is None and (self.r.fonts.rtl or not pdf.ARABIC.search(text)):
            return self.r.para(text, style)
        chosen = self.r.styles[style]
        if font is not None:
            wrap = {"wordWrap": "CJK"} if pdf.CJK_TEXT.search(text) else {}
            chosen = ParagraphStyle(f"{chosen.name}-{font}", parent=chosen, fontName=font, **wrap)
        if pdf.ARABIC.search(text):
            return pdf.BidiParagraph(text, chosen, base_dir=None)
        return Paragraph(escape(text), chosen)

    def label(self, value: str, limit: int = LABEL_CHARS) -> str:
        """A chart label: shortened, Arabic shaped and ordered."""
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return pdf.visual(text, base_dir=None) if pdf.ARABIC.search(text) else text

    def table(self, head: Sequence[str], rows: Iterable[Sequence], widths=None, numeric=()):
        def cell(j: int, value) -> Flowable:
            if isinstance(value, Flowable):
                return value
            return self.text(value, "cell_number" if j in numeric else "cell")

        body = [list(head)] + [[cell(j, c) for j, c in enumerate(row)] for row in rows]
        if len(body) == 1:  # a header over nothing reads like a lost page
            return self.r.para("–")
        return self.r.table(body, col_widths=widths, numeric=numeric)

    def when(self, iso: str | None, with_date: bool = True) -> str:
        if not iso:
            return "–"
        moment = datetime.fromisoformat(iso).astimezone(self.zone)
        return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")

    @staticmethod
    def number(value: float | None, digits: int = 1) -> str:
        return "–" if value is None else f"{value:.{digits}f}"

    def percent(self, share: float | None) -> str:
        return "–" if share is None else f"{share * 100:.0f} %"

    def section(self, text: str, intro: str | None = None) -> list[Flowable]:
        """A section's heading (on a new page rather than alone at the foot of one), and the
        paragraph that says how to read it, if it has one."""
        story = [CondPageBreak(150), self.r.heading(text)]
        return story + [self.r.para(intro)] if intro else story

    def sub(self, text: str) -> list[Flowable]:
        return [CondPageBreak(40), self.r.heading(text, 2)]

    def story(self) -> list[Flowable]:
        story = self.cover()
        story += self.overview()
        story += self.results()
        story += self.timeline()
        story += self.scores()
        story += self.observations()
        story += self.hotwash()
        story.append(PageBreak())
        story += self.plan()
        story += self.people()
        story += self.thresholds()
        pdf.fit_chart_fonts(story, self.r.fonts)
        return keep_headings_with_charts(story)

    def cover(self) -> list[Flowable]:
        d = self.d
        drill = d["drill"]
        details = [
            (_("Drill"), drill["name"]),
            (_("Scenario"), d["scenario"]["title"]),
            (_("Dates"), f"{self.when(drill['starts_at'])} – {self.when(drill['ended_at'])}"),
            (_("Time zone"), drill["time_zone"]),
            (_("Organiser"), drill["organiser"] or "–"),
            (_("Handling"), drill["marking"]),
        ]
        if self.team_report:
            details.insert(0, (_("Team"), d["team"]))
        if self.version is not None:
            details.append((_("Version"), str(self.version)))
        details.append((_("Generated"), self.when(d.get("generated_at"))))
        subtitle = d["team"] if self.team_report else drill["name"]
        rows = [(label, self.text(value)) for label, value in details]
        note = _(
            "Handling: %(marking)s. Share this report only as its marking allows. "
            "This report is made from the data recorded during the drill; the JSON and "
            "CSV exports hold the same figures.",
            marking=drill["marking"],
        )
        return self.r.cover(_("After-Action Report / Improvement Plan"), subtitle, rows, note)

    def overview(self) -> list[Flowable]:
        d, s = self.d, self.d["scenario"]
        story = self.section(_("1. Exercise overview"))
        facts = [
            (_("Scope"), s["summary"]),
            (_("Audience"), s["audience"]),
            (_("Difficulty"), s["difficulty"]),
            (_("Duration"), _("%(n)s minutes", n=s["duration_minutes"])),
            (_("Injects and questions"), f"{s['injects']} / {s['questions']}"),
            (_("Points available"), self.number(s["total_points"])),
        ]
        w = self.r.width
        story.append(self.table([_("Item"), _("Detail")], facts, [w * 0.3, w * 0.7]))
        story += self.sub(_("Objectives"))
        story.append(
            self.table(
                [_("ID"), _("Objective"), _("Capability (NIST CSF)"), _("GCI pillar"), _("Points")],
                [
                    (o["id"], o["text"], o["capability"], o["gci_pillar"], self.number(o["points"]))
                    for o in self.objectives
                ],
                [w * 0.1, w * 0.48, w * 0.18, w * 0.12, w * 0.12],
                numeric=(4,),
            )
        )
        story += self.sub(_("Teams and countries") if not self.team_report else _("Team"))
        pairs = [(t["name"], t["country"] or "–") for t in d["teams"]]
        if len(pairs) <= 12:
            story.append(self.table([_("Team"), _("Country")], pairs, [w * 0.6, w * 0.4]))
        else:  # two teams a row: half the pages for a long list
            half = -(-len(pairs) // 2)
            left, right = pairs[:half], pairs[half:] + [("", "")] * (2 * half - len(pairs))
            rows = [(*a, *b) for a, b in zip(left, right, strict=True)]
            head = [_("Team"), _("Country")] * 2
            story.append(self.table(head, rows, [w * 0.32, w * 0.18] * 2))
        story += self.sub(_("Participants by role"))
        roles = self.role_labels()
        story.append(
            self.table(
                [_("Role"), _("People")],
                [(roles.get(k, k), str(v)) for k, v in d["people_by_role"].items()],
                [w * 0.6, w * 0.4],
                numeric=(1,),
            )
        )
        return story

    @staticmethod
    def role_labels() -> dict[str, str]:
        return {
            "participant": _("Participant"),
            "evaluator": _("Evaluator"),
            "observer": _("Observer"),
        }

    def results(self) -> list[Flowable]:
        story = self.section(
            _("2. Results per objective"),
            _(
                "Each team's rating per objective comes from the share of the objective's "
                "points it earned (thresholds in appendix C); an evaluator may replace it, "
                "with a reason (listed below)."
            ),
        )
        meanings = rating_meanings()
        story += side_by_side(self.rating_maps(), self.r.width)
        story.append(
            self.r.para("   ".join(f"{k}: {meanings[k]}" for k in content.RATINGS), "small")
        )
        story += self.rating_tables()
        story += self.sub(_("Ratings changed by evaluators"))
        story.append(self.changed_ratings())
        return story

    def rating_maps(self) -> list[Flowable]:
        """Heat maps of the ratings, cut into chunks of objectives and of teams."""
        levels = [aar_level(k) for k in content.RATINGS]
        team_rows = [(tid, self.label(t["name"])) for tid, t in self.teams.items()]
        unique = unique_labels([name for _tid, name in team_rows])
        ratings = self.d["ratings"]
        maps = []
        for objectives in chunks(self.objectives, HEATMAP_OBJECTIVES):
            for rows in even_chunks(list(zip(team_rows, unique, strict=True)), HEATMAP_TEAMS):
                cells = {
                    (label, o["id"]): ratings[tid][o["id"]]["rating"]
                    for (tid, _name), label in rows
                    for o in objectives
                }
                maps.append(
                    charts.heatmap(
                        [label for _row, label in rows],
                        [o["id"] for o in objectives],
                        cells,
                        levels=levels,
                        title=_("Ratings by team and objective"),
                        cell=18,
                        label_width=125,
                        font=self.r.fonts.regular,
                    )
                )
        return maps

    def rating_tables(self) -> list[Flowable]:
        w = self.r.width
        ratings = self.d["ratings"]
        story: list[Flowable] = []
        for objectives in chunks(self.objectives, 6):
            head = [_("Team")] + [o["id"] for o in objectives]
            first = w * 0.28
            rest = (w - first) / len(objectives)
            rows = [
                [t["name"]] + [self.rating_cell(ratings[tid][o["id"]]) for o in objectives]
                for tid, t in self.teams.items()
            ]
            story += [Spacer(1, 6), self.table(head, rows, [first] + [rest] * len(objectives))]
        return story

    def changed_ratings(self) -> Flowable:
        w = self.r.width
        changed = [
            (self.teams[tid]["name"], oid, r["derived"] or "–", r["rating"], r["reason"], r["by"])
            for tid, by_objective in self.d["ratings"].items()
            for oid, r in by_objective.items()
            if r["reason"]
        ]
        if not changed:
            return self.r.para(_("No rating was changed."))
        return self.table(
            [_("Team"), _("Objective"), _("Derived"), _("Rating"), _("Reason"), _("By")],
            changed,
            [w * 0.2, w * 0.12, w * 0.11, w * 0.1, w * 0.29, w * 0.18],
        )

    def rating_cell(self, row: dict) -> str:
        if row["rating"] is None:
            return "–"
        mark = "*" if row["reason"] else ""
        return f"{row['rating']}{mark} ({self.percent(row['share'])})"

    def timeline(self) -> list[Flowable]:
        story = self.section(
            _("3. Timeline of injects"),
            _(
                "Minutes after the inject reached the team: acknowledged, first answer, "
                "every question answered right (accepted)."
            ),
        )
        w = self.r.width
        if self.team_report:
            head = [_("Inject"), _("Released"), _("Acknowledged"), _("Answered"), _("Accepted")]
            rows = [(f"{e['id']} {e['title']}", *self.team_steps(t)) for e, t in self.team_rows()]
            story.append(self.table(head, rows, [w * 0.32, w * 0.17, w * 0.17, w * 0.17, w * 0.17]))
            return story
        rows = [
            (
                f"{e['id']} {e['title']}",
                self.when(e["first_released"], not self.one_day),
                str(e["reached"]),
                f"{e['acknowledged']} · {self.number(e['median_ack_min'])}",
                f"{e['answered']} · {self.number(e['median_answer_min'])}",
                f"{e['accepted']} · {self.number(e['median_accept_min'])}",
            )
            for e in self.d["timeline"]
        ]
        head = [
            _("Inject"),
            _("Released"),
            _("Teams reached"),
            _("Acknowledged"),
            _("Answered"),
            _("Accepted"),
        ]
        widths = [w * 0.24, w * 0.17, w * 0.11, w * 0.18, w * 0.15, w * 0.15]
        story.append(self.table(head, rows, widths, (2,)))
        story.append(self.r.para(_("Cells: teams · median minutes after release."), "small"))
        return story + self.timeline_per_team()

    def team_rows(self) -> list[tuple[dict, dict]]:
        """(inject, one team's row of it) for every team row of the timeline."""
        return [(e, t) for e in self.d["timeline"] for t in e["teams"]]

    def team_steps(self, t: dict) -> tuple[str, str, str, str]:
        """Released, acknowledged, answered and accepted, for one team's row of an inject."""
        return (
            self.when(t["released"], not self.one_day),
            self.step(t["acknowledged"], t["ack_min"]),
            self.step(t["answered"], t["answer_min"]),
            self.step(t["accepted"], t["accept_min"]),
        )

    def timeline_per_team(self) -> list[Flowable]:
        """The drill report's per-team timeline, when it is short enough to print."""
        detail = sum(len(e["teams"]) for e in self.d["timeline"])
        if detail > TEAM_TIMELINE_LIMIT:
            text = _(
                "With %(n)s team rows the per-team timeline is left to the team reports "
                "and the CSV export.",
                n=detail,
            )
            return [self.r.para(text)]
        w = self.r.width
        rows = [
            (e["id"], self.teams[str(t["team_id"])]["name"], *self.team_steps(t))
            for e, t in self.team_rows()
        ]
        head = [
            _("Inject"),
            _("Team"),
            _("Released"),
            _("Acknowledged"),
            _("Answered"),
            _("Accepted"),
        ]
        widths = [w * 0.08, w * 0.22, w * 0.2, w * 0.18, w * 0.16, w * 0.16]
        return self.sub(_("Per team")) + [self.table(head, rows, widths)]

    def step(self, iso: str | None, minutes: float | None) -> str:
        if not iso:
            return "–"
        return f"{self.when(iso, with_date=False)} (+{self.number(minutes)})"

    def scores(self) -> list[Flowable]:
        d = self.d
        story = self.section(_("4. Scores and ranking"))
        w = self.r.width
        story += self.team_standing() if self.team_report else self.score_bars()
        rows = [
            (
                str(s["rank"]),
                s["team"],
                self.number(s["total"]),
                str(s["answered"]),
                self.number(s["median_minutes"]),
            )
            for s in d["scores"]
        ]
        head = [_("Rank"), _("Team"), _("Points"), _("Questions answered"), _("Median minutes")]
        story.append(Spacer(1, 6))
        story.append(
            self.table(head, rows, [w * 0.1, w * 0.42, w * 0.14, w * 0.17, w * 0.17], (0, 2, 3, 4))
        )
        return story + self.response_times()

    def team_standing(self) -> list[Flowable]:
        """A team report's rank, its score against the median and best, and its profile."""
        d = self.d
        w = self.r.width
        c = d["comparison"]
        own = d["scores"][0]
        text = _(
            "Rank %(rank)s of %(teams)s teams: %(total)s points; the median of all "
            "teams is %(median)s, the best %(best)s. Other teams are not named.",
            rank=c["rank"],
            teams=c["teams"],
            total=self.number(own["total"]),
            median=self.number(c["median_total"]),
            best=self.number(c["best_total"]),
        )
        values = {
            self.label(d["team"]): own["total"],
            _("Median of all teams"): c["median_total"],
            _("Best of all teams"): c["best_total"],
        }
        chart = charts.bars(
            values, maximum=d["scenario"]["total_points"] or 1,
            title=_("Score against all teams"), width=w, label_width=160,
            font=self.r.fonts.regular,
        )  # fmt: skip
        story = [self.r.para(text), chart]
        story += self.sub(_("Your profile against the median and the best"))
        story.append(self.team_profile())
        return story

    def team_profile(self) -> Flowable:
        """A team's share of each objective's points against the median and the best team: a
        radar from three objectives, bars below that."""
        d = self.d
        w = self.r.width
        font = self.r.fonts.regular
        profile, median, best = {}, {}, {}
        for o in self.objectives:
            row = d["comparison"]["objectives"][o["id"]]
            profile[o["id"]] = (row["team"] or 0) * 100
            median[o["id"]] = (row["median"] or 0) * 100
            best[o["id"]] = (row["best"] or 0) * 100
        comparisons = {_("Median of all teams"): median, _("Best of all teams"): best}
        if len(profile) >= 3:
            return charts.radar(
                profile, comparisons=comparisons, series_label=self.label(d["team"]),
                title=_("Share of each objective's points (%)"), width=w, height=300,
                font=font,
            )  # fmt: skip
        return charts.bars(
            profile, maximum=100, markers=comparisons, series_label=self.label(d["team"]),
            title=_("Share of each objective's points (%)"), width=w, label_width=80,
            font=font,
        )  # fmt: skip

    def score_bars(self) -> list[Flowable]:
        """The drill report's scores of every team, in chunks of bars."""
        maximum = self.d["scenario"]["total_points"] or 1
        story: list[Flowable] = []
        for part in even_chunks(self.d["scores"], BAR_TEAMS):
            labels = unique_labels([self.label(s["team"]) for s in part])
            values = dict(zip(labels, [s["total"] for s in part], strict=True))
            story.append(
                charts.bars(
                    values,
                    maximum=maximum,
                    title=_("Scores by team"),
                    width=self.r.width,
                    bar_size=8,
                    label_width=160,
                    font=self.r.fonts.regular,
                )  # fmt: skip
            )
        return story

    def response_times(self) -> list[Flowable]:
        d = self.d
        story = self.sub(_("Response times per inject"))
        story.append(
            self.r.para(
                _(
                    "Minutes from the inject reaching a team to its first answer: the line "
                    "spans the fastest to the slowest team, the box the middle half, the mark "
                    "the median; n teams answered. In a team report the dot is the team."
                )
            )
        )
        if self.team_report:
            everyone = d["comparison"]["answer_minutes"]
            entries = [
                (
                    e["id"],
                    everyone.get(e["id"], []),
                    e["teams"][0]["answer_min"] if e["teams"] else None,
                )
                for e in d["timeline"]
            ]
        else:
            entries = [(e["id"], e["answer_minutes"], None) for e in d["timeline"]]
        for part in even_chunks(entries, DISTRIBUTION_INJECTS):
            story.append(
                charts.distribution(
                    part, width=self.r.width, font=self.r.fonts.regular, title=_("Response times")
                )
            )
        return story

    def observations(self) -> list[Flowable]:
        d = self.d
        story = self.section(_("5. Strengths and areas for improvement"))
        if not d["strengths"] and not d["improvements"]:
            story.append(self.r.para(_("No observations were recorded.")))
        for o in self.objectives:
            strengths = [n for n in d["strengths"] if n["objective_id"] == o["id"]]
            improvements = [n for n in d["improvements"] if n["objective_id"] == o["id"]]
            if not strengths and not improvements:
                continue
            block = self.sub(f"{o['id']} · {o['capability']}: {o['text']}")
            for title, notes in ((_("Strengths"), strengths), (_("Areas for improvement"), improvements)):  # fmt: skip  # noqa: E501
                if not notes:
                    continue
                rows = [(n["team"] or _("All teams"), n["text"], n["evaluator"]) for n in notes]
                w = self.r.width
                head = [_("Team"), _("Observation"), _("Evaluator")]
                block += [
                    self.r.para(title, "cell_head"),
                    self.table(head, rows, [w * 0.22, w * 0.58, w * 0.2]),
                    Spacer(1, 4),
                ]
            story.append(KeepTogether(block))
        return story

    def hotwash(self) -> list[Flowable]:
        h = self.d["hotwash"]
        story = self.section(_("6. Hot-wash feedback"))
        if not h["count"]:
            story.append(self.r.para(_("No participant has answered the hot-wash questions.")))
            return story
        story.append(
            self.r.para(
                _(
                    "%(count)s answers; average rating %(average)s of 5.",
                    count=h["count"],
                    average=self.number(h["average"]),
                )
            )
        )
        values = {f"{k} / 5": float(v) for k, v in sorted(h["distribution"].items())}
        story.append(
            charts.bars(
                values,
                maximum=max(max(values.values()), 1),
                title=_("Ratings given"),
                width=self.r.width,
                bar_size=9,
                label_width=60,
                font=self.r.fonts.regular,
            )  # fmt: skip
        )
        w = self.r.width
        rows = [
            (
                " · ".join(x for x in (a["name"], a["team"]) if x)
                if a["name"] is not None
                else _("Anonymous"),
                str(a["rating"]),
                a["went_well"],
                a["went_badly"],
            )
            for a in h["answers"]
        ]
        head = [_("Who"), _("Rating"), _("What went well"), _("What did not")]
        story.append(self.table(head, rows, [w * 0.25, w * 0.11, w * 0.32, w * 0.32], (1,)))
        return story

    def plan(self) -> list[Flowable]:
        """The HSEEP improvement plan matrix, two lines per item so that its eight columns
        stay readable on a portrait page."""
        story = [self.r.heading(_("Appendix A: Improvement plan"))]
        items = self.d["plan"]
        if not items:
            story.append(self.r.para(_("The improvement plan has no items yet.")))
            return story
        elements = element_labels()
        w = self.r.width
        body = [
            [_("Capability"), _("Issue or area for improvement"), _("Corrective action"),
             _("Capability element")],
            [_("Responsible organisation"), _("Point of contact"), _("Start"), _("Completion")],
        ]  # fmt: skip
        for p in items:
            capability = f"{p['capability']} · {p['team']}" if p["team"] else p["capability"]
            first = [capability, p["issue"], p["corrective_action"]]
            first.append(elements.get(p["capability_element"], p["capability_element"]))
            second = [p["responsible_org"], p["contact"] or "–"]
            second += [p["start_date"] or "–", p["completion_date"] or "–"]
            body.append([self.text(c) for c in first])
            body.append([self.text(c, "small") for c in second])
        table = self.r.table(body, col_widths=[w * 0.22, w * 0.3, w * 0.3, w * 0.18], header_rows=2)
        # One shade per item (its two lines), a rule only under each item.
        commands = [("LINEBELOW", (0, 0), (-1, 0), 0.25, pdf.RULE)]
        for k in range(len(items)):
            top, bottom = 2 + 2 * k, 3 + 2 * k
            shade = pdf.ZEBRA if k % 2 else white
            commands += [
                ("BACKGROUND", (0, top), (-1, bottom), shade),
                ("LINEBELOW", (0, top), (-1, top), 0.25, shade),
                ("TOPPADDING", (0, bottom), (-1, bottom), 0),
            ]
        table.setStyle(TableStyle(commands))
        story.append(table)
        return story

    def people(self) -> list[Flowable]:
        story = self.section(_("Appendix B: Participants and evaluators"))
        roles = self.role_labels()
        w = self.r.width
        rows = [(p["name"], roles.get(p["role"], p["role"]), p["team"] or "–") for p in self.d["people"]]  # fmt: skip  # noqa: E501
        story.append(self.table([_("Name"), _("Role"), _("Team")], rows, [w * 0.4, w * 0.2, w * 0.4]))  # fmt: skip  # noqa: E501
        return story

    def thresholds(self) -> list[Flowable]:
        story = self.section(_("Appendix C: Rating thresholds"))
        meanings = rating_meanings()
        limits = self.d["thresholds"]
        rows = []
        for rating in content.RATINGS:
            if rating in limits:
                rule = _("at least %(share)s of the points", share=self.percent(limits[rating]))
            else:
                rule = _("less than %(share)s of the points", share=self.percent(limits["M"]))
            rows.append((rating, meanings[rating], rule))
        w = self.r.width
        story.append(self.table([_("Rating"), _("Meaning"), _("Share of the objective's points")], rows, [w * 0.12, w * 0.48, w * 0.4]))  # fmt: skip  # noqa: E501
        story.append(
            self.r.para(
                _(
                    "The share counts the points of the questions that reached the team; a "
                    "question's points are shared equally between its objectives. An "
                    "evaluator's rating, with its reason, replaces the derived one (marked *)."
                ),
                "small",
            )
        )
        return [KeepTogether(story)]
