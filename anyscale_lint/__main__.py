"""`python -m anyscale_lint`: the same as the `anyscale-lint` command."""

from anyscale_lint.cli import main

main(prog_name="anyscale-lint")
