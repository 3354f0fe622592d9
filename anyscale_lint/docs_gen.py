"""Generate docs/rules.md and docs/rules/<ID>.md from rules/*.yaml (kept current by a test)."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.engine.registry import RuleMeta, load_metadata

_EFFECTS = {
    "fatal": "registration aborts",
    "error": "error",
    "warn": "warning",
    "prompt": "prompt",
    "none": "not checked",
}


# Why the hygiene column says what it says (rules/*.yaml `hygiene`).
_HYGIENE_NOTE = [
    "## Hygiene rules and `--scope all`",
    "",
    "A rule is *hygiene* (`hygiene: true` in its YAML) when its condition makes sense outside",
    "Anyscale: exposure to the internet (SSH or all traffic from `0.0.0.0/0` or `::/0`), public",
    "bucket policies, trust to `*` and admin wildcards, storage without encryption at rest or",
    "TLS (EFS, MemoryDB, bucket policies without a TLS-only Deny), and the rules about the inputs",
    "themselves (CORE). By default every rule judges only the parts of an identified Anyscale",
    "deployment. With `--scope all` (or `scope: all` in the config) the hygiene rules also judge",
    "every other resource of their kind, in every root, identified or not: every security group",
    "whatever spelling declares its rules (nested `ingress {}` blocks or `ingress = [{ ... }]`),",
    "every `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule` even when its group",
    "is declared in another root, every bucket, file system and MemoryDB cluster, and on GCP every",
    "network firewall policy and classic firewall, every GCS bucket and every bucket grant whose",
    "bucket another root declares. The other rules",
    "encode Anyscale's own requirements (port 443 only, CORS for the Anyscale console, the",
    "documented S3 actions, ...), which would be noise on resources that are not Anyscale's.",
    "",
    "Security-group and GCP firewall rules report one result per offending rule: each inline",
    "`ingress` block (at its lines, for its group), each security-group rule resource (as the",
    "result's resource, the group named in the message) and each rule of a GCP firewall policy or",
    "classic firewall (at the rule's lines, for its policy) is its own finding, so an inline",
    "ignore or a baseline entry covers that rule only.",
    "An ignore comment directly above a nested block applies to that block; one above or inside",
    "a resource elsewhere applies to all of the resource's findings of the rules it names.",
]


def rule_page(meta: RuleMeta) -> str:
    """One rule's page."""
    lines = [
        f"# {meta.id} {meta.name}",
        "",
        f"**{meta.title}.** Severity: `{meta.severity}`. Scope: `{meta.scope}`. Sources: "
        f"{', '.join(meta.sources)}.",
        f"Anyscale's own verifier: {_EFFECTS[meta.anyscale_effect]}.",
        f"Hygiene: {'yes' if meta.hygiene else 'no'} (see [the rule list](../rules.md)).",
        "",
        "## What fails",
        "",
        meta.docs["what"].strip(),
        "",
        "## Why",
        "",
        meta.docs["why"].strip(),
        "",
        "## Fix",
        "",
        meta.docs["fix"].strip(),
        "",
        "## Examples",
        "",
        "Fails:",
        "",
        "```hcl",
        meta.docs["example_fail"].rstrip(),
        "```",
        "",
        "Passes:",
        "",
        "```hcl",
        meta.docs["example_pass"].rstrip(),
        "```",
    ]
    if meta.levels:
        lines += ["", "## Levels", "", "A failure carries one of these levels:", ""]
        lines += [
            f"- `{name}`: severity `{level.severity}`; Anyscale's verifier: "
            f"{_EFFECTS[level.anyscale_effect]}"
            f"{' (blocks registration)' if level.anyscale_blocks else ''}."
            for name, level in meta.levels.items()
        ]
    if meta.parameters:
        lines += ["", "## Parameters", "", "Set under `rules:` in `.anyscale-lint.yaml`.", ""]
        lines += [
            f"- `{name}`: {spec['description']} Default: `{spec['default']}`."
            for name, spec in meta.parameters.items()
        ]
    if meta.references:
        lines += ["", "## References", ""] + [f"- <{url}>" for url in meta.references]
    return "\n".join(lines) + "\n"


def catalog_page(rules: list[RuleMeta]) -> str:
    """The rule list."""
    lines = [
        "# Rules",
        "",
        "Generated from `rules/*.yaml` by `python -m anyscale_lint.docs_gen`; do not edit by hand.",
        "",
        "| ID | name | severity | requirement | Anyscale's verifier | hygiene |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| [{r.id}](rules/{r.id}.md) | {r.name} | {r.severity} | {r.title} | "
        f"{_EFFECTS[r.anyscale_effect]} | {'yes' if r.hygiene else 'no'} |"
        for r in rules
    ]
    return "\n".join([*lines, "", *_HYGIENE_NOTE]) + "\n"


def expected_files(docs_dir: Path) -> dict[Path, str]:
    """Every generated file with its content."""
    rules = [load_metadata()[key] for key in sorted(load_metadata())]
    files = {docs_dir / "rules.md": catalog_page(rules)}
    files.update({docs_dir / "rules" / f"{r.id}.md": rule_page(r) for r in rules})
    return files


def main() -> None:
    """Write the generated docs next to the package's source checkout."""
    docs_dir = Path(__file__).resolve().parent.parent / "docs"
    for path, content in expected_files(docs_dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
