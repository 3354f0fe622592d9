"""IAM JSON source: bare policy documents and `aws iam get-role` / `get-role-policy` /
`get-account-authorization-details` output, read into the cloud model."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

from anyscale_lint.iam.policy import PolicyParseError, is_policy_like, parse_document
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    InstanceProfile,
    ParseError,
    PolicyAttachment,
    PolicyDocument,
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
        if arn.startswith("arn:aws:iam::aws:policy/"):
            policies.append(PolicyAttachment(arn.rsplit("/", 1)[1], "aws", None, arn, span))
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


def read_iam_json(path: Path, shown: str) -> CloudModel | ParseError | NotAPolicy:
    """The model of one IAM JSON file, a read/parse error, or NotAPolicy."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ParseError(shown, error.lineno, f"invalid JSON: {error.msg}", column=error.colno)
    model = CloudModel(root=shown, source_kind="iam_json", files=[shown])
    span = SourceSpan(shown, 1, max(1, text.count("\n")))
    try:
        if is_policy_like(data):
            document = _document(data, span, shown)
            if isinstance(document, PolicyDocument) and _is_trust(document):
                model.add(
                    IamRole(
                        key=shown,
                        address=shown,
                        origin=span,
                        name=Path(shown).stem,
                        arn=f"${{{shown}.arn}}",
                        trust_policy=document,
                    )
                )
            else:
                model.documents.append((document, "")) if isinstance(
                    document, PolicyDocument
                ) else None
                model.add(
                    IamRole(
                        key=shown,
                        address=shown,
                        origin=span,
                        name=Path(shown).stem,
                        arn=f"${{{shown}.arn}}",
                        policies=(PolicyAttachment(shown, "inline", document, None, span),),
                    )
                )
            return model
        if isinstance(data, dict) and isinstance(data.get("Role"), dict):
            model.add(_role_from_details(data["Role"], text, shown, {}))
            return model
        if isinstance(data, dict) and "PolicyDocument" in data and "RoleName" in data:
            detail = {"RoleName": data["RoleName"], "RolePolicyList": [data]}
            model.add(_role_from_details(detail, text, shown, {}))
            return model
        if isinstance(data, dict) and "RoleDetailList" in data:
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
                    model.add(
                        InstanceProfile(
                            key=str(profile.get("Arn", name)),
                            address=f"instance profile {name}",
                            origin=role.origin,
                            name=name,
                            roles=(role.key,),
                        )
                    )
            return model
    except PolicyParseError as error:
        return ParseError(shown, 1, f"not a valid IAM policy: {error}")
    return NotAPolicy(f"{shown}: skipped, not an IAM policy or IAM CLI output")
