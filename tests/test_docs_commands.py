"""Every command shown in the README and docs/ is classified, and the offline ones run as written.

Commands are taken from shell blocks (``sh``, ``bash``, ``console``; ``$ `` lines of ``text``
blocks), the ``script:``/``run:`` steps of YAML blocks and inline code that starts with a
program. Each one must be in COMMANDS: either run in a scratch directory holding the bundled
examples (with this checkout's console script on PATH) and checked against what the docs say,
or skipped with the reason. A new command in the docs fails here until it is classified.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
SHELL_BLOCKS = frozenset({"sh", "bash", "shell", "console", "shell-session", "zsh"})
YAML_BLOCKS = frozenset({"yaml", "yml"})
OPENING = re.compile(r"^\s*(`{3,}|~{3,})\s*([^\s`]*)")
CLOSING = re.compile(r"^\s*(`{3,}|~{3,})\s*$")
INLINE = re.compile(r"`([^`\n]+)`")
# Inline code is a command when it starts with a program and passes it something.
PROGRAM = re.compile(r"^(anyscale-lint|python3?|pip|pre-commit|\.venv/bin/\S+)\s+\S")
COMMENT = re.compile(r"\s+#(\s.*)?$")
STEP_KEYS = frozenset({"script", "before_script", "after_script", "run"})
REPOSITORY = "https://github.com/anyscale-lint/anyscale-lint"
# Until a release exists a pin is a commit: the placeholder the docs show, or a real SHA.
COMMIT_PIN = re.compile(r"^(<commit SHA>|[0-9a-f]{40})$")


@dataclass(frozen=True)
class Run:
    """Run the command (or `instead`, the part that can run offline) and check the docs' claim."""

    exits: frozenset[int]
    files: tuple[str, ...] = ()
    output: str = ""
    instead: str = ""


@dataclass(frozen=True)
class Skip:
    """Not run offline, and why."""

    reason: str


SCANS = frozenset({0, 1})  # findings or none; 2 (usage) and 3 (unreadable input) never are.
LIVE = Skip("reads a live AWS account (network, credentials); tests/test_live_moto.py runs live")
GCP_LIVE = Skip(
    "reads a live GCP project (network, credentials); tests/test_live_gcp*.py run live against "
    "a fake of the Google APIs"
)
INSTALLS = Skip("creates a venv and installs from a package index (network)")
LONG = Skip("a long run (minutes), not a check of the docs")
# Tools the docs install beside anyscale-lint (into their own venv) to compare with.
OTHER_TOOLS = frozenset({"checkov"})

