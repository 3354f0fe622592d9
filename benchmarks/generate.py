"""Seeded generator of Anyscale-like Terraform roots with planted mistakes and a manifest.

    python benchmarks/generate.py [--count 100] [--seed 20261202] [--out DIR]

Each root is an AWS deployment of an Anyscale cloud (control-plane role trusting Anyscale's
account with an external ID, node role and instance profile, bucket with CORS and policy, VPC
with private node subnets behind NAT, security group, optional EFS and MemoryDB, a register
command output) written in varied styles, with zero or more mistakes from SHAPES planted. Every
planted mistake is marked in the text with a `# mistake: <shape>` comment and listed in
`manifest.json` with the (rule, resource) failure it must produce; decoy roots list the rules
that must not fail. Root i depends only on (seed, i), so a corpus of 10 is the first 10 of 100.
The roots go to DIR/roots/ and the manifest to DIR/manifest.json (default DIR:
benchmarks/corpus/generated, not committed).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import hcl_network as net
import hcl_official as official
import hcl_parts as parts

DEFAULT_SEED = 20261202
DEFAULT_OUT = Path(__file__).resolve().parent / "corpus" / "generated"
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

SHAPES = {
    "cors_star": "bucket CORS rule allows origin *",
    "ssh_world": "security group opens SSH (22) to 0.0.0.0/0",
    "s3_star": "node role policy grants s3:* on *",
    "public_node_subnets": "node subnets map public IPs in private mode",
    "no_self_ingress": "security group lacks the all-traffic self ingress rule",
    "mistyped_trust": "control plane trusts a mistyped account; no register output, only "
    "outputs whose descriptions name the register flags",
    "two_deployments": "staging and prod side by side, each with a mistake of its own",
    "swapped_roles": "register output swaps the two role flags (with a mistyped trust)",
    official.SHAPE: "decoy: Anyscale's official root module by source, no .terraform/",
}
SIMPLE = ["cors_star", "ssh_world", "s3_star", "public_node_subnets", "no_self_ingress"]
# One transposition or one edit away from Anyscale's 525325868955.
TYPOS = ["525325868595", "552532586895", "525352868955", "525325869955"]
REGIONS = {
    "us-west-2": ["us-west-2a", "us-west-2b"],
    "us-east-1": ["us-east-1a", "us-east-1c"],
    "eu-west-1": ["eu-west-1a", "eu-west-1b"],
}


def marker(shape: str) -> str:
    """The comment that marks a planted mistake in the generated text."""
    return f" # mistake: {shape}"


@dataclass
class Root:
    """One generated root: its files and what the manifest says about it."""

    name: str
    kind: str  # clean, mistakes or decoy
    files: dict[str, str] = field(default_factory=dict)
    shapes: list[str] = field(default_factory=list)
    expected: list[dict[str, object]] = field(default_factory=list)
    must_not_fail: list[str] = field(default_factory=list)

    def add(self, name: str, text: str) -> None:
        """Append text to one of the root's files."""
        self.files[name] = self.files.get(name, "") + text

    def expect(self, shape: str, rule: str, resource: str, *also: str) -> None:
        """Record a planted failure; `also` lists addresses accepted as the same finding."""
        # `mistake` is what was planted (the `# mistake:` marker); `shape` is what recall is
        # scored under (a mistake inside one of two deployments scores as two_deployments).
        self.expected.append(
            {
                "shape": shape,
                "mistake": shape,
                "rule": rule,
                "resource": resource,
                "also": list(also),
            }
        )


@dataclass
class Style:
    """How one deployment is written."""

    trust: str
    principal: str
    permissions: str
    s3_access: str
    cors: str
    sg: str
    layout: str
    register: str
    bucket_flag: str


def _style(rng: random.Random) -> Style:
    return Style(
        trust=rng.choice(["policy_document", "jsonencode", "heredoc"]),
        principal=rng.choice(["arn", "arn", "bare", "variable"]),
        permissions=rng.choice(["policy_document", "heredoc"]),
        s3_access=rng.choice(["managed_policy", "inline"]),
        cors=rng.choice(["inline", "split"]),
        sg=rng.choice(["inline", "rules"]),
        layout=rng.choice(["single", "split", "split"]),
        register=rng.choice(["heredoc", "heredoc", "heredoc", "outputs"]),
        bucket_flag=rng.choice(["cloud-storage-bucket-name", "s3-bucket-id"]),
    )


