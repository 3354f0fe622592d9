"""Regenerate the Terraform plan JSON fixtures from the bundled examples, with real Terraform.

    python scripts/make_plan_fixtures.py --plugins /opt/tf-plugins

Needs the `terraform` binary, a filesystem mirror holding the hashicorp/aws provider
(`--plugins`, laid out as `registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`) and moto
(the test extra); nothing is downloaded. Each example is copied to a temporary directory with
a provider override (fake keys, no refresh) whose API endpoints are a moto server on
127.0.0.1, which answers the data sources a plan reads (the caller identity); the plan is
shown as JSON into tests/fixtures/plans/<name>.plan.json. The insecure example is also
applied to moto (its network, storage and IAM modules: moto does not finish MemoryDB) and
its state shown as JSON into tests/fixtures/plans/aws-insecure-prod.state.json (its IDs are
moto's, new on every run; the plans are the same every run). The fixtures
are committed: the tests read them without Terraform.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "plans"
EXAMPLES = {"aws-ready": "examples/aws-ready", "aws-insecure-prod": "examples/aws-insecure/prod"}
# What is applied for the state fixture (the modules moto can create).
STATE_TARGETS = ("module.network", "module.storage", "module.iam")
OVERRIDE = """
provider "aws" {{
  region                      = var.region
  access_key                  = "not-a-key"
  secret_key                  = "not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    sts = "{endpoint}"
    iam = "{endpoint}"
    ec2 = "{endpoint}"
    s3  = "{endpoint}"
  }}
}}
"""
CLI_CONFIG = """
provider_installation {{
  filesystem_mirror {{
    path    = "{plugins}"
    include = ["registry.terraform.io/hashicorp/*"]
  }}
  direct {{ exclude = ["registry.terraform.io/hashicorp/*"] }}
}}
"""


def _terraform(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"terraform {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout


def make(name: str, example: Path, endpoint: str, env: dict[str, str]) -> Path:
    """Plan one example and write its plan JSON fixture (stable: no timestamp)."""
    with tempfile.TemporaryDirectory(prefix="anyscale-lint-plan-") as temporary:
        work = Path(temporary) / name
        shutil.copytree(example, work)
        override = OVERRIDE.format(endpoint=endpoint)
        (work / "zz_fixture_override.tf").write_text(override, encoding="utf-8")
        _terraform(["init", "-input=false", "-no-color"], work, env)
        _terraform(
            ["plan", "-input=false", "-no-color", "-refresh=false", "-out=plan.out"], work, env
        )
        plan = json.loads(_terraform(["show", "-json", "plan.out"], work, env))
    target = _write(plan, OUT / f"{name}.plan.json")
    return target


def make_state(name: str, example: Path, endpoint: str, env: dict[str, str]) -> Path:
    """Apply part of one example to moto and write its state JSON fixture."""
    with tempfile.TemporaryDirectory(prefix="anyscale-lint-state-") as temporary:
        work = Path(temporary) / name
        shutil.copytree(example, work)
        override = OVERRIDE.format(endpoint=endpoint)
        (work / "zz_fixture_override.tf").write_text(override, encoding="utf-8")
        _terraform(["init", "-input=false", "-no-color"], work, env)
        targets = [f"-target={target}" for target in STATE_TARGETS]
        _terraform(["apply", "-auto-approve", "-input=false", "-no-color", *targets], work, env)
        state = json.loads(_terraform(["show", "-json"], work, env))
    return _write(state, OUT / f"{name}.state.json")


def _write(document: dict[str, Any], target: Path) -> Path:
    """Write a fixture without what changes from run to run (time, the moto port)."""
    document.pop("timestamp", None)
    # Terraform lists these in no fixed order.
    relevant = document.get("relevant_attributes")
    if isinstance(relevant, list):
        relevant.sort(key=lambda entry: json.dumps(entry, sort_keys=True))
    provider = document.get("configuration", {}).get("provider_config", {}).get("aws", {})
    provider.get("expressions", {}).pop("endpoints", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Indented, so a reviewer can read a fixture's diff; the reader takes one-line JSON too.
    target.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins", type=Path, required=True, help="provider mirror directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anyscale-lint-tfrc-") as temporary:
        config = Path(temporary) / "terraformrc"
        config.write_text(CLI_CONFIG.format(plugins=args.plugins.resolve()), encoding="utf-8")
        env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
        }
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            for name, example in EXAMPLES.items():
                target = make(name, REPO / example, f"http://{host}:{port}", env)
                print(target.relative_to(REPO))
            example = REPO / EXAMPLES["aws-insecure-prod"]
            state = make_state("aws-insecure-prod", example, f"http://{host}:{port}", env)
            print(state.relative_to(REPO))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
