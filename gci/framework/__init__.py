"""The GCI framework: its objects (model.py), the validator that builds them from a document
(validator.py) and the answer types its questions use (answer_types.py). Pure."""
