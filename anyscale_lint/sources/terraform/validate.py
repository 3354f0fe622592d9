"""HCL that parses but that Terraform rejects: the checks tree-sitter-hcl's grammar leaves out.

Each problem is reported as Terraform words it, at the offending item: a redefined attribute,
two items on one line, a top-level block with the wrong number of labels, a broken template,
and (across the files of a module) a name declared twice.
"""

from __future__ import annotations

from anyscale_lint.model import ParseError
from anyscale_lint.sources.terraform import templates
from anyscale_lint.sources.terraform.nodes import Node
from anyscale_lint.sources.terraform.syntax import Block, Body

# The labels Terraform's top-level blocks take (configs/parser_config.go).
_LABELS: dict[str, tuple[str, ...]] = {
    "resource": ("type", "name"),
    "data": ("type", "name"),
    "ephemeral": ("type", "name"),
    "module": ("name",),
    "variable": ("name",),
    "output": ("name",),
    "provider": ("name",),
    "check": ("name",),
    "locals": (),
    "terraform": (),
    "moved": (),
    "import": (),
    "removed": (),
}


def _bodies(tree: Node) -> list[Node]:
    """The bodies of a file (blocks nest; expressions hold none)."""
    bodies, stack = [], [tree]
    while stack:
        body = stack.pop()
        bodies.append(body)
        stack.extend(item.children[0] for item in reversed(body.children) if item.kind == "block")
    return bodies


def hcl_problems(tree: Node, heredocs: tuple[Node, ...], path: str) -> list[ParseError]:
    """Problems Terraform reports in one parsed HCL file, in source order."""
    problems: list[ParseError] = []
    for body in _bodies(tree):
        seen: dict[str, int] = {}
        previous: Node | None = None
        for item in body.children:
            if previous is not None and item.line == previous.end_line:
                kind = "argument" if previous.kind == "attribute" else "block"
                problems.append(
                    ParseError(
                        path,
                        item.line,
                        f"Missing newline after {kind}: {'an' if kind == 'argument' else 'a'} "
                        f"{kind} definition must end with a newline",
                        column=item.column,
                    )
                )
            previous = item
            if item.kind != "attribute":
                continue
            name = item.value
            if name in seen:
                problems.append(
                    ParseError(
                        path,
                        item.line,
                        f'Attribute redefined: the argument "{name}" was already set at '
                        f"{path}:{seen[name]}. Each argument may be set only once",
                        column=item.column,
                    )
                )
            else:
                seen[name] = item.line
    problems += _heredoc_problems(heredocs, path)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _heredoc_problems(heredocs: tuple[Node, ...], path: str) -> list[ParseError]:
    """Heredocs whose template the template reader rejects (their value would be unknown)."""
    problems = []
    for node in heredocs:
        try:
            parts = templates.parts_of_template(templates.heredoc_body(node.value))
        except templates.TemplateError as error:
            problems.append(ParseError(path, node.line, f"Invalid template: {error}"))
            continue
        unbalanced = templates.unbalanced(parts)
        if unbalanced:
            problems.append(ParseError(path, node.line, f"Invalid template: {unbalanced}"))
    return problems


def label_problems(body: Body) -> list[ParseError]:
    """Top-level blocks with too few or too many labels for their type."""
    problems = []
    for block in body.blocks:
        names = _LABELS.get(block.type)
        if names is None or len(block.labels) == len(names):
            continue
        if len(block.labels) < len(names):
            message = (
                f"Missing {names[len(block.labels)]} for {block.type}: all {block.type} blocks "
                f"must have {len(names)} labels ({', '.join(names)})"
            )
        elif not names:
            message = (
                f"Extraneous label for {block.type}: no labels are expected for {block.type} blocks"
            )
        else:
            message = (
                f"Extraneous label for {block.type}: only {len(names)} labels "
                f"({', '.join(names)}) are expected for {block.type} blocks"
            )
        problems.append(ParseError(block.span.path, block.span.start_line, message))
    return problems


# Top-level declarations whose names must be unique in a module, with Terraform's wording.
_DECLARED = {
    "variable": (
        "Duplicate variable declaration",
        "A variable named {name} was already declared at {at}. Variable names must be unique "
        "within a module",
    ),
    "output": (
        "Duplicate output definition",
        "An output named {name} was already defined at {at}. Output names must be unique "
        "within a module",
    ),
    "module": (
        "Duplicate module call",
        "A module call named {name} was already defined at {at}. Module calls must have unique "
        "names within a module",
    ),
}


def _duplicate(block: Block) -> tuple[str, str, str] | None:
    """The key that must be unique for a block, with the summary and detail of its error."""
    if block.type in ("resource", "data") and len(block.labels) == 2:
        kind, name = block.labels
        what = "resource" if block.type == "resource" else "data resource"
        return (
            f"{block.type} {kind}.{name}",
            f'Duplicate {block.type} "{kind}" configuration',
            f'A {kind} {what} named "{name}" was already declared at {{at}}. Resource names '
            "must be unique per type in each module",
        )
    if block.type in _DECLARED and len(block.labels) == 1:
        summary, detail = _DECLARED[block.type]
        name = block.labels[0]
        return f"{block.type} {name}", summary, detail.replace("{name}", f'"{name}"')
    return None


def unique_blocks(blocks: list[Block]) -> tuple[list[Block], list[ParseError]]:
    """The blocks of a module with second declarations of a name dropped, and their errors."""
    # Terraform rejects the module; keeping the first (the one the error names) means a
    # same-named block in a later file never silently replaces it.
    first: dict[str, Block] = {}
    kept: list[Block] = []
    problems: list[ParseError] = []
    local_values: dict[str, int | str] = {}
    for block in blocks:
        if block.type == "locals":
            problems += _unique_locals(block, local_values)
        key = _duplicate(block)
        if key is None:
            kept.append(block)
            continue
        unique, summary, detail = key
        if unique in first:
            span = first[unique].span
            problems.append(
                ParseError(
                    block.span.path,
                    block.span.start_line,
                    f"{summary}: " + detail.replace("{at}", f"{span.path}:{span.start_line}"),
                )
            )
            continue
        first[unique] = block
        kept.append(block)
    return kept, problems


def _unique_locals(block: Block, seen: dict[str, int | str]) -> list[ParseError]:
    problems = []
    for name, attribute in list(block.body.attributes.items()):
        where = f"{attribute.span.path}:{attribute.span.start_line}"
        if name in seen:
            problems.append(
                ParseError(
                    attribute.span.path,
                    attribute.span.start_line,
                    f'Duplicate local value definition: a local value named "{name}" was already '
                    f"defined at {seen[name]}. Local value names must be unique within a module",
                )
            )
            del block.body.attributes[name]
        else:
            seen[name] = where
    return problems
