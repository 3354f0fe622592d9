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


def rule_page(meta: RuleMeta) -> str:
    """One rule's page."""
    lines = [
        f"# {meta.id} {meta.name}",
        "",
        f"**{meta.title}.** Severity: `{meta.severity}`. Scope: `{meta.scope}`. Sources: "
        f"{', '.join(meta.sources)}.",
        f"Anyscale's own verifier: {_EFFECTS[meta.anyscale_effect]}.",
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
        "| ID | name | severity | requirement | Anyscale's verifier |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{r.id}](rules/{r.id}.md) | {r.name} | {r.severity} | {r.title} | "
        f"{_EFFECTS[r.anyscale_effect]} |"
        for r in rules
    ]
    return "\n".join(lines) + "\n"


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
