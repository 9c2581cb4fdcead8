"""Small frameworks for hand-computed tests, and the shipped GCI 2024 file."""

import copy
import json
from pathlib import Path

GCI_2024_FILE = Path(__file__).resolve().parents[2] / "gci" / "frameworks" / "gci-2024.json"
GCI_TIERS = [
    {"tier": 1, "name": "Role-modelling", "min_score": 95},
    {"tier": 2, "name": "Advancing", "min_score": 85},
    {"tier": 3, "name": "Establishing", "min_score": 55},
    {"tier": 4, "name": "Evolving", "min_score": 20},
    {"tier": 5, "name": "Building", "min_score": 0},
]


def yes_no(code, weight=1, **extra):
    return {
        "code": code,
        "text": f"Question {code}?",
        "answer_type": "yes_no",
        "weight": weight,
        **extra,
    }


SMALL = {
    "code": "T-1",
    "name": "Test framework",
    "tiers": GCI_TIERS,
    "pillars": [
        {
            "code": "LEG",
            "name": "Legal",
            "indicators": [
                {
                    "code": "LEG.1",
                    "name": "One",
                    "questions": [
                        yes_no("q1", 3, sub_questions=[yes_no("q1a", 1)]),
                    ],
                },
                {
                    "code": "LEG.2",
                    "name": "Two",
                    "questions": [
                        {
                            "code": "q2",
                            "text": "Partial?",
                            "answer_type": "yes_no_partial",
                            "weight": 1,
                        },
                        {
                            "code": "q3",
                            "text": "Which?",
                            "answer_type": "single_choice",
                            "weight": 1,
                            "options": [
                                {"key": "full", "value": 1},
                                {"key": "some", "value": 0.5},
                                {"key": "none", "value": 0},
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "code": "TEC",
            "name": "Technical",
            "indicators": [
                {
                    "code": "TEC.1",
                    "name": "Nested",
                    "sub_indicators": [
                        {
                            "code": "TEC.1.a",
                            "name": "A",
                            "weight": 3,
                            "questions": [
                                {
                                    "code": "q4",
                                    "text": "Tick",
                                    "answer_type": "multiple_choice",
                                    "options": [{"key": k} for k in "abcd"],
                                },
                            ],
                        },
                        {
                            "code": "TEC.1.b",
                            "name": "B",
                            "weight": 1,
                            "questions": [
                                {
                                    "code": "q5",
                                    "text": "How many?",
                                    "answer_type": "number",
                                    "scale": [0, 10],
                                },
                                {
                                    "code": "q6",
                                    "text": "Tell us",
                                    "answer_type": "text",
                                    "weight": 0,
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "code": "ORG",
            "name": "Organizational",
            "indicators": [
                {
                    "code": "ORG.1",
                    "name": "Evidence",
                    "questions": [{"code": "q7", "text": "Upload", "answer_type": "evidence_only"}],
                },
            ],
        },
        {
            "code": "CAP",
            "name": "Capacity",
            "indicators": [
                {"code": "CAP.1", "name": "One", "questions": [yes_no("q8")]},
            ],
        },
        {
            "code": "COO",
            "name": "Cooperation",
            "indicators": [
                {"code": "COO.1", "name": "One", "questions": [yes_no("q9", 2), yes_no("q10", 0)]},
            ],
        },
    ],
}


def small():
    return copy.deepcopy(SMALL)


def gci_2024_document():
    return json.loads(GCI_2024_FILE.read_text())
