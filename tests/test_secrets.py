"""Secrets never reach any output: sensitive values, what is derived from them, parse errors.

One fake secret is planted in every place a user may keep one (a sensitive variable's default
and its terraform.tfvars value, values derived from it, a broken heredoc in a .tfvars file, a
.tf file with a broken string, an IAM JSON `sts:ExternalId` condition), then every command runs
in every format through the real console script; the secret, its case variants and any 12
characters of the key body appear in no stdout, stderr or written file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

SECRET = "AKIAFAKESECRET1234567890"
KEY_BODY = (
    "MIIEowIBAAKCAQEAq7Bfake0PRIVATEkeyBODYnotREAL9xYz" + SECRET + "\n"
    "Zm9vYmFyYmF6cXV4cXV1eGZha2VrZXlib2R5bGluZTI=QwErTy"
)
PRIVATE_KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{KEY_BODY}\n-----END RSA PRIVATE KEY-----"
SCAN_FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "readiness")
READY_FORMATS = ("text", "markdown", "json")

DERIVED_ROOT = """\
variable "deploy_token" {
  type      = string
  sensitive = true
  default   = "@SECRET@"
}

variable "signing_key" {
  type      = string
  sensitive = true
}

locals {
  token_lower = lower(var.deploy_token)
}

module "wrap" {
  source = "./wrap"
  token  = var.deploy_token
}

resource "aws_iam_role" "control_plane" {
  name = "anyscale-derived-control-plane"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Condition = {
        StringEquals = {
          "sts:ExternalId" = [
            upper(var.deploy_token),
            "${var.deploy_token}-suffix",
            jsonencode({ a = var.deploy_token }),
            local.token_lower,
            module.wrap.wrapped,
            trimspace(var.signing_key),
          ]
        }
      }
    }]
  })
}
""".replace("@SECRET@", SECRET)

WRAP_MODULE = """\
variable "token" {
  type = string
}

output "wrapped" {
  value = "wrapped-${title(lower(var.token))}"
}
"""

TRUST_POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {"AWS": "arn:aws:iam::525325868955:root"},
      "Condition": {"StringEquals": {"sts:ExternalId": "@SECRET@"}}
    }
  ]
}
""".replace("@SECRET@", SECRET)


def _forms() -> list[str]:
    """What must never appear: the secret in any case, and every 12 characters of the key."""
    forms = [SECRET.lower()]
    body = KEY_BODY.replace("\n", "")
    forms += [body[i : i + 12].lower() for i in range(len(body) - 11)]
    return forms


def _assert_clean(text: str, where: str) -> None:
    lowered = text.lower()
    leaked = [form for form in _forms() if form in lowered]
    assert not leaked, f"{where} leaks {leaked[0]!r}:\n{text[:3000]}"