# Run in this order: --write-baseline records the baseline the next two commands read.
COMMANDS: dict[str, Run | Skip] = {
    # README: the quick start.
    "python3 -m venv .venv && .venv/bin/pip install . && "
    ".venv/bin/anyscale-lint scan examples/aws-insecure": Run(
        frozenset({1}), instead=".venv/bin/anyscale-lint scan examples/aws-insecure"
    ),
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
    ".venv/bin/python -m pytest -q": Skip(
        "installs the test extras (network) and runs the whole suite, this test included"
    ),
    # README: usage (infra/ is a copy of examples/aws-insecure/prod).
    "anyscale-lint scan infra/": Run(SCANS),
    "anyscale-lint scan infra/ -f text -f sarif:results.sarif": Run(SCANS, ("results.sarif",)),
    "anyscale-lint scan policies/trust.json policies/node.json": Run(SCANS),
    "anyscale-lint scan infra/ --var-file prod.tfvars --var region=us-west-2": Run(SCANS),
    "anyscale-lint rules": Run(frozenset({0}), output="AWS-SG-001"),
    "anyscale-lint explain AWS-SG-001": Run(frozenset({0}), output="AWS-SG-001"),
    "anyscale-lint scan --help": Run(frozenset({0}), output="--fail-on"),
    "anyscale-lint explain ID": Skip(
        "ID is a placeholder; `anyscale-lint explain AWS-SG-001` runs"
    ),
    "anyscale-lint scan FILE": Skip("FILE is a placeholder (a snapshot written by live)"),
    "anyscale-lint scan --changed-only": Skip(
        "the hooks' entry; pre-commit appends the staged files (tests/test_precommit.py runs it)"
    ),
    # README: readiness.
    "anyscale-lint ready examples/aws-ready": Run(frozenset({0}), output="READY"),
    "anyscale-lint ready examples/aws-insecure/prod -f markdown": Run(
        frozenset({1}), output="# Anyscale readiness: ❌ NOT READY"
    ),
    "anyscale-lint ready infra/": Run(SCANS),
    "anyscale-lint ready infra/ -f markdown -o readiness.md": Run(SCANS, ("readiness.md",)),
    "anyscale-lint ready infra/ -f json": Run(SCANS, output='"verdict"'),
    'anyscale-lint ready infra/ --register-command "$(cat register.sh)"': Run(SCANS),
    "anyscale-lint ready infra/ --resource-file cloud.yaml": Run(SCANS),
    "anyscale-lint ready --register-command": Skip("an option named in prose, without its value"),
    "anyscale-lint scan infra/ -f readiness:readiness.md -f sarif:results.sarif": Run(
        SCANS, ("readiness.md", "results.sarif")
    ),
    # README and docs/live.md: live audits.
    "anyscale-lint live --region us-west-2 --vpc-id vpc-... ...": LIVE,
    "anyscale-lint live --region us-west-2 --name northwind-prod-usw2 --private-network "
    "--vpc-id vpc-0d3... --subnet-ids subnet-a...,subnet-b...,subnet-c... "
    "--security-group-ids sg-0e4... --s3-bucket-id northwind-anyscale-prod "
    "--anyscale-iam-role-id arn:aws:iam::123456789012:role/x "
    "--instance-iam-role-id arn:aws:iam::123456789012:role/y --efs-id fs-... "
    "--memorydb-cluster-id NAME": LIVE,
    "anyscale-lint live --region us-west-2 --resource-file cloud.yaml": LIVE,
    "anyscale-lint live --region us-west-2 --tag anyscale-cloud-id=cld_123": LIVE,
    "anyscale-lint live ... --profile prod --role-arn arn:aws:iam::...:role/audit "
    "--external-id X": LIVE,
    "anyscale-lint ready --live --region us-west-2 ...": LIVE,
    "anyscale-lint live ... --save-snapshot state.json && anyscale-lint scan state.json": LIVE,
    "anyscale-lint live --region us-west-2 ... --select AWS-SG,AWS-S3,AWS-MDB": LIVE,
    "anyscale-lint ready --live --region us-west-2 --name northwind-prod-usw2 --private-network "
    "--vpc-id ... --memorydb-cluster-id anyscale-northwind-prod-usw2-gcs": LIVE,
    "anyscale-lint live --provider aws --region us-west-2 --vpc-id vpc-0a1b... "
    "--subnet-ids subnet-a,subnet-b --security-group-ids sg-0c1d... --s3-bucket-id my-bucket "
    "--anyscale-iam-role-id arn:aws:iam::111122223333:role/anyscale-cp "
    "--instance-iam-role-id arn:aws:iam::111122223333:role/anyscale-node "
    "[--efs-id fs-...] [--memorydb-cluster-id NAME] [--name CLOUD] [--private-network]": LIVE,
    "anyscale-lint live --region us-west-2 --vpc-id vpc-0a1b... --private-network": LIVE,
    "anyscale-lint live ... -f readiness": LIVE,
    "anyscale-lint live": Skip("the subcommand's name in prose"),
    "anyscale-lint live --provider gcp": Skip("the command's name in prose"),
    # docs/live.md: the example live --provider gcp is compared with (it passes every rule).
    "anyscale-lint scan examples/gcp-ready": Run(frozenset({0})),
    "anyscale-lint live --provider gcp --project-id P --region us-central1 ...": GCP_LIVE,
    "anyscale-lint live --provider gcp --project-id acme-anyscale-prod --region us-central1 "
    "--name acme-prod --private-network --vpc-name anyscale-vpc --subnet-names anyscale-nodes "
    "--firewall-policy-names anyscale-firewall-policy "
    "--anyscale-service-account-email anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com "
    "--instance-service-account-email anyscale-cluster@acme-anyscale-prod.iam.gserviceaccount.com "
    "--provider-name projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool/"
    "providers/anyscale-access --cloud-storage-bucket-name acme-anyscale-prod-storage "
    "--file-storage-id anyscale-filestore --filestore-location us-central1-b "
    "--memorystore-instance-name "
    "projects/acme-anyscale-prod/locations/us-central1/instances/anyscale-redis": GCP_LIVE,
    "anyscale-lint live --provider gcp --project-id acme-anyscale-prod --region us-central1 "
    "--vpc-name anyscale-vpc": GCP_LIVE,
    "anyscale-lint live --provider gcp ... "
    "--impersonate-service-account auditor@acme-admin.iam.gserviceaccount.com": GCP_LIVE,
    "anyscale-lint live --provider gcp ... --save-snapshot state.json && "
    "anyscale-lint scan state.json": GCP_LIVE,
    "anyscale-lint ready --live --provider gcp --project-id acme-anyscale-prod "
    "--region us-central1 ...": GCP_LIVE,
    "anyscale-lint scan plan.json": Skip(
        "needs a plan made by terraform; tests/test_plan_json.py scans real plans of the examples"
    ),
    # docs/performance.md: the benchmark and its comparison with Checkov.
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'": INSTALLS,
    ".venv/bin/python benchmarks/generate.py --count 100": Skip(
        "writes the corpus under benchmarks/; tests/test_benchmark_generator.py runs the generator"
    ),
    ".venv/bin/python benchmarks/recall.py": LONG,
    "python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install checkov": INSTALLS,
    ".venv/bin/python benchmarks/compare.py --checkov /tmp/checkov-venv/bin/checkov": LONG,
    ".venv/bin/python benchmarks/compare.py --checkov /tmp/checkov-venv/bin/checkov --sizes "
    "10,100,1000": LONG,
    ".venv/bin/python benchmarks/run.py --runs 5": LONG,
    "anyscale-lint scan": Skip("the command's name in prose"),
    "anyscale-lint scan -f json": Skip("a command named in prose (the benchmark runs it)"),
    "anyscale-lint scan -f json -o ours.json roots": Skip(
        "a command named in prose (the benchmark runs it on its corpus)"
    ),
    # Prints a policy (a custom role for GCP) without calling AWS or Google.
    "anyscale-lint live --print-required-permissions": Run(frozenset({0}), output='"Statement"'),
    "anyscale-lint live --provider gcp --print-required-permissions": Run(
        frozenset({0}), output='"includedPermissions"'
    ),
    "MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p 5055 &": Skip(
        "starts a server in the background for a manual try; tests/test_live_moto.py does it"
    ),
    "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing python -m tests.live_seed "
    "http://127.0.0.1:5055": Skip("needs the moto server the line above starts"),
    # docs/ci.md (and the install lines it shares with docs/live.md and the README).
    "anyscale-lint scan infra/ --write-baseline .anyscale-lint-baseline.json": Run(
        frozenset({0}), (".anyscale-lint-baseline.json",)
    ),
    "anyscale-lint scan infra/ --baseline .anyscale-lint-baseline.json": Run(frozenset({0})),
    "anyscale-lint scan infra/ --baseline .anyscale-lint-baseline.json --update-baseline": Run(
        frozenset({0})
    ),
    "python3 -m venv .venv && .venv/bin/pip install ./anyscale-lint": INSTALLS,
    ".venv/bin/anyscale-lint scan infra/ -f text -f json:report.json -f sarif:report.sarif": Run(
        SCANS, ("report.json", "report.sarif")
    ),
    ".venv/bin/anyscale-lint ready infra/ -f markdown -o readiness.md": Run(
        SCANS, ("readiness.md",)
    ),
    f'pip install --quiet "git+{REPOSITORY}@<commit SHA>"': INSTALLS,
    "anyscale-lint scan infra/ -f text -f junit:anyscale-lint.junit.xml "
    "-f readiness:readiness.md": Run(SCANS, ("anyscale-lint.junit.xml", "readiness.md")),
    "pip install '.[aws]'": INSTALLS,
    "pip install '.[gcp]'": INSTALLS,
    # docs/rules/CORE-001.md: policy.json in the scratch directory has a JSON error.
    "python -m json.tool policy.json": Run(frozenset({1}), output="line 3 column"),
    # README: development.
    "python -m anyscale_lint.docs_gen": Skip(
        "rewrites docs/ in the checkout; tests/test_architecture.py checks they are current"
    ),
    "python scripts/generate_action_table.py": Skip(
        "rewrites a committed table; tests/test_iam_actions.py runs its --check"
    ),
    "python scripts/generate_managed_policies.py": Skip(
        "rewrites a committed table; tests/test_managed_policies.py runs its --check"
    ),
    "python scripts/fuzz.py --count 20000 --seed 1 --timeout 10 --workers 2 "
    "--save fuzz-failures": LONG,
    "python benchmarks/run.py": LONG,
    "python benchmarks/hostile.py": LONG,
}


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string, first body line and body."""

    path: Path
    info: str
    line: int
    body: list[str]


def _blocks(path: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown file, and its numbered lines outside them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        opening = OPENING.match(lines[index])
        if opening is None:
            prose.append((index + 1, lines[index]))
            index += 1
            continue
        fence, info, start = opening.group(1), opening.group(2).lower(), index + 1
        index += 1
        # A fence closes only with the same character, at least as long (```` holds ```).
        while index < len(lines):
            closing = CLOSING.match(lines[index])
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                break
            index += 1
        blocks.append(Block(path, info, start + 1, lines[start:index]))
        index += 1
    return blocks, prose


def _normal(command: str) -> str:
    """A command without its trailing comment, whitespace collapsed."""
    return " ".join(COMMENT.sub("", command).split())


def _shell_commands(block: Block) -> Iterator[str]:
    """The commands of a shell block (continuation lines joined) or `$ ` lines of a text block."""
    pending = ""
    for raw in block.body:
        line = raw.strip()
        if block.info in SHELL_BLOCKS and block.info != "console":
            if not pending and (not line or line.startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            yield _normal(pending + line)
            pending = ""
        elif line.startswith("$ "):
            yield _normal(line[2:])


def _steps(value: Any) -> Iterator[str]:
    """The `script:`/`run:` commands anywhere in a parsed CI YAML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in STEP_KEYS:
                for step in item if isinstance(item, list) else [item]:
                    yield from (_normal(line) for line in str(step).splitlines() if line.strip())
            else:
                yield from _steps(item)
    elif isinstance(value, list):
        for item in value:
            yield from _steps(item)


