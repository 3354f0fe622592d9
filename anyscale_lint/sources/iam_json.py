"""IAM JSON source: bare policy documents and `aws iam get-role` / `get-role-policy` /
`get-account-authorization-details` output, read into the cloud model."""

from __future__ import annotations

import functools
import json
import urllib.parse
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.iam.managed_policies import ARN_PREFIX, aws_managed_attachment
from anyscale_lint.iam.policy import PolicyParseError, is_policy_like, parse_document
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    InstanceProfile,
    ParseError,
    Partial,
    PolicyAttachment,
    PolicyDocument,
    Ref,
    Resource,
    S3Bucket,
    SourceSpan,
    Unknown,
)
from anyscale_lint.paths import schemas_dir
from anyscale_lint.sources.files import read_text


class NotAPolicy(Exception):
    """JSON that is not IAM data (e.g. package.json): skipped with a notice."""


def _line_of(text: str, needle: str) -> int:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else 1


def _document(raw: Any, span: SourceSpan, label: str) -> PolicyDocument | Unknown:
    if isinstance(raw, str) and raw.startswith("%7B"):
        raw = urllib.parse.unquote(raw)
    return parse_document(raw, span, label)


def _is_trust(document: PolicyDocument) -> bool:
    return any(
        s.principals is not None
        and not isinstance(s.actions, Unknown)
        and any(a.lower().startswith("sts:assumerole") for a in s.actions)
        for s in document.statements
    )


def _role_from_details(
    detail: dict[str, Any], text: str, shown: str, managed: dict[str, Any]
) -> IamRole:
    name = str(detail.get("RoleName", "role"))
    span = SourceSpan(shown, _line_of(text, f'"{name}"'), _line_of(text, f'"{name}"'))
    trust_raw = detail.get("AssumeRolePolicyDocument")
    trust = (
        _document(trust_raw, span, f"trust policy of role {name}")
        if trust_raw is not None
        else None
    )
    policies: list[PolicyAttachment] = []
    for inline in detail.get("RolePolicyList", []) or []:
        label = f"inline policy {inline.get('PolicyName')}"
        policies.append(
            PolicyAttachment(
                label, "inline", _document(inline.get("PolicyDocument"), span, label), None, span
            )
        )
    for attached in detail.get("AttachedManagedPolicies", []) or []:
        arn = str(attached.get("PolicyArn", ""))
        if arn.startswith(ARN_PREFIX):
            policies.append(aws_managed_attachment(arn, span))
        else:
            document = managed.get(arn)
            body = (
                _document(document, span, arn)
                if document is not None
                else Unknown(arn, "the managed policy's document is not in the input")
            )
            policies.append(
                PolicyAttachment(str(attached.get("PolicyName", arn)), "customer", body, arn, span)
            )
    arn = str(detail.get("Arn", f"arn:aws:iam::000000000000:role/{name}"))
    return IamRole(
        key=arn,
        address=f"role {name}",
        origin=span,
        name=name,
        arn=arn,
        trust_policy=trust,
        policies=tuple(policies),
    )


def _is_bucket_policy(document: PolicyDocument) -> bool:
    def s3_resources(statement: Any) -> bool:
        resources = statement.resources if isinstance(statement.resources, tuple) else ()
        return any(r.startswith("arn:aws:s3:::") for r in resources)

    return any(s.principals is not None and s3_resources(s) for s in document.statements)


def _bucket_name(document: PolicyDocument) -> str | None:
    for statement in document.statements:
        for resource in statement.resources if isinstance(statement.resources, tuple) else ():
            if resource.startswith("arn:aws:s3:::"):
                return resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
    return None


def _file_role(
    shown: str,
    span: SourceSpan,
    trust: PolicyDocument | Unknown,
    policies: tuple[PolicyAttachment, ...] = (),
) -> IamRole:
    """A role known only from one file: keyed and addressed by the file's path."""
    name = Path(shown).stem
    return IamRole(
        key=shown,
        address=shown,
        origin=span,
        name=name,
        arn=Partial([Ref(shown, "arn")], f"(the ARN of {shown})"),
        trust_policy=trust,
        policies=policies,
    )


def _from_policy(document: PolicyDocument | Unknown, shown: str, span: SourceSpan) -> Resource:
    """The resource a bare policy document describes: a role (trust), a bucket, or a holder."""
    if isinstance(document, PolicyDocument) and _is_trust(document):
        # The role's permissions are in other files, if anywhere: not known, never "none".
        permissions = Unknown(
            shown,
            "the file holds the role's trust policy only; its permissions policies are not "
            "among the inputs",
        )
        held = PolicyAttachment("permissions policies", "inline", permissions, None, span)
        return _file_role(shown, span, document, (held,))
    if isinstance(document, PolicyDocument) and _is_bucket_policy(document):
        bucket = _bucket_name(document) or Path(shown).stem
        return S3Bucket(
            key=shown,
            address=shown,
            origin=span,
            name=bucket,
            arn=f"arn:aws:s3:::{bucket}",
            policy=document,
        )
    # A permissions policy on its own: the role it belongs to (and its trust) is not in the file.
    trust = Unknown(
        shown,
        "the file holds a permissions policy; the role's trust policy is not among the inputs",
    )
    return _file_role(
        shown, span, trust, (PolicyAttachment(shown, "inline", document, None, span),)
    )


def new_model(root: str) -> CloudModel:
    """An empty model for the policy files of one directory."""
    # Files given as IAM JSON were named by the user and describe no network.
    return CloudModel(
        root=root,
        source_kind="iam_json",
        holds_network=False,
        judge_all_resources=True,
        rule_source="iam_json",
    )


