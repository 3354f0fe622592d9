"""HCL text of the parts of an Anyscale-like AWS root, in the styles the generator varies.

Placeholders are written `@{name}` (HCL keeps `${...}` for its own interpolation) and filled by
`fill`. Every function returns Terraform text; the generator decides which parts a root gets.
"""

from __future__ import annotations

from hcl_actions import (
    EC2_ACTIONS,
    S3_ACTIONS,
    SERVICES_BALANCERS,
    SERVICES_CERTIFICATES,
    SERVICES_DESCRIBE,
    SERVICES_STACKS,
)
from hcl_text import fill, hcl_list, json_block

ANYSCALE_ACCOUNT = "525325868955"

# ---- control-plane trust ---------------------------------------------------------------------


def trust_principal(account: str, form: str) -> str:
    """Anyscale's account as a trust principal: an ARN, the bare ID or the variable."""
    if form == "bare":
        return account
    if form == "variable":
        return "arn:aws:iam::${var.anyscale_account_id}:root"
    return f"arn:aws:iam::{account}:root"


def control_plane_role(
    name: str, role_name: str, principal: str, style: str, external_id: str, marker: str
) -> str:
    """The cross-account role Anyscale assumes, with its trust policy in `style`."""
    if style == "policy_document":
        return fill(
            """
data "aws_iam_policy_document" "@{name}_trust" {
  statement {
    sid     = "AnyscaleControlPlaneAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["@{principal}"]@{marker}
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [@{external_id}]
    }
  }
}

resource "aws_iam_role" "@{name}" {
  name               = "@{role_name}"
  description        = "Assumed by the Anyscale control plane"
  assume_role_policy = data.aws_iam_policy_document.@{name}_trust.json
}
""",
            name=name,
            role_name=role_name,
            principal=principal,
            external_id=external_id,
            marker=marker,
        )
    if style == "jsonencode":
        return fill(
            """
resource "aws_iam_role" "@{name}" {
  name        = "@{role_name}"
  description = "Assumed by the Anyscale control plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnyscaleControlPlaneAssumeRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "@{principal}" }@{marker}
      Condition = { StringEquals = { "sts:ExternalId" = @{external_id} } }
    }]
  })
}
""",
            name=name,
            role_name=role_name,
            principal=principal,
            external_id=external_id,
            marker=marker,
        )
    return fill(
        """
resource "aws_iam_role" "@{name}" {
  name               = "@{role_name}"
  description        = "Assumed by the Anyscale control plane"@{marker}
  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AnyscaleControlPlaneAssumeRole",
          "Effect": "Allow",
          "Action": "sts:AssumeRole",
          "Principal": { "AWS": "@{principal}" },
          "Condition": { "StringEquals": { "sts:ExternalId": "${@{external_id_ref}}" } }
        }
      ]
    }
  EOF
}
""",
        name=name,
        role_name=role_name,
        principal=principal,
        external_id_ref=external_id,
        marker=marker,
    )


