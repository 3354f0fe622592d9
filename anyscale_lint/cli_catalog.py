"""`anyscale-lint rules` and `anyscale-lint explain`: the rule catalog on the command line."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


@click.command(name="rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def list_rules(output_format: str) -> None:
    """List the rule catalog, one line per rule."""
    from anyscale_lint.engine.registry import registered_rules

    rules = [meta for meta, _ in registered_rules()]
    if output_format == "json":
        entries = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity,
                "title": r.title,
                "scope": r.scope,
                "hygiene": r.hygiene,
                "anyscale_effect": r.anyscale_effect,
                "sources": list(r.sources),
            }
            for r in rules
        ]
        click.echo(json.dumps(entries, indent=2))
        return
    for r in rules:
        click.echo(f"{r.id:<12} {r.severity:<9} {r.name:<36} {r.title}")


@click.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's documentation: what fails, why, how to fix it, examples."""
    from anyscale_lint.engine.registry import load_metadata

    meta = load_metadata().get(rule_id.upper())
    if meta is None:
        click.echo(f"anyscale-lint: no rule {rule_id!r} (see `anyscale-lint rules`)", err=True)
        sys.exit(2)
    click.echo(render_explanation(meta))


def render_explanation(meta: Any) -> str:
    """A rule's documentation as Markdown-flavoured text."""
    parts = [
        f"{meta.id} {meta.name} ({meta.severity})",
        meta.title,
        f"Anyscale's own verifier: {meta.anyscale_effect}; scope: {meta.scope}; hygiene: "
        f"{'yes' if meta.hygiene else 'no'}; sources: {', '.join(meta.sources)}",
        "",
        "What fails:\n" + meta.docs["what"].strip(),
        "",
        "Why:\n" + meta.docs["why"].strip(),
        "",
        "Fix:\n" + meta.docs["fix"].strip(),
        "",
        "Fails:\n" + meta.docs["example_fail"].rstrip(),
        "",
        "Passes:\n" + meta.docs["example_pass"].rstrip(),
    ]
    if meta.parameters:
        parts += ["", "Parameters (config `rules.<ID>.<name>`):"]
        parts += [
            f"  {name}: {spec['description']} (default {json.dumps(spec['default'])})"
            for name, spec in meta.parameters.items()
        ]
    if meta.references:
        parts += ["", "References:"] + [f"  {url}" for url in meta.references]
    return "\n".join(parts)
