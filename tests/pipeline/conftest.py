"""Pipeline fault-injection tests: helpers live in ``pipeline_helpers.py`` beside this file."""