def _file(style: Style, part: str) -> str:
    if style.layout == "single":
        return "outputs.tf" if part == "outputs" else "main.tf"
    return f"{part}.tf"


def _deployment(
    root: Root,
    rng: random.Random,
    region: str,
    suffix: str,
    planted: set[str],
    typo: str | None,
) -> None:
    """Write one deployment into root, planting `planted` and recording the expectations."""
    style = _style(rng)
    # A swap needs the register command; a mistyped trust has none; each of two deployments
    # in one root has its own.
    if "swapped_roles" in planted or suffix:
        style.register = "heredoc"
    elif "mistyped_trust" in planted:
        style.register = "outputs"
    control = rng.choice(["anyscale_control_plane", "control_plane", "cross_account"]) + suffix
    node = rng.choice(["cluster_node", "anyscale_instance", "ray_nodes"]) + suffix
    bucket = rng.choice(["anyscale", "artifacts", "logs"]) + suffix
    network = rng.choice(["anyscale", "main", "ray"]) + suffix
    group = rng.choice(["anyscale", "nodes", "cluster"]) + suffix
    prefix = f"{root.name}{suffix.replace('_', '-')}"
    account = typo or parts.ANYSCALE_ACCOUNT
    trust_shape = "swapped_roles" if "swapped_roles" in planted else "mistyped_trust"
    trust_marker = marker(trust_shape) if typo else ""
    principal = parts.trust_principal(account, style.principal)
    if style.principal == "variable" and not suffix:
        root.add(
            "variables.tf",
            f'\nvariable "anyscale_account_id" {{\n  type    = string\n'
            f'  default = "{account}"\n}}\n',
        )
    elif style.principal == "variable":
        principal = parts.trust_principal(account, "arn")
    iam = _file(style, "iam")
    root.add(
        iam,
        parts.control_plane_role(
            control,
            f"{prefix}-control-plane",
            principal,
            style.trust,
            "var.anyscale_external_id",
            trust_marker,
        ),
    )
    root.add(iam, parts.control_plane_permissions(control, node, style.permissions))
    root.add(iam, parts.node_role(node, f"{prefix}-cluster-node"))
    root.add(iam, parts.s3_access(suffix, control, node, bucket, style.s3_access))
    if typo:
        root.expect(trust_shape, "AWS-IAM-001", f"aws_iam_role.{control}")
    if "s3_star" in planted:
        root.add(iam, parts.s3_wildcard(node, marker("s3_star")))
        root.expect("s3_star", "AWS-IAM-009", f"aws_iam_role.{node}")

    storage = _file(style, "storage")
    cors_star = "cors_star" in planted
    origin = "*" if cors_star else "https://*.anyscale.com"
    root.add(
        storage,
        parts.bucket(
            bucket, f"{prefix}-bucket", origin, style.cors, marker("cors_star") if cors_star else ""
        ),
    )
    root.add(storage, parts.bucket_policy(bucket, control, node))
    if cors_star:
        root.expect("cors_star", "AWS-S3-005", f"aws_s3_bucket.{bucket}")

    public = "public_node_subnets" in planted
    network_file = _file(style, "network")
    root.add(
        network_file,
        net.vpc(
            network,
            rng.randrange(256),
            REGIONS[region],
            public,
            marker("public_node_subnets") if public else "",
        ),
    )
    if public:
        for index in (0, 1):
            root.expect(
                "public_node_subnets", "AWS-NET-002", f"aws_subnet.{network}_private[{index}]"
            )
    ssh, no_self = "ssh_world" in planted, "no_self_ingress" in planted
    root.add(
        _file(style, "security"),
        net.security_group(
            group,
            network,
            style.sg,
            not no_self,
            ssh,
            {"ssh_world": marker("ssh_world"), "no_self_ingress": marker("no_self_ingress")},
        ),
    )
    if ssh:
        also = [f"aws_security_group_rule.{group}_ssh"] if style.sg == "rules" else []
        root.expect("ssh_world", "AWS-SG-005", f"aws_security_group.{group}", *also)
    if no_self:
        root.expect("no_self_ingress", "AWS-SG-001", f"aws_security_group.{group}")
    with_efs, with_memorydb = rng.random() < 0.5, rng.random() < 0.3
    services = _file(style, "services")
    if with_efs:
        root.add(services, net.efs(f"anyscale{suffix}", network, group))
    if with_memorydb:
        root.add(services, net.memorydb(f"anyscale{suffix}", network, group))

    refs = {
        "vpc": f"aws_vpc.{network}.id",
        "subnets": f'join(",", aws_subnet.{network}_private[*].id)',
        "groups": f"aws_security_group.{group}.id",
        "bucket": f"aws_s3_bucket.{bucket}.id",
        "control": f"aws_iam_role.{control}.arn",
        "node": f"aws_iam_role.{node}.arn",
        "efs": f"aws_efs_file_system.anyscale{suffix}.id" if with_efs else None,
        "memorydb": f"aws_memorydb_cluster.anyscale{suffix}.name" if with_memorydb else None,
    }
    if "swapped_roles" in planted:
        refs["control"], refs["node"] = refs["node"], refs["control"]
        # The swap is one finding, whichever of the two roles it is reported against.
        root.expect(
            "swapped_roles", "AWS-REG-004", f"aws_iam_role.{node}", f"aws_iam_role.{control}"
        )
    outputs = _file(style, "outputs")
    if style.register == "heredoc":
        root.add(outputs, _register_output(suffix, prefix, refs, style, planted))
    else:
        root.add(outputs, _described_outputs(suffix, refs))
    root.add(
        _file(style, "providers") if style.layout == "split" else "main.tf",
        "" if suffix and suffix != "_staging" else _provider(region),
    )


