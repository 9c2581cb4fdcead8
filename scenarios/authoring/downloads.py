"""A scenario artifact served as a download, for the author's artifact page and the drill
console alike (drills/console/views.py uses it: it is not a view, so no package imports
another's views). The headers that keep a browser from running it come from Talisman's per-view
options, `@artifact_headers` on the route, never set by hand (Talisman would overwrite them).
"""

from __future__ import annotations

from flask import Response, abort

from core.security import DOWNLOAD_CSP, talisman
from scenarios.format import artifacts
from scenarios.format.model import Artifact

# For routes that serve an artifact: should a browser open one, nothing in it may run.
artifact_headers = talisman(content_security_policy=DOWNLOAD_CSP)


def artifact_download(artifact: Artifact) -> Response:
    """An artifact's bytes as a download: its real type (told by content when the scenario
    was read), always an attachment, never sniffed; the route adds @artifact_headers."""
    if not artifact.is_binary:
        abort(404)
    name = artifacts.download_name(artifact.name, artifact.media_type)
    return Response(
        artifact.data(),
        mimetype=artifact.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
