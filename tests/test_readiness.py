"""`anyscale-lint ready`: verdicts, checklist, register command and resource file, end to end."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from anyscale_lint.api import lint
from anyscale_lint.formatters.mermaid import FAIL_CLASS
from tests.conftest import REPO, run_cli

READY = REPO / "examples" / "aws-ready"
INSECURE = REPO / "examples" / "aws-insecure"
REQUIRED_FLAGS = {
    "name",
    "region",
    "vpc-id",
    "subnet-ids",
    "security-group-ids",
    "cloud-storage-bucket-name",
    "anyscale-iam-role-id",
    "instance-iam-role-id",
}
CHECKLIST_INPUTS = 12
OUTPUT_CALL = re.compile(r"^\$\(terraform output -raw ([a-z_]+)\)$")

MINIMAL_ROOT = """\
provider "aws" {
  region = "us-west-2"
}

variable "zones" {
  type = list(string)
}

resource "aws_iam_role" "control_plane" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "org_abc123-x1" } }
    }]
  })
}

resource "aws_s3_bucket" "anyscale" {
  bucket = "anyscale-minimal-data"
}

resource "aws_vpc" "anyscale" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.anyscale.id
  availability_zone = var.zones[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_security_group" "anyscale" {
  name   = "anyscale"
  vpc_id = aws_vpc.anyscale.id
}
"""


def ready_json(*args: str, cwd: Path = REPO) -> tuple[int, dict[str, Any]]:
    """Run `ready -f json` and return the exit code and the parsed report."""
    result = run_cli("ready", *args, "-f", "json", cwd=cwd)
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def copy_example(tmp_path: Path, source: Path = READY) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def only(report: dict[str, Any]) -> dict[str, Any]:
    assert len(report["deployments"]) == 1, [d["key"] for d in report["deployments"]]
    deployment: dict[str, Any] = report["deployments"][0]
    return deployment


def item(deployment: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in deployment["checklist"] if i["name"] == name)


def values(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["flag"]: v for v in deployment["register"]["values"]}


def test_ready_example_is_ready_with_a_complete_command() -> None:
    code, report = ready_json("examples/aws-ready")
    assert code == 0
    deployment = only(report)
    assert deployment["verdict"] == "READY" and report["verdict"] == "READY"
    planned = values(deployment)
    assert set(planned) >= REQUIRED_FLAGS
    assert deployment["register"]["placeholders"] == []
    # Every value is a literal or an output that holds exactly the part it is given for.
    model = lint([str(READY.relative_to(REPO))]).deployments[0].model
    outputs = {o.name: o.value for o in model.outputs if o.in_root}
    expected = {
        "vpc-id": "${module.network.aws_vpc.anyscale.id}",
        "security-group-ids": "${module.network.aws_security_group.anyscale.id}",
        "anyscale-iam-role-id": "${module.iam.aws_iam_role.control_plane.arn}",
        "instance-iam-role-id": "${module.iam.aws_iam_role.instance.arn}",
        "file-storage-id": "${module.services.aws_efs_file_system.anyscale.id}",
        "subnet-ids": ",".join(f"${{module.network.aws_subnet.private[{i}].id}}" for i in range(3)),
    }
    for flag, marker in expected.items():
        match = OUTPUT_CALL.match(planned[flag]["text"])
        assert match, (flag, planned[flag])
        # Outputs hold typed references; messages spell them as Terraform does.
        assert str(outputs[match.group(1)]) == marker, flag
    assert planned["cloud-storage-bucket-name"]["text"] == "northwind-anyscale-prod-usw2"
    assert planned["private-network"]["source"] == "flag"
    text = run_cli("ready", "examples/aws-ready")
    assert text.returncode == 0
    assert "Readiness: READY" in text.stdout
    assert "anyscale cloud register" in text.stdout and "<" not in text.stdout


def test_swapped_role_outputs_are_followed_by_value_and_caught_by_name(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    outputs = root / "outputs.tf"
    text = outputs.read_text()
    text = text.replace("module.iam.control_plane_role_arn\n}", "SWAP\n}", 1)
    text = text.replace(
        "module.iam.instance_role_arn\n}", "module.iam.control_plane_role_arn\n}", 1
    )
    text = text.replace("SWAP\n}", "module.iam.instance_role_arn\n}", 1)
    outputs.write_text(text)
    code, report = ready_json(str(root))
    planned = values(only(report))
    # The command reads each role from the output that really holds it ...
    assert (
        planned["anyscale-iam-role-id"]["text"] == "$(terraform output -raw instance_iam_role_arn)"
    )
    assert (
        planned["instance-iam-role-id"]["text"] == "$(terraform output -raw anyscale_iam_role_arn)"
    )
    # ... and a command that trusts the output names sees the mismatch.
    handwritten = (
        "anyscale cloud register --provider aws --name northwind-prod-usw2 --region us-west-2 "
        '--vpc-id "$(terraform output -raw vpc_id)" '
        '--subnet-ids "$(terraform output -raw anyscale_subnet_ids)" '
        '--security-group-ids "$(terraform output -raw security_group_id)" '
        "--cloud-storage-bucket-name northwind-anyscale-prod-usw2 "
        '--anyscale-iam-role-id "$(terraform output -raw anyscale_iam_role_arn)" '
        '--instance-iam-role-id "$(terraform output -raw instance_iam_role_arn)"'
    )
    code, report = ready_json(str(root), "--register-command", handwritten)
    assert code == 1
    deployment = only(report)
    assert deployment["verdict"] == "NOT READY"
    control = item(deployment, "control-plane role")
    assert control["status"] == "fail"
    assert any(
        line["rule_id"] == "AWS-REG-004" and "swapped" in line["message"]
        for line in control["rules"]
    )


def test_insecure_example_is_not_ready_with_failing_requirements_named() -> None:
    result = run_cli("ready", "examples/aws-insecure")
    assert result.returncode == 1
    assert "Readiness: NOT READY" in result.stdout
    for expected in ("AWS-SG-005", "AWS-IAM-001", "AWS-REG-002", "AWS-NET-001"):
        assert expected in result.stdout
    code, report = ready_json("examples/aws-insecure")
    assert code == 1
    # One report per deployment, each named by its root path.
    assert [d["key"] for d in report["deployments"]] == [
        "examples/aws-insecure/legacy",
        "examples/aws-insecure/prod",
        "examples/aws-insecure/sandbox",
    ]
    assert {d["verdict"] for d in report["deployments"]} == {"NOT READY"}
    sandbox = report["deployments"][2]
    assert item(sandbox, "security groups")["status"] == "not found"


def test_warnings_give_ready_with_warnings_and_strict_fails(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    storage = root / "modules" / "storage" / "main.tf"
    text = storage.read_text()
    assert 'expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length"]' in text
    storage.write_text(text.replace('"Content-Range", ', ""))
    code, report = ready_json(str(root))
    deployment = only(report)
    assert (code, deployment["verdict"]) == (0, "READY WITH WARNINGS")
    assert item(deployment, "S3 bucket")["status"] == "warn"
    assert any("AWS-S3-004" in reason for reason in deployment["reasons"])
    row = next(r for r in deployment["requirements"] if r["rule_id"] == "AWS-S3-004")
    assert row["anyscale_default"] == "prints a warning" and row["anyscale_strict"] == "fails"
    code, report = ready_json(str(root), "--strict")
    assert (code, only(report)["verdict"]) == (1, "NOT READY")


def test_missing_instance_role_and_unknown_subnets(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MINIMAL_ROOT)
    code, report = ready_json(str(tmp_path))
    deployment = only(report)
    assert code == 1 and deployment["verdict"] == "NOT READY"
    instance = item(deployment, "instance role")
    assert instance["status"] == "not found"
    assert "ec2.amazonaws.com" in instance["detail"]
    assert any(
        "instance role (--instance-iam-role-id) not found" in r for r in deployment["reasons"]
    )
    subnets = item(deployment, "subnets")
    assert "variable zones has no value" in subnets["detail"]
    multi_az = next(line for line in subnets["rules"] if line["rule_id"] == "AWS-NET-001")
    assert multi_az["outcome"] == "unknown" and "zones" in multi_az["message"]


def test_register_command_and_resource_file_contents() -> None:
    _, report = ready_json("examples/aws-ready")
    register = only(report)["register"]
    script = register["resource_file_script"]
    lines = script.splitlines()
    assert lines[0] == "cat > cloud.yaml <<EOF" and lines[-1] == "EOF"
    document = yaml.safe_load("\n".join(lines[1:-1]))
    assert document == register["resource_file"] | {
        "aws_config": {
            **register["resource_file"]["aws_config"],
            "subnet_ids": ["$(terraform output -raw anyscale_subnet_ids)"],
            "security_group_ids": ["$(terraform output -raw security_group_id)"],
        }
    }
    assert document["provider"] == "AWS" and document["networking_mode"] == "PRIVATE"
    assert document["object_storage"] == {"bucket_name": "s3://northwind-anyscale-prod-usw2"}
    config = document["aws_config"]
    assert config["zones"] == ["us-west-2a", "us-west-2b", "us-west-2c"]
    assert config["anyscale_iam_role_id"] == "$(terraform output -raw anyscale_iam_role_arn)"
    assert config["cluster_iam_role_id"] == "$(terraform output -raw instance_iam_role_arn)"
    assert config["external_id"] == "org_7c1kalm9wcx2bnij53gut4qp-9f3e6a21d4"
    assert config["memorydb_cluster_name"] == "anyscale-northwind-prod-usw2-gcs"
    assert document["file_storage"] == {
        "file_storage_id": "$(terraform output -raw efs_file_system_id)"
    }
    command = register["command"]
    assert command.startswith("anyscale cloud register \\\n  --provider aws")
    assert "--external-id org_7c1kalm9wcx2bnij53gut4qp-9f3e6a21d4" in command


def test_handwritten_command_with_a_public_subnet(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    with (root / "outputs.tf").open("a") as handle:
        handle.write(
            '\noutput "public_subnet_ids" {\n'
            '  value = join(",", module.network.public_subnet_ids)\n}\n'
        )
    script = tmp_path / "register.sh"
    script.write_text(
        "#!/bin/sh\nanyscale cloud register --provider aws --name x --region us-west-2 \\\n"
        '  --vpc-id "$(terraform output -raw vpc_id)" \\\n'
        '  --subnet-ids "$(terraform output -raw public_subnet_ids)" \\\n'
        '  --security-group-ids "$(terraform output -raw security_group_id)" \\\n'
        "  --cloud-storage-bucket-name northwind-anyscale-prod-usw2 \\\n"
        '  --anyscale-iam-role-id "$(terraform output -raw anyscale_iam_role_arn)" \\\n'
        '  --instance-iam-role-id "$(terraform output -raw instance_iam_role_arn)"\n'
    )
    code, report = ready_json(str(root), "--register-command", str(script))
    deployment = only(report)
    assert code == 1
    subnets = item(deployment, "subnets")
    messages = [line["message"] for line in subnets["rules"] if line["rule_id"] == "AWS-REG-004"]
    assert len(messages) == 3, subnets
    assert all("public utility subnet" in m for m in messages)
    assert all(
        line["location"].startswith(str(script))
        for line in subnets["rules"]
        if line["rule_id"] == "AWS-REG-004"
    )


def test_resource_file_with_swapped_roles(tmp_path: Path) -> None:
    resource_file = tmp_path / "cloud.yaml"
    resource_file.write_text(
        "name: northwind-prod-usw2\nprovider: AWS\nregion: us-west-2\n"
        "networking_mode: PRIVATE\n"
        "object_storage:\n  bucket_name: s3://northwind-anyscale-prod-usw2\n"
        "aws_config:\n"
        '  vpc_id: "$(terraform output -raw vpc_id)"\n'
        '  subnet_ids: ["$(terraform output -raw anyscale_subnet_ids)"]\n'
        '  security_group_ids: ["$(terraform output -raw security_group_id)"]\n'
        '  anyscale_iam_role_id: "$(terraform output -raw instance_iam_role_arn)"\n'
        '  cluster_iam_role_id: "$(terraform output -raw anyscale_iam_role_arn)"\n'
    )
    code, report = ready_json("examples/aws-ready", "--resource-file", str(resource_file))
    assert code == 1
    control = item(only(report), "control-plane role")
    swapped = [line for line in control["rules"] if "swapped" in line["message"]]
    assert swapped and swapped[0]["location"] == f"{resource_file}:11"


def test_json_report_validates_against_its_schema() -> None:
    schema = json.loads((REPO / "schemas" / "readiness.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for example in ("examples/aws-ready", "examples/aws-insecure"):
        _, report = ready_json(example)
        jsonschema.Draft202012Validator(schema).validate(report)


def failed_nodes(source: str) -> list[str]:
    """The labels of the diagram's nodes in the `fail` class."""
    classes = re.findall(rf"^\s*class (\S+) {FAIL_CLASS}$", source, re.MULTILINE)
    ids = {i for group in classes for i in group.split(",")}
    labels = re.findall(r'^\s*(n\d+)\W+"([^"]*)"', source, re.MULTILINE)
    return [label for node_id, label in labels if node_id in ids]


