"""The live source without an AWS endpoint: read-only guard, permissions table, missing boto3,
builder from recorded-shape responses, MemoryDB parameters through botocore's Stubber."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from typing import Any

import pytest

from anyscale_lint.model import IamRole, MemoryDbCluster, S3Bucket, Subnet, Unknown
from anyscale_lint.sources.aws_live import collector as collector_module
from anyscale_lint.sources.aws_live.builder import build_model
from anyscale_lint.sources.aws_live.collected import BucketData, Collected, MemoryDbData, RoleData
from anyscale_lint.sources.aws_live.collector import Collector, Targets
from anyscale_lint.sources.aws_live.faults import Fault
from anyscale_lint.sources.aws_live.operations import BY_NAME, OPERATIONS, required_policy
from anyscale_lint.sources.aws_live.session import (
    Caller,
    Connection,
    ReadOnlyViolation,
    make_client,
)
from tests.conftest import REPO, run_cli


def _session() -> Any:
    import boto3

    return boto3.Session(aws_access_key_id="x", aws_secret_access_key="y", region_name="us-west-2")


def test_a_forced_write_raises_before_any_request_is_sent() -> None:
    # Nothing listens on port 9: a request that got out would fail with a connection error.
    client = make_client(
        _session(), "ec2", "us-west-2", Connection(endpoint_url="http://127.0.0.1:9")
    )
    sent: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    with pytest.raises(ReadOnlyViolation, match="refused ec2:CreateVpc before sending it"):
        client.create_vpc(CidrBlock="10.0.0.0/16")
    with pytest.raises(ReadOnlyViolation, match="refused ec2:DeleteSecurityGroup"):
        client.delete_security_group(GroupId="sg-1")
    assert sent == []


def test_the_caller_refuses_operations_outside_the_table() -> None:
    caller = Caller({}, frozenset(), lambda: None)
    with pytest.raises(KeyError):
        caller.call("ec2", "DescribeInstances", "x")


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _called_operations() -> set[tuple[str, str]]:
    """(service, operation) of every call site in the collector and the audit entry."""
    found = set()
    for path in (
        REPO / "anyscale_lint/sources/aws_live/collector.py",
        REPO / "anyscale_lint/sources/aws_live/__init__.py",
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _callee(node) not in (
                "call",
                "_call",
                "pages",
                "store",
            ):
                continue
            first = node.args[:2]
            if len(first) == 2 and all(isinstance(a, ast.Constant) for a in first):
                found.add((str(first[0].value), str(first[1].value)))  # type: ignore[attr-defined]
    return found


def test_required_permissions_equal_the_operations_the_collector_calls() -> None:
    called = _called_operations()
    assert called == set(BY_NAME)
    policy = required_policy()
    actions = set(policy["Statement"][0]["Action"])  # type: ignore[index]
    assert actions == {op.action for op in OPERATIONS}
    assert all(op.name.startswith(("Describe", "Get", "List")) for op in OPERATIONS)


def test_print_required_permissions_is_the_policy() -> None:
    result = run_cli("live", "--print-required-permissions")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == required_policy()


def test_live_without_boto3_names_the_extra() -> None:
    script = (
        "import sys; sys.modules['boto3'] = None; sys.modules['botocore'] = None\n"
        "from anyscale_lint.cli import main\n"
        "main(['live', '--region', 'us-west-2', '--vpc-id', 'vpc-1'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 2, result.stderr
    assert "pip install 'anyscale-lint[aws]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_gcp_needs_its_project() -> None:
    # tests/test_live_gcp*.py audit GCP; AWS flags and options are refused there.
    result = run_cli("live", "--provider", "gcp", "--region", "us-central1")
    assert result.returncode == 2
    assert "live --provider gcp needs --project-id" in result.stderr


def test_live_needs_something_to_audit() -> None:
    result = run_cli("live", "--region", "us-west-2")
    assert result.returncode == 2
    assert "register flags" in result.stderr


# ---- builder from recorded-shape responses -------------------------------------------------


def _denied(action: str) -> Fault:
    return Fault("failed", action, "AccessDenied", "Access Denied")


def test_builder_turns_failed_reads_into_unknowns_and_collection_errors() -> None:
    data = Collected("111122223333", "us-west-2")
    data.roles.append(
        RoleData(
            "ops",
            {
                "Arn": "arn:aws:iam::111122223333:role/ops",
                "RoleName": "ops",
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                },
            },
            inline=_denied("iam:ListRolePolicies"),
        )
    )
    data.buckets.append(BucketData("b", "us-west-2", policy=_denied("s3:GetBucketPolicy")))
    data.subnets = [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24"}]
    data.route_tables = [
        {"RouteTableId": "rtb-main", "VpcId": "vpc-1", "Associations": [{"Main": True}]}
    ]
    data.faults = [("arn:aws:s3:::b", _denied("s3:GetBucketPolicy"))]
    model, errors = build_model(data)
    role = model.resources["arn:aws:iam::111122223333:role/ops"]
    assert isinstance(role, IamRole)
    assert isinstance(role.policies[0].document, Unknown)
    bucket = model.resources["arn:aws:s3:::b"]
    assert isinstance(bucket, S3Bucket)
    assert isinstance(bucket.policy, Unknown)
    assert "access denied calling s3:GetBucketPolicy" in bucket.policy.reason
    subnet = model.resources["subnet-1"]
    assert isinstance(subnet, Subnet) and subnet.route_table == "rtb-main"
    assert [(e.path, e.kind) for e in errors] == [("arn:aws:s3:::b", "collection")]
    assert model.ids_assigned_at_apply is False and model.single_account is True


def test_memorydb_parameters_through_a_stubber() -> None:
    from botocore.stub import Stubber

    client = make_client(_session(), "memorydb", "us-west-2", Connection(max_attempts=1))
    arn = "arn:aws:memorydb:us-west-2:111122223333:cluster/gcs"
    with Stubber(client) as stub:
        stub.add_response(
            "describe_clusters",
            {
                "Clusters": [
                    {
                        "Name": "gcs",
                        "ARN": arn,
                        "TLSEnabled": True,
                        "NumberOfShards": 1,
                        "Shards": [{"Name": "0001", "NumberOfNodes": 3}],
                        "SubnetGroupName": "gcs-subnets",
                        "ParameterGroupName": "gcs-redis7",
                        "SecurityGroups": [{"SecurityGroupId": "sg-1"}],
                    }
                ]
            },
            {"ClusterName": "gcs", "ShowShardDetails": True},
        )
        stub.add_response(
            "describe_subnet_groups",
            {"SubnetGroups": [{"Name": "gcs-subnets", "Subnets": [{"Identifier": "subnet-1"}]}]},
            {"SubnetGroupName": "gcs-subnets"},
        )
        stub.add_response(
            "describe_parameters",
            {"Parameters": [{"Name": "maxmemory-policy", "Value": "allkeys-lru"}]},
            {"ParameterGroupName": "gcs-redis7"},
        )
        caller = Caller({"memorydb": client}, frozenset(), lambda: None)
        data = Collected("111122223333", "us-west-2")
        Collector(caller, data, Targets({"memorydb-cluster-id": "gcs"}), 1).run()
        stub.assert_no_pending_responses()
    assert data.memorydb == [
        MemoryDbData(
            "gcs",
            data.memorydb[0].cluster,
            data.memorydb[0].subnet_group,
            {"maxmemory-policy": "allkeys-lru"},
        )
    ]
    model, _ = build_model(data)
    cluster = model.resources["gcs"]
    assert isinstance(cluster, MemoryDbCluster) and cluster.address == arn
    assert cluster.replicas_per_shard == 2
    assert cluster.parameters == {"maxmemory-policy": "allkeys-lru"}
    assert cluster.subnets == ("subnet-1",)
    assert caller.calls == 3


def test_discovery_helpers() -> None:
    assert collector_module.role_name("arn:aws:iam::1:role/path/x") == "x"
    assert collector_module.bucket_name("s3://b/prefix") == "b"
    assert Targets({"vpc-id": "vpc-1"}).discovers
    assert not Targets({"vpc-id": "vpc-1", "subnet-ids": "subnet-1"}).discovers


def test_no_credentials_is_a_collection_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from anyscale_lint.cli import main

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    result = CliRunner().invoke(
        main, ["live", "--region", "us-west-2", "--vpc-id", "vpc-1", "-f", "json"]
    )
    assert result.exit_code == 3, result.output
    errors = json.loads(result.output)["errors"]
    assert [(e["path"], e["kind"]) for e in errors] == [
        ("aws://default-credentials/us-west-2", "collection")
    ]
    assert "no AWS credentials found" in errors[0]["message"]
