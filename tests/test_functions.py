"""Terraform's built-in functions against the examples on their documentation pages.

Every table row evaluates one HCL expression as a local of a module written to a temporary
directory and compares the value with the one Terraform documents. The examples come from
https://developer.hashicorp.com/terraform/language/functions/<name> (Terraform v1.14 pages);
the edge-case rows (null, unknown and wrongly typed arguments, empty collections) check that
anything Terraform would reject, or cannot know before apply, becomes an `Unknown` with a
reason instead of a guess or an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.functions import FUNCTIONS
from anyscale_lint.sources.terraform.loader import TerraformSource
from anyscale_lint.sources.terraform.module import ModuleInstance
from anyscale_lint.sources.terraform.variables import parse_assignments

DOCS = "https://developer.hashicorp.com/terraform/language/functions/"

# Declarations every case can use: a variable with no value and the `local.foo` of the
# try/can examples.
PRELUDE = """
variable "unset" {}
locals {
  foo = { bar = "baz" }
}
"""

# Files every case's module directory holds, for file(), templatefile() and fileexists().
FILES = {
    "hello.txt": "Hello World",
    "backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
    "config.tftpl": (
        "%{ for config_key, config_value in config }\nset ${config_key} = ${config_value}\n"
        "%{ endfor ~}\n"
    ),
    "pairs.tftpl": "%{ for key, value in config }${key}=${value};%{ endfor }",
    "backends-json.tftpl": (
        '${jsonencode({\n  "backends": [for addr in ip_addrs : "${addr}:${port}"],\n})}'
    ),
    "example.yaml": "name: app\n",
    "custom-section.sh": "echo custom\n",
    "latin1.txt": b"caf\xe9".decode("latin-1"),  # written as Latin-1 below: not UTF-8
}


@dataclass(frozen=True)
class Unresolved:
    """Expect an `Unknown` whose reason contains `because`."""

    because: str = ""


@dataclass(frozen=True)
class SetOf:
    """Expect a list holding exactly these elements, in any order (a Terraform set)."""

    items: tuple[Any, ...]


# Terraform reports an error: the linter gives an Unknown that says why.
FAILS = Unresolved()
# The value depends on `var.unset`, so the Unknown's reason names that variable.
UNSET = Unresolved("variable unset has no value")


def module_dir(tmp_path: Path, expression: str, prelude: str = PRELUDE) -> Path:
    """A scanned directory whose module sets `local.x` to `expression`."""
    directory = tmp_path / "scan"
    directory.mkdir(exist_ok=True)
    for name, text in FILES.items():
        encoding = "latin-1" if name == "latin1.txt" else "utf-8"
        (directory / name).write_text(text, encoding=encoding)
    (directory / "main.tf").write_text(f"{prelude}\nlocals {{\n  x = {expression}\n}}\n")
    return directory


def instance_at(directory: Path) -> ModuleInstance:
    """The root module instance of `directory`, scanned with `directory` as the boundary."""
    source = TerraformSource(directory)
    files = source.load(directory)
    assert files is not None and not files.errors, files and files.errors
    return ModuleInstance(files, "", {}, source.load, directory.resolve(), {}, {})


def evaluate(expression: str, tmp_path: Path, prelude: str = PRELUDE) -> Any:
    """The value of an HCL expression, evaluated as `local.x` of a module."""
    return instance_at(module_dir(tmp_path, expression, prelude)).local("x")


def matches(actual: Any, expected: Any) -> bool:
    """Equality that keeps Terraform's types apart (`true` is not `1`, `"1"` is not `1`)."""
    if isinstance(expected, Unresolved):
        return isinstance(actual, Unknown) and expected.because in actual.reason
    if isinstance(expected, SetOf):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected.items)
            and all(any(matches(a, e) for a in actual) for e in expected.items)
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(map(matches, actual, expected))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(matches(actual[key], expected[key]) for key in expected)
        )
    return type(actual) is type(expected) and bool(actual == expected)


def check(expression: str, expected: Any, tmp_path: Path) -> None:
    actual = evaluate(expression, tmp_path)
    assert matches(actual, expected), (
        f"{expression}\n  gave     {actual!r}\n  expected {expected!r}"
    )


def case(name: str, expression: str, expected: Any, xfail: str = "") -> Any:
    """One table row; `name` starts with the function it is about."""
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(expression, expected, id=name, marks=marks)


# ---- format ---------------------------------------------------------------------------------

FORMAT = [
    # https://developer.hashicorp.com/terraform/language/functions/format
    case("format-hello", 'format("Hello, %s!", "Ander")', "Hello, Ander!"),
    case("format-lights", 'format("There are %d lights", 4)', "There are 4 lights"),
    case(
        "format-argument-index",
        'format("%[1]s%[2]s%[1]s%[3]s", "/", "path", "file.tf")',
        "/path/file.tf",
    ),
    case("format-sharp-v-string", 'format("%#v", "hello")', '"hello"'),
    case("format-sharp-v-bool", 'format("%#v", true)', "true"),
    case("format-sharp-v-number", 'format("%#v", 1)', "1"),
    case("format-sharp-v-object", 'format("%#v", {a = 1})', '{"a":1}'),
    case("format-sharp-v-list", 'format("%#v", [true])', "[true]"),
    case("format-sharp-v-null", 'format("%#v", null)', "null"),
    # The verb, width and flag tables of the same page.
    case("format-percent", 'format("100%%")', "100%"),
    case("format-v-string", 'format("%v", "a")', "a"),
    case("format-v-number-is-g", 'format("%v", 3.5)', "3.5"),
    case("format-v-large-number-is-g", 'format("%v", 1234567)', "1.234567e+06"),
    case("format-v-bool", 'format("%v", true)', "true"),
    case("format-v-list-is-json", 'format("%v", [1, "a"])', '[1,"a"]'),
    case("format-v-null", 'format("%v", null)', "null"),
    case("format-t", 'format("%t", true)', "true"),
    case("format-t-from-string", 'format("%t", "false")', "false"),
    case("format-b", 'format("%b", 5)', "101"),
    case("format-d-from-string", 'format("%d", "12")', "12"),
    case("format-o", 'format("%o", 8)', "10"),
    case("format-x", 'format("%x", 255)', "ff"),
    case("format-X", 'format("%X", 255)', "FF"),
    case("format-e", 'format("%e", 123456.789)', "1.234568e+05"),
    case("format-E", 'format("%E", 123456.789)', "1.234568E+05"),
    case("format-f-default-precision", 'format("%f", 3.14159)', "3.141590"),
    case("format-f-width", 'format("%9f", 3.14159)', " 3.141590"),
    case("format-f-precision", 'format("%.2f", 3.14159)', "3.14"),
    case("format-f-width-precision", 'format("%9.2f", 3.14159)', "     3.14"),
    case("format-g-small", 'format("%g", 0.000012)', "1.2e-05"),
    case("format-g-plain", 'format("%g", 123.5)', "123.5"),
    case("format-G", 'format("%G", 0.000012)', "1.2E-05"),
    case("format-s-number", 'format("%s", 1.5)', "1.5"),
    case("format-s-bool", 'format("%s", true)', "true"),
    case("format-s-precision-counts-characters", 'format("%.3s", "🤔🤷abc")', "🤔🤷a"),
    case("format-q", 'format("%q", "hello")', '"hello"'),
    case("format-q-escapes-like-json", 'format("%q", "<b>")', '"\\u003cb\\u003e"'),
    case("format-space-flag", 'format("% d", 5)', " 5"),
    case("format-plus-flag", 'format("%+d", 5)', "+5"),
    case("format-minus-flag", 'format("%-5d|", 5)', "5    |"),
    case("format-zero-flag", 'format("%05d", 42)', "00042"),
    case("format-zero-flag-negative", 'format("%05d", -42)', "-0042"),
    case("format-zero-flag-float", 'format("%09.2f", -3.14159)', "-00003.14"),
    case("format-width-string", 'format("%5s|%-5s|", "ab", "cd")', "   ab|cd   |"),
    case("format-sharp-x", 'format("%#x", 255)', "0xff"),
    # Edge cases: the page says these are errors.
    case("format-null-with-s", 'format("%s", null)', Unresolved("null")),
    case("format-unsupported-verb", 'format("%z", 1)', Unresolved("unsupported")),
    case("format-lone-percent", 'format("100%")', FAILS),
    case("format-too-few-arguments", 'format("%s %s", "a")', Unresolved("not enough")),
    case("format-too-many-arguments", 'format("%s", "a", "b")', Unresolved("too many")),
    case("format-d-fraction", 'format("%d", 1.5)', Unresolved("whole number")),
    case("format-d-bool", 'format("%d", true)', FAILS),
    case("format-t-other-string", 'format("%t", "yes")', FAILS),
    case("format-s-list", 'format("%s", [1])', FAILS),
    case("format-unknown-argument", 'format("%s-%s", "a", var.unset)', UNSET),
    case("format-unknown-spec", "format(var.unset, 1)", UNSET),
    case(
        "format-partly-known-argument",
        'format("Hello, %s!", "x-${var.unset}")',
        "Hello, x-${var.unset}!",
    ),
]


