"""Terraform functions against their documentation: collections, conversions, encodings and network.

See tests/function_cases.py for how each case is evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.function_cases import FAILS, UNSET, SetOf, Unresolved, case, check

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