def _ready_copy(directory: Path) -> Path:
    shutil.copytree(REPO / "examples" / "aws-ready", directory)
    return directory


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory per place the secret is planted (PLACES), each scanned on its own too."""
    base = tmp_path_factory.mktemp("secrets")
    # The external ID's suffix is a sensitive variable set in terraform.tfvars; the external ID
    # is derived from it (lower(), interpolation, a local, a module input).
    root = _ready_copy(base / "tfvars")
    _replace(
        root / "variables.tf",
        'variable "external_id_suffix" {\n',
        'variable "external_id_suffix" {\n  sensitive   = true\n',
    )
    _replace(root / "terraform.tfvars", '"9f3e6a21d4"', f'"{SECRET}"')
    _replace(root / "main.tf", "-${var.external_id_suffix}", "-${lower(var.external_id_suffix)}")
    # The same variable given only by --var or TF_VAR_external_id_suffix.
    given = _ready_copy(base / "given")
    _replace(
        given / "variables.tf",
        'variable "external_id_suffix" {\n',
        'variable "external_id_suffix" {\n  sensitive   = true\n',
    )
    _replace(given / "terraform.tfvars", 'external_id_suffix = "9f3e6a21d4"\n', "")
    # A sensitive variable's default and values derived from it in every way.
    derived = base / "derived"
    (derived / "wrap").mkdir(parents=True)
    (derived / "main.tf").write_text(DERIVED_ROOT, encoding="utf-8")
    (derived / "wrap" / "main.tf").write_text(WRAP_MODULE, encoding="utf-8")
    (derived / "terraform.tfvars").write_text(
        f"signing_key = <<EOT\n{PRIVATE_KEY}\nEOT\n", encoding="utf-8"
    )
    # A private key in an unterminated heredoc of a variable file.
    heredoc = _ready_copy(base / "heredoc")
    (heredoc / "signing.auto.tfvars").write_text(
        f'region = "us-west-2"\nsigning_key = <<EOT\n{PRIVATE_KEY}\n', encoding="utf-8"
    )
    # A private key in a broken string of a .tf file (single quotes are not HCL).
    string = _ready_copy(base / "string")
    (string / "broken.tf").write_text(
        "locals {\n  key = '" + PRIVATE_KEY.replace("\n", "\\n") + "'\n}\n", encoding="utf-8"
    )
    iam = base / "iam"
    iam.mkdir()
    (iam / "trust-policy.json").write_text(TRUST_POLICY, encoding="utf-8")
    return base


PLACES = ("tfvars", "derived", "heredoc", "string", "iam")


def _check_run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = run_cli(*args, cwd=cwd, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 3), result.stderr
    where = " ".join(args)
    _assert_clean(result.stdout, f"{where} (stdout)")
    _assert_clean(result.stderr, f"{where} (stderr)")
    return result.stdout


def _check_files(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".sarif", ".xml", ".md", ".txt", ".yaml"):
            _assert_clean(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("place", PLACES)
def test_each_planted_secret_stays_hidden(tree: Path, place: str) -> None:
    """Each place on its own (so each leak fails alone): scan as JSON and text, ready as text."""
    _check_run(["scan", place, "-f", "json", "--exit-zero"], tree)
    _check_run(["scan", place, "--exit-zero"], tree)
    _check_run(["ready", place], tree)


@pytest.mark.parametrize("fmt", SCAN_FORMATS)
def test_scan_never_prints_the_secret(tree: Path, fmt: str) -> None:
    out = _check_run(["scan", *PLACES, "-f", fmt, "--exit-zero"], tree)
    assert out.strip()


@pytest.mark.parametrize("fmt", READY_FORMATS)
def test_ready_never_prints_the_secret(tree: Path, fmt: str) -> None:
    out = _check_run(["ready", *PLACES, "-f", fmt], tree)
    assert "EXTERNAL_ID" in out


def test_ready_from_var_and_environment(tree: Path) -> None:
    for fmt in READY_FORMATS:
        _check_run(["ready", "given", "-f", fmt, "--var", f"external_id_suffix={SECRET}"], tree)
        _check_run(["ready", "given", "-f", fmt], tree, env={"TF_VAR_external_id_suffix": SECRET})
    _check_run(["scan", "given", "-f", "json", "--var", f"external_id_suffix={SECRET}"], tree)


def test_written_files_and_baseline(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["scan", *PLACES, "--exit-zero"]
    args += [f"-f{fmt}:{out}/report.{fmt}.txt" for fmt in SCAN_FORMATS]
    _check_run([*args, "--write-baseline", str(out / "baseline.json")], tree)
    ready_args = ["ready", *PLACES]
    ready_args += [f"-f{fmt}:{out}/ready.{fmt}.txt" for fmt in READY_FORMATS]
    _check_run(ready_args, tree)
    assert (out / "baseline.json").is_file()
    _check_files(out)
    assert len(list(out.iterdir())) == len(SCAN_FORMATS) + len(READY_FORMATS) + 1


def test_explain_and_rules(tree: Path) -> None:
    _check_run(["explain", "AWS-IAM-003"], tree)
    _check_run(["rules"], tree)


def test_the_register_command_reads_the_sensitive_value_from_an_output(tree: Path) -> None:
    """A sensitive output holding exactly the external ID is read after apply, never printed."""
    root = tree / "tfvars"
    with (root / "outputs.tf").open("a", encoding="utf-8") as stream:
        stream.write(
            '\noutput "anyscale_external_id" {\n'
            "  value     = local.anyscale_external_id\n  sensitive = true\n}\n"
        )
    try:
        out = _check_run(["ready", "tfvars"], tree)
    finally:
        text = (root / "outputs.tf").read_text(encoding="utf-8")
        (root / "outputs.tf").write_text(
            text.split('\noutput "anyscale_external_id"')[0], encoding="utf-8"
        )
    assert '--external-id "$(terraform output -raw anyscale_external_id)"' in out


def test_without_an_output_the_register_command_has_a_placeholder(tree: Path) -> None:
    out = _check_run(["ready", "tfvars"], tree)
    assert "--external-id '<EXTERNAL_ID>'" in out


def test_parse_errors_quote_a_short_excerpt(tree: Path) -> None:
    """The heredoc's and the string's content never appear; the error still says where."""
    out = _check_run(["scan", "heredoc", "string", "-f", "json", "--exit-zero"], tree)
    assert "heredoc opened at line 2 (<<EOT) that is never closed" in out
    assert "a string in ' quotes (HCL strings use double quotes)" in out
    assert "signing.auto.tfvars" in out and "broken.tf" in out


LONG_TOKEN = "LongToken" + "0123456789" * 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'fail_on: "-----BEGIN RSA PRIVATE KEY-----\\n' + LONG_TOKEN + '"\n',
            "key fail_on: '-----BEGIN RSA PRIVATE KEY-----\\nLon... is not one of",
        ),
        (
            f"fail_on: !{LONG_TOKEN} high\n",
            f"could not determine a constructor for the tag '{('!' + LONG_TOKEN)[:37]}...'",
        ),
    ],
)
def test_config_errors_clip_long_tokens(tmp_path: Path, text: str, expected: str) -> None:
    """Item 17: a long token in a configuration error is cut to a 40-character excerpt."""
    shutil.copytree(REPO / "examples" / "aws-ready", tmp_path / "root")
    (tmp_path / ".anyscale-lint.yaml").write_text(text, encoding="utf-8")
    result = run_cli("scan", "root", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert ".anyscale-lint.yaml" in result.stderr
    assert expected in result.stderr
    assert LONG_TOKEN[:45] not in result.stderr


def test_resource_file_errors_clip_long_tokens(tree: Path, tmp_path: Path) -> None:
    resource_file = tmp_path / "cloud.yaml"
    resource_file.write_text(f"name: x\nregion: *{LONG_TOKEN}\n", encoding="utf-8")
    for fmt in READY_FORMATS:
        out = _check_run(
            ["ready", "tfvars", "-f", fmt, "--resource-file", str(resource_file)], tree
        )
        assert f"found undefined alias '{LONG_TOKEN[:37]}...'" in out
        assert LONG_TOKEN[:45] not in out


PRECISION_ROOT = """\
variable "secret" {
  type      = string
  sensitive = true
  default   = "@SECRET@"
}