def control_plane_permissions(name: str, node: str, style: str) -> str:
    """The control plane's steady-state EC2 and services permissions (passing only `node`)."""
    services = [
        {
            "Sid": "CloudFormationStacks",
            "Effect": "Allow",
            "Action": SERVICES_STACKS,
            "Resource": "arn:aws:cloudformation:*:*:stack/*",
        },
        {
            "Sid": "DescribeNetworkAndLoadBalancers",
            "Effect": "Allow",
            "Action": SERVICES_DESCRIBE,
            "Resource": "*",
        },
        {
            "Sid": "ManageAnyscaleLoadBalancers",
            "Effect": "Allow",
            "Action": SERVICES_BALANCERS,
            "Resource": [
                "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/Anyscale*",
                "arn:aws:elasticloadbalancing:*:*:listener/app/Anyscale*",
                "arn:aws:elasticloadbalancing:*:*:listener-rule/app/Anyscale*",
                "arn:aws:elasticloadbalancing:*:*:targetgroup/AnyscaleTarget*",
            ],
        },
        {
            "Sid": "ServiceCertificates",
            "Effect": "Allow",
            "Action": SERVICES_CERTIFICATES,
            "Resource": "arn:aws:acm:*:*:certificate/*",
        },
        {
            "Sid": "LoadBalancerServiceLinkedRole",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": "arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
            "AWSServiceRoleForElasticLoadBalancing",
            "Condition": {
                "StringLike": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
            },
        },
    ]
    node_arns = [f"${{aws_iam_role.{node}.arn}}", f"${{aws_iam_instance_profile.{node}.arn}}"]
    spot = "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"
    if style == "policy_document":
        ec2 = fill(
            """
data "aws_iam_policy_document" "@{name}_steady_state" {
  statement {
    sid     = "PassNodeRole"
    effect  = "Allow"
    actions = ["iam:PassRole", "iam:GetInstanceProfile"]
    resources = [aws_iam_role.@{node}.arn, aws_iam_instance_profile.@{node}.arn]
  }

  statement {
    sid       = "SpotServiceLinkedRole"
    effect    = "Allow"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["@{spot}"]

    condition {
      test     = "StringLike"
      variable = "iam:AWSServiceName"
      values   = ["spot.amazonaws.com"]
    }
  }

  statement {
    sid       = "InstanceManagement"
    effect    = "Allow"
    actions   = @{actions}
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "@{name}_steady_state" {
  name   = "Anyscale_IAM_Policy_Steady_State"
  role   = aws_iam_role.@{name}.id
  policy = data.aws_iam_policy_document.@{name}_steady_state.json
}
""",
            name=name,
            node=node,
            spot=spot,
            actions=hcl_list(EC2_ACTIONS, "    "),
        )
    else:
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PassNodeRole",
                    "Effect": "Allow",
                    "Action": ["iam:PassRole", "iam:GetInstanceProfile"],
                    "Resource": node_arns,
                },
                {
                    "Sid": "SpotServiceLinkedRole",
                    "Effect": "Allow",
                    "Action": "iam:CreateServiceLinkedRole",
                    "Resource": spot,
                    "Condition": {"StringLike": {"iam:AWSServiceName": "spot.amazonaws.com"}},
                },
                {
                    "Sid": "InstanceManagement",
                    "Effect": "Allow",
                    "Action": EC2_ACTIONS,
                    "Resource": "*",
                },
            ],
        }
        ec2 = fill(
            """
resource "aws_iam_role_policy" "@{name}_steady_state" {
  name   = "Anyscale_IAM_Policy_Steady_State"
  role   = aws_iam_role.@{name}.id
  policy = <<-POLICY
@{document}
  POLICY
}
""",
            name=name,
            document=json_block(document, "    "),
        )
    return ec2 + fill(
        """
resource "aws_iam_role_policy" "@{name}_services" {
  name   = "Anyscale_IAM_Policy_Service_Steady_State"
  role   = aws_iam_role.@{name}.id
  policy = <<-POLICY
@{document}
  POLICY
}
""",
        name=name,
        document=json_block({"Version": "2012-10-17", "Statement": services}, "    "),
    )


def node_role(name: str, role_name: str) -> str:
    """The cluster node role, its same-named instance profile and ECR read access."""
    return fill(
        """
resource "aws_iam_role" "@{name}" {
  name        = "@{role_name}"
  description = "Instance role of Anyscale Ray nodes"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EC2AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_instance_profile" "@{name}" {
  name = aws_iam_role.@{name}.name
  role = aws_iam_role.@{name}.name
}

resource "aws_iam_role_policy_attachment" "@{name}_ecr" {
  role       = aws_iam_role.@{name}.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}
""",
        name=name,
        role_name=role_name,
    )


