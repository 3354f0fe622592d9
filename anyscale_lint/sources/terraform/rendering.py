"""Render templates (quoted strings, heredocs, template files) with an evaluator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform import templates
from anyscale_lint.sources.terraform.evaluation import EvalError, Frame, Namespace
from anyscale_lint.sources.terraform.operators import primitive_text

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.evaluation import Frame
    from anyscale_lint.sources.terraform.evaluator import Evaluator


def render(ev: Evaluator, parts: list[templates.Part], frame: Frame) -> Any:
    """Render template parts: a lone `${x}` yields x itself, anything else a string."""
    output, _ = _render_range(ev, parts, 0, len(parts), frame)
    if len(parts) == 1 and isinstance(parts[0], templates.Interpolation):
        # "${x}" alone yields x itself, not its string form (Terraform's rule).
        return _interpolated(ev, parts[0], frame)
    # The pieces are references to existing strings: their total length is known before
    # joining them allocates it.
    ev.budget.check_text(sum(map(len, output)))
    return "".join(output)


def _interpolated(ev: Evaluator, part: templates.Interpolation, frame: Frame) -> Any:
    inner_frame = Frame(part.text, frame.variables)
    value = ev.eval_node(part.tree, inner_frame)
    return value.materialize() if isinstance(value, Namespace) else value


def _render_range(
    ev: Evaluator, parts: list[templates.Part], start: int, end: int, frame: Frame
) -> tuple[list[str], int]:
    output: list[str] = []
    index = start
    while index < end:
        part = parts[index]
        if isinstance(part, templates.Literal):
            output.append(part.text)
        elif isinstance(part, templates.Interpolation):
            output.append(_stringify(ev, _interpolated(ev, part, frame), part, frame))
        else:
            index = _directive(ev, parts, index, end, frame, output)
        index += 1
    return output, index


def _directive(
    ev: Evaluator,
    parts: list[templates.Part],
    index: int,
    end: int,
    frame: Frame,
    output: list[str],
) -> int:
    part = parts[index]
    assert isinstance(part, templates.Directive)
    closing = "endif" if part.keyword == "if" else "endfor"
    if part.keyword not in ("if", "for"):
        raise EvalError(f"unexpected %{{{part.keyword}}} in a template")
    middle, close = _matching(parts, index, end, closing)
    inner = Frame(part.text, frame.variables)
    if part.keyword == "if":
        condition = ev.eval_node(part.tree, inner)
        if not isinstance(condition, bool):
            output.append(
                str(ev.unknown(ev.source_of(part.tree, inner), "a template condition is not known"))
            )
            return close
        start, stop = (index + 1, middle if middle is not None else close)
        if not condition:
            start, stop = (middle + 1, close) if middle is not None else (close, close)
        rendered, _ = _render_range(ev, parts, start, stop, frame)
        output.extend(rendered)
        return close
    collection = ev.eval_node(part.tree, inner)
    if isinstance(collection, Unknown):
        output.append(str(collection))
        return close
    for scope in ev.iterate(list(part.names), collection):
        rendered, _ = _render_range(
            ev, parts, index + 1, close, Frame(frame.text, {**frame.variables, **scope})
        )
        output.extend(rendered)
    return close


def _matching(
    parts: list[templates.Part], index: int, end: int, closing: str
) -> tuple[int | None, int]:
    depth = 0
    middle = None
    for position in range(index + 1, end):
        part = parts[position]
        if not isinstance(part, templates.Directive):
            continue
        if part.keyword in ("if", "for"):
            depth += 1
        elif part.keyword in ("endif", "endfor"):
            if depth == 0:
                if part.keyword != closing:
                    raise EvalError(f"%{{{part.keyword}}} where %{{{closing}}} was expected")
                return middle, position
            depth -= 1
        elif part.keyword == "else" and depth == 0:
            middle = position
    raise EvalError(f"template directive without %{{{closing}}}")


def _stringify(ev: Evaluator, value: Any, part: templates.Interpolation, frame: Frame) -> str:
    if isinstance(value, Unknown):
        return str(value)
    written = primitive_text(value)
    if written is not None:
        return written
    if value is None:
        raise EvalError("cannot interpolate null")
    source = ev.source_of(part.tree, Frame(part.text, frame.variables))
    return str(ev.unknown(source, "a list or object cannot be interpolated into a string"))
