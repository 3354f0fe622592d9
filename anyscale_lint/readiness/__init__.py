"""Readiness before `anyscale cloud register`: verdict, checklist, register command."""
