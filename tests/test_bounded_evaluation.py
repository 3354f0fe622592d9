"""Bounded work (issue 10, items 6, 8, 9, 10): pathological input ends quickly and is reported.

Each reproducer is scanned through the console script next to a real deployment; the
subprocess timeout is only a guard against a hang. The reproducer's problem is reported where
it is written, and the deployment's own results are all still there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, console_script

DEPLOYMENT = REPO / "tests/fixtures/AWS-S3-001/fail/split_grants/main.tf"
GUARD_SECONDS = 60


def _scan(directory: Path, *args: str, guard: int = GUARD_SECONDS) -> tuple[int, dict[str, Any]]:
    environment = {**os.environ, "NO_COLOR": "1", "ANYSCALE_LINT_NO_CACHE": "1"}
    completed = subprocess.run(
        [str(console_script()), "scan", "-f", "json", *args, str(directory)],
        cwd=directory.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=guard,
    )
    assert completed.returncode in (0, 1, 3), completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def _deployment_results(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (r["rule_id"], r["outcome"], r["resource"])
        for r in report["results"]
        if not r["rule_id"].startswith("CORE-")
    }


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    """The deployment's results scanned alone."""
    root = tmp_path_factory.mktemp("alone") / "root"
    root.mkdir()
    shutil.copy(DEPLOYMENT, root / "main.tf")
    code, report = _scan(root)
    assert code == 1 and report["errors"] == []
    results = _deployment_results(report)
    assert any(outcome == "fail" for _, outcome, _ in results)
    return results


def _root_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A root holding the deployment and the reproducer's files (paths relative to it)."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(DEPLOYMENT, root / "main.tf")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _budget_notices(report: dict[str, Any]) -> list[str]:
    return [n for n in report["notices"] if "evaluation budget exceeded" in n]


# ---- item 9: values that grow without limit ---------------------------------------------


