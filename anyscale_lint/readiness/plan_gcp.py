"""The values of `anyscale cloud register --provider gcp` for one deployment (REQUIREMENTS.md
sections 3 and 5)."""

from __future__ import annotations

from dataclasses import replace

from anyscale_lint.model import GcpParts, Resource, unknown_parts
from anyscale_lint.readiness.model import PlannedValue
from anyscale_lint.readiness.parts import project_value
from anyscale_lint.readiness.plan_values import known_text, provider_path
from anyscale_lint.readiness.planner import Planner


def _present(resource: Resource | None) -> list[Resource]:
    return [resource] if resource is not None else []


def _project(planner: Planner, gcp: GcpParts) -> PlannedValue:
    """The project ID: of the project the root declares, else the one its parts use."""
    if gcp.project is not None:
        return planner.part("project-id", [gcp.project])
    value = project_value(gcp)
    missing = "no project found: give the project ID"
    if value is not None:
        missing = f"not known statically: depends on {', '.join(unknown_parts(value)[:3])}"
    return planner.given("project-id", value, missing=missing)


def _provider_name(planner: Planner, gcp: GcpParts) -> PlannedValue:
    """The workload identity provider's full name. Before apply the project number is often
    the one unknown piece: the placeholder keeps the pool and provider IDs around it."""
    provider = gcp.identity_provider
    value = planner.part("provider-name", _present(provider))
    path = provider_path(provider, gcp) if provider is not None else None
    if value.source != "placeholder" or path is None:
        return value
    project = known_text(gcp.project_id) or "<PROJECT_ID>"
    lookup = (
        "the name takes the project's number, not its ID: "
        f"gcloud projects describe {project} --format='value(projectNumber)' prints it"
    )
    return replace(value, text=f"projects/<PROJECT_NUMBER>/{path}", note=f"{value.note}; {lookup}")


def _filestore(planner: Planner, gcp: GcpParts) -> list[PlannedValue]:
    filestore = gcp.filestore
    if filestore is None:
        return []
    location = planner.given(
        "filestore-location",
        filestore.location,
        missing=f"the location (zone) of {filestore.address} is not known",
    )
    return [planner.part("file-storage-id", [filestore]), location]


def gcp_values(planner: Planner) -> list[PlannedValue]:
    """Every flag's value, in the order the readiness report prints them."""
    d = planner.deployment
    gcp = d.gcp or GcpParts()
    values = [
        PlannedValue("provider", "gcp", "literal"),
        planner.given("name"),
        planner.given("region", d.region),
        _project(planner, gcp),
        planner.part("vpc-name", _present(gcp.network)),
        planner.part("subnet-names", list(gcp.subnets)),
        planner.part("firewall-policy-names", list(gcp.firewall_policies)),
        planner.part("anyscale-service-account-email", _present(gcp.access_service_account)),
        planner.part("instance-service-account-email", _present(gcp.node_service_account)),
        _provider_name(planner, gcp),
        planner.part("cloud-storage-bucket-name", _present(gcp.bucket)),
        *_filestore(planner, gcp),
    ]
    if gcp.memorystore is not None:
        values.append(planner.part("memorystore-instance-name", [gcp.memorystore]))
    if gcp.host_project_id is not None:
        values.append(planner.given("host-project-id", gcp.host_project_id))
    if d.network_mode == "private":
        values.append(PlannedValue("private-network", "", "flag"))
    return values