def _markdown_tables(text: str, heading: str) -> list[str]:
    section = text.split(heading, 1)[1].split("\n### ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ")]


@pytest.mark.parametrize(
    ("example", "failing"),
    [("examples/aws-ready", set()), ("examples/aws-insecure/prod", {"security group"})],
)
def test_markdown_structure(example: str, failing: set[str]) -> None:
    result = run_cli("ready", example, "-f", "markdown")
    text = result.stdout
    assert text.startswith("# Anyscale readiness: ")
    rows = _markdown_tables(text, "### Register inputs")
    assert len(rows) == CHECKLIST_INPUTS + 1  # the header row, then one row per input
    flags = [row.split("|")[2].strip().split()[0] for row in rows[1:]]
    assert "`--vpc-id`" in flags and "`--instance-iam-role-id`" in flags
    mermaid = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    marked = failed_nodes(mermaid)
    assert all(label.startswith("❌") for label in marked)
    if failing:
        assert any("security group" in label for label in marked), marked
        assert any("module.network.aws_subnet.private_b" in label for label in marked)
    else:
        assert marked == [] and "❌" not in mermaid


def test_scan_writes_the_readiness_report_without_changing_its_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "readiness.md"
    sarif = tmp_path / "results.sarif"
    result = run_cli(
        "scan", "examples/aws-ready", "-f", f"readiness:{target}", "-f", f"sarif:{sarif}"
    )
    assert result.returncode == 0
    assert target.read_text().startswith("# Anyscale readiness: ✅ READY")
    insecure = run_cli("scan", "examples/aws-insecure", "--exit-zero", "-f", f"readiness:{target}")
    assert insecure.returncode == 0
    assert "NOT READY" in target.read_text()


def test_bad_register_inputs_are_usage_or_input_errors(tmp_path: Path) -> None:
    result = run_cli("ready", "examples/aws-ready", "--register-command", "echo hello")
    assert result.returncode == 2
    assert "no `anyscale cloud register` command" in result.stderr
    assert "names no file" in result.stderr
    broken = tmp_path / "cloud.yaml"
    broken.write_text("name: [unclosed\n")
    result = run_cli("ready", "examples/aws-ready", "--resource-file", str(broken))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr + result.stdout


def test_a_zone_known_only_after_apply_is_a_placeholder_in_the_resource_file() -> None:
    # The zone comes from a data source: a partly known string, never written as YAML.
    root = "tests/fixtures/AWS-NET-001/fail/one_zone_from_data_source"
    _, report = ready_json(root)
    register = only(report)["register"]
    assert "<ZONE>" in register["resource_file"]["aws_config"]["zones"]
    assert "<ZONE>" in register["resource_file_script"]