def s3_access(suffix: str, control: str, node: str, bucket: str, style: str) -> str:
    """Both roles' access to the bucket: the eight documented actions, on the bucket only."""
    if style == "managed_policy":
        return fill(
            """
resource "aws_iam_policy" "s3_access@{suffix}" {
  name        = "anyscale-s3-access@{suffix}"
  description = "Anyscale roles: read and write the cloud's bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "S3BucketAccess"
      Effect   = "Allow"
      Action   = @{actions}
      Resource = [aws_s3_bucket.@{bucket}.arn, "${aws_s3_bucket.@{bucket}.arn}/*"]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "@{control}_s3" {
  role       = aws_iam_role.@{control}.name
  policy_arn = aws_iam_policy.s3_access@{suffix}.arn
}

resource "aws_iam_role_policy_attachment" "@{node}_s3" {
  role       = aws_iam_role.@{node}.name
  policy_arn = aws_iam_policy.s3_access@{suffix}.arn
}
""",
            suffix=suffix,
            control=control,
            node=node,
            bucket=bucket,
            actions=hcl_list(S3_ACTIONS, "      "),
        )
    blocks = []
    for role in (control, node):
        blocks.append(
            fill(
                """
data "aws_iam_policy_document" "@{role}_s3" {
  statement {
    sid       = "S3BucketAccess"
    effect    = "Allow"
    actions   = @{actions}
    resources = [aws_s3_bucket.@{bucket}.arn, "${aws_s3_bucket.@{bucket}.arn}/*"]
  }
}

resource "aws_iam_role_policy" "@{role}_s3" {
  name   = "anyscale-s3-access"
  role   = aws_iam_role.@{role}.id
  policy = data.aws_iam_policy_document.@{role}_s3.json
}
""",
                role=role,
                bucket=bucket,
                actions=hcl_list(S3_ACTIONS, "    "),
            )
        )
    return "".join(blocks)


def s3_wildcard(node: str, marker: str) -> str:
    """A node-role policy granting every S3 action on every resource."""
    return fill(
        """
resource "aws_iam_role_policy" "@{node}_scratch" {
  name = "scratch-data"
  role = aws_iam_role.@{node}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:*"@{marker}
      Resource = "*"
    }]
  })
}
""",
        node=node,
        marker=marker,
    )


# ---- storage ----------------------------------------------------------------------------------


def bucket(name: str, bucket_name: str, origin: str, cors_style: str, marker: str) -> str:
    """The cloud's bucket: public access block, encryption, CORS and a TLS-only policy."""
    cors = fill(
        """
  cors_rule {
    allowed_origins = ["@{origin}"]@{marker}
    allowed_headers = ["*"]
    allowed_methods = ["GET", "PUT", "POST", "HEAD", "DELETE"]
    expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length"]
    max_age_seconds = 3600
  }
""",
        origin=origin,
        marker=marker,
    )
    if cors_style == "inline":
        text = fill(
            """
resource "aws_s3_bucket" "@{name}" {
  bucket = "@{bucket_name}"
@{cors}}
""",
            name=name,
            bucket_name=bucket_name,
            cors=cors,
        )
    else:
        text = fill(
            """
resource "aws_s3_bucket" "@{name}" {
  bucket = "@{bucket_name}"
}

resource "aws_s3_bucket_cors_configuration" "@{name}" {
  bucket = aws_s3_bucket.@{name}.id
@{cors}}
""",
            name=name,
            bucket_name=bucket_name,
            cors=cors,
        )
    return text + fill(
        """
resource "aws_s3_bucket_public_access_block" "@{name}" {
  bucket                  = aws_s3_bucket.@{name}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "@{name}" {
  bucket = aws_s3_bucket.@{name}.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
""",
        name=name,
    )


def bucket_policy(name: str, control: str, node: str) -> str:
    """Deny non-TLS requests; allow both roles the documented actions."""
    return fill(
        """
resource "aws_s3_bucket_policy" "@{name}" {
  bucket = aws_s3_bucket.@{name}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowSSLRequestsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.@{name}.arn, "${aws_s3_bucket.@{name}.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "AllowAnyscaleResources"
        Effect    = "Allow"
        Principal = { AWS = [aws_iam_role.@{control}.arn, aws_iam_role.@{node}.arn] }
        Action    = @{actions}
        Resource  = [aws_s3_bucket.@{name}.arn, "${aws_s3_bucket.@{name}.arn}/*"]
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.@{name}]
}
""",
        name=name,
        control=control,
        node=node,
        actions=hcl_list(S3_ACTIONS, "        "),
    )
