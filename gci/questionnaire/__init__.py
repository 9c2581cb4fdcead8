"""The GCI questionnaire: a country's answers, evidence, the analyst's review and the
workflow that hands it in. Pure rules in rules.py and workflow.py; use cases in reading,
answers, evidence, review, moves and cycles; pages in views_*.py (routes in gci/blueprint.py)."""
