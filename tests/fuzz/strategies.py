"""Fuzz inputs: hypothesis strategies for every input the tool reads, and example mutation.

An input is a tree: relative path -> file bytes, written under one scanned directory. The
strategies build HCL (blocks, attributes, expressions, heredocs, templates, calls of every
function in the function table), `.tf.json`, IAM policy and authorization-details JSON and
`.anyscale-lint.yaml`; `mutated_trees` damages copies of the example roots (tests/fuzz/mutation).
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

from anyscale_lint.sources.terraform.functions import FUNCTIONS
from tests.fuzz.mutation import Tree, mutated_tree

CONFIG_NAME = ".anyscale-lint.yaml"

RESOURCE_TYPES = (
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_vpc",
    "aws_subnet",
    "aws_efs_file_system",
    "aws_memorydb_cluster",
    "aws_vpc_endpoint",
)
ATTRIBUTES = (
    "name",
    "bucket",
    "vpc_id",
    "cidr_blocks",
    "from_port",
    "to_port",
    "protocol",
    "policy",
    "assume_role_policy",
    "role",
    "count",
    "for_each",
    "tags",
    "arn",
    "source",
    "default",
    "sensitive",
    "type",
    "value",
    "allowed_origins",
    "depends_on",
)
WIRED_NAMES = ("var.v0", "var.v1", "local.l0", "local.l1", "local.l2", "local.l3")
# Variables, locals and the attributes rules read, each slot filled with an expression
# (locals may refer to each other, cycles included).
WIRED_TEMPLATE = """\
variable "v0" {{
  default = {v0}
}}
variable "v1" {{
  default   = {v1}
  sensitive = true
}}
locals {{
  l0 = {l0}
  l1 = {l1}
  l2 = {l2}
  l3 = {l3}
}}
resource "aws_security_group" "sg" {{
  count = {count}
  ingress {{
    from_port   = {from_port}
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = {cidr_blocks}
  }}
}}
resource "aws_s3_bucket" "b" {{
  for_each = {for_each}
  bucket   = {bucket}
}}
resource "aws_iam_role" "r" {{
  name               = {name}
  assume_role_policy = jsonencode({policy})
}}
output "o" {{
  value = {output}
}}
"""
WIRED_SLOTS = (
    "v0",
    "v1",
    "l0",
    "l1",
    "l2",
    "l3",
    "count",
    "from_port",
    "cidr_blocks",
    "for_each",
    "bucket",
    "name",
    "policy",
    "output",
)
NESTED_BLOCKS = ("ingress", "egress", "statement", "principals", "condition", "dynamic", "rule")
WORDS = ("a", "b", "x", "id", "each", "self", "count", "path", "terraform", "key", "value")

identifiers = st.one_of(
    st.sampled_from(WORDS + ATTRIBUTES),
    st.from_regex(r"[a-zA-Z_][a-zA-Z0-9_-]{0,12}", fullmatch=True),
)
# Names a `for` may bind: no hyphen, no keyword.
bindings = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: name not in ("for", "in", "if", "true", "false", "null")
)

numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "22", "-1", "65535", "1e400", "1.5e-400", "9" * 400, "0.1"]),
)

string_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters='"\\$%\n'),
    max_size=20,
)
escapes = st.sampled_from(["\\n", "\\t", '\\"', "\\\\", "\\u00e9", "\\U0001F600", "$${", "%%{"])
references = st.one_of(
    st.builds(lambda name: f"var.{name}", identifiers),
    st.builds(lambda name: f"local.{name}", identifiers),
    st.builds(
        lambda t, n, a: f"{t}.{n}.{a}",
        st.sampled_from(RESOURCE_TYPES),
        identifiers,
        st.sampled_from(ATTRIBUTES),
    ),
    st.builds(lambda name, out: f"module.{name}.{out}", identifiers, identifiers),
    st.builds(lambda t, n: f"data.{t}.{n}.id", st.sampled_from(RESOURCE_TYPES), identifiers),
    st.sampled_from(["each.key", "each.value", "count.index", "path.module", "self.id"]),
)


def _literal_string(parts: list[str]) -> str:
    return '"' + "".join(parts) + '"'


def _template(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(
        string_text,
        escapes,
        children.map(lambda e: "${" + e + "}"),
        st.tuples(children, string_text).map(lambda t: f"%{{ if {t[0]} }}{t[1]}%{{ endif }}"),
        st.tuples(identifiers, children, string_text).map(
            lambda t: f"%{{ for {t[0]} in {t[1]} }}{t[2]}${{{t[0]}}}%{{ endfor }}"
        ),
    )
    return st.lists(piece, max_size=4).map(_literal_string)


def _heredoc(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    line = st.one_of(string_text, children.map(lambda e: "  ${" + e + "}"))
    return st.tuples(
        st.sampled_from(["<<EOT", "<<-EOT", "<<POLICY"]), st.lists(line, max_size=4)
    ).map(
        # In parentheses: the newline after the end marker would otherwise end a list item.
        lambda t: "(" + t[0] + "\n" + "".join(x + "\n" for x in t[1]) + t[0].lstrip("<-") + "\n)"
    )


def _call(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    names = st.sampled_from(sorted(FUNCTIONS))
    arguments = st.lists(children, max_size=4)
    return st.tuples(names, arguments, st.booleans()).map(
        lambda t: f"{t[0]}({', '.join(t[1])}{'...' if t[2] and t[1] else ''})"
    )


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    operators = st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"])
    return st.one_of(
        _call(children),
        _call(children),
        _template(children),
        _heredoc(children),
        st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(identifiers, children), max_size=4).map(
            lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"
        ),
        # Operands in parentheses, so precedence never makes the text unparsable.
        st.tuples(children, operators, children).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]}) ? ({t[1]}) : ({t[2]})"),
        st.tuples(st.sampled_from(["!", "-"]), children).map(lambda t: f"{t[0]}({t[1]})"),
        children.map(lambda e: f"({e})"),
        st.tuples(children, children).map(lambda t: f"({t[0]})[{t[1]}]"),
        children.map(lambda e: f"({e})[*].id"),
        st.tuples(bindings, children, children).map(lambda t: f"[for {t[0]} in {t[1]} : {t[2]}]"),
        st.tuples(bindings, bindings, children, children, children).map(
            lambda t: f"{{for {t[0]}, {t[1]} in {t[2]} : {t[3]} => {t[4]}...}}"
        ),
        st.tuples(bindings, children, children).map(
            lambda t: f"[for {t[0]} in {t[1]} : {t[0]} if {t[2]}]"
        ),
    )


expressions: st.SearchStrategy[str] = st.recursive(
    st.one_of(
        numbers,
        st.lists(st.one_of(string_text, escapes), max_size=3).map(_literal_string),
        st.sampled_from(["true", "false", "null"]),
        references,
        # Names `wired_files` declares, so expressions are evaluated, not left unknown.
        st.sampled_from(WIRED_NAMES),
        st.sampled_from(WIRED_NAMES),
    ),
    _compound,
    max_leaves=12,
)


def _attribute(indent: str) -> st.SearchStrategy[str]:
    return st.tuples(identifiers, expressions).map(lambda t: f"{indent}{t[0]} = {t[1]}\n")


def _body(depth: int) -> st.SearchStrategy[str]:
    indent = "  " * depth
    item: st.SearchStrategy[str] = _attribute(indent)
    if depth < 3:
        nested = st.tuples(st.sampled_from(NESTED_BLOCKS), st.deferred(lambda: _body(depth + 1)))
        item = st.one_of(item, nested.map(lambda t: f"{indent}{t[0]} {{\n{t[1]}{indent}}}\n"))
    return st.lists(item, max_size=5).map("".join)


def _block_header() -> st.SearchStrategy[str]:
    quoted = identifiers.map(lambda name: f'"{name}"')
    return st.one_of(
        st.tuples(st.sampled_from(RESOURCE_TYPES), quoted).map(
            lambda t: f'resource "{t[0]}" {t[1]}'
        ),
        st.tuples(st.sampled_from(RESOURCE_TYPES), quoted).map(lambda t: f'data "{t[0]}" {t[1]}'),
        quoted.map(lambda name: f"variable {name}"),
        quoted.map(lambda name: f"output {name}"),
        quoted.map(lambda name: f"module {name}"),
        st.sampled_from(["locals", "terraform", 'provider "aws"', "moved", "import"]),
    )


blocks = st.tuples(_block_header(), _body(1)).map(lambda t: f"{t[0]} {{\n{t[1]}}}\n")
comments = st.sampled_from(
    ["# note\n", "// note\n", "/* block\n comment */\n", "# anyscale-lint:ignore AWS-SG-005\n"]
)
hcl_files = st.lists(st.one_of(blocks, blocks, comments), min_size=1, max_size=6).map("".join)
wired_files = st.fixed_dictionaries(dict.fromkeys(WIRED_SLOTS, expressions)).map(
    lambda values: WIRED_TEMPLATE.format(**values)
)
tfvars_files = st.lists(_attribute(""), max_size=6).map("".join)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=16),
    st.sampled_from(["*", "s3:*", "iam:PassRole", "arn:aws:iam::123456789012:root", "${var.x}"]),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a well-formed value, sometimes anything JSON can hold."""
    return st.one_of(value, value, value, json_values)


