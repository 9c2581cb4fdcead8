"""Checks on the repository itself that no other test would notice."""

import re
import subprocess

from tests.conftest import ROOT

MARKER = re.compile(r"^(<<<<<<< |>>>>>>> |=======$)", re.M)


def test_no_merge_conflict_markers_are_left_in_tracked_files():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    text_files = [f for f in files if f.endswith((".py", ".html", ".js", ".css", ".md", ".po"))]
    assert text_files, "git ls-files found nothing"
    marked = [f for f in text_files if MARKER.search((ROOT / f).read_text(encoding="utf-8"))]
    assert marked == []
