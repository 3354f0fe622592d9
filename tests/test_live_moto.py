"""`anyscale-lint live` against moto's server over real HTTP on 127.0.0.1: the seeded
examples give the same findings as the Terraform scan of the examples they mirror."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

import anyscale_lint.sources.aws_live as aws_live
from anyscale_lint.api import LintOptions, lint
from anyscale_lint.cli import main
from anyscale_lint.config import load_config
from anyscale_lint.model import SecurityGroup
from tests.conftest import REPO
from tests.live_seed import (
    ACCOUNT,
    REGION,
    Seeded,
    fake_credentials,
    moto_endpoint,
    seed_insecure_prod,
    seed_ready,
)

# MemoryDB parameter groups moto cannot describe (DescribeParameters is unimplemented there):
# answered in-process, before any request, the way botocore's Stubber answers.
PARAMETERS = {
    "northwind-prod-usw2-redis7": {"maxmemory-policy": "volatile-lru"},
    "anyscale-northwind-prod-usw2-redis7": {"maxmemory-policy": "allkeys-lru"},
}
ROOT = f"aws://{ACCOUNT}/{REGION}"
# Rules that only exist statically for the prod example: none; the register command's
# external ID (AWS-REG-002) comes from the resource file.


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    yield from moto_endpoint()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_credentials(monkeypatch)


def _answer_parameters(model: Any, params: dict[str, Any], **_: Any) -> Any:
    if model.name != "DescribeParameters":
        return None
    # `params` is the serialized request: the JSON body names the parameter group.
    group = json.loads(params["body"] or b"{}")["ParameterGroupName"]
    values = PARAMETERS[group]
    parsed = {"Parameters": [{"Name": k, "Value": v} for k, v in values.items()]}
    return SimpleNamespace(status_code=200, headers={}), parsed


@pytest.fixture()
def parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    real = aws_live.make_client

    def make_client(session: Any, service: str, region: str, connection: Any) -> Any:
        client = real(session, service, region, connection)
        if service == "memorydb":
            client.meta.events.register(
                "before-call.memorydb.DescribeParameters", _answer_parameters
            )
        return client

    monkeypatch.setattr(aws_live, "make_client", make_client)


@pytest.fixture(scope="session")
def insecure(endpoint: str) -> Seeded:
    return seed_insecure_prod(endpoint)


@pytest.fixture(scope="session")
def ready(endpoint: str) -> Seeded:
    return seed_ready(endpoint)


def _live(endpoint: str, *args: str) -> Any:
    result = CliRunner().invoke(
        main,
        ["live", "--region", REGION, "--endpoint-url", endpoint, "--max-attempts", "1", *args],
    )
    return result


def _flags(flags: dict[str, str]) -> list[str]:
    return [part for flag, value in flags.items() for part in (f"--{flag}", value)]


def _failures(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (r["rule_id"], r["resource"])
        for r in report["results"]
        if r["outcome"] in ("fail", "unknown")
    }


def _resource_file(tmp_path: Path, seeded: Seeded, external_id: str) -> Path:
    flags = seeded.flags
    path = tmp_path / "cloud.yaml"
    path.write_text(
        "\n".join(
            [
                "name: northwind-prod-usw2",
                "provider: aws",
                f"region: {REGION}",
                "networking_mode: PRIVATE",
                "object_storage:",
                f"  bucket_name: {flags['cloud-storage-bucket-name']}",
                "file_storage:",
                f"  file_storage_id: {flags['file-storage-id']}",
                "aws_config:",
                f"  vpc_id: {flags['vpc-id']}",
                f"  subnet_ids: [{flags['subnet-ids']}]",
                f"  security_group_ids: [{flags['security-group-ids']}]",
                f"  anyscale_iam_role_id: {flags['anyscale-iam-role-id']}",
                f"  cluster_iam_role_id: {flags['instance-iam-role-id']}",
                f"  memorydb_cluster_name: {flags['memorydb-cluster-id']}",
                f"  external_id: {external_id}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def test_insecure_prod_matches_the_terraform_scan(
    endpoint: str,
    insecure: Seeded,
    parameters: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    resource_file = _resource_file(tmp_path, insecure, "northwind-prod-anyscale")
    result = _live(endpoint, "--resource-file", str(resource_file), "-f", "json")
    assert result.exit_code == 1, result.output
    live = _failures(json.loads(result.output))
    static = lint(["examples/aws-insecure/prod"], LintOptions(config=load_config(None)))
    translate = {**insecure.ids, "examples/aws-insecure/prod": ROOT}
    # A live scan reads rules through their group (no resource per rule): the findings of a
    # Terraform rule resource are its group's there.
    group = static.deployments[0].model.get("module.network.aws_security_group.anyscale")
    assert isinstance(group, SecurityGroup)
    translate |= {r.declared_by: translate[group.key] for r in group.rules if r.declared_by}
    expected = {
        (r.rule_id, translate.get(r.resource, r.resource))
        for r in static.results
        if r.outcome in ("fail", "unknown")
    }
    assert live == expected


# ---- faults --------------------------------------------------------------------------------


def _inject(monkeypatch: pytest.MonkeyPatch, service: str, event: str, handler: Any) -> None:
    """Register a botocore handler on the audit's client of one service."""
    real = aws_live.make_client

    def make_client(session: Any, name: str, region: str, connection: Any) -> Any:
        client = real(session, name, region, connection)
        if name == service:
            client.meta.events.register(event, handler)
        return client

    monkeypatch.setattr(aws_live, "make_client", make_client)