def _yaml_documents() -> Iterator[tuple[str, Any]]:
    for path in DOCS:
        for block in _blocks(path)[0]:
            if block.info in YAML_BLOCKS:
                yield (
                    f"{path.relative_to(REPO)}:{block.line}",
                    yaml.safe_load("\n".join(block.body)),
                )


def doc_commands() -> dict[str, str]:
    """Every command in the README and docs/, with where it first appears."""
    found: dict[str, str] = {}
    for path in DOCS:
        blocks, prose = _blocks(path)
        name = str(path.relative_to(REPO))
        for block in blocks:
            if block.info in SHELL_BLOCKS or block.info in {"text", ""}:
                for command in _shell_commands(block):
                    found.setdefault(command, f"{name}:{block.line}")
        for number, line in prose:
            for span in INLINE.findall(line):
                if PROGRAM.match(span):
                    found.setdefault(_normal(span), f"{name}:{number} (inline)")
    for where, document in _yaml_documents():
        for command in _steps(document):
            found.setdefault(command, where)
    return found


def test_every_command_in_the_docs_is_classified() -> None:
    found = doc_commands()
    unclassified = [
        f"{where}: {command}" for command, where in found.items() if command not in COMMANDS
    ]
    assert not unclassified, "classify in tests/test_docs_commands.py:\n" + "\n".join(unclassified)
    stale = sorted(set(COMMANDS) - set(found))
    assert not stale, f"no longer in the docs: {stale}"


