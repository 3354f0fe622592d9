"""Seed moto's server with the AWS examples (examples/aws-ready, examples/aws-insecure/prod)
through boto3, as `terraform apply` would have created them; helpers for the live tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import REPO

REGION = "us-west-2"
ACCOUNT = "123456789012"
ANYSCALE = "arn:aws:iam::525325868955:root"


@dataclass
class Seeded:
    """The IDs of one seeded deployment, by the Terraform address they stand for."""

    flags: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def clients(endpoint: str) -> dict[str, Any]:
    """Plain (writable) boto3 clients on the moto server, for seeding."""
    import boto3

    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return {
        name: session.client(name, endpoint_url=endpoint)
        for name in ("ec2", "iam", "s3", "efs", "memorydb")
    }


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
