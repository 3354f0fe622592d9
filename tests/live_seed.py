"""Seed moto's server with the AWS examples (examples/aws-ready, examples/aws-insecure/prod)
through boto3, as `terraform apply` would have created them; helpers for the live tests."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import REPO

REGION = "us-west-2"
ACCOUNT = "123456789012"
ANYSCALE = "arn:aws:iam::525325868955:root"


@dataclass
class Seeded:
    """The IDs of one seeded deployment, by the Terraform address they stand for."""

    flags: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def clients(endpoint: str, session: Any = None) -> dict[str, Any]:
    """Plain (writable) boto3 clients on the moto server, for seeding (default account)."""
    import boto3

    session = session or boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return {
        name: session.client(name, endpoint_url=endpoint)
        for name in ("ec2", "iam", "s3", "efs", "memorydb", "sts")
    }


def account_session(endpoint: str, account: str) -> Any:
    """A boto3 session in another account: moto maps assumed-role keys to the role's account."""
    import boto3

    sts = clients(endpoint)["sts"]
    found = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seed")
    keys = found["Credentials"]
    return boto3.Session(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
        region_name=REGION,
    )


def _actions(path: str, sid: str) -> list[str]:
    """The actions of one statement (by Sid) of an example's Terraform policy."""
    text = (REPO / path).read_text(encoding="utf-8")
    start = re.search(rf'[Ss]id\s*=\s*"{sid}"', text)
    assert start, (path, sid)
    rest = text[start.end() :]
    end = re.search(r'[Ss]id\s*=\s*"', rest)
    chunk = rest[: end.start()] if end else rest
    return re.findall(r'"([a-z0-9-]+:[A-Za-z*]+)"', chunk)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _network(ec2: Any, name: str, ids: dict[str, str], prefix: str) -> str:
    vpc = ec2.create_vpc(CidrBlock="172.24.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": f"{name}-vpc"}])
    for attribute in ("EnableDnsSupport", "EnableDnsHostnames"):
        ec2.modify_vpc_attribute(VpcId=vpc, **{attribute: {"Value": True}})
    ids[f"{prefix}aws_vpc.main"] = vpc
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["igw"] = igw
    return vpc


def _subnet(ec2: Any, vpc: str, cidr: str, zone: str, public: bool) -> str:
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]
    if public:
        ec2.modify_subnet_attribute(
            SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True}
        )
    return str(subnet["SubnetId"])


def _route_table(ec2: Any, vpc: str, subnets: list[str], **route: str) -> str:
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    if route:
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", **route)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    return str(table)


