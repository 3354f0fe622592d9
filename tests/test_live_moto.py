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
from tests.conftest import REPO
from tests.live_seed import ACCOUNT, REGION, Seeded, seed_insecure_prod

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
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def _answer_parameters(model: Any, params: dict[str, Any], **_: Any) -> Any:
    if model.name != "DescribeParameters":
        return None
    values = PARAMETERS.get(params.get("ParameterGroupName", ""), {})
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
    expected = {
        (r.rule_id, translate.get(r.resource, r.resource))
        for r in static.results
        if r.outcome in ("fail", "unknown")
    }
    assert live == expected
