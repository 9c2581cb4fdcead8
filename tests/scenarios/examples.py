"""A small valid scenario document to break in tests."""

import copy

MINIMAL = {
    "format": "cyberready-scenario/1",
    "id": "test-scenario",
    "title": "Test scenario",
    "summary": "A short drill for tests.",
    "audience": "CIRT analysts",
    "languages": ["en"],
    "duration_minutes": 120,
    "difficulty": "introductory",
    "tags": ["test"],
    "tlp": "GREEN",
    "objectives": [
        {"id": "O1", "text": "Detect the intrusion.", "capability": "Detect", "gci_pillar": "TEC"},
        {"id": "O2", "text": "Notify the regulator.", "capability": "Respond", "gci_pillar": "LEG"},
    ],
    "injects": [
        {
            "id": "I1",
            "offset_minutes": 0,
            "title": "Alert",
            "channel": "soc_alert",
            "body": "An **alert** fired.",
            "objectives": ["O1"],
            "artifacts": [
                {
                    "name": "alert.log",
                    "kind": "log",
                    "media_type": "text/plain",
                    "content": "2026-11-23T08:00:01Z sshd[77]: Accepted password",
                }
            ],
            "responses": [
                {
                    "id": "R1",
                    "prompt": "Which IP logged in?",
                    "type": "exact",
                    "answer": "203.0.113.7",
                    "match": "exact",
                    "points": 10,
                    "scoring": "auto",
                    "decay": {"full_minutes": 10, "zero_minutes": 40, "floor": 0.5},
                    "hints": [{"text": "Read the log.", "cost": 2}],
                    "objectives": ["O1"],
                },
            ],
        },
        {
            "id": "I2",
            "offset_minutes": 30,
            "title": "Regulator calls",
            "channel": "phone",
            "body": "The regulator asks for a report.",
            "objectives": ["O2"],
            "condition": {"response": "I1.R1", "is": "incorrect"},
            "responses": [
                {
                    "id": "R1",
                    "prompt": "What do you tell them?",
                    "type": "free_text",
                    "points": 5,
                    "scoring": "evaluator",
                    "criteria": ["Gives the deadline"],
                    "objectives": ["O2"],
                },
                {
                    "id": "R2",
                    "prompt": "Within how many hours must you notify?",
                    "type": "number",
                    "answer": 72,
                    "tolerance": 0,
                    "points": 5,
                    "scoring": "auto",
                    "objectives": ["O2"],
                },
            ],
        },
    ],
}


def minimal():
    return copy.deepcopy(MINIMAL)
