"""Typed partly known values: what the Terraform source hands the model, and how the layers
above it match references without reading any spelling."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.engine.register_values import bucket_matches, items
from anyscale_lint.iam.analysis import glob_matches
from anyscale_lint.iam.roles import names_role
from anyscale_lint.model import (
    IamRole,
    Partial,
    Ref,
    S3Bucket,
    SourceSpan,
    Unknown,
    comma_items,
    is_known,
    refers_to,
    unknown_parts,
)
from anyscale_lint.sources.register_command import command_from_text
from tests.test_terraform_source import _model

SPAN = SourceSpan("main.tf", 1, 1)


def _ref(target: str, attribute: str, spelled: str = "") -> Partial:
    return Partial([Ref(target, attribute)], spelled or f"<{target}.{attribute}>")


def test_a_literal_never_equals_a_partial_spelled_like_it() -> None:
    spelled = _ref("aws_s3_bucket.b", "id", "${aws_s3_bucket.b.id}")
    assert spelled != "${aws_s3_bucket.b.id}"
    # The literal on the left: str's own comparison must defer to the Partial's.
    assert "${aws_s3_bucket.b.id}" != spelled  # noqa: SIM300
    assert spelled == _ref("aws_s3_bucket.b", "id", "another spelling")
    assert len({spelled, _ref("aws_s3_bucket.b", "id")}) == 1
    assert is_known("${aws:username}")
    assert not is_known(spelled)


def test_parts_are_merged_and_listed() -> None:
    value = Partial(["arn:", "aws:s3:::", Ref("b", "id"), "", "/*"], "x")
    assert value.parts == ("arn:aws:s3:::", Ref("b", "id"), "/*")
    assert unknown_parts(value) == ["b.id"]
    assert value.known_text() == "arn:aws:s3:::/*"
    assert value.pattern().fullmatch("arn:aws:s3:::my-bucket/*")
    assert not value.pattern().fullmatch("arn:aws:s3:::/x")


def test_comma_lists_split_only_at_known_commas() -> None:
    joined = Partial([Ref("a", "id"), ", ", Ref("b", "id")], "x")
    assert comma_items(joined) == [_ref("a", "id"), _ref("b", "id")]
    unresolved = Partial([Unknown('join(",", module.vpc.ids)', "module not read")], "x")
    assert comma_items(unresolved) == [unresolved]
    assert items("subnet-1, subnet-2") == ["subnet-1", "subnet-2"]


def test_references_name_their_resource_whatever_the_spelling() -> None:
    bucket = S3Bucket(key="aws_s3_bucket.b", address="aws_s3_bucket.b", origin=SPAN, name=None)
    assert bucket_matches(bucket, _ref("aws_s3_bucket.b", "bucket"))
    assert not bucket_matches(bucket, _ref("aws_s3_bucket.other", "bucket"))
    assert not bucket_matches(bucket, "${aws_s3_bucket.b.id}")
    role = IamRole(key="r", address="r", origin=SPAN, name="node", arn=_ref("r", "arn"))
    assert names_role(_ref("r", "unique_id"), role)
    assert names_role("arn:aws:iam::123456789012:role/node", role)
    assert refers_to(_ref("r", "arn"), "r", ("arn",))
    assert not refers_to("r.arn", "r", ("arn",))


def test_a_wildcard_matches_known_text_and_a_reference_only_itself() -> None:
    objects = Partial([Ref("b", "arn"), "/*"], "x")
    assert glob_matches(objects, Partial([Ref("b", "arn"), "/key"], "y"))
    assert not glob_matches(objects, Partial([Ref("c", "arn"), "/key"], "y"))
    assert glob_matches("arn:aws:s3:::*", Partial(["arn:aws:s3:::", Ref("b", "id")], "z"))
    # A `*` spelled inside a reference is not a wildcard.
    star = Partial([Ref("aws_s3_bucket.b[*]", "arn")], "${aws_s3_bucket.b[*].arn}")
    assert not glob_matches(star, "arn:aws:s3:::anything")


def test_shell_expansions_in_a_hand_written_command_are_unknown_parts() -> None:
    command = command_from_text(
        "anyscale cloud register --cloud-storage-bucket-name ${BUCKET} "
        '--anyscale-iam-role-id "$(terraform output -raw role)" --name prod',
        "register.sh",
        None,
    )
    assert command is not None
    bucket = command.flags["cloud-storage-bucket-name"]
    assert isinstance(bucket, Partial) and bucket.unknown is not None
    assert "shell variable" in bucket.unknown.reason
    assert command.flags["anyscale-iam-role-id"] == "$(terraform output -raw role)"
    assert command.flags["name"] == "prod"


def test_the_terraform_source_hands_over_typed_values(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "main.tf": """
data "aws_caller_identity" "current" {}
resource "aws_s3_bucket" "b" { bucket_prefix = "anyscale-" }
resource "aws_iam_role" "r" {
  name = "node-${data.aws_caller_identity.current.account_id}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                   Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject",
                   Resource = "${aws_s3_bucket.b.arn}/*" }]
  })
}
"""
        },
    )
    role = model.resources["aws_iam_role.r"]
    assert isinstance(role, IamRole)
    assert isinstance(role.name, Partial)
    (account,) = [p for p in role.name.parts if not isinstance(p, str)]
    assert isinstance(account, Unknown)
    assert account.expression == "data.aws_caller_identity.current.account_id"
    # Messages still show Terraform's spelling.
    assert str(role.name) == "node-${data.aws_caller_identity.current.account_id}"
    document = role.policies[0].document
    statement = document.statements[0]  # type: ignore[union-attr]
    (resource,) = statement.resources  # type: ignore[misc]
    assert isinstance(resource, Partial)
    assert resource.parts == (Ref("aws_s3_bucket.b", "arn"), "/*")


def test_a_snapshot_keeps_partial_values_partial() -> None:
    from anyscale_lint.sources.snapshot import decode, encode

    value = Partial(["arn:aws:s3:::", Ref("b", "id"), "/", Unknown("var.x", "no value", "$x")], "s")
    back = decode(encode(value))
    assert isinstance(back, Partial) and back == value and str(back) == "s"
