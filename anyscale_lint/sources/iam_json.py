"""IAM JSON source: bare policy documents and `aws iam get-role` / `get-role-policy` /
`get-account-authorization-details` output, read into the cloud model."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

from anyscale_lint.iam.managed_policies import ARN_PREFIX, aws_managed_attachment
from anyscale_lint.iam.policy import PolicyParseError, is_policy_like, parse_document
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    InstanceProfile,
    ParseError,
    PolicyAttachment,
    PolicyDocument,
    Resource,
    S3Bucket,
    SourceSpan,
    Unknown,
)
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
        arn=f"${{{shown}.arn}}",
        trust_policy=trust,
        policies=policies,
    )


def _from_policy(document: PolicyDocument | Unknown, shown: str, span: SourceSpan) -> Resource:
    """The resource a bare policy document describes: a role (trust), a bucket, or a holder."""
    if isinstance(document, PolicyDocument) and _is_trust(document):
        return _file_role(shown, span, document)
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


def read_iam_json(path: Path, shown: str, model: CloudModel) -> ParseError | NotAPolicy | None:
    """Add one IAM JSON file's resources to `model`; a read/parse error or NotAPolicy otherwise."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ParseError(shown, error.lineno, f"invalid JSON: {error.msg}", column=error.colno)
    span = SourceSpan(shown, 1, max(1, text.count("\n")))
    try:
        if is_policy_like(data):
            model.add(_from_policy(_document(data, span, shown), shown, span))
        elif isinstance(data, dict) and isinstance(data.get("Role"), dict):
            model.add(_role_from_details(data["Role"], text, shown, {}))
        elif isinstance(data, dict) and "PolicyDocument" in data and "RoleName" in data:
            model.add(
                _role_from_details(
                    {"RoleName": data["RoleName"], "RolePolicyList": [data]}, text, shown, {}
                )
            )
        elif isinstance(data, dict) and "RoleDetailList" in data:
            _authorization_details(data, text, shown, model)
        else:
            return NotAPolicy(f"{shown}: skipped, not an IAM policy or IAM CLI output")
    except PolicyParseError as error:
        return ParseError(shown, 1, f"not a valid IAM policy: {error}")
    model.files.append(shown)
    model.sensitive_values.update(_external_ids(model))
    return None


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
