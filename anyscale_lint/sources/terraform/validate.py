"""HCL that parses but that Terraform rejects: the checks python-hcl2's grammar leaves out.

Each problem is reported as Terraform words it, at the offending item: a redefined attribute,
two items on one line, a top-level block with the wrong number of labels, a broken template,
and (across the files of a module) a name declared twice.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Tree

from anyscale_lint.model import ParseError
from anyscale_lint.sources.terraform import templates
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


def _items(body: Tree[Any]) -> list[Tree[Any]]:
    return [
        child
        for child in body.children
        if isinstance(child, Tree) and child.data in ("attribute", "block")
    ]


def _name(item: Tree[Any]) -> str:
    first = next(
        c for c in item.children if isinstance(c, Tree) and c.data != "new_line_or_comment"
    )
    return "".join(str(token) for token in first.scan_values(lambda _: True))


def _end_line(item: Tree[Any]) -> int:
    """The line an item ends on (the grammar lets a trailing newline into an expression)."""
    if item.meta.end_line == item.meta.line:
        return int(item.meta.end_line)
    ends = [
        # A heredoc token ends with the newline after its closing marker.
        token.line + str(token).rstrip("\r\n").count("\n")
        for token in item.scan_values(lambda value: isinstance(value, Token))
        if token.type != "NL_OR_COMMENT" and token.line is not None
    ]
    return max(ends, default=int(item.meta.end_line))


_TEMPLATES = ("string", "heredoc_template", "heredoc_template_trim")


def _nodes(tree: Tree[Any]) -> tuple[list[Tree[Any]], list[Tree[Any]]]:
    """The bodies and the templates (strings, heredocs) of a tree, in one walk."""
    bodies, found = [], []
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.data == "body":
            bodies.append(node)
        elif node.data in _TEMPLATES:
            found.append(node)
        stack.extend(child for child in reversed(node.children) if isinstance(child, Tree))
    return bodies, found


def hcl_problems(tree: Tree[Any], text: str, path: str) -> list[ParseError]:
    """Problems Terraform reports in one parsed HCL file, in source order."""
    problems: list[ParseError] = []
    bodies, template_nodes = _nodes(tree)
    for body in bodies:
        seen: dict[str, int] = {}
        previous: Tree[Any] | None = None
        for item in _items(body):
            meta = item.meta
            # Only an item that seems to end where this one starts needs its tokens read.
            if (
                previous is not None
                and meta.line <= previous.meta.end_line
                and meta.line == _end_line(previous)
            ):
                kind = "argument" if previous.data == "attribute" else "block"
                problems.append(
                    ParseError(
                        path,
                        meta.line,
                        f"Missing newline after {kind}: {'an' if kind == 'argument' else 'a'} "
                        f"{kind} definition must end with a newline",
                        column=meta.column,
                    )
                )
            previous = item
            if item.data != "attribute":
                continue
            name = _name(item)
            if name in seen:
                problems.append(
                    ParseError(
                        path,
                        meta.line,
                        f'Attribute redefined: the argument "{name}" was already set at '
                        f"{path}:{seen[name]}. Each argument may be set only once",
                        column=meta.column,
                    )
                )
            else:
                seen[name] = meta.line
    problems += _template_problems(template_nodes, path)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


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


def _template_problems(nodes: list[Tree[Any]], path: str) -> list[ParseError]:
    problems = []
    for node in nodes:
        try:
            if node.data == "string":
                parts = templates.parts_of_string(node, "")
            else:
                parts = templates.parts_of_template(templates.heredoc_body(str(node.children[0])))
        except templates.TemplateError as error:
            problems.append(ParseError(path, node.meta.line, f"Invalid template: {error}"))
            continue
        unbalanced = _unbalanced(parts)
        if unbalanced:
            problems.append(ParseError(path, node.meta.line, f"Invalid template: {unbalanced}"))
    return problems


def _unbalanced(parts: list[templates.Part]) -> str | None:
    """Why the template's `%{ if }` / `%{ for }` directives do not pair up, if they do not."""
    open_directives: list[str] = []
    for part in parts:
        if not isinstance(part, templates.Directive):
            continue
        keyword = part.keyword
        if keyword in ("if", "for"):
            open_directives.append(keyword)
        elif keyword == "else":
            if not open_directives or open_directives[-1] != "if":
                return "%{ else } outside an %{ if }"
        else:
            expected = keyword.removeprefix("end")
            if not open_directives or open_directives.pop() != expected:
                return f"%{{ {keyword} }} without a matching %{{ {expected} }}"
    if open_directives:
        keyword = open_directives[-1]
        return f"%{{ {keyword} }} has no matching %{{ end{keyword} }}"
    return None


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