def _http_error(status: int, body: str, calls: list[str]) -> Any:
    """A before-send handler answering with an HTTP error, as AWS would (retries apply)."""
    from botocore.awsrequest import AWSResponse

    class Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield body.encode()

    def handler(request: Any, **_: Any) -> Any:
        calls.append(request.url)
        return AWSResponse(request.url, status, {}, Raw())

    return handler


def test_access_denied_on_one_call_is_core_003_and_unknown(
    endpoint: str, insecure: Seeded, parameters: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    denied = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
    _inject(monkeypatch, "s3", "before-send.s3.GetBucketPolicy", _http_error(403, denied, calls))
    result = _live(endpoint, *_flags(insecure.flags), "--private-network", "-f", "json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.output)
    bucket = insecure.ids["module.storage.aws_s3_bucket.anyscale"]
    assert [(e["path"], e["message"]) for e in report["errors"]] == [
        (bucket, "access denied calling s3:GetBucketPolicy (AccessDenied)")
    ]
    outcomes = {(r["rule_id"], r["resource"]): r["outcome"] for r in report["results"]}
    assert outcomes[("CORE-003", bucket)] == "fail"
    assert outcomes[("AWS-S3-007", bucket)] == "unknown"
    # The rest of the audit went on: the CORS findings of the same bucket are still there.
    assert outcomes[("AWS-S3-005", bucket)] == "fail"
    assert outcomes[("AWS-SG-007", insecure.flags["security-group-ids"])] == "fail"


def test_throttling_past_the_retries_is_core_003(
    endpoint: str, insecure: Seeded, parameters: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    throttled = (
        "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
        "exceeded.</Message></Error></Errors><RequestID>1</RequestID></Response>"
    )
    handler = _http_error(503, throttled, calls)
    _inject(monkeypatch, "ec2", "before-send.ec2.DescribeVpcAttribute", handler)
    result = _live(
        endpoint,
        *_flags(insecure.flags),
        "--max-attempts",
        "2",
        "-f",
        "json",
        "--select",
        "AWS-NET",
    )
    assert result.exit_code == 3, result.output
    # Two attributes, each tried twice (the retries ran against the throttling).
    assert len(calls) == 4
    report = json.loads(result.output)
    vpc = insecure.flags["vpc-id"]
    assert {e["message"] for e in report["errors"]} == {
        "ec2:DescribeVpcAttribute still throttled after retries (RequestLimitExceeded)"
    }
    net_008 = [r for r in report["results"] if r["rule_id"] == "AWS-NET-008"]
    assert [(r["resource"], r["outcome"]) for r in net_008] == [(vpc, "unknown")]
    assert "still throttled" in net_008[0]["message"]


def test_timeout_is_core_003(
    endpoint: str, insecure: Seeded, parameters: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ReadTimeoutError

    def timeout(request: Any, **_: Any) -> Any:
        raise ReadTimeoutError(endpoint_url=request.url)

    _inject(monkeypatch, "efs", "before-send.efs.DescribeBackupPolicy", timeout)
    result = _live(endpoint, *_flags(insecure.flags), "-f", "json", "--select", "AWS-EFS")
    assert result.exit_code == 3, result.output
    report = json.loads(result.output)
    fs = insecure.flags["file-storage-id"]
    efs_004 = [r for r in report["results"] if r["rule_id"] == "AWS-EFS-004"]
    assert [(r["resource"], r["outcome"]) for r in efs_004] == [(fs, "unknown")]
    assert "timed out" in report["errors"][0]["message"]


def test_a_deleted_subnet_is_a_finding_not_a_collection_error(
    endpoint: str, insecure: Seeded, parameters: None
) -> None:
    from tests.live_seed import clients

    ec2 = clients(endpoint)["ec2"]
    vpc = insecure.flags["vpc-id"]
    gone = ec2.create_subnet(VpcId=vpc, CidrBlock="172.24.99.0/24")["Subnet"]["SubnetId"]
    ec2.delete_subnet(SubnetId=gone)
    flags = {**insecure.flags, "subnet-ids": insecure.flags["subnet-ids"] + "," + gone}
    result = _live(endpoint, *_flags(flags), "-f", "json", "--select", "AWS-REG-004")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["errors"] == []
    messages = [r["message"] for r in report["results"] if r["outcome"] == "fail"]
    assert any(gone in m and "names no aws_subnet" in m for m in messages), messages
    assert any(gone in n and "not found" in n for n in report["notices"])


def test_no_credential_or_signed_url_in_any_output(
    endpoint: str, insecure: Seeded, parameters: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, secret = "AKIAFAKEFAKEFAKE1234", "fakeSecretKeyValue/abcdefghijklmnop0123456"
    token = "FakeSessionTokenValue0123456789abcdefXYZ"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    # An error whose text echoes the key, the token and a presigned URL.
    leaky = (
        f"<Error><Code>AccessDenied</Code><Message>User {key} with token {token} denied at "
        f"https://b.s3.amazonaws.com/k?X-Amz-Credential={key}%2F2026&amp;X-Amz-Signature=abc"
        "</Message></Error>"
    )
    _inject(monkeypatch, "s3", "before-send.s3.GetBucketCors", _http_error(403, leaky, []))
    for form in ("text", "json", "sarif", "github", "junit", "markdown", "readiness"):
        result = _live(endpoint, *_flags(insecure.flags), "-f", form)
        assert result.exit_code == 3, (form, result.output)
        for secret_text in (key, secret, token, "X-Amz-Signature"):
            assert secret_text not in result.output, (form, secret_text)
        assert "access denied calling s3:GetBucketCORS" in result.output.replace("\\n", " ") or (
            form in ("readiness",)
        )


# ---- the ready deployment, discovery, snapshots --------------------------------------------


def test_ready_deployment_has_no_failure_and_no_unknown(
    endpoint: str, ready: Seeded, parameters: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same outcome as the Terraform scan of the example it mirrors: nothing fails and
    # nothing is unknown, from literal IDs and ARNs alone.
    monkeypatch.chdir(REPO)
    static = lint(["examples/aws-ready"], LintOptions(config=load_config(None)))
    assert not [r for r in static.results if r.outcome in ("fail", "unknown")]
    result = _live(endpoint, *_flags(ready.flags), "--private-network", "-f", "json")
    report = json.loads(result.output)
    assert _failures(report) == set(), result.output
    assert report["errors"] == []
    assert result.exit_code == 0


def _identified(report: dict[str, Any]) -> dict[str, str | None]:
    return {i["part"]: i["resource"] for i in report["deployments"][0]["identified"]}


def test_discovery_by_tag_finds_the_ready_deployment(
    endpoint: str, ready: Seeded, insecure: Seeded, parameters: None
) -> None:
    tag = ["--tag", "anyscale-cloud-id=cld_ready123", "--name", "northwind-prod-usw2"]
    result = _live(endpoint, *tag, "--private-network")
    assert result.exit_code == 0, result.output
    result = _live(endpoint, *tag, "--private-network", "-f", "json")
    report = json.loads(result.output)
    assert _failures(report) == set()
    found = _identified(report)
    assert found["vpc"] == ready.flags["vpc-id"]
    assert found["control-plane role"] == ready.flags["anyscale-iam-role-id"]
    assert found["instance role"] == ready.flags["instance-iam-role-id"]
    assert found["bucket"] == "arn:aws:s3:::" + ready.flags["cloud-storage-bucket-name"]
    assert found["efs"] == ready.flags["file-storage-id"]
    assert found["memorydb"] == ready.ids["aws_memorydb_cluster.anyscale"]  # shown by ARN
    assert found["security groups"] == ready.flags["security-group-ids"]


def test_given_only_a_vpc_the_network_is_found(
    endpoint: str, ready: Seeded, parameters: None
) -> None:
    result = _live(endpoint, "--vpc-id", ready.flags["vpc-id"], "--private-network", "-f", "json")
    report = json.loads(result.output)
    subnets = {
        r["resource"]
        for r in report["results"]
        if r["rule_id"] == "AWS-NET-002" and r["outcome"] == "pass"
    }
    # The node subnets (those of EFS and MemoryDB), not the public ones of the NAT gateways.
    assert subnets == set(ready.flags["subnet-ids"].split(","))
    assert _identified(report)["vpc"] == ready.flags["vpc-id"]
    assert _identified(report)["security groups"] == ready.flags["security-group-ids"]
    assert _identified(report)["efs"] == ready.flags["file-storage-id"]


def test_snapshot_round_trip_gives_identical_findings(
    endpoint: str,
    insecure: Seeded,
    parameters: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import jsonschema

    denied = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
    _inject(monkeypatch, "s3", "before-send.s3.GetBucketPolicy", _http_error(403, denied, []))
    snapshot = tmp_path / "state.json"
    flags = [*_flags(insecure.flags), "--private-network"]
    live = _live(endpoint, *flags, "--save-snapshot", str(snapshot), "-f", "json")
    assert live.exit_code == 3, live.output
    document = json.loads(snapshot.read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schemas/snapshot.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    rescan = CliRunner().invoke(main, ["scan", str(snapshot), "-f", "json"])
    assert rescan.exit_code == 3, rescan.output
    before, after = json.loads(live.output), json.loads(rescan.output)
    assert after["results"] == before["results"]
    assert after["errors"] == before["errors"]
    assert after["deployments"][0]["identified"] == before["deployments"][0]["identified"]


def test_live_readiness_report_names_the_literal_ids(
    endpoint: str, ready: Seeded, parameters: None
) -> None:
    result = _live(endpoint, *_flags(ready.flags), "--private-network", "-f", "readiness")
    assert result.exit_code == 0, result.output
    assert "READY" in result.output
    assert ready.flags["vpc-id"] in result.output
    assert ready.flags["anyscale-iam-role-id"] in result.output
    assert f"--memorydb-cluster-id {ready.flags['memorydb-cluster-id']} " in result.output


def test_json_and_sarif_of_a_live_run_are_valid_and_name_arns(
    endpoint: str, insecure: Seeded, parameters: None, tmp_path: Path
) -> None:
    import jsonschema

    from tests.test_sarif import sarif_validator

    report_path, sarif_path = tmp_path / "report.json", tmp_path / "results.sarif"
    result = _live(
        endpoint, *_flags(insecure.flags), "-f", f"json:{report_path}", "-f", f"sarif:{sarif_path}"
    )
    assert result.exit_code == 1, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schemas/report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    group = insecure.flags["security-group-ids"]
    location = next(r["location"] for r in report["results"] if r["resource"] == group)
    assert location["id"] == group
    assert location["console_url"].endswith(f"#SecurityGroup:groupId={group}")
    log = json.loads(sarif_path.read_text(encoding="utf-8"))
    sarif_validator().validate(log)
    names = {
        logical["fullyQualifiedName"]
        for result_ in log["runs"][0]["results"]
        for where in result_.get("locations", [])
        for logical in where.get("logicalLocations", [])
    }
    assert insecure.ids["module.iam.aws_iam_role.control_plane"] in names
    assert all(
        "physicalLocation" not in w for r in log["runs"][0]["results"] for w in r["locations"]
    )


def test_ready_live_prints_the_verdict_and_the_register_command(
    endpoint: str, ready: Seeded, parameters: None
) -> None:
    args = ["ready", "--live", "--region", REGION, "--endpoint-url", endpoint]
    result = CliRunner().invoke(main, [*args, *_flags(ready.flags), "--private-network"])
    assert result.exit_code == 0, result.output
    assert "READY" in result.output and "NOT READY" not in result.output
    assert f"--subnet-ids {ready.flags['subnet-ids']}" in result.output
    both = CliRunner().invoke(main, [*args, "examples/aws-ready"])
    assert both.exit_code == 2


def test_each_region_is_a_deployment(endpoint: str, ready: Seeded, parameters: None) -> None:
    result = CliRunner().invoke(
        main,
        [
            "live",
            "--region",
            REGION,
            "--region",
            "eu-west-1",
            "--endpoint-url",
            endpoint,
            "--max-attempts",
            "1",
            "--vpc-id",
            ready.flags["vpc-id"],
            "-f",
            "json",
        ],
    )
    report = json.loads(result.output)
    keys = [d["key"] for d in report["deployments"]]
    assert keys == [ROOT, f"aws://{ACCOUNT}/eu-west-1"]
    # The VPC lives in us-west-2 only: in eu-west-1 it is reported as not found.
    assert any(f"--vpc-id {ready.flags['vpc-id']}: not found" in n for n in report["notices"])
