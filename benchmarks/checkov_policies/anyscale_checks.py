"""Custom Checkov checks for the benchmark: the same requirements as the planted mistakes."""

from __future__ import annotations

import json
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ANYSCALE_ACCOUNT = "525325868955"
WORLD = ("0.0.0.0/0", "::/0")


def _first(conf: dict[str, Any], key: str, default: Any = None) -> Any:
    """Checkov wraps every attribute value in a one-element list."""
    value = conf.get(key, default)
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        flat: list[Any] = []
        for item in value:
            flat.extend(item if isinstance(item, list) else [item])
        return flat
    return [value]


def _document(value: Any) -> dict[str, Any] | None:
    """A policy document given as a dict (jsonencode) or a JSON string (heredoc)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in _as_list(document.get("Statement")) if isinstance(s, dict)]


def _account(principal: str) -> str:
    text = str(principal)
    if text.startswith("arn:"):
        parts = text.split(":")
        return parts[4] if len(parts) > 4 else text
    return text


def _foreign(accounts: list[str]) -> bool:
    known = [a for a in accounts if "${" not in a]
    return any(a != ANYSCALE_ACCOUNT for a in known)


class TrustAnyscaleAccount(BaseResourceCheck):
    """Role trust with an external-ID condition names only Anyscale's account."""

    def __init__(self) -> None:
        super().__init__(
            name="Cross-account trust with sts:ExternalId trusts only Anyscale's account",
            id="CKV_ANYSCALE_1",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        document = _document(_first(conf, "assume_role_policy"))
        if document is None:
            return CheckResult.UNKNOWN
        for statement in _statements(document):
            condition = json.dumps(statement.get("Condition", {}))
            principal = statement.get("Principal")
            if "sts:ExternalId" not in condition or not isinstance(principal, dict):
                continue
            accounts = [_account(p) for p in _as_list(principal.get("AWS"))]
            if _foreign(accounts):
                return CheckResult.FAILED
        return CheckResult.PASSED


class TrustAnyscaleAccountDocument(BaseDataCheck):
    """The same requirement for trust written with aws_iam_policy_document."""

    def __init__(self) -> None:
        super().__init__(
            name="Cross-account trust with sts:ExternalId trusts only Anyscale's account",
            id="CKV_ANYSCALE_1",
            categories=[CheckCategories.IAM],
            supported_data=["aws_iam_policy_document"],
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        for statement in _as_list(conf.get("statement")):
            if not isinstance(statement, dict):
                continue
            conditions = [c for c in _as_list(statement.get("condition")) if isinstance(c, dict)]
            if not any(_first(c, "variable") == "sts:ExternalId" for c in conditions):
                continue
            for principal in _as_list(statement.get("principals")):
                if isinstance(principal, dict) and _first(principal, "type") == "AWS":
                    accounts = [_account(a) for a in _as_list(principal.get("identifiers"))]
                    if _foreign(accounts):
                        return CheckResult.FAILED
        return CheckResult.PASSED


class CorsOriginWildcard(BaseResourceCheck):
    """No CORS rule allows every origin."""

    def __init__(self) -> None:
        super().__init__(
            name="S3 CORS rules do not allow origin *",
            id="CKV_ANYSCALE_2",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_s3_bucket", "aws_s3_bucket_cors_configuration"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        for rule in _as_list(conf.get("cors_rule")):
            if isinstance(rule, dict) and "*" in _as_list(rule.get("allowed_origins")):
                return CheckResult.FAILED
        return CheckResult.PASSED


def _opens_ssh_to_world(rule: dict[str, Any]) -> bool:
    sources = _as_list(rule.get("cidr_blocks")) + _as_list(rule.get("ipv6_cidr_blocks"))
    sources += _as_list(rule.get("cidr_ipv4")) + _as_list(rule.get("cidr_ipv6"))
    if not any(s in WORLD for s in sources):
        return False
    protocol = str(_first(rule, "protocol", _first(rule, "ip_protocol", "tcp")))
    if protocol in ("-1", "all"):
        return True
    try:
        low, high = int(_first(rule, "from_port", 0)), int(_first(rule, "to_port", 65535))
    except (TypeError, ValueError):
        return False
    return protocol in ("tcp", "6") and low <= 22 <= high


class SshFromWorld(BaseResourceCheck):
    """No ingress opens SSH to the internet."""

    def __init__(self) -> None:
        super().__init__(
            name="SSH (TCP 22) is not open to the internet",
            id="CKV_ANYSCALE_3",
            categories=[CheckCategories.NETWORKING],
            supported_resources=[
                "aws_security_group",
                "aws_security_group_rule",
                "aws_vpc_security_group_ingress_rule",
            ],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if "ingress" in conf:
            rules = [r for r in _as_list(conf["ingress"]) if isinstance(r, dict)]
        elif _first(conf, "type", "ingress") == "ingress":
            rules = [conf]
        else:
            rules = []
        return CheckResult.FAILED if any(map(_opens_ssh_to_world, rules)) else CheckResult.PASSED


def _s3_star(actions: list[Any], resources: list[Any]) -> bool:
    return any(a in ("s3:*", "*") for a in actions) and "*" in resources


class S3StarOnStar(BaseResourceCheck):
    """No identity policy allows s3:* on every resource."""

    def __init__(self) -> None:
        super().__init__(
            name="No policy allows s3:* on resource *",
            id="CKV_ANYSCALE_4",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_policy", "aws_iam_role_policy"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        document = _document(_first(conf, "policy"))
        if document is None:
            return CheckResult.UNKNOWN
        for statement in _statements(document):
            if statement.get("Effect", "Allow") != "Allow":
                continue
            if _s3_star(_as_list(statement.get("Action")), _as_list(statement.get("Resource"))):
                return CheckResult.FAILED
        return CheckResult.PASSED


class S3StarOnStarDocument(BaseDataCheck):
    """The same requirement for aws_iam_policy_document."""

    def __init__(self) -> None:
        super().__init__(
            name="No policy allows s3:* on resource *",
            id="CKV_ANYSCALE_4",
            categories=[CheckCategories.IAM],
            supported_data=["aws_iam_policy_document"],
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        for statement in _as_list(conf.get("statement")):
            if not isinstance(statement, dict) or _first(statement, "effect", "Allow") != "Allow":
                continue
            actions = _as_list(statement.get("actions"))
            if _s3_star(actions, _as_list(statement.get("resources"))):
                return CheckResult.FAILED
        return CheckResult.PASSED


class PublicNodeSubnet(BaseResourceCheck):
    """A subnet not meant to be public does not give instances public IPs."""

    def __init__(self) -> None:
        super().__init__(
            name="Subnets not named or tagged public do not map public IPs on launch",
            id="CKV_ANYSCALE_5",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_subnet"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if _first(conf, "map_public_ip_on_launch") not in (True, "true"):
            return CheckResult.PASSED
        tags = _first(conf, "tags") or {}
        label = " ".join(str(v) for v in (tags.values() if isinstance(tags, dict) else []))
        name = str(_first(conf, "__address__", ""))
        return CheckResult.PASSED if "public" in (label + name).lower() else CheckResult.FAILED


class SelfIngress(BaseResourceCheck):
    """A security group with inline rules admits all traffic from itself."""

    def __init__(self) -> None:
        super().__init__(
            name="Security groups with inline ingress allow all traffic from themselves",
            id="CKV_ANYSCALE_6",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_security_group"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        rules = [r for r in _as_list(conf.get("ingress")) if isinstance(r, dict)]
        if not rules:
            return CheckResult.UNKNOWN  # rules declared as separate resources: not visible here
        for rule in rules:
            if _first(rule, "self") in (True, "true") and str(_first(rule, "protocol")) == "-1":
                return CheckResult.PASSED
        return CheckResult.FAILED


check_trust = TrustAnyscaleAccount()
check_trust_document = TrustAnyscaleAccountDocument()
check_cors = CorsOriginWildcard()
check_ssh = SshFromWorld()
check_s3_star = S3StarOnStar()
check_s3_star_document = S3StarOnStarDocument()
check_subnet = PublicNodeSubnet()
check_self = SelfIngress()
