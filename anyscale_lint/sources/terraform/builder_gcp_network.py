"""Projects, VPC networks and subnetworks of the google provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from anyscale_lint.model import GcpNetwork, GcpProject, GcpSubnetwork, Resource
from anyscale_lint.sources.terraform.coerce import flag, optional_text, text

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder_gcp import GcpResources
    from anyscale_lint.sources.terraform.items import Item

NETWORK = "google_compute_network"


def resource_handlers(gcp: GcpResources) -> dict[str, Callable[[Item], Resource]]:
    """Builders of the project and network resources."""

    def project(item: Item) -> Resource:
        number = item.recorded("number")
        return GcpProject(
            **gcp.common(item),
            project_id=text(item.get("project_id")),
            # The provider assigns the number: a reference to it until a state records it.
            number=number if number is not None else text(item.assigned("number")),
        )

    def network(item: Item) -> Resource:
        auto = item.get("auto_create_subnetworks")
        return GcpNetwork(
            **gcp.common(item),
            network_name=text(item.get("name")),
            project=gcp.project(item),
            # The provider's default is true: a network with a subnet in every region.
            auto_create_subnetworks=flag(auto, True),
        )

    def subnetwork(item: Item) -> Resource:
        purpose = item.get("purpose")
        return GcpSubnetwork(
            **gcp.common(item),
            subnet_name=text(item.get("name")),
            network=gcp.link(item.get("network"), NETWORK),
            region=gcp.region(item),
            ip_cidr_range=optional_text(item.get("ip_cidr_range")),
            # Unset means PRIVATE, the API's default for a subnet VMs run in.
            purpose="PRIVATE" if purpose is None else text(purpose),
            role=optional_text(item.get("role")),
            private_ip_google_access=flag(item.get("private_ip_google_access")),
            project=gcp.project(item),
        )

    return {
        "google_project": project,
        NETWORK: network,
        "google_compute_subnetwork": subnetwork,
    }
