"""Small writers of HCL text shared by the generator's parts."""

from __future__ import annotations

import json
import re

_PLACEHOLDER = re.compile(r"@\{(\w+)\}")


def fill(text: str, **values: object) -> str:
    """Replace every `@{name}` in text by str(values[name])."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def hcl_list(items: list[str], indent: str) -> str:
    """A multi-line HCL list of strings."""
    inner = "".join(f'{indent}  "{item}",\n' for item in items)
    return f"[\n{inner}{indent}]"


def json_block(document: object, indent: str) -> str:
    """A JSON document indented for a heredoc body."""
    return "\n".join(indent + line for line in json.dumps(document, indent=2).splitlines())
