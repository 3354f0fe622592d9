"""Build the light syntax tree (nodes.Node) from tree-sitter-hcl's concrete tree, in one pass.

Literal text of templates is read from the source between the structural parts (tree-sitter's
`template_literal` nodes leave out some whitespace), then unescaped. Offsets are characters of
the decoded text, so that slicing it gives an expression as written.
"""

from __future__ import annotations

import dataclasses

from tree_sitter import Node as TsNode

from anyscale_lint.sources.terraform import templates
from anyscale_lint.sources.terraform.nodes import Node

# A literal list longer than this is not converted element by element: the evaluator's
# MAX_COLLECTION refuses it anyway (the node evaluates to an over-budget Unknown).
MAX_LITERAL_LIST = 10_000

_OPERATORS = frozenset({"!", "-", "*", "/", "%", "+", ">", ">=", "<", "<=", "==", "!=", "&&", "||"})
_WRAPPERS = frozenset({"expression", "collection_value", "literal_value", "template_expr"})
_POSTFIX = frozenset({"get_attr", "index", "splat"})
_DIRECTIVE_NODES = frozenset({"template_directive", "template_if", "template_for"})
_DIRECTIVE_KEYWORDS = {
    "template_if_intro": "if",
    "template_else_intro": "else",
    "template_if_end": "endif",
    "template_for_start": "for",
    "template_for_end": "endfor",
}


class UnsupportedSyntax(Exception):
    """A node the converter does not know (a grammar construct with no meaning for us)."""