def read_iam_json(path: Path, shown: str, model: CloudModel) -> ParseError | NotAPolicy | None:
    """Add one IAM JSON file's resources to `model`; a read/parse error or NotAPolicy otherwise."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        data = jsontext.loads(text, unique_keys=True)
    except jsontext.JsonInputError as error:
        return ParseError(shown, error.line, error.message, column=error.column)
    span = SourceSpan(shown, 1, max(1, text.count("\n")))
    kind = _kind_of(data)
    if kind is None:
        return NotAPolicy(f"{shown}: skipped, not an IAM policy or IAM CLI output")
    problem = _shape_error(data, kind, text, shown)
    if problem is not None:
        return problem
    try:
        if kind == "policy":
            document = parse_document(data, span, shown, _statement_spans(text, shown))
            model.add(_from_policy(document, shown, span))
        elif kind == "getRole":
            model.add(_role_from_details(data["Role"], text, shown, {}))
        elif kind == "getRolePolicy":
            model.add(
                _role_from_details(
                    {"RoleName": data["RoleName"], "RolePolicyList": [data]}, text, shown, {}
                )
            )
        else:
            _authorization_details(data, text, shown, model)
    except PolicyParseError as error:
        return ParseError(shown, 1, f"not a valid IAM policy: {error}")
    model.files.append(shown)
    model.sensitive_values.update(_external_ids(model))
    return None


def _statement_spans(text: str, shown: str) -> list[SourceSpan]:
    """Where each statement of a bare policy document is written, in order (none when the
    `Statement` element cannot be found as written)."""
    key = text.find('"Statement"')
    start = key + len('"Statement"')
    while key >= 0 and start < len(text) and text[start] in " \t\r\n:":
        start += 1
    if key < 0 or start >= len(text) or text[start] not in "[{":
        return []
    spans: list[SourceSpan] = []
    depth, opened, in_string, escaped = 0, 0, False, False
    top = 1 if text[start] == "[" else 0
    for position in range(start, len(text)):
        char = text[position]
        if in_string:
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            if depth == top and char == "{":
                opened = position
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == top and char == "}":
                line = text.count("\n", 0, opened) + 1
                spans.append(SourceSpan(shown, line, line + text.count("\n", opened, position)))
            if depth == 0:
                break
    return spans


def _kind_of(data: Any) -> str | None:
    """Which IAM JSON a file holds: a policy, or which `aws iam` command's output."""
    if is_policy_like(data):
        return "policy"
    if not isinstance(data, dict):
        return None
    if "Role" in data:
        return "getRole"
    if "PolicyDocument" in data and "RoleName" in data:
        return "getRolePolicy"
    if "RoleDetailList" in data:
        return "authorizationDetails"
    return None


@functools.lru_cache(maxsize=2)
def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    return loaded


def _shape_error(data: Any, kind: str, text: str, shown: str) -> ParseError | None:
    """The first place where the file departs from its schema, located when the key is found."""
    import jsonschema

    if kind == "policy":
        schema = _schema("iam-policy.schema.json")
        what = "IAM policy document"
    else:
        cli = _schema("iam-cli-output.schema.json")
        schema = {"$ref": f"#/$defs/{kind}", "$defs": cli["$defs"]}
        what = "`aws iam` output"
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    if error is None:
        return None
    path = [str(part) for part in error.absolute_path]
    keys = [part for part in error.absolute_path if isinstance(part, str)]
    line = _line_of(text, json.dumps(keys[-1])) if keys else 1
    where = "/".join(path) or "(top level)"
    return ParseError(shown, line, f"not a valid {what}: {where}: {_expectation(error)}")


def _expectation(error: Any) -> str:
    """What the schema expected, never the value found: it may be anything the file holds."""
    if error.validator == "type":
        expected = error.validator_value
        return f"expected {' or '.join(expected) if isinstance(expected, list) else expected}"
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if description:
        return f"expected {description[:1].lower()}{description[1:].rstrip('.')}"
    return f"does not match the schema ({error.validator})"


def _external_ids(model: CloudModel) -> set[str]:
    """`sts:ExternalId` condition values: sensitive, as exported policies mark nothing.

    Terraform says which values are sensitive (`sensitive = true`); a policy exported from an
    account cannot, and the external ID is what stands between a confused deputy and the role,
    so it is never printed.
    """
    found: set[str] = set()
    for document in model.policy_documents():
        for statement in document.statements:
            conditions = statement.conditions if isinstance(statement.conditions, tuple) else ()
            for condition in conditions:
                if condition.key.lower() == "sts:externalid":
                    found.update(v for v in condition.values if isinstance(v, str) and v)
    return found


def _authorization_details(data: dict[str, Any], text: str, shown: str, model: CloudModel) -> None:
    managed = {}
    for policy in data.get("Policies", []) or []:
        for version in policy.get("PolicyVersionList", []) or []:
            if version.get("IsDefaultVersion"):
                managed[policy.get("Arn")] = version.get("Document")
    for detail in data["RoleDetailList"]:
        role = _role_from_details(detail, text, shown, managed)
        model.add(role)
        for profile in detail.get("InstanceProfileList", []) or []:
            name = str(profile.get("InstanceProfileName"))
            key = str(profile.get("Arn", name))
            model.add(
                InstanceProfile(
                    key=key,
                    address=f"instance profile {name}",
                    origin=role.origin,
                    name=name,
                    roles=(role.key,),
                )
            )
