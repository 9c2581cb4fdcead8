"""marshmallow schemas of the scenarios API (added with the scenarios issue)."""