def _sandbox(directory: Path) -> Path:
    """A scratch directory with what the documented commands name (infra/, policies/, ...)."""
    shutil.copytree(REPO / "examples", directory / "examples")
    shutil.copytree(REPO / "examples" / "aws-insecure" / "prod", directory / "infra")
    # `.venv/bin/anyscale-lint` in the docs: the environment running this test.
    (directory / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (directory / "prod.tfvars").write_text('cloud_name = "northwind-prod-usw2"\n')
    (directory / "policy.json").write_text('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}\n')
    (directory / "register.sh").write_text(
        "anyscale cloud register --provider aws --name northwind-prod-usw2 --region us-west-2 \\\n"
        "  --vpc-id vpc-0d3f1e2a4b5c6d7e8 --subnet-ids subnet-0a1b2c3d,subnet-0e4f5a6b \\\n"
        "  --security-group-ids sg-0e4d3c2b1a --cloud-storage-bucket-name northwind-anyscale-prod"
        " \\\n  --anyscale-iam-role-id arn:aws:iam::123456789012:role/northwind-anyscale-cp \\\n"
        "  --instance-iam-role-id arn:aws:iam::123456789012:role/northwind-anyscale-node \\\n"
        "  --private-network --external-id org_7c1d2e3f4a5b6c7d8e9f0a1b-prod\n"
    )
    (directory / "cloud.yaml").write_text(
        "name: northwind-prod-usw2\nprovider: AWS\ncompute_stack: VM\nregion: us-west-2\n"
        "networking_mode: PRIVATE\nobject_storage:\n  bucket_name: s3://northwind-anyscale-prod\n"
        "aws_config:\n  vpc_id: vpc-0d3f1e2a4b5c6d7e8\n  subnet_ids: [subnet-0a1b2c3d]\n"
        "  security_group_ids: [sg-0e4d3c2b1a]\n"
        "  anyscale_iam_role_id: arn:aws:iam::123456789012:role/northwind-anyscale-cp\n"
        "  cluster_iam_role_id: arn:aws:iam::123456789012:role/northwind-anyscale-node\n"
    )
    policies = directory / "policies"
    policies.mkdir()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::525325868955:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "org_7c1d2e3f4a5b6c7d-prod"}},
            }
        ],
    }
    node = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::northwind-anyscale-prod/*"],
            }
        ],
    }
    (policies / "trust.json").write_text(json.dumps(trust, indent=2))
    (policies / "node.json").write_text(json.dumps(node, indent=2))
    return directory


def test_offline_commands_run_as_documented(tmp_path: Path) -> None:
    directory = _sandbox(tmp_path / "work")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        # The console script imports this checkout, wherever the environment installed it.
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
    }
    documented = doc_commands()
    problems: list[str] = []
    for command, entry in COMMANDS.items():
        if not isinstance(entry, Run) or command not in documented:
            continue
        for name in entry.files:
            (directory / name).unlink(
                missing_ok=True
            )  # written by this command, not an earlier one
        result = subprocess.run(
            ["bash", "-c", entry.instead or command],
            cwd=directory,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        where = f"{documented[command]}: {command}"
        if result.returncode not in entry.exits:
            problems.append(
                f"{where}: exit {result.returncode}, expected {sorted(entry.exits)}\n"
                f"{result.stderr[-800:]}"
            )
        if entry.output and entry.output not in result.stdout + result.stderr:
            problems.append(f"{where}: output lacks {entry.output!r}")
        problems.extend(
            f"{where}: did not write {name}"
            for name in entry.files
            if not (directory / name).is_file()
        )
    assert not problems, "\n".join(problems)


def test_precommit_snippets_pin_a_commit_and_name_real_hooks() -> None:
    hooks = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    snippets = 0
    for where, document in _yaml_documents():
        if not isinstance(document, dict) or "repos" not in document:
            continue
        for repo in document["repos"]:
            if repo["repo"] != REPOSITORY:
                continue
            snippets += 1
            assert COMMIT_PIN.match(str(repo["rev"])), f"{where}: rev {repo['rev']} (no tags yet)"
            assert {hook["id"] for hook in repo["hooks"]} <= hooks, where
    assert snippets >= 2  # the README's and docs/ci.md's


def test_action_snippets_pin_a_commit_and_use_declared_inputs() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    inputs, outputs = set(action["inputs"]), set(action["outputs"])
    snippets = 0
    for where, document in _yaml_documents():
        if not isinstance(document, dict) or "jobs" not in document:
            continue
        for job in document["jobs"].values():
            for step in job["steps"]:
                used = str(step.get("uses", ""))
                if not used.startswith("anyscale-lint/anyscale-lint@"):
                    continue
                snippets += 1
                assert COMMIT_PIN.match(used.partition("@")[2]), f"{where}: {used}"
                assert set(step.get("with", {})) <= inputs, where
        named = set(re.findall(r"steps\.lint\.outputs\.([\w-]+)", json.dumps(document)))
        assert named <= outputs, f"{where}: {named - outputs}"
    assert snippets >= 2


def test_installs_come_from_a_checkout_or_a_pinned_commit() -> None:
    # No release is published: `pip install anyscale-lint` would fetch someone else's package.
    wrong = [
        f"{where}: {command}"
        for command, where in doc_commands().items()
        for source in re.findall(r"pip install (?:-\S+ )*(\S+)", command)
        if not source.strip("'\"").startswith((".", f"git+{REPOSITORY}@"))
        # Other tools the docs compare with are installed from the index by their own name.
        and source not in OTHER_TOOLS
    ]
    assert not wrong, "\n".join(wrong)
