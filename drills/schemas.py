"""marshmallow schemas of the drills API (added with the drills issue)."""