class Converter:
    """Converts the nodes of one parsed text."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Heredoc nodes, for validate.py to check their templates once per file.
        self.heredocs: list[Node] = []
        # Byte offset -> character offset, only needed when the text is not ASCII.
        self._chars: list[int] | None = None
        if not text.isascii():
            self._chars = []
            for index, char in enumerate(text):
                self._chars += [index] * len(char.encode("utf-8", "surrogatepass"))
            self._chars.append(len(text))

    # ---- positions ----------------------------------------------------------------------

    def char(self, byte: int) -> int:
        """The character offset of a byte offset."""
        return byte if self._chars is None else self._chars[byte]

    def column(self, node: TsNode) -> int:
        """The 1-based character column where a node starts."""
        point = node.start_point
        if self._chars is None:
            return int(point.column) + 1
        return self.char(node.start_byte) - self.char(node.start_byte - point.column) + 1

    def source(self, node: TsNode) -> str:
        """A node's text as written."""
        return self.text[self.char(node.start_byte) : self.char(node.end_byte)]

    def _node(
        self,
        kind: str,
        value: object,
        children: tuple[Node, ...],
        first: TsNode,
        last: TsNode | None = None,
    ) -> Node:
        last = last or first
        start = first.start_point
        if self._chars is None:
            return Node(
                kind,
                value,
                children,
                first.start_byte,
                last.end_byte,
                start[0] + 1,
                last.end_point[0] + 1,
                start[1] + 1,
            )
        return Node(
            kind,
            value,
            children,
            self.char(first.start_byte),
            self.char(last.end_byte),
            start[0] + 1,
            last.end_point[0] + 1,
            self.column(first),
        )

    # ---- structure ----------------------------------------------------------------------

    def body(self, node: TsNode | None, owner: TsNode) -> Node:
        """A `body` node (None for an empty block) as a body Node."""
        items = [] if node is None else [self.item(child) for child in _items(node)]
        return self._node("body", None, tuple(items), node or owner)

    def item(self, node: TsNode) -> Node:
        """An attribute or a block."""
        if node.type == "attribute":
            name, expression = _named(node)[:2]
            return self._node("attribute", self.source(name), (self.expr(expression),), node)
        parts = _named(node)
        block_type = self.source(parts[0])
        labels = [
            self.label(part) for part in parts[1:] if part.type in ("string_lit", "identifier")
        ]
        body = next((part for part in parts if part.type == "body"), None)
        return self._node("block", (block_type, labels), (self.body(body, node),), node)

    def label(self, node: TsNode) -> str:
        """A block label: an identifier, or a quoted string's characters as written."""
        text = self.source(node)
        return text[1:-1] if node.type == "string_lit" else text

    # ---- expressions --------------------------------------------------------------------

    def expr(self, node: TsNode) -> Node:
        """An `expression` node or any expression term."""
        while node.type in _WRAPPERS:
            if node.child_count == 1:
                node = node.children[0]
                continue
            children = [child for child in node.children if child.type != "comment"]
            if node.type == "expression" and (len(children) > 1 or children[0].type == "("):
                return self.sequence(children)
            node = children[0]
        handler = getattr(self, f"_t_{node.type}", None)
        if handler is None:
            raise UnsupportedSyntax(node.type)
        result: Node = handler(node)
        return result

    def sequence(self, items: list[TsNode]) -> Node:
        """A term (or a parenthesized expression) followed by attribute, index and splat access."""
        first = items[0]
        if first.type == "(":
            close = next(i for i, item in enumerate(items) if item.type == ")")
            inner = self.expr(items[1])
            # The parentheses are part of the expression as written.
            base = dataclasses.replace(
                inner,
                start=self.char(first.start_byte),
                end=self.char(items[close].end_byte),
            )
            rest = items[close + 1 :]
        else:
            base, rest = self.expr(first), items[1:]
        for access in rest:
            if access.type == "splat":
                splat = access.named_children[0]
                accesses = [self._access(part) for part in splat.named_children]
                base = self._node("splat", None, (base, *accesses), first, access)
            elif access.type in _POSTFIX:
                base = self._access(access, base, first)
            elif access.type != "comment":
                raise UnsupportedSyntax(access.type)
        return base

    def _access(
        self, node: TsNode, target: Node | None = None, first: TsNode | None = None
    ) -> Node:
        """`.name` or `[key]`: of `target`, or (inside a splat) of each element."""
        owner = () if target is None else (target,)
        start = node if first is None else first
        if node.type == "get_attr":
            name = self.source(node.named_children[0])
            return self._node("get_attr", name, owner, start, node)
        inner = node.named_children[0]
        if inner.type == "legacy_index":
            digits = self.source(inner).lstrip(".")
            key = self._node("number", digits, (), inner)
        else:
            key = self.expr(inner.named_children[0])
        return self._node("index", None, (*owner, key), start, node)

    def _t_numeric_lit(self, node: TsNode) -> Node:
        return self._node("number", self.source(node), (), node)

    def _t_bool_lit(self, node: TsNode) -> Node:
        return self._node("literal", self.source(node) == "true", (), node)

    def _t_null_lit(self, node: TsNode) -> Node:
        return self._node("literal", None, (), node)

    def _t_variable_expr(self, node: TsNode) -> Node:
        return self._node("variable", self.source(node), (), node)

    def _t_tuple(self, node: TsNode) -> Node:
        elements = [child for child in node.named_children if child.type == "expression"]
        if len(elements) > MAX_LITERAL_LIST:
            return self._node("oversized_tuple", None, (), node)
        return self._node("tuple", None, tuple(self.expr(child) for child in elements), node)

    def _t_object(self, node: TsNode) -> Node:
        items = []
        for element in node.named_children:
            if element.type != "object_elem":
                continue
            key_node = element.child_by_field_name("key")
            value_node = element.child_by_field_name("val")
            if key_node is None or value_node is None:
                raise UnsupportedSyntax("object_elem")
            pair = (self._key(key_node), self.expr(value_node))
            items.append(self._node("item", None, pair, element))
        return self._node("object", None, tuple(items), node)

    def _key(self, node: TsNode) -> Node:
        """An object key: a bare word is its own name, anything else is evaluated."""
        named = [child for child in node.children if child.type != "comment"]
        if len(named) == 1 and named[0].type == "variable_expr":
            return self._node("name", self.source(named[0]), (), node)
        return self.expr(node)

    def _t_function_call(self, node: TsNode) -> Node:
        name = self.source(node.named_children[0])
        arguments: list[Node] = []
        expand = False
        for child in node.named_children:
            if child.type == "function_arguments":
                for argument in child.named_children:
                    if argument.type == "expression":
                        arguments.append(self.expr(argument))
                    elif argument.type == "ellipsis":
                        expand = True
        return self._node("call", (name, expand), tuple(arguments), node)

    def _t_conditional(self, node: TsNode) -> Node:
        condition, true, false = (self.expr(c) for c in _expressions(node))
        return self._conditional(condition, true, false)

    def _conditional(self, condition: Node, true: Node, false: Node) -> Node:
        # tree-sitter-hcl groups `a ? b : c ? d : e` to the left; HCL groups it to the right.
        if condition.kind == "conditional" and not self._parenthesized(condition):
            first, middle, last = condition.children
            false = self._conditional(last, true, false)
            condition, true = first, middle
        return Node(
            "conditional",
            None,
            (condition, true, false),
            condition.start,
            false.end,
            condition.line,
            false.end_line,
            condition.column,
        )

    def _parenthesized(self, node: Node) -> bool:
        return self.text[node.start : node.start + 1] == "("

    def _t_operation(self, node: TsNode) -> Node:
        return self.expr(node.named_children[0])

    def _t_unary_operation(self, node: TsNode) -> Node:
        children = [child for child in node.children if child.type != "comment"]
        operand = self.sequence(children[1:])
        return self._node("unary", children[0].type, (operand,), node)

    def _t_binary_operation(self, node: TsNode) -> Node:
        children = [child for child in node.children if child.type != "comment"]
        depth = 0
        for index, child in enumerate(children):
            if child.type == "(":
                depth += 1
            elif child.type == ")":
                depth -= 1
            elif depth == 0 and index > 0 and child.type in _OPERATORS and not child.is_named:
                left = self.sequence(children[:index])
                right = self.sequence(children[index + 1 :])
                return self._node("binary", child.type, (left, right), node)
        raise UnsupportedSyntax("binary_operation")

    def _t_for_expr(self, node: TsNode) -> Node:
        return self.expr(node.named_children[0])

    def _for_intro(self, node: TsNode) -> tuple[tuple[str, ...], Node]:
        intro = next(child for child in node.named_children if child.type == "for_intro")
        names = tuple(self.source(c) for c in intro.named_children if c.type == "identifier")
        collection = next(c for c in intro.named_children if c.type == "expression")
        return names, self.expr(collection)

    def _for_condition(self, node: TsNode) -> tuple[Node, ...]:
        condition = next((c for c in node.named_children if c.type == "for_cond"), None)
        if condition is None:
            return ()
        return (self.expr(next(iter(_expressions(condition)))),)

    def _t_for_tuple_expr(self, node: TsNode) -> Node:
        names, collection = self._for_intro(node)
        value = self.expr(next(iter(_expressions(node))))
        children = (collection, value, *self._for_condition(node))
        return self._node("for_tuple", names, children, node)

    def _t_for_object_expr(self, node: TsNode) -> Node:
        names, collection = self._for_intro(node)
        key, value = (self.expr(c) for c in _expressions(node))
        grouping = any(child.type == "ellipsis" for child in node.named_children)
        children = (collection, key, value, *self._for_condition(node))
        return self._node("for_object", (names, grouping), children, node)

    # ---- templates ----------------------------------------------------------------------

    def _t_string_lit(self, node: TsNode) -> Node:
        return self._quoted(node)

    def _t_quoted_template(self, node: TsNode) -> Node:
        return self._quoted(node)

    def _quoted(self, node: TsNode) -> Node:
        children = node.children
        start = children[0].end_byte
        end = children[-1].start_byte if children[-1].type == "quoted_template_end" else start
        parts = templates.strip_whitespace(self._parts(node, start, end))
        return self._node("template", tuple(parts), (), node)

    def _t_heredoc_template(self, node: TsNode) -> Node:
        # Heredocs keep the text path (templates.heredoc_body) that trims `<<-` indentation.
        heredoc = self._node("heredoc", self.source(node), (), node)
        self.heredocs.append(heredoc)
        return heredoc

    def _parts(self, node: TsNode, start: int, end: int) -> list[templates.Part]:
        """The template parts of the bytes start..end of a template node."""
        parts: list[templates.Part] = []
        cursor = start
        for child in node.children:
            kind = child.type
            structural = (
                kind == "template_interpolation"
                or kind in _DIRECTIVE_NODES
                or kind in _DIRECTIVE_KEYWORDS
            )
            if not structural:
                continue
            if child.start_byte > cursor:
                parts.append(self._literal(cursor, child.start_byte))
            if kind == "template_interpolation":
                expression = next(c for c in child.named_children if c.type == "expression")
                before, after = _strips(child)
                parts.append(
                    templates.Interpolation(self.expr(expression), self.text, before, after)
                )
            elif kind in _DIRECTIVE_NODES:
                parts += self._parts(child, child.start_byte, child.end_byte)
            else:
                parts.append(self._directive(child))
            cursor = child.end_byte
        if end > cursor:
            parts.append(self._literal(cursor, end))
        return parts

    def _literal(self, start: int, end: int) -> templates.Literal:
        return templates.Literal(templates.unescape(self.text[self.char(start) : self.char(end)]))

    def _directive(self, node: TsNode) -> templates.Directive:
        keyword = _DIRECTIVE_KEYWORDS[node.type]
        before, after = _strips(node)
        names = tuple(self.source(c) for c in node.named_children if c.type == "identifier")
        expression = next((c for c in node.named_children if c.type == "expression"), None)
        tree = None if expression is None else self.expr(expression)
        return templates.Directive(keyword, tree, self.text, names, before, after)


def _items(body: TsNode) -> list[TsNode]:
    return [child for child in body.children if child.type in ("attribute", "block")]


def _named(node: TsNode) -> list[TsNode]:
    return [child for child in node.named_children if child.type != "comment"]


def _expressions(node: TsNode) -> list[TsNode]:
    return [child for child in node.named_children if child.type == "expression"]


def _strips(node: TsNode) -> tuple[bool, bool]:
    """Whether an interpolation or directive has `~` after its opening and before its closing."""
    children = node.children
    before = len(children) > 1 and children[1].type == "strip_marker"
    after = len(children) > 2 and children[-2].type == "strip_marker"
    return before, after
