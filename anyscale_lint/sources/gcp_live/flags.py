"""The `anyscale cloud register --provider gcp` flags `live --provider gcp` takes to name the
deployment (REQUIREMENTS.md section 5), beside those it shares with AWS (`--name`,
`--region`, `--cloud-storage-bucket-name`, `--file-storage-id`, `--private-network`).

Imports nothing: the CLI builds its options from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GcpFlag:
    """One register flag: its documented spelling, the others the CLI accepts, what it names."""

    flag: str
    label: str
    aliases: tuple[str, ...] = ()
    many: bool = False
    metavar: str = "NAME"

    @property
    def flags(self) -> tuple[str, ...]:
        """Every spelling, the documented one first."""
        return (self.flag, *self.aliases)


GCP_FLAGS = (
    GcpFlag("project-id", "project ID (not its number)", ("gcp-project-id",), metavar="ID"),
    GcpFlag(
        "host-project-id",
        "shared VPC host project ID: the network and firewall policies are read there",
        metavar="ID",
    ),
    GcpFlag("vpc-name", "VPC network name"),
    GcpFlag("subnet-names", "node subnet names (the first is the one Anyscale uses)", many=True),
    GcpFlag(
        "firewall-policy-names",
        "network firewall policy names, global or regional (Anyscale reads the first)",
        many=True,
    ),
    GcpFlag(
        "anyscale-service-account-email",
        "Anyscale access (control-plane) service account email",
        metavar="EMAIL",
    ),
    GcpFlag(
        "instance-service-account-email",
        "cluster node (dataplane) service account email",
        metavar="EMAIL",
    ),
    GcpFlag(
        "provider-name",
        "workload identity provider's full name "
        "(projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID)",
    ),
    GcpFlag(
        "filestore-location",
        "Filestore instance's zone (or region), with --file-storage-id / --filestore-instance-id",
        metavar="ZONE",
    ),
    GcpFlag(
        "memorystore-instance-name",
        "Memorystore instance's full name (projects/P/locations/REGION/instances/ID)",
    ),
)
# Flags both providers take (their options are AWS's table's): the GCP spelling of an alias.
SHARED_FLAGS = ("cloud-storage-bucket-name", "file-storage-id")
FILESTORE_ALIAS = "filestore-instance-id"
BY_FLAG = {spelling: spec for spec in GCP_FLAGS for spelling in spec.flags}


def canonical_gcp_flag(flag: str) -> str:
    """The documented spelling (`gcp-project-id` -> `project-id`)."""
    if flag == FILESTORE_ALIAS:
        return "file-storage-id"
    spec = BY_FLAG.get(flag)
    return spec.flag if spec is not None else flag
