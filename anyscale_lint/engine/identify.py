"""Which resources of a model make up the Anyscale deployment, and how each was found.

Order (ARCHITECTURE.md): the config's explicit mapping; an `anyscale cloud register`
command in the inputs; then inference (a role trusting Anyscale's account, the EC2 role in
an instance profile, the bucket both roles are granted, names and tags saying `anyscale`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from anyscale_lint.engine.register_values import (
    bucket_matches,
    items,
    resource_matches,
    role_matches,
)
from anyscale_lint.iam.analysis import allowed_actions, covers_resource, principal_values
from anyscale_lint.iam.principals import principal_account
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    EfsFileSystem,
    EfsMountTarget,
    IamRole,
    Identification,
    InstanceProfile,
    MemoryDbCluster,
    NatGateway,
    PolicyDocument,
    Resource,
    S3Bucket,
    SecurityGroup,
    Subnet,
    Unknown,
    Vpc,
    is_known,
)

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class IdentifyOptions:
    """Inputs to identification and to the networking mode."""

    anyscale_account_id: str = "525325868955"
    network_mode: str | None = None
    network_mode_source: str = ""
    # Explicit mapping from the config: part -> resource address(es).
    mapping: dict[str, Any] = field(default_factory=dict)


def trusts_account(role: IamRole, account: str) -> bool:
    """Whether the role's trust policy allows a principal of this AWS account."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return False
    return any(
        statement.is_allow and principal_account(value) == account
        for statement in document.statements
        for value in principal_values(statement, "AWS")
    )


def trusts_service(role: IamRole, service: str) -> bool:
    """Whether the role's trust policy allows this AWS service (`ec2.amazonaws.com`)."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return False
    return any(
        statement.is_allow and service in principal_values(statement, "Service")
        for statement in document.statements
    )


def _mentions_anyscale(resource: Resource) -> bool:
    name = resource.name if isinstance(resource.name, str) else ""
    texts = [resource.address, name, *resource.tags.keys(), *resource.tags.values()]
    return any("anyscale" in text.lower() for text in texts)


def utility_subnets(model: CloudModel, subnets: Sequence[Subnet]) -> list[Subnet]:
    """Public utility subnets: those hosting a public NAT gateway or sharing its route table."""
    nat_subnets = {n.subnet for n in model.of_kind(NatGateway) if n.connectivity_type == "public"}
    # The NAT subnet's route table makes every subnet on it public, listed here or not.
    utility_tables = {
        s.route_table for s in model.of_kind(Subnet) if s.key in nat_subnets and s.route_table
    }
    return [
        s
        for s in subnets
        if s.key in nat_subnets or (s.route_table and s.route_table in utility_tables)
    ]


def service_groups(deployment: Deployment) -> set[str]:
    """Security groups the deployment's EFS mount targets and MemoryDB cluster carry."""
    used: set[str] = set()
    efs, memorydb = deployment.efs, deployment.memorydb
    if efs is not None:
        for target in deployment.model.of_kind(EfsMountTarget):
            if target.file_system == efs.key and isinstance(target.security_groups, tuple):
                used |= {str(g) for g in target.security_groups}
    if memorydb is not None and isinstance(memorydb.security_groups, tuple):
        used |= {str(g) for g in memorydb.security_groups}
    return used