locals {
  mixed   = { secret = var.secret, plain = "plain-value-kept" }
  picked  = local.mixed.plain
  listed  = [for s in [var.secret, "listed-value-kept"] : s]
  derived = [for s in [var.secret] : "d-${lower(s)}"]
  chosen  = var.secret != "" ? "chosen-value-kept" : "other"
}

output "all" {
  value = [local.picked, local.listed, local.derived, local.chosen, jsonencode(local.mixed)]
}
""".replace("@SECRET@", SECRET)


def test_sensitivity_follows_values_not_their_neighbours(tmp_path: Path) -> None:
    """What is computed from the secret is sensitive; a sibling in the same object is not."""
    from anyscale_lint.api import lint

    (tmp_path / "main.tf").write_text(PRECISION_ROOT, encoding="utf-8")
    secrets = lint([str(tmp_path)]).sensitive_values
    assert SECRET in secrets
    assert f"d-{SECRET.lower()}" in secrets
    assert any(SECRET in value and value.startswith("{") for value in secrets)  # jsonencode
    assert "plain-value-kept" not in secrets
    assert "listed-value-kept" not in secrets
    # A condition on a secret passes its branch through: the branch is not the secret.
    assert "chosen-value-kept" not in secrets


def test_many_derived_values_are_all_redacted(tmp_path: Path) -> None:
    """Hundreds of values computed from one secret are each hidden in every format."""
    blocks = [PRECISION_ROOT.split("locals")[0]]
    blocks += [
        f'resource "aws_iam_role" "r{i}" {{\n  name = "r{i}-${{lower(var.secret)}}"\n'
        '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{\n'
        '    Effect = "Allow", Action = "sts:AssumeRole",\n'
        '    Principal = { AWS = "arn:aws:iam::525325868955:root" },\n'
        '    Condition = { StringEquals = { "sts:ExternalId" = '
        f'"{i}-${{lower(var.secret)}}" }} }}\n'
        "  }] })\n}\n"
        for i in range(300)
    ]
    (tmp_path / "main.tf").write_text("\n".join(blocks), encoding="utf-8")
    for fmt in ("json", "text", "sarif"):
        result = run_cli("scan", ".", "--scope", "all", "-f", fmt, "--exit-zero", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        _assert_clean(result.stdout, f"scan -f {fmt}")
        assert "(sensitive)" in result.stdout


def test_changed_only_scan_never_prints_the_secret(tree: Path) -> None:
    changed = [
        "tfvars/terraform.tfvars",
        "derived/main.tf",
        "heredoc/signing.auto.tfvars",
        "string/broken.tf",
        "iam/trust-policy.json",
    ]
    for fmt in ("text", "json", "readiness"):
        out = _check_run(["scan", "--changed-only", *changed, "-f", fmt, "--exit-zero"], tree)
        assert "(sensitive)" in out or fmt == "readiness"