statements = st.fixed_dictionaries(
    {
        "Effect": _maybe(st.sampled_from(["Allow", "Deny"])),
        "Action": _maybe(
            st.one_of(
                st.sampled_from(["*", "s3:GetObject", "iam:*"]),
                st.lists(st.sampled_from(["s3:*", "ec2:Describe*", "sts:AssumeRole"]), max_size=3),
            )
        ),
        "Resource": _maybe(st.sampled_from(["*", "arn:aws:s3:::bucket/*"])),
    },
    optional={
        "Sid": json_scalars,
        "Principal": _maybe(
            st.sampled_from(
                ["*", {"AWS": "arn:aws:iam::525325868955:root"}, {"Service": "ec2.amazonaws.com"}]
            )
        ),
        "Condition": _maybe(st.just({"StringEquals": {"sts:ExternalId": "org_abc"}})),
        "NotAction": json_values,
    },
)
policies = st.fixed_dictionaries(
    {
        "Version": _maybe(st.just("2012-10-17")),
        "Statement": _maybe(st.lists(statements, max_size=4)),
    }
)
role_details = st.fixed_dictionaries(
    {
        "RoleName": _maybe(identifiers),
        "Arn": _maybe(st.just("arn:aws:iam::123456789012:role/r")),
        "AssumeRolePolicyDocument": _maybe(policies),
    },
    optional={
        "RolePolicyList": _maybe(
            st.lists(
                st.fixed_dictionaries(
                    {"PolicyName": identifiers, "PolicyDocument": _maybe(policies)}
                ),
                max_size=2,
            )
        ),
        "AttachedManagedPolicies": _maybe(
            st.lists(
                st.fixed_dictionaries(
                    {"PolicyArn": _maybe(st.just("arn:aws:iam::aws:policy/AdministratorAccess"))}
                ),
                max_size=2,
            )
        ),
        "InstanceProfileList": _maybe(
            st.lists(st.fixed_dictionaries({"Arn": json_scalars}), max_size=2)
        ),
    },
)
authorization_details = st.fixed_dictionaries(
    {"RoleDetailList": _maybe(st.lists(role_details, max_size=3))},
    optional={"Policies": json_values},
)
tf_json = st.fixed_dictionaries(
    {
        "resource": _maybe(
            st.dictionaries(
                st.sampled_from(RESOURCE_TYPES),
                st.dictionaries(
                    identifiers,
                    st.dictionaries(st.sampled_from(ATTRIBUTES), json_values, max_size=4),
                    max_size=2,
                ),
                max_size=3,
            )
        )
    },
    optional={
        "variable": st.dictionaries(
            identifiers,
            st.fixed_dictionaries(
                {}, optional={"default": json_values, "sensitive": st.booleans()}
            ),
            max_size=3,
        ),
        "locals": st.dictionaries(
            identifiers, expressions.map(lambda e: "${" + e + "}"), max_size=3
        ),
    },
)


