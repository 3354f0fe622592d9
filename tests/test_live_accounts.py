"""`anyscale-lint live` with several accounts in one run (one `--role-arn` each) against
moto's server: each account is a deployment of the report, with its own findings only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

import anyscale_lint.sources.aws_live as aws_live
from anyscale_lint.cli import main
from tests.live_seed import (
    REGION,
    Seeded,
    account_session,
    clients,
    fake_credentials,
    moto_endpoint,
    seed_ready,
)
from tests.test_live_moto import _answer_parameters

# moto's backends are per process, shared by every server: the default account holds the
# other tests' seeds, so the two accounts audited here are fresh ones.
FIRST, OTHER = "111111111111", "222222222222"
TAG = ["--tag", "anyscale-cloud-id=cld_ready123", "--name", "northwind-prod-usw2"]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    yield from moto_endpoint()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_credentials(monkeypatch)


@pytest.fixture(autouse=True)
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


@pytest.fixture(scope="module")
def accounts(endpoint: str) -> tuple[Seeded, Seeded]:
    """The ready example in FIRST and in OTHER, where SSH is then opened (bucket names are
    global, as in AWS)."""
    here = seed_ready(
        endpoint, account_session(endpoint, FIRST), FIRST, bucket="acme-anyscale-prod-usw2"
    )
    session = account_session(endpoint, OTHER)
    there = seed_ready(endpoint, session, OTHER, bucket="globex-anyscale-prod-usw2")
    clients(endpoint, session)["ec2"].authorize_security_group_ingress(
        GroupId=there.flags["security-group-ids"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    return here, there


def _names(seeded: Seeded) -> set[str]:
    """Every ID and ARN of a seeded deployment (the cloud's name excepted)."""
    values = {v for k, v in seeded.flags.items() if k != "name"} | set(seeded.ids.values())
    return {part for value in values for part in value.split(",")}


def test_each_account_is_a_deployment_with_its_own_findings(
    endpoint: str, accounts: tuple[Seeded, Seeded]
) -> None:
    here, there = accounts
    roles = [
        part
        for account in (FIRST, OTHER)
        for part in ("--role-arn", f"arn:aws:iam::{account}:role/audit")
    ]
    args = ["live", "--region", REGION, "--endpoint-url", endpoint, "--max-attempts", "1"]
    result = CliRunner().invoke(main, [*args, *roles, *TAG, "--private-network", "-f", "json"])
    report = json.loads(result.output)
    keys = [d["key"] for d in report["deployments"]]
    assert keys == [f"aws://{FIRST}/{REGION}", f"aws://{OTHER}/{REGION}"]
    assert report["errors"] == []
    failed = {
        key: {
            (r["rule_id"], r["resource"])
            for r in report["results"]
            if r["deployment"] == key and r["outcome"] in ("fail", "unknown")
        }
        for key in keys
    }
    assert failed[keys[0]] == set()
    group = there.flags["security-group-ids"]
    assert failed[keys[1]] and {resource for _, resource in failed[keys[1]]} == {group}
    assert result.exit_code == 1, result.output
    # Each deployment names its own account's resources, and only those.
    for key, own, other in ((keys[0], here, there), (keys[1], there, here)):
        deployment = next(d for d in report["deployments"] if d["key"] == key)
        identified = {i["resource"] for i in deployment["identified"] if i["resource"]}
        assert identified and identified <= _names(own) | {
            f"arn:aws:s3:::{own.flags['cloud-storage-bucket-name']}"
        }
        text = json.dumps([r for r in report["results"] if r["deployment"] == key])
        # Names both accounts share (the MemoryDB cluster's) prove nothing either way.
        assert not [name for name in _names(other) - _names(own) if name in text]
        assert (OTHER if key == keys[0] else FIRST) not in text
