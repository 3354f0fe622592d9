"""What `live --provider gcp` audits: the register flags given, and the resource names they
stand for (a bucket without `gs://`, a Filestore's full name, a provider's pool)."""

from __future__ import annotations

from dataclasses import dataclass

# Flags that name no part: given only these, the parts are looked for (named for anyscale).
NOT_NAMING = frozenset(
    {"project-id", "host-project-id", "vpc-name", "region", "name", "private-network", "provider"}
)


@dataclass(frozen=True)
class GcpTargets:
    """The register flags given (documented spelling -> comma-joined value) and the region."""

    flags: dict[str, str]
    region: str

    def ids(self, flag: str) -> list[str]:
        """The comma-separated values of a flag."""
        return [v.strip() for v in self.flags.get(flag, "").split(",") if v.strip()]

    def one(self, flag: str) -> str | None:
        """The flag's value, or None when not given."""
        return self.flags.get(flag, "").strip() or None

    @property
    def project(self) -> str:
        """The project ID (the CLI checks it is given before an audit starts)."""
        return self.flags["project-id"]

    @property
    def network_project(self) -> str:
        """Where the network and firewall policies are: the host project of a shared VPC."""
        return self.one("host-project-id") or self.project

    @property
    def discovers(self) -> bool:
        """Whether parts the flags do not name are looked for."""
        return not set(self.flags) - NOT_NAMING

    def buckets(self) -> list[str]:
        """Bucket names, `gs://` dropped as the CLI does."""
        given = self.ids("cloud-storage-bucket-name")
        return [b.removeprefix("gs://").split("/", 1)[0] for b in given]

    def emails(self) -> list[str]:
        """The service accounts the flags name, access one first."""
        flags = ("anyscale-service-account-email", "instance-service-account-email")
        return list(dict.fromkeys(e for flag in flags for e in self.ids(flag)))

    def filestore(self) -> str | None:
        """The Filestore's full name: as given, or built from `--filestore-location`."""
        instance = self.one("file-storage-id")
        if instance is None or instance.startswith("projects/"):
            return instance
        location = self.one("filestore-location")
        if location is None:
            return None
        return f"projects/{self.project}/locations/{location}/instances/{instance}"

    def memorystore(self) -> str | None:
        """The Memorystore's full name: as given, or the instance of that ID in the region."""
        instance = self.one("memorystore-instance-name")
        if instance is None or instance.startswith("projects/"):
            return instance
        return f"projects/{self.project}/locations/{self.region}/instances/{instance}"
