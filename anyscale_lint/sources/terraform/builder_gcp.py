"""Google provider resources into the GCP model (model/gcp.py): what the area builders share.

Provider defaults (a resource without `project` or `region` takes its google provider
configuration's), the names and attributes by which google resources refer to each other (a
subnet's `network` written as the network's `id`, `self_link`, `name` or a literal path), and
the handler tables the Builder runs. The resources themselves are built by area:
builder_gcp_network.py, builder_gcp_firewall.py, builder_gcp_iam.py, builder_gcp_storage.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import Resource, Unknown
from anyscale_lint.sources.terraform import (
    builder_gcp_firewall,
    builder_gcp_iam,
    builder_gcp_network,
    builder_gcp_storage,
)
from anyscale_lint.sources.terraform.builder_gcp_firewall import FIREWALL_POLICY, POLICY_KINDS
from anyscale_lint.sources.terraform.coerce import literal, text
from anyscale_lint.sources.terraform.google_attributes import SA_DOMAIN, service_account_email
from anyscale_lint.sources.terraform.markers import unknown

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder import Builder
    from anyscale_lint.sources.terraform.items import Item

# The attribute holding the name each kind is referred to by when written as a literal.
_NAME_ATTRIBUTE = {
    "google_project": "project_id",
    "google_compute_network": "name",
    "google_compute_subnetwork": "name",
    "google_storage_bucket": "name",
    "google_service_account": "account_id",
    "google_iam_workload_identity_pool": "workload_identity_pool_id",
    "google_iam_workload_identity_pool_provider": "workload_identity_pool_provider_id",
    "google_filestore_instance": "name",
    "google_redis_instance": "name",
    **dict.fromkeys(POLICY_KINDS, "name"),
}
# Attributes other resources refer to google resources by, beyond those every resource is
# indexed by (id, arn, name, bucket): a reference to one of them links to the resource.
_REFERENCED = (
    "self_link",
    "email",
    "project_id",
    "number",
    "url",
    "account_id",
    "unique_id",
    "workload_identity_pool_id",
    "workload_identity_pool_provider_id",
)

Handler = Callable[["Item"], Any]


def canonical_kind(kind: str) -> str:
    """The kind links name a resource by (every firewall policy spelling is one kind)."""
    return FIREWALL_POLICY if kind in POLICY_KINDS else kind


class GcpResources:
    """Builds the google provider's resources for a Builder."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.addresses = {item.address for item in builder.items}
        settings = builder.settings
        self.regions: dict[str, Any] = settings.get("provider_regions") or {}
        self.projects: dict[str, Any] = settings.get("provider_projects") or {}
        for item in builder.items:
            if item.kind.startswith("google_"):
                self._index(item)
        self.firewalls = builder_gcp_firewall.Firewalls(self)

    # ---- names and links --------------------------------------------------------------------

    def _index(self, item: Item) -> None:
        """Record the references and literal names by which other resources name this one."""
        for attribute in _REFERENCED:
            self.builder.index.setdefault(f"${{{item.address}.{attribute}}}", item.address)
        named_by = _NAME_ATTRIBUTE.get(item.kind)
        name = literal(item.get(named_by)) if named_by else None
        kind = canonical_kind(item.kind)
        names = [name] if name else []
        if item.kind == "google_service_account":
            email = literal(self.email(item))
            if email:
                names += [email, f"serviceAccount:{email}"]
        for each in names:
            self.builder.named.setdefault((kind, each), item.address)

    def link(self, value: Any, kind: str) -> str | Unknown | None:
        """The key of the `kind` resource a value names (a reference, a literal name, a path or
        URL ending in the name, an email), else the value as written."""
        linked = self.builder.link(value, canonical_kind(kind))
        if not isinstance(linked, str) or linked in self.addresses:
            return linked
        tail = linked.rstrip("/").rsplit("/", 1)[-1]
        candidates = [tail]
        if kind == "google_service_account" and tail.endswith(SA_DOMAIN):
            # An email whose project the code does not spell out: its account ID names it.
            candidates.append(tail.split("@", 1)[0])
        for candidate in candidates:
            found = self.builder.named.get((canonical_kind(kind), candidate))
            if found is not None:
                return found
        return linked

    def links(self, values: Any, kind: str) -> tuple[str | Unknown, ...] | Unknown:
        """Each of a list's values linked (a wholly unknown list stays Unknown)."""
        if isinstance(values, Unknown):
            return values
        items = values if isinstance(values, list) else [] if values is None else [values]
        linked = (self.link(value, kind) for value in items)
        return tuple(link for link in linked if link is not None)

    # ---- provider defaults ------------------------------------------------------------------

    def project(self, item: Item) -> str | Unknown:
        """The resource's project: its own, else its google provider configuration's."""
        return self._default(item, "project", item.provider_project(), self.projects, "PROJECT")

    def region(self, item: Item) -> str | Unknown:
        """The resource's region: its own, else its google provider configuration's."""
        return self._default(item, "region", item.provider_region(), self.regions, "REGION")

    def _default(
        self, item: Item, attribute: str, aliased: Any, table: dict[str, Any], variable: str
    ) -> str | Unknown:
        value = item.get(attribute)
        if value is None:
            value = aliased
        if value is None:
            value = table.get("google")
        if value is None:
            return unknown(
                f"{item.address}.{attribute}",
                f"not set on the resource or on the google provider (the provider reads "
                f"GOOGLE_{variable} when it applies)",
            )
        return text(value)

    def email(self, item: Item) -> str | Unknown:
        """A service account's email: recorded by a state, else `<account_id>@<project>...`
        when both are known, else a reference to the attribute the provider computes."""
        recorded = item.recorded("email")
        if recorded is not None:
            return recorded
        email = service_account_email(item.get("account_id"), self.project(item))
        return email if email is not None else text(item.assigned("email"))

    def common(self, item: Item) -> dict[str, Any]:
        """The fields every resource has; a google resource's `labels` are its tags."""
        common = self.builder.common(item)
        labels = item.get("labels")
        if not common["tags"] and isinstance(labels, dict):
            common["tags"] = {str(k): str(v) for k, v in labels.items()}
        return common

    # ---- the handler tables -----------------------------------------------------------------

    def split_handlers(self) -> dict[str, Handler]:
        """Resources that add to another resource (rules, associations) or add grants."""
        return {
            **self.firewalls.split_handlers(),
            **builder_gcp_iam.IamGrants(self).split_handlers(),
        }

    def resource_handlers(self) -> dict[str, Callable[[Item], Resource | None]]:
        """The google resources modelled on their own."""
        return {
            **builder_gcp_network.resource_handlers(self),
            **self.firewalls.resource_handlers(),
            **builder_gcp_iam.resource_handlers(self),
            **builder_gcp_storage.resource_handlers(self),
        }