class _Identifier:
    def __init__(self, model: CloudModel, options: IdentifyOptions) -> None:
        self.model = model
        self.options = options
        self.deployment = Deployment(key=model.root, model=model)
        self.notes = self.deployment.identifications

    def note(self, part: str, resource: Resource | None, method: str) -> None:
        self.notes.append(Identification(part, resource.address if resource else None, method))

    def pick(self, part: str, candidates: Sequence[R], method: str, tried: str) -> R | None:
        if len(candidates) >= 1:
            chosen = candidates[0]
            extra = (
                f" (first of {len(candidates)}: {', '.join(c.address for c in candidates)})"
                if len(candidates) > 1
                else ""
            )
            self.note(part, chosen, method + extra)
            return chosen
        self.note(part, None, f"not identified: {tried}")
        return None

    def by_flag(
        self, part: str, flag_names: Iterable[str], cls: type[R], matches: Callable[[R, str], bool]
    ) -> R | None:
        command = self.deployment.register_command
        if command is None:
            return None
        for flag in flag_names:
            value = command.flags.get(flag)
            if isinstance(value, str) and value:
                for resource in self.model.of_kind(cls):
                    if matches(resource, value):
                        self.note(
                            part,
                            resource,
                            f"named by --{flag} in the register command "
                            f"({command.output_name or 'input'})",
                        )
                        return resource
        return None

    def by_mapping(self, part: str, cls: type[R]) -> R | None:
        address = self.options.mapping.get(part.replace(" ", "_").replace("-", "_"))
        if isinstance(address, str):
            resource = self.model.get(address)
            if resource is None and cls is S3Bucket:
                resource = next(
                    (b for b in self.model.of_kind(S3Bucket) if bucket_matches(b, address)), None
                )
            if isinstance(resource, cls):
                self.note(part, resource, "mapped in the config file")
                return resource
            self.note(
                part,
                None,
                f"the config maps it to {address}, which is not a {cls.kind} in this root",
            )
        return None

    def run(self) -> Deployment:
        model, deployment = self.model, self.deployment
        commands = model.register_commands
        if commands:
            deployment.register_command = commands[0]
        roles = list(model.of_kind(IamRole))
        account = self.options.anyscale_account_id
        deployment.control_plane_role = (
            self.by_mapping("control-plane role", IamRole)
            or self.by_flag("control-plane role", ["anyscale-iam-role-id"], IamRole, role_matches)
            or self.pick(
                "control-plane role",
                sorted(
                    (r for r in roles if trusts_account(r, account)),
                    key=lambda r: (not _mentions_anyscale(r), r.key),
                ),
                f"its trust policy trusts Anyscale's account {account}",
                f"no role's trust policy names Anyscale's account {account}",
            )
        )
        profiles = list(model.of_kind(InstanceProfile))
        in_profile = {
            link for profile in profiles for link in profile.roles if isinstance(link, str)
        }
        ec2_roles = [
            r
            for r in roles
            if trusts_service(r, "ec2.amazonaws.com") and r is not deployment.control_plane_role
        ]
        deployment.instance_role = (
            self.by_mapping("instance role", IamRole)
            or self.by_flag("instance role", ["instance-iam-role-id"], IamRole, role_matches)
            or self.pick(
                "instance role",
                sorted(
                    ec2_roles,
                    key=lambda r: (r.key not in in_profile, not _mentions_anyscale(r), r.key),
                ),
                "its trust policy trusts ec2.amazonaws.com"
                + (
                    " and an instance profile holds it"
                    if ec2_roles and ec2_roles[0].key in in_profile
                    else ""
                ),
                "no role trusts ec2.amazonaws.com",
            )
        )
        # In policy files an EC2 trust document on its own is worth judging.
        if not (
            commands
            or self.options.mapping
            or deployment.control_plane_role
            or (not model.holds_network and deployment.instance_role)
        ):
            deployment.identified = False
            deployment.instance_role = None
            deployment.anyscale_named = tuple(
                r.address for r in model.of_kind(Resource) if _mentions_anyscale(r)
            )
            self.note(
                "deployment",
                None,
                "no Anyscale deployment identified: no register command, no config mapping, and "
                "no role trusting Anyscale's account",
            )
            return deployment
        if deployment.instance_role is not None:
            holding = [p for p in profiles if deployment.instance_role.key in p.roles]
            deployment.instance_profile = holding[0] if holding else None
        deployment.bucket = (
            self.by_mapping("bucket", S3Bucket)
            or self.by_flag(
                "bucket", ["cloud-storage-bucket-name", "s3-bucket-id"], S3Bucket, bucket_matches
            )
            or self._infer_bucket()
        )
        self._services()
        self._network()
        self._mode()
        region = (
            deployment.register_command.flags.get("region") if deployment.register_command else None
        )
        deployment.region = (
            region if isinstance(region, str) and is_known(region) and region else model.region
        )
        return deployment

    def _infer_bucket(self) -> S3Bucket | None:
        buckets = list(self.model.of_kind(S3Bucket))
        roles = [role for _, role in self.deployment.roles()]

        def granted(bucket: S3Bucket) -> bool:
            for role in roles:
                for attachment in role.policies:
                    document = attachment.document
                    if not isinstance(document, PolicyDocument):
                        continue
                    for statement in document.statements:
                        if not statement.is_allow or isinstance(
                            allowed_actions(statement), Unknown
                        ):
                            continue
                        for target in (str(bucket.arn), f"${{{bucket.key}.arn}}"):
                            if covers_resource(statement, target) is True and "*" not in (
                                statement.resources
                                if isinstance(statement.resources, tuple)
                                else ()
                            ):
                                return True
            policy = bucket.policy
            if isinstance(policy, PolicyDocument):
                for statement in policy.statements:
                    for value in principal_values(statement, "AWS"):
                        if any(value in (role.arn, f"${{{role.key}.arn}}") for role in roles):
                            return True
            return False

        ranked = sorted(buckets, key=lambda b: (not granted(b), not _mentions_anyscale(b), b.key))
        if ranked and (granted(ranked[0]) or _mentions_anyscale(ranked[0]) or len(ranked) == 1):
            how = (
                "the roles are granted access to it"
                if granted(ranked[0])
                else "its name or tags say anyscale"
                if _mentions_anyscale(ranked[0])
                else "the only bucket in this root"
            )
            return self.pick("bucket", ranked, how, "")
        self.note(
            "bucket",
            None,
            "not identified: no bucket is granted to the roles, named for anyscale, or alone in "
            "the root",
        )
        return None

    def _network(self) -> None:
        deployment, model = self.deployment, self.model
        command = deployment.register_command
        subnets_all = list(model.of_kind(Subnet))
        named: list[Subnet] = []
        if command is not None:
            for value in items(command.flags.get("subnet-ids", "")):
                named.extend(
                    s for s in subnets_all if resource_matches(s, value) and s not in named
                )
        if named:
            deployment.subnets = tuple(named)
            self.note(
                "subnets",
                None,
                "named by --subnet-ids in the register command: "
                f"{', '.join(s.address for s in named)}",
            )
        groups_all = list(model.of_kind(SecurityGroup))
        named_groups: list[SecurityGroup] = []
        if command is not None:
            for value in items(command.flags.get("security-group-ids", "")):
                named_groups.extend(
                    g for g in groups_all if resource_matches(g, value) and g not in named_groups
                )
        vpc = self.by_mapping("vpc", Vpc) or self.by_flag("vpc", ["vpc-id"], Vpc, resource_matches)
        if vpc is None:
            vpc_keys = {s.vpc for s in named if isinstance(s.vpc, str)} | {
                g.vpc for g in named_groups if isinstance(g.vpc, str)
            }
            vpcs = [v for v in model.of_kind(Vpc) if v.key in vpc_keys] or list(model.of_kind(Vpc))
            vpc = self.pick(
                "vpc",
                sorted(vpcs, key=lambda v: (not _mentions_anyscale(v), v.key)),
                "the VPC of the deployment's subnets and groups"
                if vpc_keys
                else "the VPC in this root",
                "no aws_vpc in this root",
            )
        deployment.vpc = vpc
        if not named:
            deployment.subnets = tuple(self._infer_subnets(subnets_all, vpc))
        if named_groups:
            deployment.security_groups = tuple(named_groups)
            self.note(
                "security groups", None, "named by --security-group-ids in the register command"
            )
        else:
            in_vpc = [g for g in groups_all if vpc is None or g.vpc == vpc.key]
            anyscale = [g for g in in_vpc if _mentions_anyscale(g)]
            chosen = anyscale or in_vpc
            deployment.security_groups = tuple(chosen)
            how = (
                "named or tagged for anyscale"
                if anyscale
                else "every security group in the deployment's VPC"
            )
            self.notes.append(
                Identification(
                    "security groups",
                    None,
                    how if chosen else "not identified: no security group in the VPC",
                )
            )

    def _services(self) -> None:
        """The optional EFS and MemoryDB: named by the register command, else the only one."""
        for part, flags, cls in (
            ("efs", ["file-storage-id", "efs-id"], EfsFileSystem),
            ("memorydb", ["memorydb-cluster-id"], MemoryDbCluster),
        ):
            found = self.by_flag(part, flags, cls, resource_matches)
            named = self._flag_value(flags)
            if found is None and named:
                self.note(part, None, f"not identified: {named} names no {cls.kind} in this root")
            elif found is None:
                candidates = sorted(
                    self.model.of_kind(cls), key=lambda r: (not _mentions_anyscale(r), r.key)
                )
                if candidates:
                    found = self.pick(part, candidates, f"the {cls.kind} in this root", "")
            setattr(self.deployment, part, found)

    def _flag_value(self, flags: list[str]) -> str | None:
        command = self.deployment.register_command
        values = [command.flags.get(flag) for flag in flags] if command else []
        return next((str(v) for v in values if v), None)

    def _service_subnets(self, in_vpc: list[Subnet]) -> list[Subnet]:
        """Subnets holding the deployment's EFS mount targets or its MemoryDB subnet group."""
        keys: set[str] = set()
        efs, memorydb = self.deployment.efs, self.deployment.memorydb
        if efs is not None:
            keys |= {
                str(t.subnet)
                for t in self.model.of_kind(EfsMountTarget)
                if t.file_system == efs.key
            }
        if memorydb is not None and isinstance(memorydb.subnets, tuple):
            keys |= {str(s) for s in memorydb.subnets}
        return [s for s in in_vpc if s.key in keys]

    def _infer_subnets(self, subnets: list[Subnet], vpc: Vpc | None) -> list[Subnet]:
        in_vpc = [s for s in subnets if vpc is None or s.vpc == vpc.key]
        serving = self._service_subnets(in_vpc)
        if serving:
            method = "inferred: the subnets of the EFS mount targets and the MemoryDB subnet group"
            self.notes.append(Identification("subnets", None, method))
            return serving
        utility = utility_subnets(self.model, in_vpc)
        nodes = [s for s in in_vpc if s not in utility]
        if utility:
            self.notes.append(
                Identification(
                    "subnets",
                    None,
                    "inferred: the VPC's subnets except public utility subnets that host NAT "
                    "gateways or share their route table "
                    f"({', '.join(s.address for s in utility)})",
                )
            )
        elif nodes:
            self.notes.append(
                Identification("subnets", None, "inferred: every subnet of the deployment's VPC")
            )
        else:
            self.notes.append(
                Identification(
                    "subnets", None, "not identified: no subnets in the deployment's VPC"
                )
            )
        return nodes

    def _mode(self) -> None:
        deployment, options = self.deployment, self.options
        if options.network_mode:
            deployment.network_mode = "public" if options.network_mode == "public" else "private"
            deployment.network_mode_source = options.network_mode_source
        elif deployment.register_command is not None:
            private = "private-network" in deployment.register_command.flags
            deployment.network_mode = "private" if private else "public"
            where = deployment.register_command.output_name or "the register command"
            deployment.network_mode_source = (
                f"register command ({where}) {'has' if private else 'lacks'} --private-network"
            )
        else:
            deployment.network_mode_source = "default (private)"


def identify(model: CloudModel, options: IdentifyOptions) -> list[Deployment]:
    """The deployments in a model (one per root today; the list leaves room for more)."""
    return [_Identifier(model, options).run()]