def _provider(region: str) -> str:
    return (
        f'\nprovider "aws" {{\n  region = var.region\n}}\n'
        f'\nvariable "region" {{\n  type    = string\n  default = "{region}"\n}}\n'
    )


def _register_output(
    suffix: str,
    prefix: str,
    refs: dict[str, str | None],
    style: Style,
    planted: set[str],
) -> str:
    swap = marker("swapped_roles") if "swapped_roles" in planted else ""
    lines = [
        "anyscale cloud register --provider aws",
        f"--name {prefix}",
        "--region ${var.region}",
        f"--vpc-id ${{{refs['vpc']}}}",
        f"--subnet-ids ${{{refs['subnets']}}}",
        f"--security-group-ids ${{{refs['groups']}}}",
        f"--{style.bucket_flag} ${{{refs['bucket']}}}",
        f"--anyscale-iam-role-id ${{{refs['control']}}}",
        f"--instance-iam-role-id ${{{refs['node']}}}",
    ]
    if refs["efs"]:
        lines.append(f"--file-storage-id ${{{refs['efs']}}}")
    if refs["memorydb"]:
        lines.append(f"--memorydb-cluster-id ${{{refs['memorydb']}}}")
    lines += ["--private-network", "--external-id ${var.anyscale_external_id}"]
    body = " \\\n".join("    " + ("" if i == 0 else "  ") + line for i, line in enumerate(lines))
    return (
        f'\noutput "anyscale_register_command{suffix}" {{{swap}\n'
        '  description = "Run once after terraform apply to register the cloud."\n'
        f"  value       = <<-EOT\n{body}\n  EOT\n}}\n"
    )


def _described_outputs(suffix: str, refs: dict[str, str | None]) -> str:
    table = [
        ("anyscale_iam_role_arn", "control", "--anyscale-iam-role-id"),
        ("instance_iam_role_arn", "node", "--instance-iam-role-id"),
        ("vpc_id", "vpc", "--vpc-id"),
        ("subnet_ids", "subnets", "--subnet-ids"),
        ("security_group_ids", "groups", "--security-group-ids"),
        ("s3_bucket_id", "bucket", "--s3-bucket-id"),
        ("efs_id", "efs", "--efs-id"),
        ("memorydb_cluster_id", "memorydb", "--memorydb-cluster-id"),
    ]
    text = ""
    for name, key, flag in table:
        value = refs[key]
        if value is None:
            continue
        text += (
            f'\noutput "{name}{suffix}" {{\n'
            f'  description = "Pass to anyscale cloud register {flag}."\n'
            f"  value       = {value}\n}}\n"
        )
    return text


