"""Wall-time benchmarks of the installed `anyscale-lint` on a fixed, generated corpus.

    python benchmarks/run.py [--runs 7]
    python benchmarks/run.py --checkov PATH [--sizes 10,100,1000] [--runs 1]

The corpus is generated from a fixed seed into benchmarks/corpus/ (not committed): a
one-file module, the bundled examples, and a tree of 50 roots; the pre-commit hook's row
scans a temporary git repository holding a copy of examples/aws-insecure. Each command runs
once to warm up, then --runs times; the table shows the median and the spread.

With --checkov (the checkov executable of its own virtualenv) it runs the comparison of
benchmarks/compare.py instead: both tools on the seeded corpus of generate.py, interleaved.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import compare

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
REPO = ROOT.parent

ONE_FILE = """
provider "aws" {{ region = "us-west-2" }}

variable "external_id" {{ default = "org_{org}-{suffix}" }}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::525325868955:root"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }}
  }}
}}

resource "aws_iam_role" "control_plane" {{
  name               = "anyscale-cp-{suffix}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}

resource "aws_s3_bucket" "data" {{ bucket = "anyscale-data-{suffix}" }}

resource "aws_iam_role_policy" "s3" {{
  role = aws_iam_role.control_plane.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject", "s3:ListBucket"]
      Resource = [aws_s3_bucket.data.arn, "${{aws_s3_bucket.data.arn}}/*"]
    }}]
  }})
}}

resource "aws_vpc" "main" {{ cidr_block = "10.{net}.0.0/16" }}

resource "aws_subnet" "private" {{
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-west-2a", "us-west-2b"][count.index]
}}

resource "aws_security_group" "nodes" {{
  vpc_id = aws_vpc.main.id
  ingress {{
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }}
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}
"""


def generate() -> dict[str, Path]:
    """Write the corpus (deterministic for a given seed) and return the scan targets."""
    rng = random.Random(20261125)
    shutil.rmtree(CORPUS, ignore_errors=True)
    one = CORPUS / "one-file"
    one.mkdir(parents=True)
    (one / "main.tf").write_text(
        ONE_FILE.format(org="abc", suffix="bench", net=10, port=443, cidr="10.20.0.0/16")
    )
    tree = CORPUS / "tree-50-roots"
    for index in range(50):
        root = tree / f"env-{index:02d}"
        root.mkdir(parents=True)
        text = ONE_FILE.format(
            org=f"o{rng.randrange(10**6)}",
            suffix=f"r{index}",
            net=rng.randrange(256),
            port=rng.choice([22, 443, 443, 8265]),
            cidr=rng.choice(["0.0.0.0/0", "10.0.0.0/8", "192.168.0.0/16"]),
        )
        (root / "main.tf").write_text(text)
    return {
        "one-file": one,
        "examples/aws-insecure": REPO / "examples" / "aws-insecure",
        "tree-50-roots": tree,
    }


def hook_files() -> list[str]:
    """A git repository holding aws-insecure: the files `pre-commit run --all-files` would pass."""
    repository = Path(tempfile.mkdtemp(prefix="anyscale-lint-hook-"))
    shutil.copytree(REPO / "examples" / "aws-insecure", repository / "aws-insecure")
    # The git root bounds where --changed-only looks for the roots that call a module.
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    suffixes = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".tmpl")
    return sorted(str(p) for p in repository.rglob("*") if p.name.endswith(suffixes))


def timed(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Wall times of `runs` executions after one warm-up."""
    subprocess.run(command, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Generate the corpus, time each command and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, help="timed runs per command (default 7; 1 with --checkov)"
    )
    parser.add_argument("--checkov", help="compare with this checkov executable (compare.py)")
    parser.add_argument("--sizes", default="10,100,1000", help="with --checkov: root counts")
    arguments = parser.parse_args()
    if arguments.checkov:
        runs = str(arguments.runs or 1)
        compare.main(["--checkov", arguments.checkov, "--sizes", arguments.sizes, "--runs", runs])
        return
    arguments.runs = arguments.runs or 7
    script = str(Path(sys.executable).parent / "anyscale-lint")
    targets = generate()
    # As in a normal installation, compiled bytecode is cached (pip writes it at install time;
    # some shells export PYTHONDONTWRITEBYTECODE, which would recompile every module per run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    cold_cache = tempfile.mkdtemp(prefix="anyscale-lint-cold-")
    cases = [
        ("--version", [script, "--version"], env),
        ("scan one-file (cache warm)", [script, "scan", str(targets["one-file"])], env),
        (
            "scan one-file (no cache)",
            [script, "scan", str(targets["one-file"])],
            {**env, "ANYSCALE_LINT_NO_CACHE": "1"},
        ),
        (
            "scan one-file (empty cache dir)",
            [script, "scan", str(targets["one-file"])],
            {**env, "ANYSCALE_LINT_CACHE_DIR": cold_cache},
        ),
        (
            "scan examples/aws-insecure",
            [script, "scan", str(targets["examples/aws-insecure"])],
            env,
        ),
        ("scan tree of 50 roots", [script, "scan", str(targets["tree-50-roots"])], env),
        (
            "hook: scan --changed-only aws-insecure",
            [script, "scan", "--changed-only", *hook_files()],
            env,
        ),
    ]
    runs, cores = arguments.runs, os.cpu_count()
    print(f"anyscale-lint benchmarks: median of {runs} runs after 1 warm-up, {cores} cores")
    print(f"{'command':<38} {'median s':>9} {'min s':>7} {'max s':>7}")
    for label, command, environment in cases:
        if "empty cache dir" in label:
            times = []
            for _ in range(arguments.runs):
                shutil.rmtree(cold_cache, ignore_errors=True)
                start = time.perf_counter()
                subprocess.run(command, env=environment, capture_output=True, check=False)
                times.append(time.perf_counter() - start)
        else:
            times = timed(command, arguments.runs, environment)
        print(f"{label:<38} {statistics.median(times):>9.3f} {min(times):>7.3f} {max(times):>7.3f}")


if __name__ == "__main__":
    main()
