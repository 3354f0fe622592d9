"""Read what the rules need from one account and region, batched, on a bounded thread pool.

One describe per kind for the whole VPC (subnets, route tables, gateways, endpoints,
groups), one DescribeNetworkInterfaces for every EFS mount target; per-resource calls only
where AWS has no batch form (IAM policies, S3 bucket settings). Discovery fills the parts
the flags do not name: by tag (`--tag anyscale-cloud-id=cld_...`) or, given only a VPC, from
the resources in it and those named or trusted for Anyscale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID
from anyscale_lint.sources.aws_live.collected import (
    BucketData,
    Collected,
    EfsData,
    MemoryDbData,
    RoleData,
)
from anyscale_lint.sources.aws_live.faults import Fault
from anyscale_lint.sources.aws_live.session import Caller
from anyscale_lint.sources.live.progress import Progress, Silent, run_phases

_ROLE_FLAGS = ("anyscale-iam-role-id", "instance-iam-role-id")


@dataclass(frozen=True)
class Targets:
    """What to audit: the register flags given (documented spelling) and a discovery tag."""

    flags: dict[str, str]
    tag: tuple[str, str] | None = None
    anyscale_account_id: str = ANYSCALE_ACCOUNT_ID

    def ids(self, flag: str) -> list[str]:
        """The comma-separated values of a flag."""
        return [v.strip() for v in self.flags.get(flag, "").split(",") if v.strip()]

    @property
    def discovers(self) -> bool:
        """Whether parts the flags do not name are looked for (by tag, or from the VPC)."""
        named = set(self.flags) - {"vpc-id", "region", "name", "provider", "private-network"}
        return self.tag is not None or not named


def role_name(value: str) -> str:
    """The role name of an ARN (`arn:aws:iam::1:role/path/x` -> `x`) or a bare name."""
    return value.rsplit("/", 1)[-1] if ":role/" in value else value


def bucket_name(value: str) -> str:
    """The bucket of `s3://b`, `arn:aws:s3:::b` or `b`."""
    return value.removeprefix("s3://").removeprefix("arn:aws:s3:::").split("/", 1)[0]


def _ok(data: Any) -> bool:
    return not isinstance(data, Fault)


class Collector:
    """One audit of one account and region."""

    def __init__(
        self,
        caller: Caller,
        data: Collected,
        targets: Targets,
        workers: int,
        progress: Progress | None = None,
    ) -> None:
        self.caller = caller
        self.data = data
        self.targets = targets
        self.workers = workers
        self.progress = progress or Silent()

    # ---- entry ---------------------------------------------------------------------------

    def run(self) -> Collected:
        """Discover, then read every part in parallel."""
        vpc_id = self._vpc_id()
        roles = [role_name(v) for flag in _ROLE_FLAGS for v in self.targets.ids(flag)]
        buckets = [bucket_name(v) for v in self.targets.ids("cloud-storage-bucket-name")]
        file_systems = self.targets.ids("file-storage-id")
        clusters = self.targets.ids("memorydb-cluster-id")
        if self.targets.discovers:
            roles = roles or self._discover_roles()
            buckets = buckets or self._discover_buckets()
            file_systems = file_systems or self._discover_file_systems()
            clusters = clusters or self._discover_clusters(vpc_id)
        phases: dict[str, list[Callable[[], None]]] = {
            "network": self._network(vpc_id) if vpc_id else [],
            "IAM roles and policies": [partial(self._role, n) for n in dict.fromkeys(roles)],
            "S3": [partial(self._bucket, name) for name in dict.fromkeys(buckets)],
            "EFS": [partial(self._efs, fs) for fs in dict.fromkeys(file_systems)],
            "MemoryDB": [partial(self._memorydb, name) for name in dict.fromkeys(clusters)],
        }
        run_phases(phases, self.data.region, self.workers, self.progress)
        if self.targets.tag is not None:
            self._name_tagged(vpc_id)
        self.data.faults = list(self.caller.faults)
        self.data.calls = self.caller.calls
        return self.data

    def _call(self, service: str, operation: str, subject: str, **params: Any) -> Any:
        return self.caller.call(service, operation, subject, **params)

    # ---- network -------------------------------------------------------------------------

    def _vpc_id(self) -> str | None:
        """The VPC given, else the one of the subnets given, else the one carrying the tag."""
        given = self.targets.flags.get("vpc-id")
        if given:
            return given
        subnets = self.targets.ids("subnet-ids")
        if subnets:
            found = self._call("ec2", "DescribeSubnets", subnets[0], SubnetIds=subnets[:1])
            if _ok(found) and found["Subnets"]:
                return str(found["Subnets"][0]["VpcId"])
        if self.targets.tag:
            key, value = self.targets.tag
            found = self._call(
                "ec2",
                "DescribeVpcs",
                f"VPCs tagged {key}={value}",
                Filters=[{"Name": f"tag:{key}", "Values": [value]}],
            )
            if _ok(found) and found["Vpcs"]:
                return str(found["Vpcs"][0]["VpcId"])
        return None

    def _network(self, vpc_id: str) -> list[Callable[[], None]]:
        in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
        data = self.data

        def store(
            service: str, operation: str, attribute: str, key: str, **params: Any
        ) -> Callable[[], None]:
            def job() -> None:
                found = self._call(service, operation, vpc_id, **params)
                setattr(data, attribute, found[key] if _ok(found) else found)

            return job

        def attribute(name: str) -> Callable[[], None]:
            def job() -> None:
                found = self._call(
                    "ec2", "DescribeVpcAttribute", vpc_id, VpcId=vpc_id, Attribute=name
                )
                key = name[0].upper() + name[1:]
                value = found[key]["Value"] if _ok(found) else found
                data.vpc_attributes.setdefault(vpc_id, {})[name] = value

            return job

        jobs = [
            store("ec2", "DescribeVpcs", "vpcs", "Vpcs", VpcIds=[vpc_id]),
            attribute("enableDnsSupport"),
            attribute("enableDnsHostnames"),
            store("ec2", "DescribeSubnets", "subnets", "Subnets", Filters=in_vpc),
            store("ec2", "DescribeRouteTables", "route_tables", "RouteTables", Filters=in_vpc),
            store("ec2", "DescribeNatGateways", "nat_gateways", "NatGateways", Filter=in_vpc),
            store(
                "ec2",
                "DescribeInternetGateways",
                "internet_gateways",
                "InternetGateways",
                Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}],
            ),
            store("ec2", "DescribeVpcEndpoints", "vpc_endpoints", "VpcEndpoints", Filters=in_vpc),
            store(
                "ec2", "DescribeSecurityGroups", "security_groups", "SecurityGroups", Filters=in_vpc
            ),
        ]
        return jobs

    def _name_tagged(self, vpc_id: str | None) -> None:
        """Resources carrying the tag are the deployment's: the register command names them."""
        assert self.targets.tag is not None
        key, value = self.targets.tag
        flags = self.data.flags
        if vpc_id:
            flags.setdefault("vpc-id", vpc_id)
        for flag, items, id_key in (
            ("subnet-ids", self.data.subnets, "SubnetId"),
            ("security-group-ids", self.data.security_groups, "GroupId"),
        ):
            tagged = [i[id_key] for i in items if _tags(i.get("Tags")).get(key) == value]
            if _ok(items) and tagged:
                flags.setdefault(flag, ",".join(tagged))
        account = self.targets.anyscale_account_id
        for role in self.data.roles:
            if not isinstance(role.role, dict):
                continue
            trust = str(role.role.get("AssumeRolePolicyDocument", ""))
            flag = _ROLE_FLAGS[0] if account in trust else _ROLE_FLAGS[1]
            flags.setdefault(flag, str(role.role["Arn"]))
        for flag, names in (
            ("cloud-storage-bucket-name", [b.name for b in self.data.buckets]),
            ("file-storage-id", [f.file_system_id for f in self.data.file_systems]),
            ("memorydb-cluster-id", [m.name for m in self.data.memorydb]),
        ):
            if len(names) == 1:
                flags.setdefault(flag, names[0])

    # ---- IAM -----------------------------------------------------------------------------

    def _discover_roles(self) -> list[str]:
        """Roles trusting Anyscale's account or EC2; by tag, or named for anyscale."""
        roles = self.caller.pages("iam", "ListRoles", "Roles", "IAM roles")
        if not _ok(roles):
            return []
        account = self.targets.anyscale_account_id
        candidates = []
        for role in roles:
            trust = str(role.get("AssumeRolePolicyDocument", ""))
            if account in trust or "ec2.amazonaws.com" in trust:
                candidates.append(role)
        if self.targets.tag is None:
            return [
                r["RoleName"]
                for r in candidates
                if account in str(r.get("AssumeRolePolicyDocument", ""))
                or "anyscale" in r["RoleName"].lower()
            ]
        key, value = self.targets.tag
        chosen = []
        for role in candidates:
            tags = self._call("iam", "ListRoleTags", role["Arn"], RoleName=role["RoleName"])
            if _ok(tags) and _tags(tags["Tags"]).get(key) == value:
                chosen.append(role["RoleName"])
        return chosen

    def _role(self, name: str) -> None:
        role = self._call("iam", "GetRole", name, RoleName=name)
        data = RoleData(name, role["Role"] if _ok(role) else role)
        self.data.roles.append(data)
        if not _ok(role):
            return
        subject = str(role["Role"]["Arn"])
        names = self.caller.pages("iam", "ListRolePolicies", "PolicyNames", subject, RoleName=name)
        if _ok(names):
            data.inline = []
            for policy in names:
                got = self._call("iam", "GetRolePolicy", subject, RoleName=name, PolicyName=policy)
                data.inline.append((policy, got["PolicyDocument"] if _ok(got) else got))
        else:
            data.inline = names
        attached = self.caller.pages(
            "iam", "ListAttachedRolePolicies", "AttachedPolicies", subject, RoleName=name
        )
        if _ok(attached):
            data.attached = [
                (p["PolicyArn"], p["PolicyName"], self._policy_version(p["PolicyArn"]))
                for p in attached
            ]
        else:
            data.attached = attached
        profiles = self.caller.pages(
            "iam", "ListInstanceProfilesForRole", "InstanceProfiles", subject, RoleName=name
        )
        data.profiles = profiles

    def _policy_version(self, arn: str) -> Any:
        policy = self._call("iam", "GetPolicy", arn, PolicyArn=arn)
        if not _ok(policy):
            return policy
        version = self._call(
            "iam",
            "GetPolicyVersion",
            arn,
            PolicyArn=arn,
            VersionId=policy["Policy"]["DefaultVersionId"],
        )
        return version["PolicyVersion"]["Document"] if _ok(version) else version

    # ---- S3 ------------------------------------------------------------------------------

    def _discover_buckets(self) -> list[str]:
        listed = self._call("s3", "ListBuckets", "S3 buckets")
        if not _ok(listed):
            return []
        names = [b["Name"] for b in listed["Buckets"]]
        if self.targets.tag is None:
            return [n for n in names if "anyscale" in n.lower()]
        key, value = self.targets.tag
        chosen = []
        for name in names:
            tags = self._call("s3", "GetBucketTagging", name, Bucket=name)
            if _ok(tags) and _tags(tags["TagSet"]).get(key) == value:
                chosen.append(name)
        return chosen

    def _bucket(self, name: str) -> None:
        data = BucketData(name)
        self.data.buckets.append(data)
        subject = f"arn:aws:s3:::{name}"
        location = self._call("s3", "GetBucketLocation", subject, Bucket=name)
        if not _ok(location):
            data.location = location
            return
        data.location = location.get("LocationConstraint") or "us-east-1"
        policy = self._call("s3", "GetBucketPolicy", subject, Bucket=name)
        data.policy = policy["Policy"] if _ok(policy) else policy
        cors = self._call("s3", "GetBucketCors", subject, Bucket=name)
        data.cors = cors["CORSRules"] if _ok(cors) else cors
        block = self._call("s3", "GetPublicAccessBlock", subject, Bucket=name)
        data.public_access_block = block["PublicAccessBlockConfiguration"] if _ok(block) else block
        tags = self._call("s3", "GetBucketTagging", subject, Bucket=name)
        data.tags = tags["TagSet"] if _ok(tags) else tags

    # ---- EFS -----------------------------------------------------------------------------

    def _discover_file_systems(self) -> list[str]:
        listed = self.caller.pages("efs", "DescribeFileSystems", "FileSystems", "EFS file systems")
        if not _ok(listed):
            return []
        return [fs["FileSystemId"] for fs in listed if self._wanted(fs.get("Tags"), fs.get("Name"))]

    def _efs(self, file_system_id: str) -> None:
        data = EfsData(file_system_id)
        self.data.file_systems.append(data)
        found = self._call(
            "efs", "DescribeFileSystems", file_system_id, FileSystemId=file_system_id
        )
        data.file_system = found["FileSystems"][0] if _ok(found) else found
        if not _ok(found):
            return
        subject = str(data.file_system.get("FileSystemArn", file_system_id))
        targets = self._call("efs", "DescribeMountTargets", subject, FileSystemId=file_system_id)
        data.mount_targets = targets["MountTargets"] if _ok(targets) else targets
        backup = self._call("efs", "DescribeBackupPolicy", subject, FileSystemId=file_system_id)
        data.backup_policy = backup["BackupPolicy"]["Status"] if _ok(backup) else backup
        policy = self._call("efs", "DescribeFileSystemPolicy", subject, FileSystemId=file_system_id)
        data.policy = policy["Policy"] if _ok(policy) else policy
        if _ok(targets):
            self._mount_target_groups(data, targets["MountTargets"])

    def _mount_target_groups(self, data: EfsData, targets: list[dict[str, Any]]) -> None:
        """One DescribeNetworkInterfaces for every mount target's ENI (their groups)."""
        enis = {
            t["NetworkInterfaceId"]: t["MountTargetId"]
            for t in targets
            if t.get("NetworkInterfaceId")
        }
        if not enis:
            return
        found = self._call(
            "ec2",
            "DescribeNetworkInterfaces",
            data.file_system_id,
            NetworkInterfaceIds=list(enis),
        )
        for eni, target in enis.items():
            if not _ok(found):
                data.mount_target_groups[target] = found
                continue
            match = next(
                (n for n in found["NetworkInterfaces"] if n["NetworkInterfaceId"] == eni), None
            )
            data.mount_target_groups[target] = [
                g["GroupId"] for g in (match or {}).get("Groups", [])
            ]

    # ---- MemoryDB ------------------------------------------------------------------------

    def _discover_clusters(self, vpc_id: str | None) -> list[str]:
        listed = self._call("memorydb", "DescribeClusters", "MemoryDB clusters")
        if not _ok(listed):
            return []
        chosen = []
        for cluster in listed.get("Clusters", []):
            tags: Any = None
            if self.targets.tag is not None:
                found = self._call(
                    "memorydb", "ListTags", cluster["ARN"], ResourceArn=cluster["ARN"]
                )
                tags = found.get("TagList") if _ok(found) else None
            if self._wanted(tags, cluster["Name"]):
                chosen.append(str(cluster["Name"]))
        return chosen

    def _memorydb(self, name: str) -> None:
        data = MemoryDbData(name)
        self.data.memorydb.append(data)
        found = self._call(
            "memorydb", "DescribeClusters", name, ClusterName=name, ShowShardDetails=True
        )
        data.cluster = found["Clusters"][0] if _ok(found) and found["Clusters"] else found
        if not _ok(found):
            return
        subject = str(data.cluster.get("ARN", name))
        group = data.cluster.get("SubnetGroupName")
        if group:
            groups = self._call("memorydb", "DescribeSubnetGroups", subject, SubnetGroupName=group)
            data.subnet_group = groups["SubnetGroups"][0] if _ok(groups) else groups
        parameter_group = str(data.cluster.get("ParameterGroupName") or "")
        if parameter_group and not parameter_group.startswith("default."):
            parameters = self._call(
                "memorydb", "DescribeParameters", subject, ParameterGroupName=parameter_group
            )
            data.parameters = (
                {p["Name"]: p["Value"] for p in parameters["Parameters"]}
                if _ok(parameters)
                else parameters
            )

    # ---- discovery helpers ---------------------------------------------------------------

    def _wanted(self, tags: Any, name: Any) -> bool:
        """Carries the discovery tag, or (without one) is named for anyscale."""
        if self.targets.tag is not None:
            key, value = self.targets.tag
            return _tags(tags).get(key) == value
        return "anyscale" in str(name or "").lower() or any(
            "anyscale" in f"{k}={v}".lower() for k, v in _tags(tags).items()
        )


def _tags(items: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    """AWS tag lists (`[{"Key": k, "Value": v}]`) as a dict."""
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items or ()}
