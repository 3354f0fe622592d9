"""Wall time of `scan` on each hostile reproducer of the safety work, with a printed table.

    python benchmarks/hostile.py [--limit 10]

Each reproducer (a hang, a blow-up or a crash the tool once had on hostile input) is generated
into a temporary directory and scanned once by the installed console script with the cache
off; the table shows its wall time, exit code and whether it finished within --limit seconds.
Every scan is stopped after 3 x --limit seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOYMENT = REPO / "tests/fixtures/AWS-S3-001/fail/split_grants/main.tf"

Builder = Callable[[Path], list[str]]


def _root(directory: Path, files: dict[str, str]) -> list[str]:
    """A root holding a real deployment beside the reproducer's files."""
    shutil.copy(DEPLOYMENT, directory / "main.tf")
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [str(directory)]


def _doubling(count: int) -> str:
    lines = ['  a0 = "xy"'] + [
        f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"' for i in range(1, count)
    ]
    return "locals {\n" + "\n".join(lines) + "\n}\n"


def _fifo(name: str) -> Builder:
    def build(directory: Path) -> list[str]:
        _root(directory, {})
        os.mkfifo(directory / name)
        return [str(directory)]

    return build


def _link_to_zero(directory: Path) -> list[str]:
    _root(directory, {})
    (directory / "zero.tf").symlink_to("/dev/zero")
    return [str(directory)]


REPRODUCERS: dict[str, Builder] = {
    "regex (a+)+$ via --var": lambda d: [
        *_root(
            d,
            {"re.tf": 'variable "s" { default = "" }\nlocals { m = regexall("(a+)+$", var.s) }\n'},
        ),
        "--var",
        "s=" + "a" * 40 + "!",
    ],
    ".tf symlink to /dev/zero": _link_to_zero,
    "--var-file /dev/zero": lambda d: [*_root(d, {}), "--var-file", "/dev/zero"],
    "FIFO named policy.json": _fifo("policy.json"),
    "FIFO named main2.tf": _fifo("main2.tf"),
    'file("fifo")': lambda d: (
        os.mkfifo(d / "fifo"),
        _root(d, {"f.tf": 'locals { f = file("${path.module}/fifo") }\n'}),
    )[1],
    "module calling its parent twice": lambda d: _root(
        d,
        {
            "child/main.tf": 'module "a" {\n  source = "../"\n}\n'
            'module "b" {\n  source = "../"\n}\n',
            "call.tf": 'module "child" {\n  source = "./child"\n}\n',
        },
    ),
    "40 doubling locals": lambda d: _root(d, {"bomb.tf": _doubling(40)}),
    "nested for over range(1000)": lambda d: _root(
        d, {"for.tf": "locals { p = [for a in range(1000) : [for b in range(1000) : a * b]] }\n"}
    ),
    "nested %{for} template": lambda d: _root(
        d,
        {
            "tpl.tf": 'locals { t = "%{for a in range(1000)}%{for b in range(1000)}x%{endfor}'
            '%{endfor}" }\n'
        },
    ),
    "2 MB one-line list": lambda d: _root(
        d, {"big.tf": "locals { big = [" + ",".join(str(i) for i in range(350_000)) + "] }\n"}
    ),
    "20,000 resources": lambda d: _root(
        d,
        {
            "many.tf": "".join(
                f'resource "aws_s3_bucket" "b{i}" {{ bucket = "b-{i}" }}\n' for i in range(20_000)
            )
        },
    ),
    "count = 1e400": lambda d: _root(
        d, {"count.tf": 'resource "aws_s3_bucket" "c" {\n  count  = 1e400\n  bucket = "c"\n}\n'}
    ),
    "5000-digit number in tfvars": lambda d: _root(
        d, {"n.tf": 'variable "n" {}\n', "terraform.tfvars": "n = " + "9" * 5000 + "\n"}
    ),
    "IAM JSON nested 5000 deep": lambda d: [
        *_root(d, {"policy.json": "[" * 5000 + "]" * 5000}),
    ],
    "comment full of )": lambda d: _root(
        d, {"c.tf": "# " + ")" * 5000 + "\nlocals { x = " + "(" * 3000 + "1" + ")" * 3000 + " }\n"}
    ),
    "authorization details, wrong types": lambda d: _root(
        d, {"auth.json": '{"RoleDetailList": 5, "Policies": [{"Arn": ["x"]}]}'}
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=10.0, help="seconds a scan may take")
    args = parser.parse_args()
    script = Path(sys.executable).parent / "anyscale-lint"
    environment = {**os.environ, "ANYSCALE_LINT_NO_CACHE": "1", "NO_COLOR": "1"}
    print(f"{'reproducer':<38} {'seconds':>8} {'exit':>5}  within {args.limit:g} s")
    slow = 0
    for name, build in REPRODUCERS.items():
        with tempfile.TemporaryDirectory() as temporary:
            arguments = build(Path(temporary))
            started = time.monotonic()
            try:
                completed = subprocess.run(
                    [str(script), "scan", "-f", "json", *arguments],
                    env=environment,
                    capture_output=True,
                    timeout=3 * args.limit,
                    check=False,
                )
                code = str(completed.returncode)
                if b"Traceback" in completed.stderr:
                    code += " (traceback)"
            except subprocess.TimeoutExpired:
                code = "killed"
            elapsed = time.monotonic() - started
        within = elapsed <= args.limit and code != "killed"
        slow += not within
        print(f"{name:<38} {elapsed:>8.2f} {code:>5}  {'yes' if within else 'NO'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