def seed_insecure_prod(endpoint: str) -> Seeded:
    """examples/aws-insecure/prod, applied."""
    c = clients(endpoint)
    ec2, iam = c["ec2"], c["iam"]
    name = "northwind-prod-usw2"
    seeded = Seeded()
    ids = seeded.ids
    vpc = _network(ec2, name, ids, "module.network.")
    public_a = _subnet(ec2, vpc, "172.24.101.0/24", "us-west-2a", True)
    public_b = _subnet(ec2, vpc, "172.24.102.0/24", "us-west-2b", True)
    public = _route_table(ec2, vpc, [public_a, public_b], GatewayId=ids["igw"])
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public_a, AllocationId=allocation)["NatGateway"]
    private = {
        "private_a": _subnet(ec2, vpc, "172.24.20.0/24", "us-west-2a", True),
        "private_b": _subnet(ec2, vpc, "172.24.21.0/24", "us-west-2b", False),
        "private_c": _subnet(ec2, vpc, "172.24.22.0/24", "us-west-2c", False),
    }
    for key, value in private.items():
        ids[f"module.network.aws_subnet.{key}"] = value
    _route_table(ec2, vpc, [private["private_a"]], NatGatewayId=nat["NatGatewayId"])
    ec2.associate_route_table(RouteTableId=public, SubnetId=private["private_b"])
    _route_table(ec2, vpc, [private["private_c"]])
    group = ec2.create_security_group(
        GroupName=f"{name}-anyscale", Description="Anyscale cluster nodes", VpcId=vpc
    )["GroupId"]
    ids["module.network.aws_security_group.anyscale"] = group
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "-1",
                "IpRanges": [{"CidrIp": "172.24.0.0/16", "Description": "Cluster traffic"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "Anyscale UI"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
        ],
    )
    # IAM
    trust = _doc(
        {
            "Sid": "AnyscaleControlPlaneAssumeRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": ANYSCALE},
            "Condition": {"StringEquals": {"sts:ExternalId": "northwind-prod-anyscale"}},
        },
        {
            "Sid": "SecurityAuditAccess",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        },
    )
    control = iam.create_role(
        RoleName=f"{name}-anyscale-control-plane", AssumeRolePolicyDocument=trust
    )["Role"]["Arn"]
    node_name = f"{name}-anyscale-node"
    node = iam.create_role(
        RoleName=node_name,
        AssumeRolePolicyDocument=_doc(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ),
    )["Role"]["Arn"]
    ids["module.iam.aws_iam_role.control_plane"] = control
    ids["module.iam.aws_iam_role.instance"] = node
    profile = iam.create_instance_profile(InstanceProfileName=node_name)["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=node_name, RoleName=node_name)
    path = "examples/aws-insecure/prod/modules/iam/control_plane.tf"
    iam.put_role_policy(
        RoleName=f"{name}-anyscale-control-plane",
        PolicyName="Anyscale_IAM_Policy_Steady_State",
        PolicyDocument=_doc(
            {
                "Sid": "PassNodeRole",
                "Effect": "Allow",
                "Action": ["iam:PassRole", "iam:GetInstanceProfile"],
                "Resource": [node, profile["Arn"]],
            },
            {
                "Sid": "InstanceManagement",
                "Effect": "Allow",
                "Action": _actions(path, "InstanceManagement"),
                "Resource": "*",
            },
        ),
    )
    iam.put_role_policy(
        RoleName=node_name,
        PolicyName="node-s3",
        PolicyDocument=_doc(
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": "*",
            }
        ),
    )
    # S3
    bucket = "northwind-anyscale-prod"
    ids["module.storage.aws_s3_bucket.anyscale"] = f"arn:aws:s3:::{bucket}"
    s3 = c["s3"]
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration=dict.fromkeys(
            ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"),
            True,
        ),
    )
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["https://*.anyscale.com"],
                    "AllowedHeaders": ["*"],
                    "AllowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
                },
                {
                    "AllowedOrigins": ["*"],
                    "AllowedHeaders": ["*"],
                    "AllowedMethods": ["GET", "HEAD"],
                },
            ]
        },
    )
    arns = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=_doc(
            {
                "Sid": "AllowSSLRequestsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": arns,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "AnyscaleAccess",
                "Effect": "Allow",
                "Principal": {"AWS": control},
                "Action": "s3:*",
                "Resource": arns,
            },
        ),
    )
    # EFS
    efs = c["efs"]
    fs = efs.create_file_system(
        CreationToken=f"{name}-shared-storage",
        PerformanceMode="generalPurpose",
        ThroughputMode="elastic",
        Encrypted=False,
        Backup=False,
        Tags=[{"Key": "Name", "Value": f"{name}-shared-storage"}],
    )
    fs_id = fs["FileSystemId"]
    ids["aws_efs_file_system.anyscale"] = fs_id
    ids["aws_efs_mount_target.a"] = efs.create_mount_target(
        FileSystemId=fs_id, SubnetId=private["private_a"], SecurityGroups=[group]
    )["MountTargetId"]
    ids["aws_efs_mount_target.b"] = efs.create_mount_target(
        FileSystemId=fs_id, SubnetId=private["private_b"]
    )["MountTargetId"]
    efs.put_file_system_policy(
        FileSystemId=fs_id,
        Policy=_doc(
            {
                "Sid": "MountAndWriteWithoutRoot",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Resource": fs["FileSystemArn"],
                "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
            }
        ),
    )
    # MemoryDB
    memorydb = c["memorydb"]
    memorydb.create_subnet_group(
        SubnetGroupName=f"{name}-memorydb",
        SubnetIds=[*private.values(), public_a, public_b],
    )
    cluster = memorydb.create_cluster(
        ClusterName=f"{name}-gcs",
        NodeType="db.t4g.small",
        ACLName="open-access",
        EngineVersion="7.1",
        NumShards=1,
        NumReplicasPerShard=0,
        TLSEnabled=False,
        SubnetGroupName=f"{name}-memorydb",
        ParameterGroupName=f"{name}-redis7",
        SecurityGroupIds=[group],
    )["Cluster"]
    # moto reads NumReplicasPerShard=0 as 1 at creation; an update sets it as written.
    memorydb.update_cluster(ClusterName=f"{name}-gcs", ReplicaConfiguration={"ReplicaCount": 0})
    ids["aws_memorydb_cluster.anyscale"] = cluster["ARN"]
    seeded.flags = {
        "vpc-id": vpc,
        "subnet-ids": ",".join(private.values()),
        "security-group-ids": group,
        "cloud-storage-bucket-name": bucket,
        "anyscale-iam-role-id": control,
        "instance-iam-role-id": node,
        "file-storage-id": fs_id,
        "memorydb-cluster-id": f"{name}-gcs",
    }
    return seeded