@pytest.mark.parametrize(("expression", "expected"), FORMAT)
def test_format(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- strings --------------------------------------------------------------------------------

STRINGS = [
    # https://developer.hashicorp.com/terraform/language/functions/join
    case("join-dash", 'join("-", ["foo", "bar", "baz"])', "foo-bar-baz"),
    case("join-comma", 'join(", ", ["foo", "bar", "baz"])', "foo, bar, baz"),
    case("join-single", 'join(", ", ["foo"])', "foo"),
    case("join-empty-list", 'join(",", [])', ""),
    case("join-several-lists", 'join(",", ["a"], ["b", "c"])', "a,b,c"),
    case("join-converts-primitives", 'join(",", [1, true])', "1,true"),
    case("join-null-list", 'join(",", null)', FAILS),
    case("join-null-element", 'join(",", ["a", null])', FAILS),
    case("join-map", 'join(",", {a = "b"})', FAILS),
    case("join-unknown-list", 'join(",", var.unset)', UNSET),
    case("join-unknown-element", 'join(",", ["a", var.unset])', UNSET),
    case("join-partly-known-element", 'join("/", ["a", "x-${var.unset}"])', "a/x-${var.unset}"),
    # "${...}" alone is the value itself, so here the element is wholly unknown.
    case("join-interpolated-unknown", 'join("/", ["a", "${var.unset}"])', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/split
    case("split-three", 'split(",", "foo,bar,baz")', ["foo", "bar", "baz"]),
    case("split-one", 'split(",", "foo")', ["foo"]),
    case("split-empty-string", 'split(",", "")', [""]),
    case("split-empty-separator", 'split("", "abc")', ["a", "b", "c"]),
    case("split-number", 'split(".", 1.5)', ["1", "5"]),
    case("split-null", 'split(",", null)', FAILS),
    case("split-list", 'split(",", ["a"])', FAILS),
    case("split-unknown", 'split(",", var.unset)', UNSET),
    case("split-keeps-markers-whole", 'split(".", "a.${var.unset}.b")', ["a", "${var.unset}", "b"]),
    # https://developer.hashicorp.com/terraform/language/functions/replace
    case("replace-plain", 'replace("1 + 2 + 3", "+", "-")', "1 - 2 - 3"),
    case("replace-regex", 'replace("hello world", "/w.*d/", "everybody")', "hello everybody"),
    case(
        "replace-regex-numbered-groups", 'replace("hello world", "/(h)(e)/", "$2$1")', "ehllo world"
    ),
    case(
        "replace-regex-named-group",
        'replace("hello world", "/(?P<first>h)/", "<$first>")',
        "<h>ello world",
    ),
    case("replace-regex-dollar-dollar", 'replace("abc", "/b/", "$$")', "a$c"),
    case("replace-regex-backslash-is-literal", r'replace("a.b", "/\\./", "\\")', "a\\b"),
    case("replace-regex-missing-group", 'replace("abc", "/(b)/", "[$2]")', "a[]c"),
    case("replace-regex-empty-matches", 'replace("abxd", "/x*/", "-")', "-a-b-d-"),
    case("replace-slash-alone-is-plain", 'replace("a/b", "/", "-")', "a-b"),
    case("replace-empty-search", 'replace("abc", "", "-")', "-a-b-c-"),
    case("replace-bad-regex", 'replace("a", "/(/", "x")', Unresolved("regular expression")),
    case("replace-null", 'replace(null, "a", "b")', FAILS),
    case("replace-unknown", 'replace(var.unset, "a", "b")', UNSET),
    case("replace-partly-known", 'replace("a-${var.unset}", "-", "_")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/lower
    case("lower-ascii", 'lower("HELLO")', "hello"),
    case("lower-greek", 'lower("ΓΕΙΑ ΣΟΥ")', "γεια σου"),
    case("lower-each-character-alone", 'lower("ΣΑΣ")', "σασ"),
    case("lower-null", "lower(null)", FAILS),
    case("lower-list", 'lower(["A"])', FAILS),
    case("lower-partly-known", 'lower("X-${var.unset}")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/upper
    case("upper-ascii", 'upper("hello")', "HELLO"),
    case("upper-cyrillic", 'upper("алло!")', "АЛЛО!"),
    case("upper-sharp-s-has-no-capital", 'upper("straße")', "STRAßE"),
    case("upper-number", "upper(1)", "1"),
    case("upper-unknown", "upper(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/trimspace
    case("trimspace-example", r'trimspace("  hello\n\n")', "hello"),
    case("trimspace-empty", 'trimspace("")', ""),
    case("trimspace-null", "trimspace(null)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/trim
    case("trim-punctuation", 'trim("?!hello?!", "!?")', "hello"),
    case("trim-letters", 'trim("foobar", "far")', "oob"),
    case("trim-inner-kept", 'trim("   hello! world.!  ", "! ")', "hello! world."),
    case("trim-nothing", 'trim("abc", "")', "abc"),
    case("trim-null", 'trim(null, "a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/trimprefix
    case("trimprefix-match", 'trimprefix("helloworld", "hello")', "world"),
    case("trimprefix-no-match", 'trimprefix("helloworld", "cat")', "helloworld"),
    case("trimprefix-once", 'trimprefix("--hello", "-")', "-hello"),
    case("trimprefix-before-marker", 'trimprefix("abc${var.unset}", "ab")', "c${var.unset}"),
    case("trimprefix-marker-first", 'trimprefix("${var.unset}abc", "a")', UNSET),
    case("trimprefix-null", 'trimprefix(null, "a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/trimsuffix
    case("trimsuffix-match", 'trimsuffix("helloworld", "world")', "hello"),
    case("trimsuffix-no-match", 'trimsuffix("helloworld", "cat")', "helloworld"),
    case("trimsuffix-once", 'trimsuffix("hello--", "-")', "hello-"),
    case("trimsuffix-after-marker", 'trimsuffix("${var.unset}-x", "-x")', "${var.unset}"),
    case("trimsuffix-marker-last", 'trimsuffix("x-${var.unset}", "x")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/substr
    case("substr-example", 'substr("hello world", 1, 4)', "ello"),
    case("substr-characters-not-bytes", 'substr("🤔🤷", 0, 1)', "🤔"),
    case("substr-negative-offset-rest", 'substr("hello world", -5, -1)', "world"),
    case("substr-length-past-end", 'substr("hello world", 6, 10)', "world"),
    case("substr-offset-past-end", 'substr("hello", 10, 2)', ""),
    case("substr-offset-before-start", 'substr("hello", -10, 7)', "hello"),
    case("substr-combining-mark", r'substr("e\u0301x", 0, 1)', "e\u0301"),
    case("substr-fractional-offset", 'substr("abc", 1.5, 1)', FAILS),
    case("substr-null", "substr(null, 0, 1)", FAILS),
    case("substr-unknown", "substr(var.unset, 0, 1)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/startswith
    case("startswith-true", 'startswith("hello world", "hello")', True),
    case("startswith-false", 'startswith("hello world", "world")', False),
    case("startswith-empty-prefix", 'startswith("abc", "")', True),
    case("startswith-unknown", 'startswith(var.unset, "a")', UNSET),
    case("startswith-null", 'startswith(null, "a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/endswith
    case("endswith-true", 'endswith("hello world", "world")', True),
    case("endswith-false", 'endswith("hello world", "hello")', False),
    case("endswith-partly-known", 'endswith("x${var.unset}", "x")', UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), STRINGS)
def test_string_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- regular expressions (RE2 syntax) --------------------------------------------------------

REGEX = [
    # https://developer.hashicorp.com/terraform/language/functions/regex
    case("regex-no-groups", 'regex("[a-z]+", "53453453.345345aaabbbccc23454")', "aaabbbccc"),
    case(
        "regex-unnamed-groups",
        r'regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")',
        ["2019", "02", "01"],
    ),
    case(
        "regex-named-groups",
        'regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", '
        '"https://terraform.io/docs/")',
        {"authority": "terraform.io", "scheme": "https"},
    ),
    case("regex-no-match", 'regex("[a-z]+", "53453453.34534523454")', Unresolved("did not match")),
    # The RE2 tables of the same page, where Python's `re` differs.
    case("regex-digits-are-ascii", r'regex("\\d+", "٣٤5")', "5"),
    case("regex-word-is-ascii", r'regex("\\w+", "é_a1")', "_a1"),
    case("regex-end-of-text-z", r'regex("a\\z", "ba")', "a"),
    case("regex-dollar-is-end-of-text", r'regex("(\\w+)$", "abc\n")', FAILS),
    case("regex-dollar-multiline", r'regex("(?m)(\\w+)$", "abc\n")', ["abc"]),
    case("regex-posix-class", 'regex("[[:alpha:]]+", "12abc3")', "abc"),
    case("regex-posix-class-in-set", 'regex("[[:digit:]x]+", "ab1x2c")', "1x2"),
    case("regex-negated-posix-class", 'regex("[[:^alpha:]]+", "ab12")', "12"),
    case("regex-quoted-literal", r'regex("\\Q1+1\\E", "x1+1")', "1+1"),
    case("regex-case-flag", 'regex("(?i)hello", "HeLLo")', "HeLLo"),
    case("regex-angle-named-group", 'regex("(?<x>a)", "a")', {"x": "a"}),
    case("regex-unmatched-group-is-null", 'regex("(a)?b", "b")', [None]),
    case("regex-no-backreferences", r'regex("(a)\\1", "aa")', Unresolved("RE2")),
    case("regex-no-lookahead", 'regex("a(?=b)", "ab")', Unresolved("RE2")),
    case("regex-mixed-groups", 'regex("(?P<a>x)(y)", "xy")', Unresolved("named and unnamed")),
    case("regex-invalid", 'regex("(", "x")', Unresolved("regular expression")),
    case("regex-unknown-string", 'regex("a", var.unset)', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/regexall
    case("regexall-example", 'regexall("[a-z]+", "1234abcd5678efgh9")', ["abcd", "efgh"]),
    case("regexall-length", 'length(regexall("[a-z]+", "1234abcd5678efgh9"))', 2),
    case("regexall-no-match-test", 'length(regexall("[a-z]+", "123456789")) > 0', False),
    case("regexall-unnamed", 'regexall("(a)(b)?", "aab")', [["a", None], ["a", "b"]]),
    case("regexall-named", 'regexall("(?P<d>[0-9])", "1a2")', [{"d": "1"}, {"d": "2"}]),
    case("regexall-empty-matches", 'regexall("a*", "baaa")', ["", "aaa"]),
    case("regexall-null", 'regexall("a", null)', FAILS),
    case("regexall-unknown-pattern", 'regexall(var.unset, "a")', UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), REGEX)
def test_regular_expressions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- collections ----------------------------------------------------------------------------

COLLECTIONS = [
    # https://developer.hashicorp.com/terraform/language/functions/length
    case("length-empty", "length([])", 0),
    case("length-list", 'length(["a", "b"])', 2),
    case("length-map", 'length({"a" = "b"})', 1),
    case("length-string", 'length("hello")', 5),
    case("length-grapheme-clusters", 'length("👾🕹️")', 2),
    case("length-flag-pairs", 'length("🇺🇸🇫🇷")', 2),
    case("length-crlf", r'length("\r\n")', 1),
    case("length-null", "length(null)", FAILS),
    case("length-number", "length(1)", FAILS),
    case("length-unknown", "length(var.unset)", UNSET),
    case("length-partly-known-string", 'length("x${var.unset}")', UNSET),
    case("length-list-with-unknown", "length([var.unset])", 1),
    # https://developer.hashicorp.com/terraform/language/functions/concat
    case("concat-strings", 'concat(["a", ""], ["b", "c"])', ["a", "", "b", "c"]),
    case("concat-mixed", 'concat([], [1, "a"], [[3], "c"])', [1, "a", [3], "c"]),
    case("concat-nothing", "concat()", []),
    case("concat-null", 'concat(["a"], null)', FAILS),
    case("concat-string", 'concat(["a"], "b")', FAILS),
    case("concat-unknown-list", 'concat(["a"], var.unset)', UNSET),
    case("concat-unknown-element", 'concat(["a"], [var.unset])', ["a", UNSET]),
    # https://developer.hashicorp.com/terraform/language/functions/merge
    case(
        "merge-later-wins",
        'merge({a="b", c="d"}, {e="f", c="z"})',
        {"a": "b", "c": "z", "e": "f"},
    ),
    case(
        "merge-mixed-types",
        'merge({a="b"}, {a=[1,2], c="z"}, {d=3})',
        {"a": [1, 2], "c": "z", "d": 3},
    ),
    case(
        "merge-expanded",
        'merge([{a="b", c="d"}, {}, {e="f", c="z"}]...)',
        {"a": "b", "c": "z", "e": "f"},
    ),
    case("merge-nothing", "merge()", {}),
    case("merge-null-skipped", "merge({a = 1}, null)", {"a": 1}),
    case("merge-list", "merge({a = 1}, [1])", FAILS),
    case("merge-unknown", "merge({a = 1}, var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/lookup
    case("lookup-found", 'lookup({a="ay", b="bee"}, "a", "what?")', "ay"),
    case("lookup-default", 'lookup({a="ay", b="bee"}, "c", "what?")', "what?"),
    case("lookup-empty-map", 'lookup({}, "a", "d")', "d"),
    case("lookup-missing-without-default", 'lookup({a = 1}, "b")', FAILS),
    case("lookup-null-map", 'lookup(null, "a", "d")', FAILS),
    case("lookup-unknown-key", 'lookup({a = "x"}, var.unset, "d")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/element
    case("element-index", 'element(["a", "b", "c"], 1)', "b"),
    case("element-wraps-around", 'element(["a", "b", "c"], 3)', "a"),
    case("element-negative-from-end", 'element(["a", "b", "c"], -1)', "c"),
    case("element-last-by-length", 'element(["a", "b", "c"], length(["a", "b", "c"])-1)', "c"),
    case("element-index-from-string", 'element(["a", "b"], "1")', "b"),
    case("element-empty-list", "element([], 0)", Unresolved("empty")),
    case("element-fractional-index", 'element(["a"], 1.5)', FAILS),
    case("element-null-list", "element(null, 0)", FAILS),
    case("element-unknown-index", 'element(["a", "b"], var.unset)', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/index_function
    case("index-found", 'index(["a", "b", "c"], "b")', 1),
    case("index-first-occurrence", 'index(["one", "two", "two"], "two")', 1),
    case("index-bool-is-not-number", "index([1, true], true)", 1),
    case("index-missing", 'index(["a"], "z")', Unresolved("not found")),
    case("index-null-list", 'index(null, "a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/keys
    case("keys-lexical", "keys({a=1, c=2, d=3})", ["a", "c", "d"]),
    case("keys-sorted", "keys({d=1, a=2})", ["a", "d"]),
    case("keys-empty", "keys({})", []),
    case("keys-list", 'keys(["a"])', FAILS),
    case("keys-unknown", "keys(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/values
    case("values-by-key", "values({a=3, c=2, d=1})", [3, 2, 1]),
    case("values-key-order", "values({b=1, a=2})", [2, 1]),
    case("values-empty", "values({})", []),
    case("values-null", "values(null)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/contains
    case("contains-true", 'contains(["a", "b", "c"], "a")', True),
    case("contains-false", 'contains(["a", "b", "c"], "d")', False),
    case("contains-number-equality", "contains([1, 2], 1.0)", True),
    case("contains-bool-is-not-number", "contains([true], 1)", False),
    case("contains-empty", 'contains([], "a")', False),
    case("contains-null", 'contains(null, "a")', FAILS),
    case("contains-unknown-element", 'contains(["a", var.unset], "a")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/distinct
    case("distinct-example", 'distinct(["a", "b", "a", "c", "d", "b"])', ["a", "b", "c", "d"]),
    case("distinct-empty", "distinct([])", []),
    case("distinct-nested", "distinct([[1], [1], [2]])", [[1], [2]]),
    case("distinct-null", "distinct(null)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/flatten
    case("flatten-example", 'flatten([["a", "b"], [], ["c"]])', ["a", "b", "c"]),
    case("flatten-recursive", 'flatten([[["a", "b"], []], ["c"]])', ["a", "b", "c"]),
    case("flatten-maps-not-flattened", "flatten([{a = [1]}])", [{"a": [1]}]),
    case(
        "flatten-for-each-shape",
        'flatten([for k, n in {a = {x = 1}, b = {y = 2}} : [for s, v in n : "${k}.${s}"]])',
        ["a.x", "b.y"],
    ),
    case("flatten-empty", "flatten([])", []),
    case("flatten-string", 'flatten("a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/compact
    case("compact-example", 'compact(["a", "", "b", null, "c"])', ["a", "b", "c"]),
    case("compact-empty", "compact([])", []),
    case("compact-list-of-strings", 'compact(["a", 1])', ["a", "1"]),
    case("compact-keeps-unknown", 'compact(["a", var.unset])', ["a", UNSET]),
    case("compact-null", "compact(null)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/coalesce
    case("coalesce-first", 'coalesce("a", "b")', "a"),
    case("coalesce-skips-empty-string", 'coalesce("", "b")', "b"),
    case("coalesce-numbers", "coalesce(1,2)", 1),
    case("coalesce-expanded", 'coalesce(["", "b"]...)', "b"),
    case("coalesce-number-and-string-unify", 'coalesce(1, "hello")', "1"),
    case("coalesce-bool-and-string-unify", 'coalesce(true, "hello")', "true"),
    case("coalesce-no-common-type", 'coalesce({}, "hello")', Unresolved("common type")),
    case("coalesce-skips-null", 'coalesce(null, "x")', "x"),
    case("coalesce-nothing-usable", 'coalesce(null, "")', FAILS),
    case("coalesce-unknown", 'coalesce(var.unset, "x")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/coalescelist
    case("coalescelist-first", 'coalescelist(["a", "b"], ["c", "d"])', ["a", "b"]),
    case("coalescelist-skips-empty", 'coalescelist([], ["c", "d"])', ["c", "d"]),
    case("coalescelist-expanded", 'coalescelist([[], ["c", "d"]]...)', ["c", "d"]),
    case("coalescelist-all-empty", "coalescelist([], [])", FAILS),
    case("coalescelist-string", 'coalescelist("a")', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/one
    case("one-empty-is-null", "one([])", None),
    case("one-single", 'one(["hello"])', "hello"),
    case("one-two", 'one(["hello", "goodbye"])', FAILS),
    case("one-empty-set", "one(toset([]))", None),
    case("one-single-set", 'one(toset(["hello"]))', "hello"),
    case("one-two-set", 'one(toset(["hello","goodbye"]))', FAILS),
    case("one-string", 'one("a")', FAILS),
    case("one-unknown", "one(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/range
    case("range-limit", "range(3)", [0, 1, 2]),
    case("range-start-limit", "range(1, 4)", [1, 2, 3]),
    case("range-step", "range(1, 8, 2)", [1, 3, 5, 7]),
    case("range-fractional-step", "range(1, 4, 0.5)", [1, 1.5, 2, 2.5, 3, 3.5]),
    case("range-counts-down", "range(4, 1)", [4, 3, 2]),
    case("range-negative-step", "range(10, 5, -2)", [10, 8, 6]),
    case(
        "range-expanded-names",
        "{ for name, count in { foo = 2, bar = 4 } : name => "
        '[for i in range(count) : format("%s%02d", name, i)] }',
        {"bar": ["bar00", "bar01", "bar02", "bar03"], "foo": ["foo00", "foo01"]},
    ),
    case("range-negative-limit-counts-down", "range(-3)", [0, -1, -2]),
    case("range-empty", "range(0)", []),
    case("range-1024-values", "length(range(1024))", 1024),
    case("range-1025-values", "range(1025)", Unresolved("1024")),
    case("range-decimal-steps", "range(0, 0.35, 0.1)", [0, 0.1, 0.2, 0.3]),
    case("range-zero-step", "range(1, 4, 0)", Unresolved("zero")),
    case("range-step-away-from-limit", "range(1, 4, -1)", FAILS),
    case("range-number-from-string", 'range("3")', [0, 1, 2]),
    case("range-bool", "range(true)", FAILS),
    case("range-unknown", "range(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/slice
    case("slice-example", 'slice(["a", "b", "c", "d"], 1, 3)', ["b", "c"]),
    case("slice-empty-range", 'slice(["a", "b"], 1, 1)', []),
    case("slice-whole", 'slice(["a", "b"], 0, 2)', ["a", "b"]),
    case("slice-end-past-length", 'slice(["a", "b"], 2, 3)', Unresolved("out of range")),
    case("slice-start-after-end", 'slice(["a", "b"], 1, 0)', FAILS),
    case("slice-negative-start", 'slice(["a", "b"], -1, 1)', FAILS),
    case("slice-null", "slice(null, 0, 0)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/zipmap
    case("zipmap-example", 'zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    case("zipmap-highest-index-wins", 'zipmap(["a", "a"], [1, 2])', {"a": 2}),
    case("zipmap-empty", "zipmap([], [])", {}),
    case("zipmap-lengths-differ", 'zipmap(["a"], [1, 2])', FAILS),
    case("zipmap-unknown-values", 'zipmap(["a"], var.unset)', UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), COLLECTIONS)
def test_collection_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- sets and type conversions --------------------------------------------------------------

CONVERSIONS = [
    # https://developer.hashicorp.com/terraform/language/functions/setunion
    case(
        "setunion-example",
        'setunion(["a", "b"], ["b", "c"], ["d"])',
        SetOf(("d", "b", "c", "a")),
    ),
    case("setunion-with-empty", 'setunion(["a"], [])', ["a"]),
    case("setunion-unifies-types", 'setunion(["a"], [1])', SetOf(("a", "1"))),
    case("setunion-null", "setunion(null)", FAILS),
    case("setunion-unknown", 'setunion(["a"], var.unset)', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/toset
    case("toset-example", 'toset(["a", "b", "c"])', ["a", "b", "c"]),
    case("toset-mixed-types-become-strings", 'toset(["a", "b", 3])', ["3", "a", "b"]),
    case("toset-removes-duplicates", 'toset(["c", "b", "b"])', ["b", "c"]),
    case("toset-numbers-ascending", "toset([10, 9, 1, 9])", [1, 9, 10]),
    case("toset-equal-numbers", "toset([1, 1.0])", [1]),
    case("toset-empty", "toset([])", []),
    case("toset-no-common-type", "toset([1, true])", Unresolved("common type")),
    case("toset-null", "toset(null)", FAILS),
    case("toset-unknown", "toset(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/tolist
    case("tolist-example", 'tolist(["a", "b", "c"])', ["a", "b", "c"]),
    case("tolist-mixed-types-become-strings", 'tolist(["a", "b", 3])', ["a", "b", "3"]),
    case("tolist-empty", "tolist([])", []),
    case("tolist-string", 'tolist("a")', FAILS),
    case("tolist-no-common-type", "tolist([1, {}])", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/tomap
    case("tomap-example", 'tomap({"a" = 1, "b" = 2})', {"a": 1, "b": 2}),
    case(
        "tomap-mixed-types-become-strings",
        'tomap({"a" = "foo", "b" = true})',
        {"a": "foo", "b": "true"},
    ),
    case("tomap-empty", "tomap({})", {}),
    case("tomap-list", 'tomap(["a"])', FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/tostring
    case("tostring-string", 'tostring("hello")', "hello"),
    case("tostring-number", "tostring(1)", "1"),
    case("tostring-bool", "tostring(true)", "true"),
    case("tostring-null", "tostring(null)", None),
    case("tostring-list", "tostring([])", FAILS),
    case("tostring-fraction", "tostring(1.5)", "1.5"),
    case("tostring-small-number-is-decimal", "tostring(0.0000001)", "0.0000001"),
    case("tostring-unknown", "tostring(var.unset)", UNSET),
    case("tostring-partly-known", 'tostring("x${var.unset}")', "x${var.unset}"),
    # https://developer.hashicorp.com/terraform/language/functions/tonumber
    case("tonumber-number", "tonumber(1)", 1),
    case("tonumber-string", 'tonumber("1")', 1),
    case("tonumber-null", "tonumber(null)", None),
    case("tonumber-not-a-number", 'tonumber("no")', FAILS),
    case("tonumber-fraction", 'tonumber("1.5")', 1.5),
    case("tonumber-exponent", 'tonumber("-2e2")', -200),
    case("tonumber-hex", 'tonumber("0x10")', FAILS),
    case("tonumber-infinity", 'tonumber("inf")', FAILS),
    case("tonumber-spaces", 'tonumber(" 1")', FAILS),
    case("tonumber-bool", "tonumber(true)", FAILS),
    case("tonumber-unknown", "tonumber(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/tobool
    case("tobool-bool", "tobool(true)", True),
    case("tobool-string", 'tobool("true")', True),
    case("tobool-null", "tobool(null)", None),
    case("tobool-other-string", 'tobool("no")', FAILS),
    case("tobool-number", "tobool(1)", FAILS),
    case("tobool-false", 'tobool("false")', False),
    case("tobool-capitalised", 'tobool("True")', FAILS),
    case("tobool-unknown", "tobool(var.unset)", UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), CONVERSIONS)
def test_sets_and_conversions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- encodings ------------------------------------------------------------------------------

ENCODINGS = [
    # https://developer.hashicorp.com/terraform/language/functions/jsonencode
    case("jsonencode-example", 'jsonencode({"hello"="world"})', '{"hello":"world"}'),
    case("jsonencode-html-escapes", 'jsonencode("<a&b>")', '"\\u003ca\\u0026b\\u003e"'),
    case("jsonencode-line-separators", r'jsonencode("\u2028\u2029")', '"\\u2028\\u2029"'),
    case("jsonencode-sorted-keys", "jsonencode({b = 1, a = 2})", '{"a":2,"b":1}'),
    case("jsonencode-types", 'jsonencode([1, "a", true, null, 1.5])', '[1,"a",true,null,1.5]'),
    case("jsonencode-set", 'jsonencode(toset(["b", "a"]))', '["a","b"]'),
    case("jsonencode-numbers-are-decimal", "jsonencode(0.0000001)", "0.0000001"),
    case("jsonencode-unicode-kept", 'jsonencode("é")', '"é"'),
    case("jsonencode-null", "jsonencode(null)", "null"),
    case("jsonencode-unknown", "jsonencode(var.unset)", UNSET),
    case("jsonencode-partly-known", "jsonencode({a = var.unset})", '{"a":"${var.unset}"}'),
    # https://developer.hashicorp.com/terraform/language/functions/jsondecode
    case("jsondecode-object", r'jsondecode("{\"hello\": \"world\"}")', {"hello": "world"}),
    case("jsondecode-bool", 'jsondecode("true")', True),
    case("jsondecode-types", 'jsondecode("[1, 2.5, null]")', [1, 2.5, None]),
    case("jsondecode-invalid", 'jsondecode("{")', Unresolved("invalid JSON")),
    case("jsondecode-nan-is-not-json", 'jsondecode("NaN")', FAILS),
    case("jsondecode-null", "jsondecode(null)", FAILS),
    case("jsondecode-unknown", "jsondecode(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/yamldecode
    case("yamldecode-map", 'yamldecode("hello: world")', {"hello": "world"}),
    case("yamldecode-bool", 'yamldecode("true")', True),
    case(
        "yamldecode-alias",
        'yamldecode("{a: &foo [1, 2, 3], b: *foo}")',
        {"a": [1, 2, 3], "b": [1, 2, 3]},
    ),
    case("yamldecode-cyclic-alias", 'yamldecode("{a: &foo [1, *foo, 3]}")', Unresolved("anchor")),
    case("yamldecode-unsupported-tag", 'yamldecode("{a: !not-supported foo}")', FAILS),
    case(
        "yamldecode-timestamp-is-rfc3339",
        'yamldecode("t: 2001-12-14t21:59:43.10-05:00")',
        {"t": "2001-12-14T21:59:43-05:00"},
    ),
    case("yamldecode-date", 'yamldecode("t: 2002-12-14")', {"t": "2002-12-14T00:00:00Z"}),
    case("yamldecode-binary-is-base64", 'yamldecode("a: !!binary aGVsbG8=")', {"a": "aGVsbG8="}),
    case("yamldecode-null", 'yamldecode("a: ~")', {"a": None}),
    case("yamldecode-one-document-only", r'yamldecode("a: 1\n---\nb: 2\n")', FAILS),
    case("yamldecode-nan", 'yamldecode("a: .nan")', FAILS),
    case("yamldecode-number-key", 'yamldecode("1: a")', {"1": "a"}),
    case("yamldecode-unknown", "yamldecode(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/base64encode
    case("base64encode-example", 'base64encode("Hello World")', "SGVsbG8gV29ybGQ="),
    case("base64encode-utf8", 'base64encode("é")', "w6k="),
    case("base64encode-null", "base64encode(null)", FAILS),
    # https://developer.hashicorp.com/terraform/language/functions/base64decode
    case("base64decode-example", 'base64decode("SGVsbG8gV29ybGQ=")', "Hello World"),
    case("base64decode-not-utf8", 'base64decode("/w==")', Unresolved("base64")),
    case("base64decode-invalid", 'base64decode("abc")', FAILS),
    case("base64decode-unknown", "base64decode(var.unset)", UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), ENCODINGS)
def test_encoding_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- network --------------------------------------------------------------------------------

NETWORK = [
    # https://developer.hashicorp.com/terraform/language/functions/cidrsubnet
    case("cidrsubnet-ipv4", 'cidrsubnet("172.16.0.0/12", 4, 2)', "172.18.0.0/16"),
    case("cidrsubnet-ipv4-last", 'cidrsubnet("10.1.2.0/24", 4, 15)', "10.1.2.240/28"),
    case(
        "cidrsubnet-ipv6",
        'cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)',
        "fd00:fd12:3456:7800:a200::/72",
    ),
    case(
        "cidrsubnet-leading-zeros-are-decimal", 'cidrsubnet("010.1.2.0/24", 4, 15)', "10.1.2.240/28"
    ),
    case("cidrsubnet-host-bits-ignored", 'cidrsubnet("10.1.2.5/24", 4, 15)', "10.1.2.240/28"),
    case("cidrsubnet-ipv6-wide", 'cidrsubnet("2001:db8::/32", 32, 65535)', "2001:db8:0:ffff::/64"),
    case("cidrsubnet-netnum-too-big", 'cidrsubnet("10.1.2.0/24", 4, 16)', FAILS),
    case("cidrsubnet-too-many-bits", 'cidrsubnet("10.1.2.0/24", 9, 0)', FAILS),
    case("cidrsubnet-negative-bits", 'cidrsubnet("10.1.2.0/24", -1, 0)', FAILS),
    case("cidrsubnet-not-cidr", 'cidrsubnet("not-a-cidr", 1, 0)', Unresolved("invalid CIDR")),
    case("cidrsubnet-no-prefix-length", 'cidrsubnet("10.1.2.0", 4, 1)', FAILS),
    case("cidrsubnet-null", "cidrsubnet(null, 4, 1)", FAILS),
    case("cidrsubnet-unknown", "cidrsubnet(var.unset, 4, 1)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/cidrsubnets
    case(
        "cidrsubnets-ipv4",
        'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
        ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"],
    ),
    case(
        "cidrsubnets-ipv6",
        'cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)',
        [
            "fd00:fd12:3456:7800::/72",
            "fd00:fd12:3456:7800:100::/72",
            "fd00:fd12:3456:7800:200::/72",
            "fd00:fd12:3456:7800:300::/88",
        ],
    ),
    case(
        "cidrsubnets-nested-for",
        '[for cidr_block in cidrsubnets("10.0.0.0/8", 8, 8, 8, 8) : cidrsubnets(cidr_block, 4, 4)]',
        [
            ["10.0.0.0/20", "10.0.16.0/20"],
            ["10.1.0.0/20", "10.1.16.0/20"],
            ["10.2.0.0/20", "10.2.16.0/20"],
            ["10.3.0.0/20", "10.3.16.0/20"],
        ],
    ),
    case("cidrsubnets-none", 'cidrsubnets("10.0.0.0/8")', []),
    case("cidrsubnets-out-of-space", 'cidrsubnets("10.0.0.0/30", 1, 1, 1)', Unresolved("space")),
    case("cidrsubnets-zero-bits", 'cidrsubnets("10.0.0.0/8", 0)', FAILS),
    case("cidrsubnets-unknown-bits", 'cidrsubnets("10.0.0.0/8", var.unset)', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/cidrhost
    case("cidrhost-ipv4", 'cidrhost("10.12.112.0/20", 16)', "10.12.112.16"),
    case("cidrhost-ipv4-carry", 'cidrhost("10.12.112.0/20", 268)', "10.12.113.12"),
    case(
        "cidrhost-ipv6", 'cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)', "fd00:fd12:3456:7890::22"
    ),
    case("cidrhost-small", 'cidrhost("10.0.0.0/8", 2)', "10.0.0.2"),
    case("cidrhost-negative-from-end", 'cidrhost("10.0.0.0/8", -2)', "10.255.255.254"),
    case("cidrhost-worked-example-first", 'cidrhost("10.1.2.240/28", 1)', "10.1.2.241"),
    case("cidrhost-worked-example-last", 'cidrhost("10.1.2.240/28", 14)', "10.1.2.254"),
    case("cidrhost-too-big", 'cidrhost("10.0.0.0/30", 4)', Unresolved("outside")),
    case("cidrhost-too-negative", 'cidrhost("10.0.0.0/30", -5)', FAILS),
    case("cidrhost-unknown-prefix", "cidrhost(var.unset, 1)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/cidrnetmask
    case("cidrnetmask-example", 'cidrnetmask("172.16.0.0/12")', "255.240.0.0"),
    case("cidrnetmask-ipv6-is-an-error", 'cidrnetmask("fd00::/8")', Unresolved("IPv4")),
    case("cidrnetmask-all", 'cidrnetmask("10.0.0.0/0")', "0.0.0.0"),
    case("cidrnetmask-host", 'cidrnetmask("10.0.0.1/32")', "255.255.255.255"),
]


@pytest.mark.parametrize(("expression", "expected"), NETWORK)
def test_network_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- files and paths ------------------------------------------------------------------------

FILE_FUNCTIONS = [
    # https://developer.hashicorp.com/terraform/language/functions/file
    case("file-example", 'file("${path.module}/hello.txt")', "Hello World"),
    case("file-relative-to-module", 'file("hello.txt")', "Hello World"),
    case("file-outside-tree", 'file("../secret.txt")', Unresolved("outside the scanned")),
    case("file-absolute-outside-tree", 'file("/etc/hostname")', Unresolved("outside the scanned")),
    case("file-missing", 'file("missing.txt")', Unresolved("cannot read")),
    case("file-directory", 'file(".")', FAILS),
    case("file-not-utf8", 'file("latin1.txt")', Unresolved("UTF-8")),
    case("file-null", "file(null)", FAILS),
    case("file-unknown", "file(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/templatefile
    case(
        "templatefile-lists",
        'templatefile("${path.module}/backends.tftpl", '
        '{ port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })',
        "backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n",
    ),
    case(
        "templatefile-maps",
        'templatefile("${path.module}/config.tftpl", '
        '{ config = { "x" = "y", "foo" = "bar", "key" = "value" } })',
        "\nset foo = bar\n\nset key = value\n\nset x = y\n",
    ),
    case(
        "templatefile-maps-iterate-in-key-order",
        'templatefile("pairs.tftpl", { config = { "x" = "y", "foo" = "bar", "key" = "value" } })',
        "foo=bar;key=value;x=y;",
    ),
    case(
        "templatefile-json",
        'templatefile("backends-json.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })',
        '{"backends":["10.0.0.1:8080","10.0.0.2:8080"]}',
    ),
    case(
        "templatefile-partly-known",
        'templatefile("backends-json.tftpl", { port = var.unset, ip_addrs = ["10.0.0.1"] })',
        '{"backends":["10.0.0.1:${var.unset}"]}',
    ),
    case("templatefile-outside-tree", 'templatefile("../secret.txt", {})', Unresolved("outside")),
    case("templatefile-missing", 'templatefile("missing.tftpl", {})', Unresolved("cannot read")),
    case("templatefile-bad-variable-name", 'templatefile("hello.txt", {"1a" = 1})', FAILS),
    case("templatefile-vars-not-a-map", 'templatefile("hello.txt", ["a"])', FAILS),
    case("templatefile-unknown-vars", 'templatefile("hello.txt", var.unset)', UNSET),
    case("templatefile-unknown-path", "templatefile(var.unset, {})", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/fileexists
    case("fileexists-example", 'fileexists("${path.module}/hello.txt")', True),
    case(
        "fileexists-conditional",
        'fileexists("custom-section.sh") ? file("custom-section.sh") : "default"',
        "echo custom\n",
    ),
    case("fileexists-missing", 'fileexists("missing.txt")', False),
    case("fileexists-directory-is-an-error", 'fileexists(".")', Unresolved("regular file")),
    case("fileexists-outside-tree", 'fileexists("../secret.txt")', Unresolved("outside")),
    case("fileexists-unknown", "fileexists(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/dirname
    case("dirname-example", 'dirname("foo/bar/baz.txt")', "foo/bar"),
    case("dirname-empty", 'dirname("")', "."),
    case("dirname-root", 'dirname("/foo")', "/"),
    case("dirname-bare-name", 'dirname("foo")', "."),
    case("dirname-trailing-slash", 'dirname("foo/bar/")', "foo/bar"),
    case("dirname-cleaned", 'dirname("a//b/c")', "a/b"),
    case("dirname-null", "dirname(null)", FAILS),
    case("dirname-unknown", "dirname(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/basename
    case("basename-example", 'basename("foo/bar/baz.txt")', "baz.txt"),
    case("basename-empty", 'basename("")', "."),
    case("basename-root", 'basename("/")', "/"),
    case("basename-trailing-slash", 'basename("foo/bar/")', "bar"),
    case("basename-null", "basename(null)", FAILS),
]


@pytest.mark.parametrize(("expression", "expected"), FILE_FUNCTIONS)
def test_file_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not part of the scan")
    check(expression, expected, tmp_path)


def test_abspath_is_the_working_directory_joined(tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/abspath
    # `abspath(path.root)` gives the root's absolute path; relative paths join path.cwd.
    directory = module_dir(tmp_path, '[abspath(path.root), abspath("a/../b"), abspath("/x/y")]')
    root = str(directory.resolve())
    assert instance_at(directory).local("x") == [root, f"{root}/b", "/x/y"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("abspath(null)", FAILS, id="null"),
        pytest.param("abspath(var.unset)", UNSET, id="unknown"),
        pytest.param("abspath([])", FAILS, id="list"),
    ],
)
def test_abspath_edge_cases(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


def test_a_child_module_reads_files_relative_to_its_own_directory(tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/file: paths are relative to
    # the module's directory, while abspath() joins the working directory (path.cwd).
    directory = module_dir(tmp_path, "[module.child.content, module.child.cwd]")
    (directory / "data.txt").write_text("root data")
    child = directory / "child"
    child.mkdir()
    (child / "data.txt").write_text("child data")
    (child / "main.tf").write_text(
        'output "content" { value = file("data.txt") }\noutput "cwd" { value = abspath(".") }\n'
    )
    (directory / "calls.tf").write_text('module "child" { source = "./child" }\n')
    assert instance_at(directory).local("x") == ["child data", str(directory.resolve())]


def test_a_symlink_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    directory = module_dir(tmp_path, 'file("link.txt")')
    (tmp_path / "secret.txt").write_text("not part of the scan")
    (directory / "link.txt").symlink_to(tmp_path / "secret.txt")
    value = instance_at(directory).local("x")
    assert matches(value, Unresolved("outside the scanned directory")), value


def test_file_functions_in_a_variables_file_are_unknown() -> None:
    # .tfvars values have no module directory to read from: the call cannot be evaluated.
    values = parse_assignments(
        'a = file("x")\nb = fileexists("x")\nc = templatefile("x", {})\nd = abspath("x")\n',
        "test.tfvars",
    )
    assert isinstance(values, dict)
    assert all(isinstance(value, Unknown) for value in values.values()), values


# ---- try and can ----------------------------------------------------------------------------

TRY_AND_CAN = [
    # https://developer.hashicorp.com/terraform/language/functions/try
    case("try-attribute-present", 'try(local.foo.bar, "fallback")', "baz"),
    case("try-attribute-absent", 'try(local.foo.boop, "fallback")', "fallback"),
    case(
        "try-undeclared-is-not-caught",
        'try(local.nonexist, "fallback")',
        FAILS,
    ),
    case(
        "try-normalizes-decoded-data",
        '{ name = tostring(try(yamldecode(file("example.yaml")).name, null)), '
        'groups = try(yamldecode(file("example.yaml")).groups, []) }',
        {"name": "app", "groups": []},
    ),
    case("try-function-error-caught", 'try(jsondecode("{"), "x")', "x"),
    case("try-null-is-a-value", 'try(null, "x")', None),
    case("try-all-fail", 'try(regex("z", "a"), local.foo.boop)', FAILS),
    case("try-unknown-first", 'try(var.unset, "x")', UNSET),
    case("try-unknown-attribute", 'try(var.unset.attr, "x")', UNSET),
    case("try-unknown-after-failure", 'try(local.foo.boop, var.unset, "x")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/can
    case("can-attribute-present", "can(local.foo.bar)", True),
    case("can-attribute-absent", "can(local.foo.boop)", False),
    case("can-regex-no-match", 'can(regex("^[a-z]+$", "ABC"))', False),
    case("can-conversion", 'can(tonumber("1"))', True),
    case("can-conversion-fails", 'can(tonumber("x"))', False),
    case("can-unknown", "can(var.unset)", UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), TRY_AND_CAN)
def test_try_and_can(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('"a"', ["a"], id="string"),
        pytest.param('["a", "b"]', ["a", "b"], id="list"),
        pytest.param("{}", FAILS, id="neither"),
    ],
)
def test_try_normalizes_a_string_or_a_list(value: str, expected: Any, tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/try (second example)
    prelude = f'variable "example" {{\n  default = {value}\n}}\n'
    actual = evaluate("try([tostring(var.example)], tolist(var.example))", tmp_path, prelude)
    assert matches(actual, expected), actual


# ---- known only at apply time ---------------------------------------------------------------

APPLY_TIME = [
    # https://developer.hashicorp.com/terraform/language/functions/timestamp
    case("timestamp-unknown", "timestamp()", Unresolved("apply")),
    case("timestamp-in-a-string", '"at-${timestamp()}"', "at-${timestamp()}"),
    # https://developer.hashicorp.com/terraform/language/functions/uuid
    case("uuid-unknown", "uuid()", Unresolved("apply")),
    case("uuid-through-a-function", "upper(uuid())", Unresolved("apply")),
]


@pytest.mark.parametrize(("expression", "expected"), APPLY_TIME)
def test_apply_time_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


# ---- every function, every kind of argument -------------------------------------------------

TABLES = [FORMAT, STRINGS, REGEX, COLLECTIONS, CONVERSIONS, ENCODINGS, NETWORK, FILE_FUNCTIONS]
TABLES += [TRY_AND_CAN, APPLY_TIME]
# The functions deployment code uses.
# fmt: off
REQUIRED = frozenset({
    "format", "join", "split", "replace", "lower", "upper", "trimspace", "trim", "trimprefix",
    "trimsuffix", "substr", "startswith", "endswith", "regex", "regexall", "length", "concat",
    "merge", "lookup", "element", "index", "keys", "values", "contains", "distinct", "flatten",
    "compact", "coalesce", "coalescelist", "one", "range", "slice", "zipmap", "setunion",
    "toset", "tolist", "tomap", "tostring", "tonumber", "tobool", "jsonencode", "jsondecode",
    "yamldecode", "base64encode", "base64decode", "cidrsubnet", "cidrsubnets", "cidrhost",
    "cidrnetmask", "file", "templatefile", "fileexists", "abspath", "dirname", "basename",
    "try", "can", "timestamp", "uuid",
})
# fmt: on


def test_every_function_has_documented_cases() -> None:
    covered = {param.id.split("-")[0] for table in TABLES for param in table} | {"abspath"}
    assert REQUIRED - covered == set()
    assert set(FUNCTIONS) | {"try", "can"} >= REQUIRED


ODD_ARGUMENTS = [
    "",
    "null",
    '""',
    "[]",
    "{}",
    "-1.5",
    "true",
    "var.unset",
    '"${var.unset}/x"',
    "[var.unset]",
    "null, null",
    '"a", [1]',
    '{}, "x", -1',
    '"/(/", "a", "b"',
    '"a", "/(/", "b"',
    r'"a.b", "/[.]/", "\\"',
    '"%", 1, 2',
    '["a", 1, true, null], 1e30',
    "1e400, 1e400",
    '"%999999999d", 1',
    '"../../etc/passwd", {}',
]


@pytest.mark.parametrize("name", sorted(set(FUNCTIONS) | {"try", "can"}))
def test_odd_arguments_never_raise(name: str, tmp_path: Path) -> None:
    # Whatever the arguments, a call gives a value or an Unknown, never an exception.
    calls = "\n".join(f"  a{i} = {name}({args})" for i, args in enumerate(ODD_ARGUMENTS))
    directory = tmp_path / "scan"
    directory.mkdir()
    (directory / "main.tf").write_text(f'variable "unset" {{}}\nlocals {{\n{calls}\n}}\n')
    instance = instance_at(directory)
    for index in range(len(ODD_ARGUMENTS)):
        assert plain(instance.local(f"a{index}")), (name, ODD_ARGUMENTS[index])


def plain(value: Any) -> bool:
    """Whether a value is made only of the evaluator's value types."""
    if isinstance(value, list):
        return all(plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and plain(item) for key, item in value.items())
    return value is None or isinstance(value, (str, int, float, bool, Unknown))


def test_case_ids_name_their_function() -> None:
    for table in TABLES:
        for param in table:
            assert re.fullmatch(r"[a-z0-9]+-[A-Za-z0-9-]+", param.id), param.id
