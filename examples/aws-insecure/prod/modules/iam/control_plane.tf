data "aws_iam_policy_document" "anyscale_trust" {
  statement {
    sid     = "AnyscaleControlPlaneAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::525325868955:root"]
    }

    # The value comes from terraform.tfvars and is not org-prefixed (AWS-IAM-003).
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.anyscale_external_id]
    }
  }

  # Mistake (AWS-IAM-002): a second account may assume the Anyscale control-plane role with
  # no condition at all. Give the audit account its own read-only role instead.
  statement {
    sid     = "SecurityAuditAccess"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.audit_account_id}:root"]
    }
  }
}

resource "aws_iam_role" "control_plane" {
  name               = "${var.name}-anyscale-control-plane"
  assume_role_policy = data.aws_iam_policy_document.anyscale_trust.json
}

# Mistake (AWS-IAM-005): the SpotServiceLinkedRole statement (iam:CreateServiceLinkedRole for
# spot.amazonaws.com) was dropped in a review, so the first Spot launch in a fresh account
# fails. Mistake (AWS-IAM-014): there is no services-v2 policy at all (CloudFormation,
# Elastic Load Balancing, ACM, ec2:DescribeVpcs...), so Anyscale services cannot create their
# load balancers; add Anyscale's Anyscale_IAM_Policy_Service_Steady_State.
data "aws_iam_policy_document" "steady_state" {
  statement {
    sid       = "PassNodeRole"
    effect    = "Allow"
    actions   = ["iam:PassRole", "iam:GetInstanceProfile"]
    resources = [aws_iam_role.instance.arn, aws_iam_instance_profile.instance.arn]
  }

  statement {
    sid    = "InstanceManagement"
    effect = "Allow"
    actions = [
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeCapacityReservations",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeRegions",
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeInstances",
      "ec2:DescribeSubnets",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroups",
      "ec2:RunInstances",
      "ec2:StartInstances",
      "ec2:StopInstances",
      "ec2:TerminateInstances",
      "ec2:CreateTags",
      "ec2:DeleteTags",
      "ec2:CancelSpotInstanceRequests",
      "ec2:ModifyImageAttribute",
      "ec2:ModifyInstanceAttribute",
      "ec2:RequestSpotInstances",
      "ec2:AttachVolume",
      "ec2:CreateVolume",
      "ec2:DescribeVolumes",
      "ec2:AssociateIamInstanceProfile",
      "ec2:DisassociateIamInstanceProfile",
      "ec2:ReplaceIamInstanceProfileAssociation",
      "ec2:CreatePlacementGroup",
      "ec2:AllocateAddress",
      "ec2:ReleaseAddress",
      "ec2:DescribeIamInstanceProfileAssociations",
      "ec2:DescribeInstanceStatus",
      "ec2:DescribePlacementGroups",
      "ec2:DescribePrefixLists",
      "ec2:DescribeReservedInstancesOfferings",
      "ec2:DescribeSpotInstanceRequests",
      "ec2:DescribeSpotPriceHistory",
      "elasticfilesystem:DescribeMountTargets",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "steady_state" {
  name   = "Anyscale_IAM_Policy_Steady_State"
  role   = aws_iam_role.control_plane.id
  policy = data.aws_iam_policy_document.steady_state.json
}
