"""Scenario authoring use cases (added with the scenario authoring issue)."""
