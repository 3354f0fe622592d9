"""anyscale-lint: checks Anyscale cloud deployments before `anyscale cloud register`."""

__version__ = "0.1.0"
