"""The live GCP source's guarantees without the fake's deployments: the read-only guard, the
operations table, faults and retries, credentials, the missing extra, and `scan` importing no
Google package."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from google.api_core import exceptions as api_exceptions
from google.auth import credentials as google_credentials
from google.auth import exceptions as auth_exceptions

from anyscale_lint.sources.gcp_live import session
from anyscale_lint.sources.gcp_live.caller import Caller
from anyscale_lint.sources.gcp_live.clients import Clients, readers
from anyscale_lint.sources.gcp_live.faults import classify
from anyscale_lint.sources.gcp_live.guard import ReadOnlyCredentials, is_read_request
from anyscale_lint.sources.gcp_live.operations import (
    BY_NAME,
    OPERATIONS,
    is_read_only,
    required_permissions,
)
from anyscale_lint.sources.gcp_live.session import GcpConnection, SessionError, open_credentials
from anyscale_lint.sources.live.audit import ReadOnlyViolation
from anyscale_lint.sources.live.faults import Fault, scrub
from tests.conftest import REPO, run_cli
from tests.gcp_fake import FakeGoogle, load, serve


@pytest.fixture()
def fake() -> Iterator[FakeGoogle]:
    with serve(load("ready")) as served:
        yield served


def _clients(fake: FakeGoogle) -> Clients:
    connection = GcpConnection(endpoint=fake.base, timeout=5)
    return Clients(open_credentials(connection), connection, "acme-anyscale-prod")


# ---- read-only by construction ---------------------------------------------------------------


def test_a_forced_write_raises_before_any_request_is_sent(fake: FakeGoogle) -> None:
    clients = _clients(fake)
    writes = [
        lambda: clients.networks.delete(project="acme-anyscale-prod", network="anyscale-vpc"),
        lambda: clients.policies.add_rule(
            project="acme-anyscale-prod",
            firewall_policy="anyscale-firewall-policy",
            firewall_policy_rule_resource={"priority": 10, "action": "allow"},
        ),
        lambda: clients.projects.set_iam_policy(
            request={"resource": "projects/acme-anyscale-prod", "policy": {}}
        ),
        lambda: clients.storage.bucket("acme-anyscale-prod-storage").patch(),
        lambda: clients.storage.bucket("acme-anyscale-prod-storage").delete(),
        lambda: clients.redis.delete_instance(
            name="projects/acme-anyscale-prod/locations/us-central1/instances/anyscale-redis"
        ),
        lambda: clients.session.post(
            f"{clients.iam_host}/v1/projects/acme-anyscale-prod/serviceAccounts/"
            "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com:setIamPolicy",
            json={"policy": {}},
        ),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyViolation, match=r"is read-only: refused .* before sending it"):
            write()
    assert fake.requests == []
    assert clients.networks.get(project="acme-anyscale-prod", network="anyscale-vpc").name == (
        "anyscale-vpc"
    )
    assert fake.requests[-1][:3] == (
        "GET",
        "compute",
        "/compute/v1/projects/acme-anyscale-prod/global/networks/anyscale-vpc",
    )


@pytest.mark.parametrize(
    ("method", "url", "reads"),
    [
        ("GET", "https://compute.googleapis.com/compute/v1/projects/p/global/networks/n", True),
        ("POST", "https://cloudresourcemanager.googleapis.com/v3/projects/p:getIamPolicy", True),
        ("post", "https://iam.googleapis.com/v1/projects/p/serviceAccounts/a@b:getIamPolicy", True),
        (
            "POST",
            "https://iam.googleapis.com/v1/projects/p/serviceAccounts/a@b:setIamPolicy",
            False,
        ),
        ("POST", "https://iam.googleapis.com/v1/x:getIamPolicy/../y:setIamPolicy", False),
        ("POST", "https://example.com/v1/x?next=:getIamPolicy", False),
        ("POST", "https://compute.googleapis.com/compute/v1/projects/p/global/networks", False),
        ("PATCH", "https://storage.googleapis.com/storage/v1/b/b", False),
        ("PUT", "https://storage.googleapis.com/storage/v1/b/b/iam", False),
        ("DELETE", "https://redis.googleapis.com/v1/projects/p/locations/l/instances/i", False),
    ],
)
def test_only_reads_pass_the_guard(method: str, url: str, reads: bool) -> None:
    assert is_read_request(method, url) is reads


def test_the_guard_authorizes_reads_as_the_wrapped_credentials() -> None:
    class Token(google_credentials.Credentials):  # type: ignore[misc]
        def refresh(self, request: Any) -> None:
            self.token = "ya29.a-token"

    guarded = ReadOnlyCredentials(Token())
    headers: dict[str, str] = {}
    guarded.before_request(None, "GET", "https://x.googleapis.com/v1/a", headers)
    assert headers == {"authorization": "Bearer ya29.a-token"} and guarded.valid
    with pytest.raises(ReadOnlyViolation):
        guarded.before_request(None, "DELETE", "https://x.googleapis.com/v1/a", {})


API_METHOD = re.compile(r"^(cloudresourcemanager|compute|storage|iam|file|redis)\.\w+\.[\w.]+$")
SERVICE_METHOD = re.compile(r"^\.projects\.[\w.]+$")


def _called_operations() -> set[str]:
    """Every API method the collector and its discovery spell (a call's name, or the tail of
    an f-string naming one method of several services)."""
    found = set()
    for name in ("collector.py", "discovery.py"):
        path = REPO / "anyscale_lint/sources/gcp_live" / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and API_METHOD.match(str(node.value)):
                found.add(str(node.value))
            elif isinstance(node, ast.JoinedStr):  # f"{service}.projects.locations.instances.get"
                tail = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
                if SERVICE_METHOD.match(tail):
                    found |= {f"{s}{tail}" for s in ("file", "redis")}
    return found


def test_the_table_the_readers_and_the_collector_agree(fake: FakeGoogle) -> None:
    assert set(readers(_clients(fake))) == set(BY_NAME)
    assert _called_operations() == set(BY_NAME)
    assert all(is_read_only(op.name) for op in OPERATIONS)
    assert required_permissions() == sorted({op.permission for op in OPERATIONS})


def test_the_caller_refuses_what_is_not_in_the_table() -> None:
    caller = Caller({}, lambda: None)
    with pytest.raises(KeyError):
        caller.call("compute.networks.delete", "x")
    assert not is_read_only("compute.networks.insert")
    assert not is_read_only("iam.projects.serviceAccounts.setIamPolicy")


def test_print_required_permissions_is_the_custom_role() -> None:
    done = run_cli("live", "--provider", "gcp", "--print-required-permissions")
    assert done.returncode == 0, done.stderr
    role = json.loads(done.stdout)
    assert role["includedPermissions"] == required_permissions()
    assert "storage.buckets.getIamPolicy" in role["includedPermissions"]


# ---- faults and retries ----------------------------------------------------------------------


def _response(code: int, status: str, message: str) -> Any:
    response = requests.Response()
    response.status_code = code
    response._content = json.dumps(
        {"error": {"code": code, "status": status, "message": message}}
    ).encode()
    response.request = requests.Request("GET", "https://iam.googleapis.com/v1/x").prepare()
    return response


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (api_exceptions.Forbidden("no"), "failed", "PERMISSION_DENIED"),
        (api_exceptions.NotFound("gone"), "missing", "NOT_FOUND"),
        (api_exceptions.TooManyRequests("slow down"), "failed", "RESOURCE_EXHAUSTED"),
        (api_exceptions.ServiceUnavailable("later"), "failed", "UNAVAILABLE"),
        (requests.exceptions.ReadTimeout("read timed out"), "failed", "timeout"),
        (requests.exceptions.ConnectionError("refused"), "failed", "timeout"),
    ],
)
def test_errors_are_classified(error: BaseException, kind: str, code: str) -> None:
    fault = classify(error, "iam.serviceAccounts.get")
    assert (fault.kind, fault.code) == (kind, code)


def test_an_error_body_read_over_rest_is_classified_and_scrubbed() -> None:
    response = _response(403, "PERMISSION_DENIED", "denied for Bearer ya29.secret-1 token")
    error = api_exceptions.from_http_response(response)
    fault = classify(error, "iam.serviceAccounts.get", frozenset({"secret-1"}))
    assert fault.reason() == "access denied calling iam.serviceAccounts.get (PERMISSION_DENIED)"
    assert "ya29" not in fault.message and "secret-1" not in fault.message
    assert not fault.message.startswith("GET ")
    assert scrub("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer (redacted)"


def test_transient_errors_are_retried_then_recorded() -> None:
    attempts: list[int] = []
    slept: list[float] = []

    def flaky(**_: Any) -> dict[str, Any]:
        attempts.append(1)
        if len(attempts) < 3:
            raise api_exceptions.ServiceUnavailable("backend busy")
        return {"name": "ok"}

    calls: list[int] = []
    caller = Caller(
        {"compute.networks.get": flaky}, lambda: calls.append(1), max_attempts=3, sleep=slept.append
    )
    assert caller.call("compute.networks.get", "n") == {"name": "ok"}
    assert (len(attempts), len(calls), len(slept), caller.faults) == (3, 3, 2, [])
    attempts.clear()
    once = Caller({"compute.networks.get": flaky}, lambda: None, max_attempts=1, sleep=slept.append)
    fault = once.call("compute.networks.get", "projects/p/global/networks/n")
    assert isinstance(fault, Fault) and fault.code == "UNAVAILABLE"
    assert once.faults == [("projects/p/global/networks/n", fault)]


def test_pages_stop_at_a_failed_page() -> None:
    def pages(page_token: str = "", **_: Any) -> dict[str, Any]:
        if page_token:
            raise api_exceptions.Forbidden("second page denied")
        return {"items": [1, 2], "nextPageToken": "t2"}

    caller = Caller({"compute.firewalls.list": pages}, lambda: None, max_attempts=1)
    found = caller.pages("compute.firewalls.list", "items", "projects/p/global/firewalls")
    assert isinstance(found, Fault) and found.code == "PERMISSION_DENIED"


# ---- credentials -----------------------------------------------------------------------------


class _Source(google_credentials.Credentials):  # type: ignore[misc]
    def refresh(self, request: Any) -> None:
        self.token = "ya29.source"


def test_impersonation_wraps_the_default_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from google.auth import impersonated_credentials

    monkeypatch.setattr("google.auth.default", lambda scopes: (_Source(), "p"))
    refreshed: list[str] = []

    def refresh(self: Any, request: Any) -> None:
        refreshed.append(self._target_principal)
        self.token = "ya29.impersonated"

    monkeypatch.setattr(impersonated_credentials.Credentials, "refresh", refresh)
    who = "audit@acme-anyscale-prod.iam.gserviceaccount.com"
    found = open_credentials(GcpConnection(impersonate_service_account=who))
    assert isinstance(found, ReadOnlyCredentials)
    assert isinstance(found._inner, impersonated_credentials.Credentials)
    assert refreshed == [who] and found.token == "ya29.impersonated"


def test_credentials_that_cannot_be_taken_stop_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(scopes: Any) -> Any:
        raise auth_exceptions.DefaultCredentialsError("nothing found")

    monkeypatch.setattr("google.auth.default", missing)
    with pytest.raises(SessionError, match="no Google credentials found"):
        open_credentials(GcpConnection())

    class Refused(_Source):
        def refresh(self, request: Any) -> None:
            raise auth_exceptions.RefreshError("invalid_grant: token ya29.leaked expired")

    monkeypatch.setattr("google.auth.default", lambda scopes: (Refused(), "p"))
    with pytest.raises(SessionError) as raised:
        open_credentials(GcpConnection())
    assert "refreshing the default credentials failed" in str(raised.value)
    assert "ya29.leaked" not in str(raised.value)


def test_an_audit_without_credentials_is_one_collection_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(scopes: Any) -> Any:
        raise auth_exceptions.DefaultCredentialsError("nothing found")

    monkeypatch.setattr("google.auth.default", missing)
    from anyscale_lint.sources.gcp_live import GcpTargets, audit_one

    done = audit_one(GcpConnection(), GcpTargets({"project-id": "acme"}, "us-central1"))
    (error,) = done.errors
    assert (error.path, error.kind) == ("gcp://acme/us-central1", "collection")
    assert error.message.startswith("no Google credentials found")


def test_the_test_endpoint_is_off_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(session.ENDPOINT_ENV, raising=False)
    assert session.endpoint_from_env() is None
    monkeypatch.setenv(session.ENDPOINT_ENV, "http://127.0.0.1:9/")
    assert session.endpoint_from_env() == "http://127.0.0.1:9"


# ---- the command line ------------------------------------------------------------------------


def test_live_without_the_gcp_extra_names_it() -> None:
    script = (
        "import sys; sys.modules['google.cloud.compute_v1'] = None\n"
        "from anyscale_lint.cli import main\n"
        "main(['live', '--provider', 'gcp', '--project-id', 'acme', '--region', 'us-central1',"
        " '--vpc-name', 'anyscale-vpc'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 2, done.stderr
    assert "pip install 'anyscale-lint[gcp]'" in done.stderr
    assert "google.cloud.compute_v1 is missing" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--provider", "gcp", "--region", "us-central1"], "needs --project-id"),
        (["--provider", "gcp", "--project-id", "acme"], "needs --region"),
        (
            ["--provider", "gcp", "--project-id", "acme", "--vpc-id", "vpc-1"],
            "--vpc-id is an option of live --provider aws",
        ),
        (
            ["--provider", "gcp", "--project-id", "acme", "--role-arn", "arn:aws:iam::1:role/x"],
            "--role-arn is an option of live --provider aws",
        ),
        (
            ["--region", "us-west-2", "--vpc-name", "v"],
            "--vpc-name is an option of live --provider gcp",
        ),
        (
            ["--region", "us-west-2", "--vpc-id", "vpc-1", "--impersonate-service-account", "a@b"],
            "--impersonate-service-account is an option of live --provider gcp",
        ),
    ],
)
def test_options_of_the_other_provider_are_usage_errors(args: list[str], message: str) -> None:
    done = run_cli("live", *args, env={"CLOUDSDK_COMPUTE_REGION": ""})
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


PROBE = """
import os, sys
from anyscale_lint.cli import main
os.chdir(sys.argv[1])
try:
    main(["scan", "main.tf", "-f", "json", "-o", "out.json"])
except SystemExit:
    pass
google = sorted(m for m in sys.modules if m == "google" or m.startswith("google."))
print("GOOGLE", *google)
"""


def test_scan_imports_no_google_module(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "google_storage_bucket" "b" {\n  name = "x"\n  location = "US"\n}\n'
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert (tmp_path / "out.json").exists(), done.stderr  # the scan ran
    line = next(x for x in done.stdout.splitlines() if x.startswith("GOOGLE"))
    assert line.split()[1:] == []


@pytest.mark.parametrize("command", ["live", "ready"])
def test_every_gcp_flag_is_in_the_help(command: str) -> None:
    from anyscale_lint.cli_live import _GCP_HINTS
    from anyscale_lint.providers.gcp import GCP_INPUTS

    assert set(_GCP_HINTS) <= {spec.key for spec in GCP_INPUTS}
    shown = run_cli(command, "--help").stdout
    for spec in GCP_INPUTS:
        for flag in spec.flags:
            assert f"--{flag}" in shown, (command, flag)
    assert "--impersonate-service-account" in shown
