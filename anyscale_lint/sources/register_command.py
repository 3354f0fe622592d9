"""Parse an `anyscale cloud register ...` command line into its flags."""

from __future__ import annotations

import re
from collections.abc import Callable

from anyscale_lint.model import Origin, Partial, RegisterCommand, SourceSpan, Unknown
from anyscale_lint.providers import aws, gcp

_REGISTER = re.compile(r"anyscale\s+cloud\s+register\b")
# Shell expansions in a hand-written command: parameters and command substitutions.
_EXPANSION = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\([^()]*(?:\([^()]*\)[^()]*)*\)")
_OUTPUT_CALL = re.compile(r"^\$\(\s*terraform\s")


def find_register_command(text: str) -> str | None:
    """The register command inside a larger text (a script, an output), or None."""
    match = _REGISTER.search(text)
    if not match:
        return None
    return text[match.start() :]


def _tokens(text: str) -> list[str]:
    """Split like a shell, but keep parameter expansions and `$(...)` substitutions (which may
    hold spaces, and in a Terraform output hold references) whole, inside or outside double
    quotes."""
    tokens: list[str] = []
    current: list[str] = []
    quote: str | None = None
    depth = 0
    closer = ""
    index = 0
    has_token = False
    while index < len(text):
        char = text[index]
        if depth == 0 and quote != "'" and char == "$" and text[index + 1 : index + 2] in "{(":
            depth, closer = 1, "}" if text[index + 1] == "{" else ")"
            current.append(text[index : index + 2])
            index += 2
            has_token = True
            continue
        if depth:
            opener = "{" if closer == "}" else "("
            depth += 1 if char == opener else -1 if char == closer else 0
            current.append(char)
            index += 1
            continue
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"' and index + 1 < len(text):
                index += 1
                current.append(text[index])
            else:
                current.append(char)
        elif char in "'\"":
            quote = char
            has_token = True
        elif char == "\\" and text[index + 1 : index + 2] == "\n":
            index += 1
        elif char.isspace():
            if has_token:
                tokens.append("".join(current))
                current, has_token = [], False
            if char == "\n" and tokens and not tokens[-1].endswith("\\"):
                # A newline without continuation ends the command.
                rest = text[index:].lstrip()
                if not rest.startswith("-"):
                    break
        elif char in ";|&":
            break
        else:
            current.append(char)
            has_token = True
        index += 1
    if has_token:
        tokens.append("".join(current))
    return tokens


def parse_flags(command: str) -> dict[str, str]:
    """Flags of a register command: `--name x` / `--name=x` -> {"name": "x"}; bare flags -> "".

    Hidden aliases the CLI accepts (`--s3-bucket-id`) are read as the documented flag, which
    wins when both are given.
    """
    written = _written_flags(command)
    canonical = _canonical(written)
    flags = {flag: value for flag, value in written.items() if canonical(flag) == flag}
    for flag, value in written.items():
        flags.setdefault(canonical(flag), value)
    return flags


def _canonical(written: dict[str, str]) -> Callable[[str], str]:
    """How the command's provider spells each flag: `--provider gcp` takes GCP's aliases
    (`--gcp-project-id`), any other command AWS's (`--s3-bucket-id`)."""
    return gcp.canonical_flag if gcp.names_gcp(written) else aws.canonical_flag


def flag_spellings(command: str) -> dict[str, str]:
    """Flags given only under another spelling than the documented one (documented -> written)."""
    written = _written_flags(command)
    canonical = _canonical(written)
    return {
        canonical(flag): flag
        for flag in written
        if canonical(flag) != flag and canonical(flag) not in written
    }


def _written_flags(command: str) -> dict[str, str]:
    tokens = _tokens(command)
    flags: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.startswith("-"):
            name = token.lstrip("-")
            if "=" in name:
                key, value = name.split("=", 1)
                flags[key] = value
            elif index + 1 < len(tokens) and not tokens[index + 1].startswith("-"):
                flags[name] = tokens[index + 1]
                index += 1
            else:
                flags[name] = ""
        index += 1
    return flags


def command_from_text(text: str, source: str, origin: Origin | None) -> RegisterCommand | None:
    """A hand-written register command (e.g. `--register-command "$(cat register.sh)"`)."""
    command = find_register_command(text)
    if command is None:
        return None
    flags: dict[str, str | Unknown] = {
        flag: _shell_value(value) for flag, value in parse_flags(command).items()
    }
    where = origin or SourceSpan(source, 1, 1)
    return RegisterCommand(
        command.strip(), flags, where, source=source, spellings=flag_spellings(command)
    )


def _shell_value(value: str) -> str:
    """A flag value whose shell expansions are unknown parts (set only when the command runs);
    `$(terraform output ...)` stays text, to be read from the scanned code's outputs."""
    if _OUTPUT_CALL.match(value.strip()):
        return value
    parts: list[str | Unknown] = []
    end = 0
    for expansion in _EXPANSION.finditer(value):
        parts += [value[end : expansion.start()], _expansion(expansion.group())]
        end = expansion.end()
    if not parts:
        return value
    return Partial([*parts, value[end:]], value)


def _expansion(text: str) -> Unknown:
    kind = "a command substitution" if text.startswith("$(") else "a shell variable"
    return Unknown(text, f"{kind}, known only when the command runs", text)
