"""GCI results: scoring, snapshots, publication, public pages, open data, profiles, API."""
