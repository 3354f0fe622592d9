"""Differential test: the tree-sitter parser against python-hcl2 (the oracle) on every .tf file.

Every `.tf` file under tests/fixtures/ and examples/ that python-hcl2 parses is parsed by both,
and each file's blocks and attributes are compared, block by block: block types and labels,
attribute names, and every attribute's expression as a canonical tree. The canonical tree keeps
the whole structure (operators with their grouping, conditionals, calls, indexes, splats, `for`
expressions, template parts), so a precedence or associativity difference between the grammars
fails here, not as a wrong finding.

What is normalised, and why:

- positions, whitespace, comments and parentheses: they do not change a value;
- numbers are compared as numbers (`1.0` and `1.00` alike); python-hcl2 lexes `-1` as one
  negative literal where HCL (and tree-sitter) has unary minus applied to `1`: minus applied to
  a number literal is folded on both sides;
- string literal text is compared decoded: python-hcl2's raw characters are decoded with its own
  escape decoder (`hcl2.utils.process_escape_sequences`), `$${` and `%%{` turned into `${` and
  `%{` as HCL does; `~` strip markers are applied on both sides by templates.strip_whitespace
  (trimming, not grammar), and adjacent literal pieces are joined;
- heredocs are compared as written (python-hcl2 keeps one token for the whole heredoc, and our
  evaluator reads the heredoc's text the same way), without the trailing line break python-hcl2
  includes in its token;
- an object key that is a bare word (or a keyword python-hcl2 lexes apart) is its name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2.utils import process_escape_sequences
from lark import Token, Tree

from anyscale_lint.sources.terraform import parser, templates
from anyscale_lint.sources.terraform.nodes import Node
from tests.conftest import REPO

FILES = sorted((REPO / "tests" / "fixtures").rglob("*.tf")) + sorted(
    (REPO / "examples").rglob("*.tf")
)


def _number(text: str) -> Any:
    value = float(text)
    return int(text) if text.lstrip("-").isdigit() else value


def _literal_parts(parts: list[Any]) -> tuple[Any, ...]:
    """Canonical template parts: adjacent literals joined, empty ones dropped."""
    result: list[Any] = []
    for part in parts:
        if isinstance(part, templates.Literal):
            if result and isinstance(result[-1], str):
                result[-1] += part.text
            elif part.text:
                result.append(part.text)
        elif isinstance(part, templates.Interpolation):
            result.append(("${", part.tree))
        else:
            result.append(("%{", part.keyword, part.names, part.tree))
    return tuple(part for part in result if part != "")


# ---- our tree ------------------------------------------------------------------------------


def ours(node: Node) -> Any:
    """The canonical form of one of our expression nodes."""
    kind, value, children = node.kind, node.value, node.children
    if kind == "number":
        return ("num", _number(value))
    if kind == "literal":
        return ("lit", value)
    if kind in ("name", "variable"):
        return (kind, value)
    if kind == "template":
        parts = [_our_part(part) for part in value]
        return ("str", _literal_parts(parts))
    if kind == "heredoc":
        return ("heredoc", value.rstrip("\r\n"))
    if kind == "unary" and value == "-" and children[0].kind == "number":
        return ("num", -_number(children[0].value))
    if kind == "get_attr":
        return ("attr", *(ours(c) for c in children), value)
    if kind == "splat":
        return ("splat", ours(children[0]), tuple(ours(c) for c in children[1:]))
    if kind == "for_tuple":
        return ("for_tuple", value, *(ours(c) for c in children))
    if kind == "for_object":
        return ("for_object", *value, *(ours(c) for c in children))
    if kind == "call":
        return ("call", *value, tuple(ours(c) for c in children))
    return (kind, value, tuple(ours(c) for c in children))


def _our_part(part: Any) -> Any:
    if isinstance(part, templates.Literal):
        return part
    tree = None if part.tree is None else ours(part.tree)
    if isinstance(part, templates.Interpolation):
        return templates.Interpolation(tree, "", part.strip_before, part.strip_after)
    return templates.Directive(part.keyword, tree, "", part.names, False, False)


def our_body(body: Node) -> list[Any]:
    """Items of a body in order: ("attr", name, expression) or ("block", type, labels, items)."""
    items: list[Any] = []
    for item in body.children:
        if item.kind == "attribute":
            items.append(("attr", item.value, ours(item.children[0])))
        else:
            block_type, labels = item.value
            items.append(("block", block_type, tuple(labels), our_body(item.children[0])))
    return items


# ---- python-hcl2's tree --------------------------------------------------------------------


def _trees(node: Tree[Any]) -> list[Tree[Any]]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _text(node: Any) -> str:
    if isinstance(node, Token):
        return str(node)
    return "".join(_text(child) for child in node.children)


def theirs(node: Any) -> Any:
    """The canonical form of a python-hcl2 expression tree."""
    data = node.data
    if data == "expr_term":
        inner = _trees(node)
        if len(inner) != 1:
            raise AssertionError(f"unexpected expr_term {node}")
        return theirs(inner[0])
    if data in ("int_lit", "float_lit"):
        return ("num", _number(str(node.children[0])))
    if data == "literal_value":
        return ("lit", {"true": True, "false": False, "null": None}[str(node.children[0])])
    if data == "identifier":
        return ("variable", str(node.children[0]))
    if data == "string":
        parts = [_their_part(part) for part in _trees(node)]
        return ("str", _literal_parts(templates.strip_whitespace(parts)))
    if data in ("heredoc_template", "heredoc_template_trim"):
        return ("heredoc", str(node.children[0]).rstrip("\r\n"))
    if data == "tuple":
        return ("tuple", None, tuple(theirs(c) for c in _trees(node)))
    if data == "object":
        items = []
        for element in _trees(node):
            key, value = _trees(element)
            items.append(("item", None, (_their_key(key), theirs(value))))
        return ("object", None, tuple(items))
    if data == "get_attr_expr_term":
        target, access = _trees(node)
        return ("attr", theirs(target), _text(_trees(access)[0]))
    if data == "index_expr_term":
        target, index = _trees(node)
        return ("index", None, (theirs(target), _their_index(index)))
    if data in ("attr_splat_expr_term", "full_splat_expr_term"):
        target, splat = _trees(node)
        return ("splat", theirs(target), tuple(_their_access(a) for a in _trees(splat)))
    if data == "conditional":
        return ("conditional", None, tuple(theirs(c) for c in _trees(node)))
    if data == "unary_op":
        operator = str(node.children[0]).strip()
        operand = theirs(_trees(node)[0])
        if operator == "-" and operand[0] == "num":
            return ("num", -operand[1])
        return ("unary", operator, (operand,))
    if data == "binary_op":
        left, term = _trees(node)[:2]
        operator, right = _trees(term)
        return ("binary", str(operator.children[0]).strip(), (theirs(left), theirs(right)))
    if data == "function_call":
        names = [str(c.children[0]) for c in _trees(node) if c.data == "identifier"]
        arguments = next((c for c in _trees(node) if c.data == "arguments"), None)
        args = () if arguments is None else tuple(theirs(c) for c in _trees(arguments))
        expand = arguments is not None and any(
            isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children
        )
        return ("call", "::".join(names), expand, args)
    if data in ("for_tuple_expr", "for_object_expr"):
        return _their_for(node)
    raise AssertionError(f"no canonical form for python-hcl2's {data}")


def _their_key(key: Tree[Any]) -> Any:
    inner = _trees(key)[0] if _trees(key) else key
    if inner.data == "keyword":
        return ("name", str(inner.children[0]))
    if inner.data == "expr_term":
        terms = _trees(inner)
        if len(inner.children) == 1 and terms[0].data == "identifier":
            return ("name", str(terms[0].children[0]))
    return theirs(inner)


def _their_index(index: Tree[Any]) -> Any:
    if index.data == "short_index":
        return ("num", _number(str(index.children[-1])))
    return theirs(_trees(index)[0])


def _their_access(access: Tree[Any]) -> Any:
    if access.data == "get_attr":
        return ("attr", _text(_trees(access)[0]))
    return ("index", None, (_their_index(access),))


def _their_for(node: Tree[Any]) -> Any:
    intro, *rest = _trees(node)
    names = tuple(str(c.children[0]) for c in _trees(intro) if c.data == "identifier")
    collection = next(c for c in _trees(intro) if c.data != "identifier")
    condition = [theirs(_trees(c)[0]) for c in rest if c.data == "for_cond"]
    values = [theirs(c) for c in rest if c.data != "for_cond"]
    if node.data == "for_tuple_expr":
        return ("for_tuple", names, theirs(collection), *values, *condition)
    grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
    return ("for_object", names, grouping, theirs(collection), *values, *condition)


def _their_part(part: Tree[Any]) -> Any:
    inner = part.children[0]
    if isinstance(inner, Token):
        text = str(inner)
        if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            return templates.Literal(text[1:])
        return templates.Literal(process_escape_sequences(text))
    markers = [c for c in inner.children if isinstance(c, Token) and c.type == "STRIP_MARKER"]
    tokens = [c for c in inner.children if isinstance(c, Token)]
    before = len(tokens) > 1 and tokens[1].type == "STRIP_MARKER"
    after = len(tokens) > 1 and tokens[-2].type == "STRIP_MARKER" and bool(markers)
    expressions = [c for c in _trees(inner) if c.data != "identifier"]
    if inner.data == "interpolation":
        return templates.Interpolation(theirs(expressions[0]), "", False, False)
    keyword = inner.data.removeprefix("template_").removesuffix("_start")
    names = tuple(str(c.children[0]) for c in _trees(inner) if c.data == "identifier")
    tree = theirs(expressions[-1]) if expressions else None
    return templates.Directive(keyword, tree, "", names, before, after)


def their_body(body: Tree[Any]) -> list[Any]:
    """Items of a python-hcl2 body, in the form of our_body."""
    items: list[Any] = []
    for item in _trees(body):
        parts = _trees(item)
        if item.data == "attribute":
            items.append(("attr", _text(parts[0]), theirs(parts[-1])))
            continue
        head = [part for part in parts if part.data != "body"]
        labels = tuple(
            _text(part)[1:-1] if part.data == "string" else _text(part) for part in head[1:]
        )
        inner = next(part for part in parts if part.data == "body")
        items.append(("block", _text(head[0]), labels, their_body(inner)))
    return items


# ---- the test ------------------------------------------------------------------------------


def _compare(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
    except Exception:
        pytest.skip("python-hcl2 does not parse it")
    parsed = parser.parse(text)
    assert parsed.errors == (), parsed.errors
    expected = their_body(tree.children[0])
    actual = our_body(parsed.body)
    assert len(actual) == len(expected)
    for mine, oracle in zip(actual, expected, strict=True):
        assert mine == oracle, f"{path}: {oracle[:3]}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_both_parsers_read_the_same_configuration(path: Path) -> None:
    _compare(path)


def test_the_comparison_sees_grouping() -> None:
    """A grouping difference is a difference: the canonical forms keep the tree's shape."""
    right = our_body(parser.parse("a = x ? 1 : y ? 2 : 3\n").body)
    left = our_body(parser.parse("a = (x ? 1 : y) ? 2 : 3\n").body)
    oracle = their_body(hcl2.parses_to_tree("a = x ? 1 : y ? 2 : 3\n").children[0])
    assert right == oracle and left != oracle


def test_the_syntax_error_fixture_is_flagged_by_both() -> None:
    path = REPO / "tests" / "fixtures" / "CORE-001" / "fail" / "syntax_error" / "main.tf"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - whatever python-hcl2 raises
        hcl2.parses_to_tree(text)
    assert parser.parse(text).errors