def _variables(root: Root, rng: random.Random) -> None:
    org = "org_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(20))
    suffix = f"{rng.randrange(16**10):010x}"
    root.add(
        "variables.tf",
        f'\nvariable "anyscale_external_id" {{\n'
        f'  description = "Org-prefixed external ID Anyscale presents when assuming the role."\n'
        f"  type        = string\n"
        f'  default     = "{org}-{suffix}"\n}}\n'
        f'\nvariable "customer_ingress_cidr_ranges" {{\n'
        f'  description = "Corporate ranges allowed to reach clusters on HTTPS 443."\n'
        f"  type        = list(string)\n"
        f'  default     = ["10.{rng.randrange(1, 250)}.0.0/16"]\n}}\n',
    )
    root.add(
        "versions.tf",
        '\nterraform {\n  required_version = ">= 1.5"\n\n  required_providers {\n'
        '    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.0"\n    }\n'
        "  }\n}\n",
    )


def _official_modules(root: Root, rng: random.Random, region: str) -> None:
    """A deployment made of Anyscale's official modules, called by source, nothing downloaded."""
    root.add("main.tf", _provider(region) + official.official_root(root.name, rng, region))
    root.shapes.append(official.SHAPE)


def all_rule_ids() -> list[str]:
    """Every rule ID of the project (rules/*.yaml): a decoy root must fail none of them."""
    return sorted(path.stem for path in RULES_DIR.glob("*.yaml"))


def build_root(seed: int, index: int) -> Root:
    """Root `index` of the corpus for `seed` (independent of every other root)."""
    rng = random.Random(f"{seed}-{index}")
    draw = rng.random()
    root = Root(name=f"root-{index:04d}", kind="mistakes")
    _variables(root, rng)
    region = rng.choice(sorted(REGIONS))
    if draw < 0.10:
        root.kind = "decoy"
        _official_modules(root, rng, region)
        root.must_not_fail = [r for r in all_rule_ids() if r not in official.DIVERGENCES]
        return root
    if draw < 0.30:
        root.kind = "clean"
        _deployment(root, rng, region, "", set(), None)
        return root
    structural = rng.choice(["", "", "mistyped_trust", "two_deployments", "swapped_roles"])
    simple = set(rng.sample(SIMPLE, rng.randint(0 if structural else 1, 2)))
    if structural == "two_deployments":
        first, second = rng.sample(SIMPLE, 2)
        _deployment(root, rng, region, "_staging", {first}, None)
        _deployment(root, rng, region, "_prod", {second}, None)
        for entry in root.expected:
            entry["shape"] = "two_deployments"
        root.shapes = ["two_deployments"]
        return root
    typo = rng.choice(TYPOS) if structural in ("mistyped_trust", "swapped_roles") else None
    planted = simple | ({structural} if structural else set())
    _deployment(root, rng, region, "", planted, typo)
    root.shapes = sorted(planted)
    return root


def generate(out: Path, count: int, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write `count` roots under out/roots and out/manifest.json (replacing out); return it."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "roots").mkdir(parents=True)
    roots = []
    for index in range(count):
        root = build_root(seed, index)
        for name, text in sorted(root.files.items()):
            path = out / "roots" / root.name / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.lstrip("\n"), encoding="utf-8")
        roots.append(
            {
                "root": root.name,
                "kind": root.kind,
                "shapes": root.shapes,
                "expected": root.expected,
                "must_not_fail": root.must_not_fail,
            }
        )
    manifest = {"seed": seed, "count": count, "shapes": SHAPES, "roots": roots}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    """Parse the arguments and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="number of roots (default 100)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus directory")
    arguments = parser.parse_args()
    manifest = generate(arguments.out, arguments.count, arguments.seed)
    roots: list[dict[str, list[object]]] = manifest["roots"]  # type: ignore[assignment]
    planted = sum(len(root["expected"]) for root in roots)
    print(f"{arguments.count} roots, {planted} planted failures: {arguments.out}")


if __name__ == "__main__":
    main()
