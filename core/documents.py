"""Helpers for the JSON documents the platform stores whole (GCI frameworks, scenarios)."""

from __future__ import annotations

import hashlib
import json


def checksum(document: dict) -> str:
    """The same for equal documents, whatever the order of their keys."""
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