READY_TAG = {"Key": "anyscale-cloud-id", "Value": "cld_ready123"}


def seed_ready(
    endpoint: str,
    session: Any = None,
    account: str = ACCOUNT,
    bucket: str = "northwind-anyscale-prod-usw2",
) -> Seeded:
    """examples/aws-ready, applied (every resource also tagged anyscale-cloud-id); bucket
    names are global, so another account's copy needs another one."""
    c = clients(endpoint, session)
    ec2, iam, s3, efs, memorydb = c["ec2"], c["iam"], c["s3"], c["efs"], c["memorydb"]
    prefix = "anyscale-northwind-prod-usw2"
    seeded = Seeded()
    ids = seeded.ids
    vpc = _network(ec2, prefix, ids, "module.network.")
    zones = ("us-west-2a", "us-west-2b", "us-west-2c")
    public = [_subnet(ec2, vpc, f"172.24.{101 + i}.0/24", z, True) for i, z in enumerate(zones)]
    private = [_subnet(ec2, vpc, f"172.24.{20 + i}.0/24", z, False) for i, z in enumerate(zones)]
    ec2.create_tags(Resources=[vpc, *private], Tags=[READY_TAG])
    tables = [_route_table(ec2, vpc, public, GatewayId=ids["igw"])]
    for public_subnet, private_subnet in zip(public, private, strict=True):
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=public_subnet, AllocationId=allocation)
        tables.append(
            _route_table(ec2, vpc, [private_subnet], NatGatewayId=nat["NatGateway"]["NatGatewayId"])
        )
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[*tables[1:], tables[0]],
    )
    group = ec2.create_security_group(
        GroupName=f"{prefix}-sg-1", Description="Anyscale Security Group", VpcId=vpc
    )["GroupId"]
    ec2.create_tags(Resources=[group], Tags=[READY_TAG, {"Key": "Name", "Value": f"{prefix}-sg"}])
    self_pair = [{"GroupId": group}]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "-1", "UserIdGroupPairs": self_pair},
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.20.0.0/16"}],
            },
        ],
    )
    ec2.authorize_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": self_pair}]
    )
    # IAM
    external_id = "org_7c1kalm9wcx2bnij53gut4qp-9f3e6a21d4"
    control_name, node_name = f"{prefix}-control-plane", f"{prefix}-cluster-node"
    control = iam.create_role(
        RoleName=control_name,
        Tags=[READY_TAG],
        AssumeRolePolicyDocument=_doc(
            {
                "Sid": "AnyscaleControlPlaneAssumeRole",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"AWS": ANYSCALE},
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ),
    )["Role"]["Arn"]
    node = iam.create_role(
        RoleName=node_name,
        Tags=[READY_TAG],
        AssumeRolePolicyDocument=_doc(
            {
                "Sid": "EC2AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ),
    )["Role"]["Arn"]
    profile = iam.create_instance_profile(InstanceProfileName=node_name)["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=node_name, RoleName=node_name)
    iam.attach_role_policy(
        RoleName=node_name, PolicyArn="arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
    )
    path = "examples/aws-ready/modules/iam/control_plane.tf"
    iam.put_role_policy(
        RoleName=control_name,
        PolicyName="Anyscale_IAM_Policy_Steady_State",
        PolicyDocument=_doc(
            {
                "Sid": "PassNodeRole",
                "Effect": "Allow",
                "Action": ["iam:PassRole", "iam:GetInstanceProfile"],
                "Resource": [node, profile["Arn"]],
            },
            {
                "Sid": "SpotServiceLinkedRole",
                "Effect": "Allow",
                "Action": ["iam:CreateServiceLinkedRole"],
                "Resource": f"arn:aws:iam::{account}:role/aws-service-role/spot.amazonaws.com/"
                "AWSServiceRoleForEC2Spot",
                "Condition": {"StringLike": {"iam:AWSServiceName": ["spot.amazonaws.com"]}},
            },
            {
                "Sid": "InstanceManagement",
                "Effect": "Allow",
                "Action": _actions(path, "InstanceManagement"),
                "Resource": "*",
            },
        ),
    )
    balancers = [
        f"arn:aws:elasticloadbalancing:*:{account}:{kind}"
        for kind in (
            "loadbalancer/app/Anyscale*",
            "listener/app/Anyscale*",
            "listener-rule/app/Anyscale*",
            "targetgroup/AnyscaleTarget*",
        )
    ]
    iam.put_role_policy(
        RoleName=control_name,
        PolicyName="Anyscale_IAM_Policy_Service_Steady_State",
        PolicyDocument=_doc(
            {
                "Sid": "CloudFormationStacks",
                "Effect": "Allow",
                "Action": _actions(path, "CloudFormationStacks"),
                "Resource": f"arn:aws:cloudformation:*:{account}:stack/*",
            },
            {
                "Sid": "DescribeNetworkAndLoadBalancers",
                "Effect": "Allow",
                "Action": _actions(path, "DescribeNetworkAndLoadBalancers"),
                "Resource": "*",
            },
            {
                "Sid": "ManageAnyscaleLoadBalancers",
                "Effect": "Allow",
                "Action": [
                    a
                    for a in _actions(path, "ManageAnyscaleLoadBalancers")
                    if a.startswith("elasticloadbalancing:")
                ],
                "Resource": balancers,
            },
            {
                "Sid": "ServiceCertificates",
                "Effect": "Allow",
                "Action": _actions(path, "ServiceCertificates"),
                "Resource": f"arn:aws:acm:*:{account}:certificate/*",
            },
            {
                "Sid": "LoadBalancerServiceLinkedRole",
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": f"arn:aws:iam::{account}:role/aws-service-role/"
                "elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
                "Condition": {
                    "StringLike": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
                },
            },
        ),
    )
    arns = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    access = iam.create_policy(
        PolicyName=f"{prefix}-s3-access",
        PolicyDocument=_doc(
            {
                "Sid": "S3BucketAccess",
                "Effect": "Allow",
                "Action": S3_ACTIONS,
                "Resource": arns,
            }
        ),
    )["Policy"]["Arn"]
    for role in (control_name, node_name):
        iam.attach_role_policy(RoleName=role, PolicyArn=access)
    ids["module.iam.aws_iam_role.control_plane"] = control
    ids["module.iam.aws_iam_role.instance"] = node
    # S3
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [READY_TAG]})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration=dict.fromkeys(
            ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"),
            True,
        ),
    )
    s3.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "ID": "AnyscaleCORSRule",
                    "AllowedOrigins": ["https://*.anyscale.com"],
                    "AllowedHeaders": ["*"],
                    "AllowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
                    "ExposeHeaders": ["Accept-Ranges", "Content-Range", "Content-Length"],
                    "MaxAgeSeconds": 3600,
                }
            ]
        },
    )
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=_doc(
            {
                "Sid": "AllowSSLRequestsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": arns,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "AllowAnyscaleResources",
                "Effect": "Allow",
                "Principal": {"AWS": [control, node]},
                "Action": S3_ACTIONS,
                "Resource": arns,
            },
        ),
    )
    ids["module.storage.aws_s3_bucket.anyscale"] = arns[0]
    # EFS and MemoryDB
    fs = efs.create_file_system(
        CreationToken=f"{prefix}-efs",
        PerformanceMode="generalPurpose",
        ThroughputMode="elastic",
        Encrypted=True,
        Backup=True,
        Tags=[{"Key": "Name", "Value": f"{prefix}-efs"}, READY_TAG],
    )
    for subnet in private:
        efs.create_mount_target(
            FileSystemId=fs["FileSystemId"], SubnetId=subnet, SecurityGroups=[group]
        )
    efs.put_file_system_policy(
        FileSystemId=fs["FileSystemId"],
        Policy=_doc(
            {
                "Sid": "AnyscaleNodes",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": [
                    "elasticfilesystem:ClientRootAccess",
                    "elasticfilesystem:ClientWrite",
                    "elasticfilesystem:ClientMount",
                ],
                "Resource": fs["FileSystemArn"],
                "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
            },
            {
                "Sid": "EnforceInTransitEncryption",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "*",
                "Resource": fs["FileSystemArn"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ),
    )
    memorydb.create_subnet_group(SubnetGroupName=f"{prefix}-memorydb", SubnetIds=private)
    cluster = memorydb.create_cluster(
        ClusterName=f"{prefix}-gcs",
        NodeType="db.t4g.small",
        ACLName="open-access",
        EngineVersion="7.1",
        NumShards=1,
        NumReplicasPerShard=2,
        TLSEnabled=True,
        SubnetGroupName=f"{prefix}-memorydb",
        ParameterGroupName=f"{prefix}-redis7",
        SecurityGroupIds=[group],
        Tags=[READY_TAG],
    )["Cluster"]
    ids["aws_memorydb_cluster.anyscale"] = cluster["ARN"]
    seeded.flags = {
        "name": "northwind-prod-usw2",
        "vpc-id": vpc,
        "subnet-ids": ",".join(private),
        "security-group-ids": group,
        "cloud-storage-bucket-name": bucket,
        "anyscale-iam-role-id": control,
        "instance-iam-role-id": node,
        "file-storage-id": fs["FileSystemId"],
        "memorydb-cluster-id": f"{prefix}-gcs",
    }
    return seeded


S3_ACTIONS = [
    "s3:PutObject",
    "s3:GetObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
]


if __name__ == "__main__":
    # Seed a running moto server and print the live commands for its two deployments, e.g.
    #   moto_server -H 127.0.0.1 -p 5055 & python -m tests.live_seed http://127.0.0.1:5055
    import sys

    target = sys.argv[1]
    for label, seed in (("ready", seed_ready), ("insecure", seed_insecure_prod)):
        flags = seed(target).flags
        given = " ".join(f"--{flag} {value}" for flag, value in flags.items())
        print(f"# {label}\nanyscale-lint live --region {REGION} --endpoint-url {target} {given}")


def moto_endpoint() -> Iterator[str]:
    """moto's server on 127.0.0.1 for the life of a fixture: yields its URL."""
    # AWS managed policies (AmazonEC2ContainerRegistryReadOnly) exist only when loaded.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake keys and no profile or config file: nothing can reach a real account."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
