"""After-action report generation for big synthetic drills: 50 teams x 30 injects (1,500
responses) and 200 teams x 30 injects (6,000), on SQLite; time and peak memory.

    .venv/bin/python bench/aar_bench.py [--pdf out.pdf] [--sizes 50,200] [--skip-all]

Prints figures; asserts nothing about time. Targets (issue 7): 50 teams under 2 s, 200 teams
under 8 s, under 300 MB.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import create_app, db, migrate  # noqa: E402
from core.models import User, utcnow  # noqa: E402
from drills.models import (  # noqa: E402
    Drill,
    DrillEvaluator,
    HotwashAnswer,
    ImprovementItem,
    InjectAck,
    Observation,
    RatingOverride,
    Submission,
    Team,
    TeamMember,
)
from drills.reports import content, writer  # noqa: E402
from drills.reports import service as report_service  # noqa: E402
from scenarios.authoring import service as scenarios  # noqa: E402

N_INJECTS = 30
OBJECTIVES = [
    ("O1", "Detect the intrusion early.", "Detect", "TEC"),
    ("O2", "Contain the spread.", "Respond", "TEC"),
    ("O3", "Notify the regulator on time.", "Respond", "LEG"),
    ("O4", "Coordinate with partner CIRTs.", "Respond", "COO"),
    ("O5", "Restore services.", "Recover", "ORG"),
]


def scenario_text() -> str:
    document = {
        "format": "cyberready-scenario/1",
        "id": "bench-aar",
        "title": "Regional ransomware",
        "summary": "A ransomware wave hits hospitals and the national registry.",
        "audience": "National CIRTs",
        "languages": ["en"],
        "duration_minutes": 10 * N_INJECTS + 60,
        "difficulty": "intermediate",
        "tags": ["bench"],
        "tlp": "AMBER",
        "objectives": [
            {"id": o, "text": t, "capability": c, "gci_pillar": p} for o, t, c, p in OBJECTIVES
        ],
        "injects": [
            {
                "id": f"I{n + 1}",
                "offset_minutes": 10 * n,
                "title": f"Situation update {n + 1}",
                "channel": "email",
                "body": "The SOC reports unusual traffic.",
                "objectives": [OBJECTIVES[n % 5][0]],
                "responses": [
                    {
                        "id": "R1",
                        "prompt": "Which host?",
                        "type": "exact",
                        "answer": f"host-{n}",
                        "match": "exact",
                        "points": 10,
                        "scoring": "auto",
                        "objectives": [OBJECTIVES[n % 5][0]],
                    }
                ],
            }
            for n in range(N_INJECTS)
        ],
    }
    return yaml.safe_dump(document, sort_keys=False)


def build_drill(session, n_teams: int, version_id: int) -> Drill:
    start = utcnow() - timedelta(hours=8)
    drill = Drill(
        name=f"Bench drill, {n_teams} teams",
        starts_at=start,
        ended_at=start + timedelta(minutes=10 * N_INJECTS + 60),
        state="ended",
        scenario_version_id=version_id,
    )
    session.add(drill)
    session.flush()
    evaluator = User(
        email=f"eval{n_teams}@bench.example", name="Eva Evaluator", role="evaluator",
        password_hash="x", session_token=f"e{n_teams}",
    )  # fmt: skip
    session.add(evaluator)
    session.flush()
    session.add(DrillEvaluator(drill_id=drill.id, user_id=evaluator.id))
    teams = [Team(drill_id=drill.id, name=f"National CIRT {i + 1:03d}") for i in range(n_teams)]
    session.add_all(teams)
    session.flush()
    rows = []
    for t_index, team in enumerate(teams):
        member = User(
            email=f"p{n_teams}-{t_index}@bench.example", name=f"Member {t_index + 1}",
            role="participant", password_hash="x", session_token=f"p{n_teams}-{t_index}",
        )  # fmt: skip
        session.add(member)
        session.flush()
        rows.append(TeamMember(team_id=team.id, user_id=member.id))
        for n in range(N_INJECTS):
            released = 10 * n
            late = (t_index * 7 + n * 3) % 40
            right = (t_index + n) % 4 != 0
            at = start + timedelta(minutes=released + late)
            rows.append(
                Submission(
                    drill_id=drill.id,
                    team_id=team.id,
                    inject_id=f"I{n + 1}",
                    response_id="R1",
                    answer={"v": "x"},
                    submitted_at=at,
                    drill_minute=released + late,
                    release_minute=released,
                    max_points=10,
                    correct=right,
                    points=10.0 if right else 0.0,
                    verdict_minute=released + late,
                    scored_at=at,
                    rule="auto: exact (exact)",
                )  # fmt: skip
            )
            rows.append(
                InjectAck(
                    team_id=team.id,
                    inject_id=f"I{n + 1}",
                    acknowledged_at=start + timedelta(minutes=released + late / 2),
                )  # fmt: skip
            )
        objective = OBJECTIVES[t_index % 5][0]
        rows.append(
            Observation(
                drill_id=drill.id,
                team_id=team.id,
                objective_id=objective,
                kind="strength" if t_index % 2 else "improvement",
                text="Clear hand-over between shifts; the log was kept up to date.",
                evaluator_id=evaluator.id,
            )  # fmt: skip
        )
        if t_index % 10 == 0:
            rows.append(
                RatingOverride(
                    drill_id=drill.id,
                    team_id=team.id,
                    objective_id="O1",
                    rating="S",
                    reason="Detected by phone before the alert.",
                    evaluator_id=evaluator.id,
                )  # fmt: skip
            )
            rows.append(
                ImprovementItem(
                    drill_id=drill.id,
                    team_id=team.id,
                    objective_id="O3",
                    capability="Respond",
                    issue="The regulator was told late.",
                    corrective_action="A notice template and a rota for the 72-hour notice.",
                    capability_element="planning",
                    responsible_org=f"CIRT {t_index + 1}",
                    contact="Head of CIRT",
                    start_date=date(2027, 1, 1),
                    completion_date=date(2027, 6, 30),
                )  # fmt: skip
            )
        rows.append(
            HotwashAnswer(
                drill_id=drill.id,
                team_id=team.id,
                user_id=member.id if t_index % 3 else None,
                respondent=f"{n_teams}-{t_index}",
                went_well="Realistic injects.",
                went_badly="Too many at once.",
                rating=1 + t_index % 5,
            )  # fmt: skip
        )
    session.add_all(rows)
    session.commit()
    return drill


def measure(label: str, fn) -> object:
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:44s} {seconds:7.2f} s")
    return result


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", help="write the first drill report here")
    parser.add_argument("--sizes", default="50,200", help="numbers of teams (default 50,200)")
    parser.add_argument("--skip-all", action="store_true", help="skip every team's report")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    print(
        f"After-action report benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{N_INJECTS} injects, one question each"
    )
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/bench.sqlite"
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "APP_ENV": "test"}, environ={})
        with app.app_context():
            session = db.session()
            version = scenarios.import_text(session, scenario_text(), publish=True)
            session.commit()
            for n_teams in sizes:
                drill = build_drill(session, n_teams, version.id)
                pdf_out = args.pdf if n_teams == sizes[0] else None
                run(session, drill, n_teams, pdf_out, every_team=not args.skip_all)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'peak resident set of the process':44s} {rss:7.1f} MB")


def run(session, drill: Drill, n_teams: int, pdf_out: str | None, every_team: bool) -> None:
    print(f"-- {n_teams} teams, {n_teams * N_INJECTS} responses")
    now = utcnow()

    def generate(scope: str):
        return _commit(session, report_service.generate(session, drill, scope, None, now))

    facts = measure(
        "gather the facts (queries)", lambda: report_service.inputs(session, drill, now)
    )
    data = measure("compute the data (content.build)", lambda: content.build(facts))
    pdf = measure("draw the PDF", lambda: writer.render(data, final=False))
    row = measure("drill report, end to end (generate + commit)", lambda: generate("drill"))
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    print(f"{'':44s} {len(row.pdf) / 1024:7.0f} KB, about {pages} pages")
    if pdf_out:
        Path(pdf_out).write_bytes(row.pdf)
    team = drill.teams[0]
    measure("one team report, end to end", lambda: generate(f"team-{team.id}"))
    if every_team:
        measure(
            "every report (scheduler: drill + all teams)",
            lambda: _commit(session, report_service.generate_all(session, drill, None, now)),
        )
    peak = peak_mb(lambda: report_service.generate(session, drill, "drill", None, now))
    session.rollback()
    print(f"{'peak Python memory, drill report (tracemalloc)':44s} {peak:7.1f} MB")


def _commit(session, result):
    session.commit()
    return result


if __name__ == "__main__":
    main()
