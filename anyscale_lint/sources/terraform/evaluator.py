"""Evaluate Terraform expressions from the syntax tree (nodes.Node).

Values are plain Python (str, int, float, bool, None, list, dict), `Unknown` for what cannot
be resolved statically, strings with `${...}` markers for partly known text, and lazy
`Namespace` objects for references (`var`, `local`, resources, modules, data sources) that
the module layer supplies. Evaluation never raises out of `evaluate`: errors become Unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from anyscale_lint.model import ParseError, Unknown
from anyscale_lint.sources.terraform import rendering, templates
from anyscale_lint.sources.terraform.budget import Budget, BudgetExceeded
from anyscale_lint.sources.terraform.evaluation import (
    EvalError,
    Frame,
    Namespace,
    UndeclaredError,
    internal_error,
)
from anyscale_lint.sources.terraform.markers import is_known, unknown, unknown_parts
from anyscale_lint.sources.terraform.nodes import Node
from anyscale_lint.sources.terraform.numeric import parse_number
from anyscale_lint.sources.terraform.operators import binary, to_number
from anyscale_lint.sources.terraform.sensitivity import Sensitivity
from anyscale_lint.sources.terraform.syntax import Expr, JsonExpr

# Bounds that keep pathological input from exhausting memory or the stack.
MAX_DEPTH = 150
MAX_COLLECTION = 10_000
# An Unknown's expression longer than this is named by its location instead of its text.
_MAX_SHOWN = 200


Resolver = Callable[[str], Any]


class Evaluator:
    """Evaluates expressions against a resolver for top-level names."""

    def __init__(
        self,
        resolve: Resolver,
        reasons: dict[str, str],
        functions: Any,
        problems: list[ParseError] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self._resolve = resolve
        self.reasons = reasons
        self._functions = functions
        self._depth = 0
        # Located errors met while evaluating: invalid values Terraform rejects, and bugs.
        self.problems: list[ParseError] = [] if problems is None else problems
        self.budget = budget or Budget()
        # Set by the module layer: records what is computed from sensitive values.
        self.sensitivity: Sensitivity | None = None

    # ---- entry points -------------------------------------------------------------------

    def evaluate(self, expr: Expr, variables: dict[str, Any] | None = None) -> Any:
        """Evaluate an expression; errors and unsupported constructs become Unknown."""
        frame = Frame(expr.text, dict(variables or {}))
        # Iterations are counted per expression: a referenced local's work is its own.
        outer_iterations, self.budget.iterations = self.budget.iterations, 0
        try:
            self.budget.step()
            if isinstance(expr.tree, JsonExpr):
                value = self._json(expr.tree.value, frame)
            else:
                value = self.eval_node(expr.tree, frame)
            self.budget.check(value)
            return value
        except EvalError as error:
            return self.unknown(expr.source(), str(error))
        except RecursionError:
            return self.unknown(expr.source(), "expression nested too deeply")
        except BudgetExceeded as error:
            return self._over_budget(expr, str(error))
        except MemoryError:
            return self._over_budget(expr, "the value does not fit in memory")
        except Exception as error:  # a bug: reported at the expression, the scan goes on
            return self.internal_error(expr, error)
        finally:
            self.budget.iterations = outer_iterations

    def internal_error(self, expr: Expr, error: Exception) -> Unknown:
        """Record an unexpected exception as a located internal error; its value is unknown."""
        self.problems.append(internal_error(expr.path, expr.line, error))
        return self.unknown(expr.source(), "anyscale-lint failed to evaluate it (a bug)")

    def invalid(self, expr: Expr, message: str) -> None:
        """Record a value Terraform rejects (an invalid count), located at its expression."""
        self.problems.append(ParseError(expr.path, expr.line, message, kind="invalid"))

    def _over_budget(self, expr: Expr, reason: str) -> Unknown:
        where = f"{expr.path}:{expr.line}"
        self.budget.notice(where, reason)
        source = expr.source()
        # A short expression: markers that embed it must not grow with each reference.
        shown = (
            source if len(source) <= _MAX_SHOWN else f"expression at {expr.path} line {expr.line}"
        )
        return self.unknown(shown, f"evaluation budget exceeded: {reason}")

    def template(self, source: str, variables: dict[str, Any]) -> Any:
        """Evaluate template text (a template file) that sees only the given variables."""

        def nothing_else(name: str) -> Any:
            raise UndeclaredError(f"{name!r} is not a variable passed to the template")

        isolated = Evaluator(
            nothing_else, self.reasons, self._functions, self.problems, self.budget
        )
        isolated.module_dir = getattr(self, "module_dir", None)  # type: ignore[attr-defined]
        isolated.boundary = getattr(self, "boundary", None)  # type: ignore[attr-defined]
        isolated.cwd = getattr(self, "cwd", None)  # type: ignore[attr-defined]
        isolated.sensitivity = self.sensitivity
        frame = Frame(source, dict(variables))
        return isolated._render(templates.parts_of_template(source), frame)

    def unknown(self, expression: str, reason: str) -> Unknown:
        """An Unknown whose reason is recorded for explanations."""
        self.reasons.setdefault(expression, reason)
        return unknown(expression, reason)

    # ---- dispatch -----------------------------------------------------------------------

    def eval_node(self, node: Node, frame: Frame) -> Any:
        """Evaluate one syntax-tree node (EvalError for what Terraform would reject)."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise EvalError("expression nested too deeply")
            self.budget.step()
            handler = getattr(self, f"_n_{node.kind}", None)
            if handler is None:
                raise EvalError(f"unsupported expression ({node.kind})")
            if self.sensitivity is None:
                value = handler(node, frame)
            else:
                value = self.sensitivity.track(node.kind, lambda: handler(node, frame))
            self.budget.check(value)
            return value
        finally:
            self._depth -= 1

    def source_of(self, node: Any, frame: Frame) -> str:
        """The text of a node, for Unknown expressions and messages."""
        if isinstance(node, Node):
            return " ".join(frame.text[node.start : node.end].split())
        return str(node)

    def _propagate(self, node: Any, frame: Frame, *values: Any) -> Unknown | None:
        """An Unknown for `node` when any operand is not known, else None."""
        for value in values:
            if not is_known(value):
                return self.unknown(self.source_of(node, frame), self.reason_of(value))
        return None

    def reason_of(self, value: Any) -> str:
        """Why a value is not known: the reason of the first unresolved part inside it."""
        if isinstance(value, Unknown):
            return value.reason
        if isinstance(value, str):
            for part in unknown_parts(value):
                if part in self.reasons:
                    return self.reasons[part]
        if isinstance(value, (list, tuple, dict)):
            items = value.values() if isinstance(value, dict) else value
            for item in items:
                if not is_known(item):
                    return self.reason_of(item)
        return "depends on a value known only after apply"

    # ---- literals and collections -------------------------------------------------------

    def _n_number(self, node: Node, frame: Frame) -> Any:
        return parse_number(node.value)

    def _n_literal(self, node: Node, frame: Frame) -> Any:
        return node.value

    def _n_name(self, node: Node, frame: Frame) -> Any:
        return node.value

    def _n_template(self, node: Node, frame: Frame) -> Any:
        return self._render(list(node.value), frame)

    def _n_heredoc(self, node: Node, frame: Frame) -> Any:
        body = templates.heredoc_body(node.value)
        try:
            parts = templates.parts_of_template(body)
        except templates.TemplateError as error:
            raise EvalError(str(error)) from None
        return self._render(parts, frame)

    def _n_tuple(self, node: Node, frame: Frame) -> Any:
        _check_size(len(node.children))
        return [self.eval_node(child, frame) for child in node.children]

    def _n_oversized_tuple(self, node: Node, frame: Frame) -> Any:
        # A literal list not converted element by element: over MAX_COLLECTION elements.
        _check_size(MAX_COLLECTION + 1)

    def _n_object(self, node: Node, frame: Frame) -> Any:
        result: dict[str, Any] = {}
        _check_size(len(node.children))
        for item in node.children:
            key_node, value_node = item.children
            key = self._object_key(key_node, frame)
            if isinstance(key, Unknown):
                return self.unknown(self.source_of(node, frame), key.reason)
            result[key] = self.eval_node(value_node, frame)
        return result

    def _object_key(self, key_node: Node, frame: Frame) -> Any:
        if key_node.kind == "name":
            return key_node.value
        key = self.eval_node(key_node, frame)
        if isinstance(key, (int, float, bool)):
            return json.dumps(key) if isinstance(key, bool) else str(key)
        if not isinstance(key, str) or not is_known(key):
            return self.unknown(self.source_of(key_node, frame), "an object key is not known")
        return key

    # ---- references ---------------------------------------------------------------------

    def _n_variable(self, node: Node, frame: Frame) -> Any:
        name = node.value
        if name in frame.variables:
            return frame.variables[name]
        return self._resolve(name)

    def _n_get_attr(self, node: Node, frame: Frame) -> Any:
        target = self.eval_node(node.children[0], frame)
        return self._get_attr(target, node.value, node, frame)

    def _get_attr(self, target: Any, name: str, node: Any, frame: Frame) -> Any:
        if isinstance(target, Namespace):
            return target.attr(name)
        if isinstance(target, Unknown):
            return self.unknown(self.source_of(node, frame), target.reason)
        if isinstance(target, dict):
            if name in target:
                return target[name]
            raise EvalError(f"object has no attribute {name!r}")
        if isinstance(target, str) and not is_known(target):
            return self.unknown(
                self.source_of(node, frame), "depends on a value known only after apply"
            )
        raise EvalError(f"cannot read attribute {name!r} of a {type(target).__name__}")

    def _n_index(self, node: Node, frame: Frame) -> Any:
        target_node, index_node = node.children
        target = self.eval_node(target_node, frame)
        key = self.eval_node(index_node, frame)
        return self._index(target, key, node, frame)

    def _index(self, target: Any, key: Any, node: Any, frame: Frame) -> Any:
        if isinstance(target, Namespace):
            return target.index(key)
        # Only the collection itself and the key must be known: an element that is a
        # reference (a subnet's ID) is still the element asked for.
        whole = target if isinstance(target, Unknown) else None
        unknown = self._propagate(node, frame, whole, key) if whole or not is_known(key) else None
        if unknown:
            return unknown
        if isinstance(target, str) and not is_known(target):
            return self.unknown(self.source_of(node, frame), self.reason_of(target))
        if isinstance(target, list):
            if isinstance(key, str) and key.lstrip("-").isdigit():
                key = int(key)
            if not isinstance(key, int) or isinstance(key, bool):
                raise EvalError("a list index must be a number")
            if not 0 <= key < len(target):
                raise EvalError(f"index {key} is out of range for a list of {len(target)}")
            return target[key]
        if isinstance(target, dict):
            key_text = str(key).lower() if isinstance(key, bool) else str(key)
            if key_text not in target:
                raise EvalError(f"key {key_text!r} does not exist")
            return target[key_text]
        raise EvalError(f"cannot index a {type(target).__name__}")

    def _n_splat(self, node: Node, frame: Frame) -> Any:
        target_node, *accesses = node.children
        target = self.eval_node(target_node, frame)
        if isinstance(target, Namespace):
            target = target.index("*")
        if isinstance(target, Unknown):
            return self.unknown(self.source_of(node, frame), target.reason)
        items = target if isinstance(target, list) else [] if target is None else [target]
        results = []
        for item in items:
            value = item
            for access in accesses:
                if access.kind == "get_attr":
                    value = self._get_attr(value, access.value, node, frame)
                else:
                    key = self.eval_node(access.children[0], frame)
                    value = self._index(value, key, node, frame)
            results.append(value)
        return results

    # ---- operators ----------------------------------------------------------------------

    def _n_conditional(self, node: Node, frame: Frame) -> Any:
        condition_node, true_node, false_node = node.children
        condition = self.eval_node(condition_node, frame)
        if not isinstance(condition, bool):
            unknown = self._propagate(node, frame, condition)
            if unknown:
                return unknown
            raise EvalError("a condition must be true or false")
        return self.eval_node(true_node if condition else false_node, frame)

    def _n_unary(self, node: Node, frame: Frame) -> Any:
        operator = node.value
        value = self.eval_node(node.children[0], frame)
        unknown = self._propagate(node, frame, value)
        if unknown:
            return unknown
        if operator == "!":
            if not isinstance(value, bool):
                raise EvalError("! needs a bool")
            return not value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            value = to_number(value)
        return -value

    def _n_binary(self, node: Node, frame: Frame) -> Any:
        left_node, right_node = node.children
        operator = node.value
        left = self.eval_node(left_node, frame)
        if operator in ("&&", "||") and isinstance(left, bool):
            if operator == "&&" and not left:
                return False
            if operator == "||" and left:
                return True
        right = self.eval_node(right_node, frame)
        unknown = self._propagate(node, frame, left, right)
        if unknown:
            return unknown
        return binary(operator, left, right)

    # ---- for expressions ----------------------------------------------------------------

    def iterate(self, names: list[str], collection: Any) -> list[dict[str, Any]]:
        """The variable scopes of a `for` over a list, set or map (maps in key order)."""
        if isinstance(collection, dict):
            # Terraform iterates maps and objects in lexical order of their keys.
            pairs = sorted(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            raise EvalError("a for expression needs a list, set or map")
        _check_size(len(pairs))
        self.budget.iterate(len(pairs))
        scopes = []
        for key, value in pairs:
            scopes.append(
                {names[0]: key, names[1]: value} if len(names) == 2 else {names[0]: value}
            )
        return scopes

    def _n_for_tuple(self, node: Node, frame: Frame) -> Any:
        collection, value, *condition = node.children
        frames = self._for_frames(node, list(node.value), collection, condition, frame)
        if isinstance(frames, Unknown):
            return frames
        return [self.eval_node(value, inner) for inner in frames]

    def _for_frames(
        self,
        node: Node,
        names: list[str],
        collection_node: Node,
        condition: list[Node],
        frame: Frame,
    ) -> list[Frame] | Unknown:
        """One frame per element a for expression keeps (its `if` clause applied)."""
        collection = self.eval_node(collection_node, frame)
        if isinstance(collection, Unknown):
            return self.unknown(self.source_of(node, frame), collection.reason)
        frames = []
        for scope in self.iterate(names, collection):
            inner = Frame(frame.text, {**frame.variables, **scope})
            if condition:
                keep = self.eval_node(condition[0], inner)
                if isinstance(keep, Unknown):
                    return self.unknown(self.source_of(node, frame), keep.reason)
                if not keep:
                    continue
            frames.append(inner)
        return frames

    def _n_for_object(self, node: Node, frame: Frame) -> Any:
        collection, key_node, value_node, *condition = node.children
        names, grouping = node.value
        frames = self._for_frames(node, list(names), collection, condition, frame)
        if isinstance(frames, Unknown):
            return frames
        result: dict[str, Any] = {}
        for inner in frames:
            key = self.eval_node(key_node, inner)
            if not isinstance(key, (str, int, float)) or not is_known(key):
                return self.unknown(
                    self.source_of(node, frame), "a for expression key is not known"
                )
            value = self.eval_node(value_node, inner)
            if grouping:
                result.setdefault(str(key), []).append(value)
            elif str(key) in result:
                raise EvalError(f"duplicate key {key!r} in a for expression (use ... to group)")
            else:
                result[str(key)] = value
        return result

    # ---- functions ----------------------------------------------------------------------

    def _n_call(self, node: Node, frame: Frame) -> Any:
        name, expand_last = node.value
        argument_nodes = list(node.children)
        if name in ("try", "can"):
            return self._try_or_can(name, argument_nodes, node, frame)
        function = self._functions.get(name)
        if function is None:
            return self.unknown(
                self.source_of(node, frame), f"function {name}() is not evaluated by anyscale-lint"
            )
        arguments = [self.eval_node(argument, frame) for argument in argument_nodes]
        if expand_last and arguments:
            last = arguments.pop()
            if isinstance(last, Unknown):
                return self.unknown(self.source_of(node, frame), last.reason)
            arguments.extend(last if isinstance(last, list) else [last])
        arguments = [
            a.as_argument(name, arguments) if isinstance(a, Namespace) else a for a in arguments
        ]
        try:
            return function(self, arguments)
        except EvalError as error:
            raise EvalError(f"{name}(): {error}") from None
        except (
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            ZeroDivisionError,
            OverflowError,
        ) as error:
            raise EvalError(f"{name}(): {error}") from None

    def _try_or_can(self, name: str, argument_nodes: list[Any], node: Any, frame: Frame) -> Any:
        for argument in argument_nodes:
            try:
                value = self.eval_node(argument, frame)
            except UndeclaredError:
                raise
            except EvalError:
                if name == "can":
                    return False
                continue
            if isinstance(value, Unknown):
                # Terraform cannot decide try()/can() until the value is known.
                return self.unknown(self.source_of(node, frame), value.reason)
            return True if name == "can" else value
        if name == "can":
            return False
        raise EvalError("no argument of try() could be evaluated")

    # ---- templates ----------------------------------------------------------------------

    def _render(self, parts: list[templates.Part], frame: Frame) -> Any:
        return rendering.render(self, parts, frame)

    # ---- .tf.json values ----------------------------------------------------------------

    def _json(self, value: Any, frame: Frame) -> Any:
        if isinstance(value, str):
            try:
                parts = templates.parts_of_template(value)
            except templates.TemplateError as error:
                raise EvalError(str(error)) from None
            if self.sensitivity is None:
                return self._render(parts, frame)
            return self.sensitivity.track("string", lambda: self._render(parts, frame))
        if isinstance(value, list):
            return [self._json(item, frame) for item in value]
        if isinstance(value, dict):
            return {key: self._json(item, frame) for key, item in value.items()}
        return value


def _check_size(elements: int) -> None:
    """BudgetExceeded for a collection of more than MAX_COLLECTION elements."""
    if elements > MAX_COLLECTION:
        raise BudgetExceeded(f"a collection of more than {MAX_COLLECTION:,} elements")
