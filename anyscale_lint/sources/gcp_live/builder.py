"""Turn the responses one live GCP audit read into the model every rule reads.

Keys and addresses are the APIs' relative resource names (names.py), links hold the linked
resource's key, origins are cloud references (provider `gcp`, the project, the region, the
resource name, its console URL). A read that failed leaves an Unknown naming the permission
and the error, so the rules depending on it report unknown; an IAM policy that could not be
read is one grant whose role and members are unknown.
"""

from __future__ import annotations

from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    GcpProject,
    ParseError,
    RegisterCommand,
    Unknown,
)
from anyscale_lint.sources.gcp_live import names
from anyscale_lint.sources.gcp_live.builder_iam import IamBuilder
from anyscale_lint.sources.gcp_live.builder_network import NetworkBuilder
from anyscale_lint.sources.gcp_live.builder_services import ServicesBuilder
from anyscale_lint.sources.gcp_live.collected import GcpCollected
from anyscale_lint.sources.gcp_live.console import console_url
from anyscale_lint.sources.gcp_live.targets import NOT_NAMING
from anyscale_lint.sources.live.audit import collection_errors
from anyscale_lint.sources.live.faults import Fault, failed_read

SOURCE_KIND = "gcp_live"


def model_root(project: str, region: str) -> str:
    """The deployment key of one project and region."""
    return f"gcp://{project}/{region}"


class GcpLiveBuilder:
    """Builds one CloudModel from one project's and region's responses."""

    def __init__(self, data: GcpCollected) -> None:
        self.data = data
        self.project = data.project_id
        self.model = CloudModel(
            root=model_root(data.project_id, data.region),
            source_kind=SOURCE_KIND,
            rule_source="live",
            holds_network=True,
            ids_assigned_at_apply=False,
            single_account=True,
            one_deployment=True,
            region=data.region,
        )
        self.iam = IamBuilder(self.model, self.ref)

    def ref(
        self, key: str, kind: str, parts: tuple[str, ...] = (), project: str | None = None
    ) -> CloudRef:
        """The origin of a live resource."""
        project = project or self.project
        url = console_url(kind, project, *parts)
        return CloudRef("gcp", project, self.data.region, key, url)

    # ---- entry ---------------------------------------------------------------------------

    def build(self) -> tuple[CloudModel, list[ParseError]]:
        """The model, and a collection error for every read that failed."""
        data = self.data
        self._project()
        NetworkBuilder(data, self.model, self.ref).build()
        for read in data.service_accounts:
            self.iam.service_account(read)
        for read in data.pools:
            self.iam.pool(read)
        for read in data.providers:
            self.iam.provider(read)
        services = ServicesBuilder(self.model, self.ref, self.iam.grants)
        for read in data.buckets:
            services.bucket(read)
        for read in data.filestores:
            services.filestore(read)
        for read in data.memorystores:
            services.redis(read)
        if set(data.flags) - NOT_NAMING:
            self.model.register_commands.append(self._register_command())
        for name, code in sorted(data.missing.items()):
            self.model.notes.append(f"{name} does not exist ({code})")
        self.model.notes += data.notes
        return self.model, collection_errors(data.faults)

    def _register_command(self) -> RegisterCommand:
        """The flags given, as the register command identification reads."""
        flags: dict[str, str | Unknown] = {
            "provider": "gcp",
            "region": self.data.region,
            **self.data.flags,
        }
        text = "anyscale cloud register " + " ".join(
            f"--{flag} {value}".rstrip() for flag, value in flags.items()
        )
        origin = CloudRef("gcp", self.project, self.data.region, "anyscale-lint live flags")
        return RegisterCommand(text, flags, origin, source="`anyscale-lint live`")

    # ---- project ---------------------------------------------------------------------------

    def _project(self) -> None:
        found = self.data.project
        if isinstance(found, Fault) and found.missing:
            self.data.missing[f"project {self.project}"] = found.code
            return
        key = names.project_key(self.project)
        origin = self.ref(key, "project")
        number: str | Unknown = (
            failed_read(found, f"project {self.project}")
            if isinstance(found, Fault)
            else names.segment(str(found.get("name", "")), 1)
        )
        labels = found.get("labels", {}) if isinstance(found, dict) else {}
        self.model.add(
            GcpProject(
                key,
                key,
                origin,
                name=self.project,
                tags=dict(labels),
                project_id=self.project,
                number=number,
            )
        )
        self.iam.grants("project", key, self.data.project_policy, self.ref(key, "iam"))


def build_model(data: GcpCollected) -> tuple[CloudModel, list[ParseError]]:
    """The model of one project and region, and the collection errors."""
    return GcpLiveBuilder(data).build()