def _doubling_strings(count: int) -> str:
    lines = [f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"' for i in range(1, count + 1)]
    return 'locals {\n  a0 = "xxxxxxxxxx"\n' + "\n".join(lines) + "\n}\n"


def _doubling_tree(count: int) -> str:
    lines = [f"  t{i} = {{ l = local.t{i - 1}, r = local.t{i - 1} }}" for i in range(1, count + 1)]
    return (
        'locals {\n  t0 = { v = "x" }\n'
        + "\n".join(lines)
        + f"\n  j = jsonencode(local.t{count})\n  f = flatten([local.t{count}])\n}}\n"
    )


def _wide(times: int) -> str:
    """Locals that repeat the previous one `times` times in one template, and a list of them."""

    def repeat(name: str) -> str:
        return "".join(f"${{local.{name}}}" for _ in range(times))

    return (
        f'locals {{\n  s0 = "{"x" * 100}"\n  s1 = "{repeat("s0")}"\n  s2 = "{repeat("s1")}"\n'
        f'  s3 = "{repeat("s2")}"\n  s4 = "{repeat("s3")}"\n'
        f"  l = [{', '.join(['local.s2'] * 20)}]\n  j = jsonencode(local.l)\n}}\n"
    )


# A 900 KB string, then functions whose result would be far longer than their arguments.
_AMPLIFYING = (
    f'locals {{\n  s0 = "{"x" * 1000}"\n  s1 = "{"${local.s0}" * 900}"\n'
    '  j = join(local.s1, range(1000))\n  r = replace(local.s1, "x", local.s1)\n}\n'
)


REPRODUCERS = {
    "doubling-string": (
        _doubling_strings(40) + 'output "o" { value = local.a40 }\n',
        # Which local goes over depends on how deep the chain of references is evaluated.
        "bomb.tf:",
        "a string longer than",
    ),
    "wide-template": (
        _wide(99) + 'output "o" { value = local.s4 }\n',
        "bomb.tf:5:",
        "a string longer than",
    ),
    "wide-list": (
        _wide(99) + 'output "o" { value = local.j }\n',
        "bomb.tf:7:",
        "a value holding more than 10,000,000 characters",
    ),
    "amplifying-join": (
        _AMPLIFYING + 'output "j" { value = local.j }\n',
        "bomb.tf:4:",
        "a string longer than",
    ),
    "amplifying-replace": (
        _AMPLIFYING + 'output "r" { value = local.r }\n',
        "bomb.tf:5:",
        "a string longer than",
    ),
    "nested-for": (
        "locals {\n  x = [for i in range(1000) : [for j in range(1000) : i * j]]\n}\n"
        'output "o" { value = local.x }\n',
        "bomb.tf:2:",
        "loop iterations",
    ),
    "nested-template-for": (
        'locals {\n  x = "%{for i in range(1000)}%{for j in range(1000)}${i}-${j},'
        '%{endfor}%{endfor}"\n}\noutput "o" { value = local.x }\n',
        "bomb.tf:2:",
        "loop iterations",
    ),
    "doubling-tree": (
        _doubling_tree(30) + 'output "j" { value = local.j }\noutput "f" { value = local.f }\n',
        "bomb.tf:21:",
        "a value of more than",
    ),
}


@pytest.mark.parametrize("name", sorted(REPRODUCERS))
def test_growing_value_is_unknown_with_a_located_notice(
    name: str, tmp_path: Path, expected: set[tuple[str, str, str]]
) -> None:
    text, where, limit = REPRODUCERS[name]
    root = _root_with(tmp_path, {"bomb.tf": text})
    code, report = _scan(root)
    notices = _budget_notices(report)
    assert any(n.startswith(f"root/{where}") and limit in n for n in notices), notices
    assert code == 1  # the deployment's findings; a budget notice is not an input error
    assert _deployment_results(report) == expected


def test_time_budget_ends_the_root_and_keeps_its_results(
    tmp_path: Path, expected: set[tuple[str, str, str]]
) -> None:
    # Each local stays under the iteration limit; together they run for minutes.
    lines = [
        f"  l{k} = [for i in range(450) : [for j in range(440) : i + j + {k}]]" for k in range(60)
    ]
    references = ", ".join(f"length(local.l{k})" for k in range(60))
    text = "locals {\n" + "\n".join(lines) + f'\n}}\noutput "o" {{ value = [{references}] }}\n'
    root = _root_with(tmp_path, {"bomb.tf": text})
    # The scan spends its 5 s of CPU time by design: a longer guard for a loaded machine.
    code, report = _scan(root, guard=2 * GUARD_SECONDS)
    notices = _budget_notices(report)
    assert any(
        "took more than 5 s" in n and "the rest of the root is unknown" in n for n in notices
    )
    assert len(notices) == 1, notices
    assert code == 1
    assert _deployment_results(report) == expected


def test_budget_notice_in_text_output(tmp_path: Path) -> None:
    root = _root_with(tmp_path, {"bomb.tf": REPRODUCERS["doubling-string"][0]})
    completed = subprocess.run(
        [str(console_script()), "scan", str(root)],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "ANYSCALE_LINT_NO_CACHE": "1"},
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert "note: root/bomb.tf:" in completed.stdout
    assert (
        "evaluation budget exceeded (a string longer than 1,000,000 characters)" in completed.stdout
    )


# ---- item 8: module fan-out and cycles ---------------------------------------------------


def _cycle_result(report: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [
        r
        for r in report["results"]
        if r["rule_id"] == "CORE-001"
        and r["outcome"] == "fail"
        and r["location"]["path"].endswith(path)
    ]


def test_module_calling_itself_is_reported_and_the_root_kept(
    tmp_path: Path, expected: set[tuple[str, str, str]]
) -> None:
    root = _root_with(tmp_path, {"self.tf": 'module "me" {\n  source = "./"\n}\n'})
    code, report = _scan(root)
    found = _cycle_result(report, "root/self.tf")
    assert len(found) == 1 and found[0]["location"]["start_line"] == 1
    assert "module cycle: root -> root" in found[0]["message"]
    assert code == 3
    assert _deployment_results(report) == expected


def test_module_cycle_is_reported_at_the_call(
    tmp_path: Path, expected: set[tuple[str, str, str]]
) -> None:
    root = _root_with(
        tmp_path,
        {
            "calls.tf": 'module "a" {\n  source = "./a"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": '\n\nmodule "a" {\n  source = "../a"\n}\n',
        },
    )
    code, report = _scan(root)
    found = _cycle_result(report, "root/b/main.tf")
    assert len(found) == 1 and found[0]["location"]["start_line"] == 3
    assert "module cycle: root/a -> root/b -> root/a" in found[0]["message"]
    assert code == 3
    assert _deployment_results(report) == expected


def test_cycle_of_directories_no_root_calls_is_still_scanned(tmp_path: Path) -> None:
    (tmp_path / "scan/a").mkdir(parents=True)
    (tmp_path / "scan/b").mkdir()
    (tmp_path / "scan/a/main.tf").write_text('module "b" {\n  source = "../b"\n}\n')
    (tmp_path / "scan/b/main.tf").write_text('module "a" {\n  source = "../a"\n}\n')
    code, report = _scan(tmp_path / "scan")
    assert code == 3
    assert [r["message"] for r in report["results"] if r["rule_id"] == "CORE-001"]


def test_module_fan_out_is_bounded(tmp_path: Path, expected: set[tuple[str, str, str]]) -> None:
    # Each level calls the next twice: 2**14 instances without a bound.
    files = {"calls.tf": 'module "m" {\n  source = "./m0"\n}\n'}
    for level in range(14):
        following = f"../m{level + 1}"
        files[f"m{level}/main.tf"] = (
            f'module "a" {{\n  source = "{following}"\n}}\n'
            f'module "b" {{\n  source = "{following}"\n}}\n'
        )
    files["m14/main.tf"] = 'variable "x" {\n  default = 1\n}\n'
    root = _root_with(tmp_path, files)
    code, report = _scan(root)
    messages = [r["message"] for r in report["results"] if r["rule_id"] == "CORE-001"]
    assert messages and all("more than 1,000 module instances" in m for m in messages)
    assert code == 3
    assert _deployment_results(report) == expected


# ---- item 10: large inputs ----------------------------------------------------------------


def test_million_element_literal_list(tmp_path: Path, expected: set[tuple[str, str, str]]) -> None:
    # One line of 2 MB, as in the issue: a million one-digit integers.
    numbers = ",".join(str(n % 10) for n in range(1_000_000))
    text = f'locals {{ big = [{numbers}] }}\noutput "n" {{ value = length(local.big) }}\n'
    root = _root_with(tmp_path, {"big.tf": text})
    code, report = _scan(root)
    notices = _budget_notices(report)
    assert any(n.startswith("root/big.tf:1:") and "10,000 elements" in n for n in notices)
    assert code == 1
    assert _deployment_results(report) == expected


def test_large_list_inside_a_string_is_parsed_as_written(tmp_path: Path) -> None:
    # The fast path for oversized lists must not touch text inside a string.
    numbers = ",".join(str(n) for n in range(20_000))
    text = f"locals {{\n  s = <<EOT\n[{numbers}]\nEOT\n  n = length(local.s)\n}}\n"
    root = _root_with(tmp_path, {"big.tf": text})
    code, report = _scan(root)
    assert code == 1 and not _budget_notices(report)


def test_twenty_thousand_resources(tmp_path: Path) -> None:
    blocks = "".join(
        f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n}}\n' for i in range(20_000)
    )
    root = _root_with(tmp_path, {"many.tf": blocks})
    code, report = _scan(root)
    assert code == 1 and report["errors"] == []


