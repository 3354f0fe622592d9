"""Turn evaluated Terraform resource instances into the typed cloud model.

Both AWS provider styles land in the same model: inline blocks (`cors_rule`, `ingress`,
`route`, `inline_policy`, `policy`) and split resources (`aws_s3_bucket_cors_configuration`,
`aws_security_group_rule`, `aws_route`, `aws_iam_role_policy_attachment`, ...). The google
provider's resources are built by builder_gcp*.py into model/gcp.py's resources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.iam.managed_policies import aws_managed_attachment
from anyscale_lint.iam.policy import PolicyParseError, parse_document
from anyscale_lint.model import (
    COMPUTED,
    CloudModel,
    IamPolicy,
    IamRole,
    InstanceProfile,
    ParseError,
    PolicyAttachment,
    PolicyDocument,
    Route,
    SgRule,
    SourceSpan,
    Unknown,
)
from anyscale_lint.sources.terraform import builder_services as services
from anyscale_lint.sources.terraform.builder_documents import unused_documents
from anyscale_lint.sources.terraform.builder_gcp import GcpResources
from anyscale_lint.sources.terraform.builder_network import Network
from anyscale_lint.sources.terraform.builder_s3 import Buckets
from anyscale_lint.sources.terraform.builder_security_groups import SecurityGroups
from anyscale_lint.sources.terraform.coerce import MARKER, text
from anyscale_lint.sources.terraform.evaluation import internal_error
from anyscale_lint.sources.terraform.items import Item, walk
from anyscale_lint.sources.terraform.markers import unknown
from anyscale_lint.sources.terraform.module import ModuleInstance

_AWS_MANAGED = "arn:aws:iam::aws:policy/"


@dataclass
class _Drafts:
    """Parts collected from split resources before the frozen model objects are built."""

    role_policies: dict[str, list[PolicyAttachment]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # aws_iam_policy address -> the roles attachments give it (keys, or names as written).
    policy_roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bucket_parts: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    sg_rules: dict[str, list[SgRule]] = field(default_factory=lambda: defaultdict(list))
    routes: dict[str, list[Route]] = field(default_factory=lambda: defaultdict(list))
    associations: dict[str, Any] = field(default_factory=dict)
    main_tables: dict[str, str] = field(default_factory=dict)
    # Parts of other resources (EFS policies, endpoint route tables, ...) by resource key.
    parts: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))


class Builder:
    """Builds the model of one root module."""

    def __init__(
        self,
        items: list[Item],
        model: CloudModel,
        settings: dict[str, Any],
        root: ModuleInstance | None = None,
    ) -> None:
        # The HCL root module, when the items were read from HCL (for its data sources).
        self.root = root
        self.model = model
        # Provider settings (`provider_regions`, `provider_projects`) and shared tables.
        self.settings = settings
        self.items = items
        self.index: dict[str, str] = {}
        # Literal names by resource kind: two kinds may share a name (a MemoryDB subnet group
        # and parameter group both called "anyscale"), and an attribute names one kind.
        self.named: dict[tuple[str, str], str] = {}
        self.drafts = _Drafts()
        self.policies: dict[str, PolicyDocument | Unknown | None] = {}
        self.problems: list[ParseError] = settings.setdefault("problems", [])
        # Rendered aws_iam_policy_document JSON -> (data source span, statement spans).
        self.document_origins: dict[str, tuple[SourceSpan, list[SourceSpan]]] = settings.setdefault(
            "document_origins", {}
        )
        for item in self.items:
            self._index(item)
            self._uncounted(item)

    # ---- identities and links ---------------------------------------------------------------

    def _uncounted(self, item: Item) -> None:
        """Record a symbolic instance standing for an unknown number of instances."""
        reason = item.uncounted()
        if reason is not None:
            self.model.uncounted[item.address] = reason

    def _index(self, item: Item) -> None:
        """Record every string by which other resources may refer to this one."""
        for attribute in ("id", "arn", "name", "bucket"):
            self.index[f"${{{item.address}.{attribute}}}"] = item.address
        # IDs and ARNs a state records (the code never sets them): links written as literals.
        for attribute in ("id", "arn"):
            value = item.recorded(attribute)
            if value is not None:
                self.index.setdefault(value, item.address)
        literal = {
            "aws_s3_bucket": "bucket",
            "aws_iam_role": "name",
            "aws_iam_instance_profile": "name",
            "aws_memorydb_subnet_group": "name",
            "aws_memorydb_parameter_group": "name",
            "aws_memorydb_cluster": "name",
        }.get(item.kind)
        if literal:
            value = item.get(literal)
            if isinstance(value, str) and "${" not in value:
                self.named.setdefault((item.kind, value), item.address)
                # Profiles are usually named after their role, and attachments and profiles
                # name roles: the role keeps the name whichever file is read first.
                if item.kind == "aws_iam_role":
                    self.index[value] = item.address
                else:
                    self.index.setdefault(value, item.address)
                if item.kind == "aws_s3_bucket":
                    self.index.setdefault(f"arn:aws:s3:::{value}", item.address)

    def link(self, value: Any, kind: str | None = None) -> str | Unknown | None:
        """The key of the resource a value refers to, or the literal value itself; `kind` says
        which kind of resource a literal name belongs to, when the attribute says."""
        if value is None:
            return None
        if isinstance(value, Unknown):
            return value
        text = str(value)
        if kind is not None and (kind, text) in self.named:
            return self.named[(kind, text)]
        if text in self.index:
            return self.index[text]
        match = MARKER.match(text)
        if match and match.group("address") in self.index.values():
            return match.group("address")
        return text

    def document(
        self, item: Item, value: Any, label: str, attribute: str
    ) -> PolicyDocument | Unknown | None:
        """A policy written in one attribute of a resource, located at that attribute."""
        return self.document_at(value, item, label, item.attribute_span(attribute))

    def document_at(
        self, value: Any, item: Item, label: str, origin: SourceSpan | None = None
    ) -> PolicyDocument | Unknown | None:
        if value is None:
            return None
        where = origin or item.span()
        rendered = self.document_origins.get(value) if isinstance(value, str) else None
        statement_origins: list[SourceSpan] = []
        if rendered is not None:
            where, statement_origins = rendered
        try:
            return parse_document(value, where, label, statement_origins)
        except PolicyParseError as error:
            return unknown(label, f"the policy is not a valid IAM policy: {error}")

    # ---- the build --------------------------------------------------------------------------

    def build(self) -> None:
        """Fill the model."""
        by_kind: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            by_kind[item.kind].append(item)
        for item in by_kind["aws_iam_policy"]:
            self.policies[item.address] = self._guarded(self._policy, item)
        groups, buckets, network = SecurityGroups(self), Buckets(self), Network(self)
        gcp = GcpResources(self)
        split_handlers = {
            **self._split_handlers(),
            **services.split_handlers(self),
            **groups.split_handlers(),
            **buckets.split_handlers(),
            **network.split_handlers(),
            **gcp.split_handlers(),
        }
        for kind, handler in split_handlers.items():
            for item in by_kind[kind]:
                self._guarded(handler, item)
        resource_handlers = {
            **self._resource_handlers(),
            **services.resource_handlers(self),
            "aws_security_group": groups.security_group,
            "aws_s3_bucket": buckets.bucket,
            **network.resource_handlers(),
            **gcp.resource_handlers(),
        }
        for kind, handler in resource_handlers.items():
            for item in by_kind[kind]:
                resource = self._guarded(handler, item)
                if resource is not None:
                    self.model.add(resource)
        for detached in groups.detached():
            self.model.add(detached)
        # Every policy is a resource of its own too (after the roles, whose
        # managed_policy_arns attach policies), judged under `--scope all` whether or not its
        # roles are declared here.
        for item in by_kind["aws_iam_policy"]:
            self.model.add(
                IamPolicy(
                    **self.common(item),
                    document=self.policies[item.address],
                    roles=tuple(dict.fromkeys(self.drafts.policy_roles.get(item.address, []))),
                )
            )
        if self.root is None:
            return
        try:
            for document in unused_documents(self.root, self.model, self.document_origins):
                self.model.add(document)
        except Exception as error:  # a bug: the resources above are still modelled
            self.problems.append(internal_error(self.model.root, None, error))

    def _policy(self, item: Item) -> PolicyDocument | Unknown | None:
        return self.document_at(
            item.get("policy"), item, item.address, item.attribute_span("policy")
        )

    def _guarded(self, handler: Any, item: Item) -> Any:
        """Run one resource's handler; a bug in it is reported at the resource, not fatal."""
        try:
            return handler(item)
        except Exception as error:  # a bug: the other resources are still modelled
            span = item.span()
            self.problems.append(internal_error(span.path, span.start_line, error))
            return None

    def _split_handlers(self) -> dict[str, Any]:
        return {
            "aws_iam_role_policy": self._role_policy,
            "aws_iam_role_policy_attachment": self._role_policy_attachment,
            "aws_iam_policy_attachment": self._policy_attachment,
            "aws_iam_role_policies_exclusive": lambda item: None,
        }

    def _resource_handlers(self) -> dict[str, Any]:
        return {
            "aws_iam_role": self._role,
            "aws_iam_instance_profile": self._instance_profile,
        }

    def common(self, item: Item) -> dict[str, Any]:
        """The fields every resource has: key, address, origin, name, tags."""
        tags = item.get("tags")
        name = item.get("name")
        if name is None and item.get("name_prefix") is not None:
            name = self.generated(item, "name", "from name_prefix")
        return {
            "key": item.address,
            "address": item.address,
            "origin": item.span(),
            "name": name if isinstance(name, (str, Unknown)) or name is None else str(name),
            "tags": {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
        }

    def generated(self, item: Item, attribute: str, how: str) -> str:
        """A reference to an attribute the provider generates (a name from name_prefix)."""
        marker = f"{item.address}.{attribute}"
        self.model.unknown_reasons[marker] = f"{COMPUTED} {how}"
        return f"${{{marker}}}"

    # ---- IAM --------------------------------------------------------------------------------

    def _role(self, item: Item) -> IamRole:
        attachments = list(self.drafts.role_policies.get(item.address, []))
        inline = item.nested("inline_policy")
        if isinstance(inline, list):
            for block in inline:
                name = item.block_value(block, "name")
                policy = item.block_value(block, "policy")
                label = f"inline policy {name}" if isinstance(name, str) else "inline policy"
                attachments.append(
                    PolicyAttachment(
                        label,
                        "inline",
                        self.document_at(policy, item, label, block.span),
                        None,
                        block.span,
                    )
                )
        managed = item.get("managed_policy_arns")
        if isinstance(managed, list):
            for arn in managed:
                attachments.append(self._managed(arn, item.span()))
                if attachments[-1].label in self.policies:
                    self.drafts.policy_roles[attachments[-1].label].append(item.address)
        elif isinstance(managed, Unknown):
            attachments.append(
                PolicyAttachment("managed_policy_arns", "customer", managed, managed, item.span())
            )
        trust = item.get("assume_role_policy")
        return IamRole(
            **self.common(item),
            arn=self._arn(item),
            trust_policy=self.document_at(
                trust,
                item,
                f"trust policy of {item.address}",
                item.attribute_span("assume_role_policy"),
            ),
            policies=tuple(attachments),
        )

    def _arn(self, item: Item) -> str | Unknown:
        return text(item.assigned("arn"))

    def _managed(self, arn: Any, span: SourceSpan) -> PolicyAttachment:
        key = self.link(arn)
        if isinstance(key, str) and key in self.policies:
            return PolicyAttachment(
                key, "customer", self.policies[key], arn if isinstance(arn, str) else None, span
            )
        if isinstance(arn, str) and arn.startswith(_AWS_MANAGED):
            return aws_managed_attachment(arn, span)
        written = text(arn)
        return PolicyAttachment(
            str(written),
            "customer",
            unknown(str(written), "the attached policy is not declared in the scanned code"),
            written,
            span,
        )

    def _roles_of(self, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        return [key for key in (self.link(v) for v in values) if isinstance(key, str)]

    def _role_policy(self, item: Item) -> None:
        name = item.get("name")
        label = f"{item.address}" + (f" ({name})" if isinstance(name, str) else "")
        document = self.document_at(item.get("policy"), item, label, item.attribute_span("policy"))
        roles = self._roles_of(item.get("role"))
        for role in roles:
            self.drafts.role_policies[role].append(
                PolicyAttachment(label, "inline", document, None, item.span())
            )
        self.model.add(
            IamPolicy(
                **self.common(item),
                document=document,
                roles=tuple(roles),
                attachment_kind="inline",
            )
        )

    def _role_policy_attachment(self, item: Item) -> None:
        for role in self._roles_of(item.get("role")):
            self._attach(role, item.get("policy_arn"), item.span())

    def _policy_attachment(self, item: Item) -> None:
        for role in self._roles_of(item.get("roles") or []):
            self._attach(role, item.get("policy_arn"), item.span())

    def _attach(self, role: str, arn: Any, span: SourceSpan) -> None:
        attachment = self._managed(arn, span)
        self.drafts.role_policies[role].append(attachment)
        if attachment.label in self.policies:
            self.drafts.policy_roles[attachment.label].append(role)

    def _instance_profile(self, item: Item) -> InstanceProfile:
        roles = item.get("role")
        links = tuple(
            link
            for link in (self.link(r) for r in (roles if isinstance(roles, list) else [roles]))
            if link is not None
        )
        return InstanceProfile(**self.common(item), roles=links)


def build_model(root: ModuleInstance, model: CloudModel) -> None:
    """Fill `model` with the resources of `root` and its local modules."""
    Builder(list[Item](walk(root)), model, root.settings, root).build()
