"""Data sources the deployment code relies on: rendered where Terraform renders them locally."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import SourceSpan, Unknown
from anyscale_lint.sources.terraform.blocks import expand_blocks
from anyscale_lint.sources.terraform.evaluation import Namespace
from anyscale_lint.sources.terraform.functions import encode_json
from anyscale_lint.sources.terraform.markers import unknown

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.module import Instance, ModuleInstance

READ_AT_PLAN = "read from the cloud by a data source"
ACCOUNT_AT_PLAN = (
    "the account ID, read from the credentials at plan time; set aws_account_id in the "
    "configuration to resolve it"
)
ZONES = (
    "the region's availability zones, read by a data source (distinct indexes are distinct zones)"
)


class DataObject(Namespace):
    """A data source instance whose attributes come from the cloud: markers, or settings."""

    def __init__(self, module: ModuleInstance, kind: str, instance: Instance) -> None:
        super().__init__(instance.address)
        self.module = module
        self.kind = kind
        self.instance = instance

    def attr(self, name: str) -> Any:
        known = self.known(name)
        if known is not None:
            return known
        set_value = self.module.attribute(self.instance, name)
        if set_value is not None:
            return set_value
        if self.kind == "aws_availability_zones" and name in ("names", "zone_ids"):
            return ZoneList(f"{self.instance.address}.{name}", self.module.evaluator.reasons)
        marker = f"{self.instance.address}.{name}"
        reason = ACCOUNT_AT_PLAN if self.kind == "aws_caller_identity" else READ_AT_PLAN
        self.module.evaluator.reasons.setdefault(marker, reason)
        return f"${{{marker}}}"

    def known(self, name: str) -> Any:
        """Attributes that are known without the cloud (by data source type)."""
        settings = self.module.settings
        if self.kind == "aws_partition":
            return {"partition": "aws", "dns_suffix": "amazonaws.com", "id": "aws"}.get(name)
        if self.kind == "aws_caller_identity" and name in ("account_id", "id"):
            return settings.get("account_id")
        if self.kind == "aws_vpc_endpoint_service" and name == "service_name":
            # AWS services' endpoints are named com.amazonaws.<region>.<service>.
            service = self.module.attribute(self.instance, "service")
            region = settings.get("region")
            if isinstance(service, str) and isinstance(region, (str, Unknown)):
                return f"com.amazonaws.{region}.{service}"
            return None
        if self.kind == "aws_region" and name in ("name", "id", "region"):
            region = settings.get("region")
            return region if isinstance(region, (str, Unknown)) else None
        return None


class ZoneList(Namespace):
    """The region's zones: how many is not known, but each index names a distinct zone.

    `names[count.index]` stays a marker per index (`${...names[1]}`), so rules can tell two
    subnets in `names[0]` and `names[1]` apart; whole-list uses are Unknown.
    """

    def __init__(self, label: str, reasons: dict[str, str]) -> None:
        super().__init__(label)
        self.reasons = reasons

    def index(self, key: Any) -> Any:
        if isinstance(key, bool) or not isinstance(key, int):
            return self.materialize()
        marker = f"{self.label}[{key}]"
        self.reasons.setdefault(marker, ZONES)
        return f"${{{marker}}}"

    def materialize(self) -> Any:
        self.reasons.setdefault(self.label, ZONES)
        return unknown(self.label, ZONES)

    def as_argument(self, function: str, arguments: list[Any]) -> Any:
        """`slice(names, 0, 2)` with known bounds: the zones at those indexes, each distinct."""
        if function == "slice" and len(arguments) == 3 and arguments[0] is self:
            start, end = arguments[1], arguments[2]
            whole = all(isinstance(b, int) and not isinstance(b, bool) for b in (start, end))
            if whole and 0 <= start <= end:
                return [self.index(i) for i in range(start, end)]
        return self.materialize()


class PolicyDocumentObject(DataObject):
    """`data.aws_iam_policy_document`: rendered to JSON as the AWS provider does."""

    def attr(self, name: str) -> Any:
        if name in ("json", "minified_json"):
            rendered = self.render()
            if isinstance(rendered, Unknown):
                return rendered
            document, spans = rendered
            text = encode_json(document)
            # Remember where each statement was written, for findings about the policy.
            origins = self.module.settings.setdefault("document_origins", {})
            origins[text] = (self.instance.block.span, spans)
            return text
        return super().attr(name)

    def render(self) -> tuple[dict[str, Any], list[SourceSpan]] | Unknown:
        """The policy document as a JSON-shaped dict, and where each statement is written."""
        module, variables = self.module, self.instance.variables
        evaluator = module.evaluator
        statements: list[dict[str, Any]] = []
        spans: list[SourceSpan] = []
        merged: dict[str, int] = {}
        here = self.instance.block.span

        def add(statement: dict[str, Any], span: SourceSpan = here) -> None:
            sid = statement.get("Sid")
            if sid and sid in merged:
                statements[merged[sid]] = statement
                spans[merged[sid]] = span
                return
            if sid:
                merged[sid] = len(statements)
            statements.append(statement)
            spans.append(span)

        for source in _documents(module.attribute(self.instance, "source_policy_documents")):
            if isinstance(source, Unknown):
                return source
            for statement in source:
                add(statement)
        blocks = expand_blocks(evaluator, self.instance.block.body, "statement", variables)
        if isinstance(blocks, Unknown):
            return blocks
        for block in blocks:
            add(_statement(module, block.body, block.variables), block.span)
        for override in _documents(module.attribute(self.instance, "override_policy_documents")):
            if isinstance(override, Unknown):
                return override
            for statement in override:
                add(statement)
        document: dict[str, Any] = {
            "Version": module.attribute(self.instance, "version") or "2012-10-17"
        }
        policy_id = module.attribute(self.instance, "policy_id")
        if policy_id is not None:
            document["Id"] = policy_id
        document["Statement"] = statements
        return document, spans


def _documents(value: Any) -> list[list[dict[str, Any]] | Unknown]:
    if value is None:
        return []
    if isinstance(value, Unknown):
        return [value]
    result: list[list[dict[str, Any]] | Unknown] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Unknown):
            result.append(item)
            continue
        try:
            parsed = json.loads(item) if isinstance(item, str) else item
        except json.JSONDecodeError:
            result.append(unknown(str(item)[:60], "a source policy document is not valid JSON"))
            continue
        statements = parsed.get("Statement", []) if isinstance(parsed, dict) else []
        result.append(statements if isinstance(statements, list) else [statements])
    return result


def _single(values: Any) -> Any:
    """The provider writes one-element lists as a plain string."""
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


def _statement(module: ModuleInstance, body: Any, variables: dict[str, Any]) -> dict[str, Any]:
    evaluator = module.evaluator

    def value(name: str) -> Any:
        attribute = body.attributes.get(name)
        return None if attribute is None else evaluator.evaluate(attribute.expr, variables)

    statement: dict[str, Any] = {}
    sid = value("sid")
    if sid:
        statement["Sid"] = sid
    statement["Effect"] = value("effect") or "Allow"
    for attribute, key in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        items = value(attribute)
        if items is not None:
            statement[key] = _single(items) if not isinstance(items, Unknown) else items
    for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = expand_blocks(evaluator, body, block_type, variables)
        if isinstance(blocks, Unknown):
            statement[key] = blocks
            continue
        principals: dict[str, Any] = {}
        for block in blocks:
            kind = block.value(evaluator, "type")
            identifiers = block.value(evaluator, "identifiers") or []
            if not isinstance(kind, str):
                continue
            existing = principals.get(kind, [])
            existing = existing if isinstance(existing, list) else [existing]
            principals[kind] = existing + (
                identifiers if isinstance(identifiers, list) else [identifiers]
            )
        if principals:
            statement[key] = (
                "*"
                if principals == {"*": ["*"]}
                else {k: _single(v) for k, v in principals.items()}
            )
    conditions = expand_blocks(evaluator, body, "condition", variables)
    if isinstance(conditions, Unknown):
        statement["Condition"] = conditions
    else:
        rendered: dict[str, dict[str, Any]] = {}
        for block in conditions:
            test, variable, values = (
                block.value(evaluator, n) for n in ("test", "variable", "values")
            )
            if isinstance(test, str) and isinstance(variable, str):
                rendered.setdefault(test, {})[variable] = (
                    _single(values) if isinstance(values, list) else values
                )
        if rendered:
            statement["Condition"] = rendered
    return statement


class GoogleIamPolicyObject(DataObject):
    """`data.google_iam_policy`: `policy_data` rendered to JSON as the google provider does."""

    def attr(self, name: str) -> Any:
        if name != "policy_data":
            return super().attr(name)
        module, variables = self.module, self.instance.variables
        blocks = expand_blocks(module.evaluator, self.instance.block.body, "binding", variables)
        if isinstance(blocks, Unknown):
            return blocks
        bindings: list[dict[str, Any]] = []
        for block in blocks:
            binding = {
                "role": block.value(module.evaluator, "role"),
                "members": block.value(module.evaluator, "members"),
            }
            conditions = expand_blocks(module.evaluator, block.body, "condition", block.variables)
            if isinstance(conditions, list) and conditions:
                expression = conditions[0].value(module.evaluator, "expression")
                binding["condition"] = {"expression": expression}
            bindings.append(binding)
        text = encode_json({"bindings": bindings})
        # Remember where each binding is written, for findings about one grant.
        origins = module.settings.setdefault("iam_policy_origins", {})
        origins[text] = (self.instance.block.span, [block.span for block in blocks])
        return text


class GoogleClientConfigObject(DataObject):
    """`data.google_client_config`: the google provider's own project and region."""

    def known(self, name: str) -> Any:
        table = {"project": "provider_projects", "region": "provider_regions"}.get(name)
        return self.module.settings.get(table, {}).get("google") if table else None


def make(module: ModuleInstance, kind: str, instance: Instance) -> Namespace:
    """The object for one data source instance."""
    if kind == "aws_iam_policy_document":
        return PolicyDocumentObject(module, kind, instance)
    if kind == "google_iam_policy":
        return GoogleIamPolicyObject(module, kind, instance)
    if kind == "google_client_config":
        return GoogleClientConfigObject(module, kind, instance)
    return DataObject(module, kind, instance)
