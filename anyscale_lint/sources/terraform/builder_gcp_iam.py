"""Service accounts, workload identity pools and providers, and IAM grants on projects,
buckets and service accounts (`_iam_member`, `_iam_binding`, and one grant per binding of an
`_iam_policy`'s `policy_data`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyscale_lint import jsontext
from anyscale_lint.model import (
    GcpIamGrant,
    GcpServiceAccount,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    Resource,
    Unknown,
)
from anyscale_lint.sources.terraform.coerce import (
    flag,
    literal,
    optional_text,
    text,
    text_map,
    texts,
)
from anyscale_lint.sources.terraform.markers import unknown

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder_gcp import GcpResources
    from anyscale_lint.sources.terraform.items import Item

POOL = "google_iam_workload_identity_pool"
# What each IAM resource family grants on: (target kind, attribute naming it, linked kind).
_TARGETS = {
    "google_project_iam": ("project", "project", "google_project"),
    "google_storage_bucket_iam": ("bucket", "bucket", "google_storage_bucket"),
    "google_service_account_iam": (
        "service_account",
        "service_account_id",
        "google_service_account",
    ),
}
# The identity kinds a workload identity pool provider is configured with, one block each.
_PROVIDER_TYPES = ("aws", "oidc", "saml", "x509")


def _condition(item: Item) -> str | Unknown | None:
    """The expression of an IAM resource's `condition` block, when it has one."""
    blocks = item.nested("condition")
    if isinstance(blocks, Unknown):
        return blocks
    return text(item.block_value(blocks[0], "expression")) if blocks else None


class IamGrants:
    """Builds the grants of the IAM resources, each added to the model on its own."""

    def __init__(self, gcp: GcpResources) -> None:
        self.gcp = gcp

    def split_handlers(self) -> dict[str, Callable[[Item], None]]:
        """`_iam_member`, `_iam_binding` and `_iam_policy` of each target kind."""
        handlers: dict[str, Callable[[Item], None]] = {}
        for family in _TARGETS:
            handlers[f"{family}_member"] = self._member
            handlers[f"{family}_binding"] = self._member
            handlers[f"{family}_policy"] = self._policy
        return handlers

    def _target(self, item: Item) -> tuple[str, str | Unknown]:
        family = item.kind.rsplit("_", 1)[0]
        target_kind, attribute, linked = _TARGETS[family]
        value = item.get(attribute)
        if value is None and target_kind == "project":
            value = self.gcp.project(item)
        target = self.gcp.link(value, linked)
        return target_kind, text(target)

    def _member(self, item: Item) -> None:
        target_kind, target = self._target(item)
        binding = item.kind.endswith("_binding")
        self.gcp.builder.model.add(
            GcpIamGrant(
                **self.gcp.common(item),
                target_kind=target_kind,
                target=target,
                role=text(item.get("role")),
                members=texts(item.get("members" if binding else "member")),
                # A binding replaces every other member of its role on the target.
                authoritative=binding,
                condition=_condition(item),
            )
        )

    def _policy(self, item: Item) -> None:
        """One grant per binding of `policy_data`; all of them authoritative, since the
        policy replaces the target's whole IAM policy."""
        target_kind, target = self._target(item)
        data = item.get("policy_data")
        common = self.gcp.common(item)
        # A rendered `data.google_iam_policy` says where each binding is written.
        origins = self.gcp.builder.settings.get("iam_policy_origins", {})
        rendered = origins.get(data) if isinstance(data, str) else None
        where, spans = rendered or (item.attribute_span("policy_data"), [])
        bindings = self._bindings(item, data)
        if isinstance(bindings, Unknown):
            bindings = [{"role": bindings, "members": bindings}]
        for number, binding in enumerate(bindings):
            condition = binding.get("condition")
            expression = condition.get("expression") if isinstance(condition, dict) else None
            self.gcp.builder.model.add(
                GcpIamGrant(
                    **{
                        **common,
                        "key": f"{item.address}#bindings[{number}]",
                        "origin": spans[number] if number < len(spans) else where,
                    },
                    target_kind=target_kind,
                    target=target,
                    role=text(binding.get("role")),
                    members=texts(binding.get("members")),
                    authoritative=True,
                    condition=optional_text(expression),
                )
            )

    def _bindings(self, item: Item, data: Any) -> list[dict[str, Any]] | Unknown:
        """The bindings of a `policy_data` JSON document, or why they are not known."""
        expression = f"{item.address}.policy_data"
        if isinstance(data, Unknown):
            return data
        if not isinstance(data, str):
            return unknown(expression, "policy_data is not a JSON string")
        try:
            # Parts known only after apply (a member's email) stay in the text: they are
            # typed once the model is complete, like any other partly known string.
            document = jsontext.loads(data)
        except jsontext.JsonInputError as error:
            if literal(data) is None:
                return unknown(expression, "the policy is not known statically")
            return unknown(expression, f"policy_data: {error.message}")
        bindings = document.get("bindings", []) if isinstance(document, dict) else None
        if not isinstance(bindings, list):
            return unknown(expression, "policy_data holds no list of bindings")
        return [binding for binding in bindings if isinstance(binding, dict)]


def resource_handlers(gcp: GcpResources) -> dict[str, Callable[[Item], Resource]]:
    """Service accounts, pools and pool providers."""

    def service_account(item: Item) -> Resource:
        common = gcp.common(item)
        email = gcp.email(item)
        account = text(item.get("account_id"))
        # Messages name an account by its email when it is known, else by its account ID.
        common["name"] = email if literal(email) else account
        return GcpServiceAccount(
            **common, account_id=account, email=email, project=gcp.project(item)
        )

    def pool(item: Item) -> Resource:
        common = gcp.common(item)
        common["name"] = text(item.get("workload_identity_pool_id"))
        return GcpWorkloadIdentityPool(
            **common,
            pool_id=common["name"],
            project=gcp.project(item),
            disabled=flag(item.get("disabled")),
        )

    def provider(item: Item) -> Resource:
        common = gcp.common(item)
        common["name"] = text(item.get("workload_identity_pool_provider_id"))
        provider_type, account = _identities(item)
        condition = item.get("attribute_condition")
        return GcpWorkloadIdentityProvider(
            **common,
            pool=gcp.link(item.get("workload_identity_pool_id"), POOL),
            provider_id=common["name"],
            aws_account_id=account,
            provider_type=provider_type,
            attribute_mapping=text_map(item.get("attribute_mapping")),
            attribute_condition=None if condition in (None, "") else text(condition),
            disabled=flag(item.get("disabled")),
            project=gcp.project(item),
        )

    return {
        "google_service_account": service_account,
        POOL: pool,
        f"{POOL}_provider": provider,
    }


def _identities(item: Item) -> tuple[str, str | Unknown | None]:
    """The kind of identities a provider accepts, and the AWS account of an `aws` block."""
    for kind in _PROVIDER_TYPES:
        blocks = item.nested(kind)
        if isinstance(blocks, Unknown):
            return kind, blocks if kind == "aws" else None
        if blocks:
            account = text(item.block_value(blocks[0], "account_id")) if kind == "aws" else None
            return kind, account
    # No identity block (a dynamic one that expands to none): the provider trusts no one.
    return "none", None
