"""Terraform functions against their documentation: format, strings and regular expressions.

See tests/function_cases.py for how each case is evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.function_cases import FAILS, UNSET, Unresolved, case, check

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
