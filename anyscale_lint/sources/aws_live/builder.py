"""Turn the responses one live audit read into the model every rule reads.

Keys and addresses are the cloud's own identifiers (role and bucket ARNs, VPC, subnet, group
and file-system IDs; a MemoryDB cluster is keyed by its name, which is what the register flag
takes, and shown by its ARN), so links hold IDs as AWS returns them; origins
are cloud references with the console URL. A read that failed leaves an Unknown naming the
call and the error, so the rules depending on it report unknown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from anyscale_lint.iam.managed_policies import ARN_PREFIX, aws_managed_attachment
from anyscale_lint.iam.policy import PolicyParseError, parse_document
from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    CorsRule,
    EfsFileSystem,
    EfsMountTarget,
    IamRole,
    InstanceProfile,
    MemoryDbCluster,
    ParseError,
    PolicyAttachment,
    PolicyDocument,
    PublicAccessBlock,
    RegisterCommand,
    S3Bucket,
    Unknown,
)
from anyscale_lint.sources.aws_live.builder_network import NetworkBuilder
from anyscale_lint.sources.aws_live.collected import (
    BucketData,
    Collected,
    EfsData,
    MemoryDbData,
    RoleData,
)
from anyscale_lint.sources.aws_live.console import console_url
from anyscale_lint.sources.aws_live.faults import Fault
from anyscale_lint.sources.aws_live.responses import failed_read, tags
from anyscale_lint.sources.live.audit import collection_errors

SOURCE_KIND = "aws_live"
# Flags that name no part but the VPC: given only these, identification infers the rest.
NOT_NAMING = frozenset({"vpc-id", "name", "region", "private-network"})
_PAB = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
_PAB_NAMES = dict(
    zip(
        _PAB,
        (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ),
        strict=True,
    )
)


def model_root(account: str, region: str) -> str:
    """The deployment key of one account and region."""
    return f"aws://{account}/{region}"


class LiveBuilder:
    """Builds one CloudModel from one account's and region's responses."""

    def __init__(self, data: Collected) -> None:
        self.data = data
        self.model = CloudModel(
            root=model_root(data.account, data.region),
            source_kind=SOURCE_KIND,
            rule_source="live",
            holds_network=True,
            ids_assigned_at_apply=False,
            single_account=True,
            one_deployment=True,
            region=data.region,
        )

    def ref(self, identifier: str, kind: str, page: str | None = None) -> CloudRef:
        """The origin of a live resource."""
        data = self.data
        url = console_url(kind, page or identifier, data.region)
        return CloudRef(data.partition, data.account, data.region, identifier, url)

    def document(self, value: Any, origin: CloudRef, label: str) -> PolicyDocument | Unknown:
        """A policy document from a response (JSON text, URL-encoded text, or decoded)."""
        if isinstance(value, Fault):
            return failed_read(value, label)
        if isinstance(value, str) and value.startswith("%7B"):
            value = unquote(value)
        try:
            return parse_document(value, origin, label)
        except PolicyParseError as error:
            return Unknown(label, f"{label} is not a valid policy document: {error}")

    # ---- entry ---------------------------------------------------------------------------

    def build(self) -> tuple[CloudModel, list[ParseError]]:
        """The model, and a collection error for every read that failed."""
        data = self.data
        for role in data.roles:
            self._role(role)
        for bucket in data.buckets:
            self._bucket(bucket)
        NetworkBuilder(self.data, self.model, self.ref).build()
        for efs in data.file_systems:
            self._efs(efs)
        for cluster in data.memorydb:
            self._memorydb(cluster)
        # Given only a VPC, nothing names the other parts: identification infers them.
        if set(self.data.flags) - NOT_NAMING:
            self.model.register_commands.append(self._register_command())
        self._notes()
        return self.model, collection_errors(data.faults)

    def _register_command(self) -> RegisterCommand:
        """The flags given (or discovered), as the register command identification reads."""
        flags: dict[str, str | Unknown] = {"region": self.data.region, **self.data.flags}
        text = "anyscale cloud register --provider aws " + " ".join(
            f"--{flag} {value}".rstrip() for flag, value in flags.items()
        )
        origin = CloudRef(
            self.data.partition, self.data.account, self.data.region, "anyscale-lint live flags"
        )
        return RegisterCommand(text, flags, origin, source="`anyscale-lint live`")

    def _notes(self) -> None:
        """Say which resources the flags named that do not exist."""
        for identifier, code in sorted(self.data.missing.items()):
            self.model.notes.append(f"{identifier} does not exist ({code})")
        given = {
            flag: [v.strip() for v in str(value).split(",") if v.strip()]
            for flag, value in self.data.flags.items()
        }
        for flag in ("vpc-id", "subnet-ids", "security-group-ids"):
            for identifier in given.get(flag, []):
                if identifier not in self.model.resources:
                    self.model.notes.append(
                        f"--{flag} {identifier}: not found in account {self.data.account} "
                        f"region {self.data.region}"
                    )

    # ---- IAM -----------------------------------------------------------------------------

    def _role(self, data: RoleData) -> None:
        if isinstance(data.role, Fault):
            if data.role.missing:
                self.data.missing[data.name] = data.role.code
                return
            origin = self.ref(data.name, "role")
            reason = failed_read(data.role, f"role {data.name}")
            self.model.add(
                IamRole(data.name, data.name, origin, name=data.name, trust_policy=reason)
            )
            return
        role = data.role
        arn = str(role["Arn"])
        name = str(role["RoleName"])
        origin = self.ref(arn, "role", name)
        policies: list[PolicyAttachment] = []
        if isinstance(data.inline, Fault):
            policies.append(
                PolicyAttachment(
                    "inline policies",
                    "inline",
                    failed_read(data.inline, "its inline policies"),
                    None,
                    origin,
                )
            )
        else:
            for policy_name, document in data.inline:
                label = f"inline policy {policy_name}"
                policies.append(
                    PolicyAttachment(
                        policy_name, "inline", self.document(document, origin, label), None, origin
                    )
                )
        if isinstance(data.attached, Fault):
            unknown = failed_read(data.attached, "its attached policies")
            policies.append(
                PolicyAttachment("attached policies", "customer", unknown, None, origin)
            )
        else:
            for policy_arn, policy_name, document in data.attached:
                policies.append(self._attached(policy_arn, policy_name, document))
        self.model.add(
            IamRole(
                arn,
                arn,
                origin,
                name=name,
                tags=tags(role.get("Tags")),
                arn=arn,
                trust_policy=self.document(
                    role.get("AssumeRolePolicyDocument"), origin, f"trust policy of {name}"
                ),
                policies=tuple(policies),
            )
        )
        if isinstance(data.profiles, list):
            for profile in data.profiles:
                self._profile(profile)

    def _attached(self, arn: str, name: str, document: Any) -> PolicyAttachment:
        kind = "aws" if arn.startswith(ARN_PREFIX) else "customer"
        origin = self.ref(arn, "policy", arn)
        if kind == "aws" and isinstance(document, Fault):
            # The account did not give the default version: use the offline copy when known.
            return aws_managed_attachment(arn, origin)
        return PolicyAttachment(name, kind, self.document(document, origin, name), arn, origin)

    def _profile(self, profile: dict[str, Any]) -> None:
        arn = str(profile["Arn"])
        roles = tuple(str(r["Arn"]) for r in profile.get("Roles", []))
        origin = self.ref(arn, "role", str(profile.get("Roles", [{}])[0].get("RoleName", "")))
        self.model.add(
            InstanceProfile(arn, arn, origin, name=str(profile["InstanceProfileName"]), roles=roles)
        )

    # ---- S3 ------------------------------------------------------------------------------

    def _bucket(self, data: BucketData) -> None:
        arn = f"arn:aws:s3:::{data.name}"
        if isinstance(data.location, Fault) and data.location.missing:
            self.data.missing[data.name] = data.location.code
            return
        origin = self.ref(arn, "bucket", data.name)
        region: str | Unknown | None = (
            failed_read(data.location, f"the region of {data.name}")
            if isinstance(data.location, Fault)
            else data.location
        )
        policy: PolicyDocument | Unknown | None = None
        if isinstance(data.policy, Fault) and not data.policy.missing:
            policy = failed_read(data.policy, f"the policy of {data.name}")
        elif data.policy is not None and not isinstance(data.policy, Fault):
            policy = self.document(data.policy, origin, f"bucket policy of {data.name}")
        self.model.add(
            S3Bucket(
                arn,
                arn,
                origin,
                name=data.name,
                tags=tags(data.tags),
                arn=arn,
                region=region,
                policy=policy,
                cors_rules=self._cors(data, origin),
                cors_origin=origin,
                public_access_block=self._public_access_block(data, origin),
            )
        )

    def _cors(self, data: BucketData, origin: CloudRef) -> tuple[CorsRule, ...] | Unknown | None:
        if isinstance(data.cors, Fault):
            return None if data.cors.missing else failed_read(data.cors, f"the CORS of {data.name}")
        if data.cors is None:
            return None
        return tuple(
            CorsRule(
                tuple(rule.get("AllowedOrigins", [])),
                tuple(rule.get("AllowedMethods", [])),
                tuple(rule.get("AllowedHeaders", [])),
                tuple(rule.get("ExposeHeaders", [])),
                origin,
            )
            for rule in data.cors
        )

    def _public_access_block(self, data: BucketData, origin: CloudRef) -> PublicAccessBlock | None:
        block = data.public_access_block
        if isinstance(block, Fault):
            if block.missing:
                return None
            unknown = failed_read(block, f"the public access block of {data.name}")
            return PublicAccessBlock(dict.fromkeys(_PAB_NAMES.values(), unknown), origin)
        if block is None:
            return None
        return PublicAccessBlock(
            {name: bool(block.get(key, False)) for key, name in _PAB_NAMES.items()}, origin
        )

    def _efs(self, data: EfsData) -> None:
        fs_id = data.file_system_id
        if isinstance(data.file_system, Fault) and data.file_system.missing:
            self.data.missing[fs_id] = data.file_system.code
            return
        origin = self.ref(fs_id, "efs")
        found = data.file_system if isinstance(data.file_system, dict) else {}
        backup: str | Unknown | None = None
        if isinstance(data.backup_policy, Fault):
            if not data.backup_policy.missing:
                backup = failed_read(data.backup_policy, f"the backup policy of {fs_id}")
        elif data.backup_policy is not None:
            backup = str(data.backup_policy)
        policy: PolicyDocument | Unknown | None = None
        if isinstance(data.policy, Fault):
            if not data.policy.missing:
                policy = failed_read(data.policy, f"the file-system policy of {fs_id}")
        elif data.policy is not None:
            policy = self.document(data.policy, origin, f"file-system policy of {fs_id}")
        encrypted: bool | Unknown = (
            failed_read(data.file_system, fs_id)
            if isinstance(data.file_system, Fault)
            else bool(found.get("Encrypted", False))
        )
        self.model.add(
            EfsFileSystem(
                fs_id,
                fs_id,
                origin,
                name=found.get("Name"),
                tags=tags(found.get("Tags")),
                encrypted=encrypted,
                backup_status=backup,
                policy=policy,
            )
        )
        targets = data.mount_targets if isinstance(data.mount_targets, list) else []
        for target in targets:
            target_id = str(target["MountTargetId"])
            groups = data.mount_target_groups.get(target_id, ())
            self.model.add(
                EfsMountTarget(
                    target_id,
                    target_id,
                    self.ref(target_id, "efs", fs_id),
                    file_system=fs_id,
                    subnet=target.get("SubnetId"),
                    security_groups=(
                        failed_read(groups, f"the security groups of {target_id}")
                        if isinstance(groups, Fault)
                        else tuple(groups)
                    ),
                )
            )

    def _memorydb(self, data: MemoryDbData) -> None:
        if isinstance(data.cluster, Fault) and data.cluster.missing:
            self.data.missing[data.name] = data.cluster.code
            return
        cluster = data.cluster if isinstance(data.cluster, dict) else {}
        arn = str(cluster.get("ARN") or data.name)
        origin = self.ref(arn, "memorydb", data.name)
        unknown = (
            failed_read(data.cluster, f"MemoryDB cluster {data.name}")
            if isinstance(data.cluster, Fault)
            else None
        )
        subnets: tuple[str, ...] | Unknown = ()
        if isinstance(data.subnet_group, Fault):
            subnets = failed_read(data.subnet_group, f"the subnet group of {data.name}")
        elif isinstance(data.subnet_group, dict):
            subnets = tuple(str(s["Identifier"]) for s in data.subnet_group.get("Subnets", []))
        parameters: dict[str, str | Unknown] | Unknown | None = None
        if isinstance(data.parameters, Fault):
            parameters = failed_read(data.parameters, f"the parameters of {data.name}")
        elif isinstance(data.parameters, dict):
            parameters = dict(data.parameters)
        # Keyed by name (what --memorydb-cluster-id takes), shown by ARN.
        self.model.add(
            MemoryDbCluster(
                data.name,
                arn,
                origin,
                name=data.name,
                tls_enabled=unknown if unknown else bool(cluster.get("TLSEnabled", False)),
                num_shards=unknown if unknown else int(cluster.get("NumberOfShards", 1)),
                replicas_per_shard=unknown if unknown else _replicas(cluster),
                subnets=unknown if unknown else subnets,
                subnet_group=cluster.get("SubnetGroupName"),
                security_groups=unknown
                if unknown
                else tuple(str(g["SecurityGroupId"]) for g in cluster.get("SecurityGroups", [])),
                parameters=unknown if unknown else parameters,
                parameter_group=cluster.get("ParameterGroupName"),
            )
        )


def _replicas(cluster: dict[str, Any]) -> int | Unknown:
    """Replicas per shard: the smallest shard's nodes minus its primary."""
    shards = cluster.get("Shards") or []
    nodes = [int(s.get("NumberOfNodes", len(s.get("Nodes", [])))) for s in shards]
    if not nodes:
        return Unknown("Shards", "DescribeClusters returned no shard details")
    return min(nodes) - 1


def build_model(data: Collected) -> tuple[CloudModel, list[ParseError]]:
    """The model of one account and region, and the collection errors."""
    return LiveBuilder(data).build()