def test_twenty_thousand_resources_in_json(tmp_path: Path) -> None:
    buckets = {f"b{i}": {"bucket": f"bucket-{i}"} for i in range(20_000)}
    document = {"resource": {"aws_s3_bucket": buckets}}
    root = _root_with(tmp_path, {"many.tf.json": json.dumps(document, indent=2)})
    code, report = _scan(root)
    assert code == 1 and report["errors"] == []


# ---- item 6: RE2 ---------------------------------------------------------------------------


def _evaluate_in_subprocess(expression: str, tmp_path: Path) -> Any:
    """`local.x = expression` evaluated in a child process (a hang ends at the guard)."""
    program = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from tests.function_cases import evaluate\n"
        "from anyscale_lint.model import Unknown\n"
        "value = evaluate(sys.argv[1], Path(sys.argv[2]))\n"
        "print(json.dumps({'unknown': value.reason} if isinstance(value, Unknown) else value))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program, expression, str(tmp_path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"},
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('regexall("(a+)+$", "' + "a" * 40 + '!")', []),
        ('regex("(a|aa)+$", "' + "a" * 40 + '!")', {"unknown": "did not match"}),
        ('replace("' + "a" * 40 + '!ab", "/(a+)+b/", "<$1>")', "a" * 40 + "!<a>"),
    ],
)
def test_catastrophic_pattern_is_linear(expression: str, value: Any, tmp_path: Path) -> None:
    result = _evaluate_in_subprocess(expression, tmp_path)
    if isinstance(value, dict):
        assert value["unknown"] in result["unknown"]
    else:
        assert result == value


def test_backreference_is_unknown_with_re2_reason(tmp_path: Path) -> None:
    result = _evaluate_in_subprocess(r'regex("(a)\\1", "aa")', tmp_path)
    assert "RE2" in result["unknown"] and "\\1" in result["unknown"]
