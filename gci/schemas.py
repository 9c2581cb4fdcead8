"""marshmallow schemas of the gci API (added with the gci issue)."""