def _dumped(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


rule_ids = st.one_of(
    st.sampled_from(
        ["AWS-SG-005", "AWS-IAM-001", "AWS-S3-002", "CORE-001", "AWS", "GCP-X", "AWS-"]
    ),
    st.text(max_size=10),
)
configs = st.fixed_dictionaries(
    {},
    optional={
        "select": _maybe(st.lists(rule_ids, max_size=3)),
        "ignore": _maybe(st.lists(rule_ids, max_size=3)),
        "fail_on": _maybe(st.sampled_from(["critical", "high", "medium", "low", "info"])),
        "scope": _maybe(st.sampled_from(["deployment", "all"])),
        "network_mode": _maybe(st.sampled_from(["private", "public"])),
        "anyscale_account_id": _maybe(st.just("525325868955")),
        "severity": _maybe(st.dictionaries(rule_ids, st.sampled_from(["high", "low"]), max_size=2)),
        "rules": _maybe(
            st.dictionaries(
                rule_ids, st.dictionaries(identifiers, json_values, max_size=2), max_size=2
            )
        ),
        "waivers": _maybe(
            st.lists(
                st.fixed_dictionaries(
                    {"rule": rule_ids, "resource": st.just("*"), "reason": st.just("r")},
                    optional={
                        "expires": st.sampled_from(["2000-01-01", "2999-12-31", "9999-99-99"])
                    },
                ),
                max_size=2,
            )
        ),
        "deployments": _maybe(
            st.dictionaries(
                st.just("."),
                st.dictionaries(
                    st.sampled_from(["vpc", "bucket", "instance_role"]), identifiers, max_size=2
                ),
                max_size=1,
            )
        ),
        "var_files": _maybe(
            st.lists(st.sampled_from(["terraform.tfvars", "missing.tfvars", "main.tf"]), max_size=2)
        ),
    },
)


def _yaml(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass")


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


generated_trees: st.SearchStrategy[Tree] = st.fixed_dictionaries(
    {"main.tf": st.one_of(hcl_files, wired_files, wired_files).map(_encoded)},
    optional={
        "variables.tf": hcl_files.map(_encoded),
        "terraform.tfvars": tfvars_files.map(_encoded),
        "extra.tf.json": tf_json.map(_dumped),
        "modules/child/main.tf": hcl_files.map(_encoded),
    },
)
# IAM JSON apart from HCL: a crash reading one would hide what the other finds.
iam_trees: st.SearchStrategy[Tree] = st.fixed_dictionaries(
    {"policy.json": policies.map(_dumped)},
    optional={
        "trust.json": policies.map(_dumped),
        "iam/authorization-details.json": authorization_details.map(_dumped),
        "iam/other.json": json_values.map(_dumped),
    },
)
config_trees: st.SearchStrategy[Tree] = st.tuples(generated_trees, configs).map(
    lambda t: {**t[0], CONFIG_NAME: _yaml(t[1])}
)


mutated_trees: st.SearchStrategy[Tree] = st.integers(0, 2**32 - 1).map(mutated_tree)
fuzz_trees: st.SearchStrategy[Tree] = st.one_of(
    generated_trees, generated_trees, iam_trees, config_trees
)
