# anyscale-lint's description of aws-anyscale-iam: the control-plane role Anyscale's account
# assumes, its steady-state and services policies, and the cluster node role with its instance
# profile. As documented, the steady-state policy lacks ec2:DescribeCapacityReservations.
#
# The trust policy's sts:ExternalId condition, as the module writes it (checked against its
# main.tf and iam-policies-data.tf): the values of anyscale_trusted_role_sts_externalid, and
# no condition when there are none. anyscale_external_id and anyscale_cloud_id do not add one:
# the root module turns them into that list (its org-prefixed external ID first, else the
# cloud ID), so a call to this module alone with only a cloud ID trusts without an external ID.

variable "module_enabled" {
  type    = bool
  default = true
}

variable "create_anyscale_access_role" {
  type    = bool
  default = true
}

variable "anyscale_access_role_name" {
  type    = string
  default = null
}

variable "anyscale_access_role_name_prefix" {
  type    = string
  default = "anyscale-iam-role-"
}

variable "anyscale_default_trusted_role_arns" {
  type    = list(string)
  default = ["arn:aws:iam::525325868955:root"]
}

# Replaces anyscale_default_trusted_role_arns when given.
variable "anyscale_trusted_role_arns" {
  type    = list(string)
  default = []
}

# The sts:ExternalId values of the trust condition (a string or a list).
variable "anyscale_trusted_role_sts_externalid" {
  type    = any
  default = []
}

# Declared (validated to start with org_) but not read for the trust policy.
variable "anyscale_external_id" {
  type    = string
  default = null
}

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "anyscale_org_id" {
  type    = string
  default = null
}

variable "create_anyscale_access_steadystate_policy" {
  type    = bool
  default = true
}

variable "create_anyscale_access_servicesv2_policy" {
  type    = bool
  default = true
}

variable "anyscale_access_managed_policy_arns" {
  type    = list(string)
  default = []
}

variable "anyscale_cluster_node_role_name" {
  type    = string
  default = null
}

variable "anyscale_cluster_node_role_name_prefix" {
  type    = string
  default = "anyscale-cluster-node-"
}

variable "create_cluster_node_instance_profile" {
  type    = bool
  default = true
}

variable "anyscale_cluster_node_managed_policy_arns" {
  type    = list(string)
  default = []
}

variable "enable_ec2_container_registry_readonly_access" {
  type    = bool
  default = true
}

variable "create_iam_s3_policy" {
  type    = bool
  default = true
}

variable "anyscale_s3_bucket_arn" {
  type    = string
  default = ""
}

variable "role_permissions_boundary_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

data "aws_caller_identity" "current" {}

locals {
  account_id    = data.aws_caller_identity.current.account_id
  trusted       = length(var.anyscale_trusted_role_arns) > 0 ? var.anyscale_trusted_role_arns : var.anyscale_default_trusted_role_arns
  external_ids  = flatten([var.anyscale_trusted_role_sts_externalid])
  access_role   = var.module_enabled && var.create_anyscale_access_role
  node_role     = var.module_enabled && var.create_cluster_node_instance_profile
  s3_access     = var.module_enabled && var.create_iam_s3_policy
  # The bucket's statement needs its ARN; a computed ARN (the root's new bucket) is one.
  s3_buckets = compact([var.anyscale_s3_bucket_arn])
}

data "aws_iam_policy_document" "iam_anyscale_crossacct_assumerole_policy" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = local.trusted
    }

    dynamic "condition" {
      for_each = length(local.external_ids) > 0 ? ["external-id"] : []
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = local.external_ids
      }
    }
  }
}

resource "aws_iam_role" "anyscale_access_role" {
  count                = local.access_role ? 1 : 0
  name                 = var.anyscale_access_role_name
  permissions_boundary = var.role_permissions_boundary_arn
  name_prefix        = var.anyscale_access_role_name == null ? var.anyscale_access_role_name_prefix : null
  path               = "/"
  assume_role_policy = data.aws_iam_policy_document.iam_anyscale_crossacct_assumerole_policy.json
  tags               = var.tags
}

data "aws_iam_policy_document" "anyscale_steady_state" {
  statement {
    sid       = "IAMPassRoleToClusterNodes"
    effect    = "Allow"
    actions   = ["iam:PassRole", "iam:GetInstanceProfile"]
    resources = [aws_iam_role.anyscale_cluster_node_role[0].arn, aws_iam_instance_profile.anyscale_cluster_node_role[0].arn]
  }

  statement {
    sid       = "CreateSpotServiceLinkedRole"
    effect    = "Allow"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${local.account_id}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"]

    condition {
      test     = "StringLike"
      variable = "iam:AWSServiceName"
      values   = ["spot.amazonaws.com"]
    }
  }

  statement {
    sid    = "InstanceManagementCore"
    effect = "Allow"
    actions = [
      "ec2:DescribeAvailabilityZones",
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

resource "aws_iam_policy" "anyscale_steady_state" {
  count       = local.access_role && var.create_anyscale_access_steadystate_policy ? 1 : 0
  name_prefix = "anyscale-steady_state-"
  policy      = data.aws_iam_policy_document.anyscale_steady_state.json
}

resource "aws_iam_role_policy_attachment" "anyscale_steady_state" {
  count      = local.access_role && var.create_anyscale_access_steadystate_policy ? 1 : 0
  role       = aws_iam_role.anyscale_access_role[0].name
  policy_arn = aws_iam_policy.anyscale_steady_state[0].arn
}

resource "aws_iam_role_policy_attachment" "anyscale_servicesv2" {
  count      = local.access_role && var.create_anyscale_access_servicesv2_policy ? 1 : 0
  role       = aws_iam_role.anyscale_access_role[0].name
  policy_arn = aws_iam_policy.anyscale_servicesv2[0].arn
}

resource "aws_iam_policy" "anyscale_servicesv2" {
  count       = local.access_role && var.create_anyscale_access_servicesv2_policy ? 1 : 0
  name_prefix = "anyscale-servicesv2-"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "CloudFormationStacks"
        Effect = "Allow"
        Action = [
          "cloudformation:TagResource",
          "cloudformation:UntagResource",
          "cloudformation:CreateStack",
          "cloudformation:UpdateStack",
          "cloudformation:DeleteStack",
          "cloudformation:DescribeStackEvents",
          "cloudformation:DescribeStackResources",
          "cloudformation:DescribeStacks",
          "cloudformation:GetTemplate",
        ]
        Resource = "arn:aws:cloudformation:*:${local.account_id}:stack/*"
      },
      {
        Sid    = "DescribeNetworkAndLoadBalancers"
        Effect = "Allow"
        Action = [
          "ec2:DescribeVpcs",
          "ec2:DescribeInternetGateways",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeTags",
          "acm:ListCertificates",
        ]
        Resource = "*"
      },
      {
        Sid    = "ManageAnyscaleLoadBalancers"
        Effect = "Allow"
        Action = [
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
          "elasticloadbalancing:CreateRule",
          "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:DeleteRule",
          "elasticloadbalancing:SetRulePriorities",
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateLoadBalancer",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:CreateTargetGroup",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:RegisterTargets",
          "elasticloadbalancing:DeregisterTargets",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
        ]
        Resource = [
          "arn:aws:elasticloadbalancing:*:${local.account_id}:loadbalancer/app/Anyscale*",
          "arn:aws:elasticloadbalancing:*:${local.account_id}:listener/app/Anyscale*",
          "arn:aws:elasticloadbalancing:*:${local.account_id}:listener-rule/app/Anyscale*",
          "arn:aws:elasticloadbalancing:*:${local.account_id}:targetgroup/AnyscaleTarget*",
        ]
      },
      {
        Sid    = "ServiceCertificates"
        Effect = "Allow"
        Action = [
          "acm:DeleteCertificate",
          "acm:RenewCertificate",
          "acm:RequestCertificate",
          "acm:AddTagsToCertificate",
          "acm:DescribeCertificate",
          "acm:GetCertificate",
          "acm:ListTagsForCertificate",
        ]
        Resource = "arn:aws:acm:*:${local.account_id}:certificate/*"
      },
      {
        Sid      = "LoadBalancerServiceLinkedRole"
        Effect   = "Allow"
        Action   = "iam:CreateServiceLinkedRole"
        Resource = "arn:aws:iam::${local.account_id}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"
        Condition = {
          StringLike = {
            "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com"
          }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "anyscale_access_ecr_readonly" {
  count      = local.access_role && var.enable_ec2_container_registry_readonly_access ? 1 : 0
  role       = aws_iam_role.anyscale_access_role[0].name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}

resource "aws_iam_role_policy_attachment" "anyscale_access_managed" {
  count      = local.access_role ? length(var.anyscale_access_managed_policy_arns) : 0
  role       = aws_iam_role.anyscale_access_role[0].name
  policy_arn = var.anyscale_access_managed_policy_arns[count.index]
}

resource "aws_iam_role" "anyscale_cluster_node_role" {
  count                = local.node_role ? 1 : 0
  permissions_boundary = var.role_permissions_boundary_arn
  name                 = var.anyscale_cluster_node_role_name
  name_prefix = var.anyscale_cluster_node_role_name == null ? var.anyscale_cluster_node_role_name_prefix : null
  path        = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ec2.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
  tags = var.tags
}

# Anyscale finds the profile by the role's name.
resource "aws_iam_instance_profile" "anyscale_cluster_node_role" {
  count = local.node_role ? 1 : 0
  name  = aws_iam_role.anyscale_cluster_node_role[0].name
  path  = "/"
  role  = aws_iam_role.anyscale_cluster_node_role[0].name
}

resource "aws_iam_role_policy_attachment" "cluster_node_ecr_readonly" {
  count      = local.node_role && var.enable_ec2_container_registry_readonly_access ? 1 : 0
  role       = aws_iam_role.anyscale_cluster_node_role[0].name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}

resource "aws_iam_role_policy_attachment" "cluster_node_managed" {
  count      = local.node_role ? length(var.anyscale_cluster_node_managed_policy_arns) : 0
  role       = aws_iam_role.anyscale_cluster_node_role[0].name
  policy_arn = var.anyscale_cluster_node_managed_policy_arns[count.index]
}

# Access to the cloud's bucket for both roles (created whenever create_iam_s3_policy is on, as
# the module does; its statement only when the bucket is given).
resource "aws_iam_policy" "anyscale_s3_access" {
  count       = local.s3_access ? 1 : 0
  name_prefix = "anyscale-iam-s3-"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for bucket in local.s3_buckets : {
        Sid    = "S3BucketAccess"
        Effect = "Allow"
        Action = [
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:ListMultipartUploadParts",
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
        ]
        Resource = [bucket, "${bucket}/*"]
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "anyscale_access_s3" {
  count      = local.s3_access && local.access_role ? 1 : 0
  role       = aws_iam_role.anyscale_access_role[0].name
  policy_arn = aws_iam_policy.anyscale_s3_access[0].arn
}

resource "aws_iam_role_policy_attachment" "cluster_node_s3" {
  count      = local.s3_access && local.node_role ? 1 : 0
  role       = aws_iam_role.anyscale_cluster_node_role[0].name
  policy_arn = aws_iam_policy.anyscale_s3_access[0].arn
}

output "iam_anyscale_access_role_arn" {
  value = try(aws_iam_role.anyscale_access_role[0].arn, "")
}

output "iam_anyscale_access_role_name" {
  value = try(aws_iam_role.anyscale_access_role[0].name, "")
}

output "iam_cluster_node_role_arn" {
  value = try(aws_iam_role.anyscale_cluster_node_role[0].arn, "")
}

output "iam_cluster_node_instance_profile_role_arn" {
  value = try(aws_iam_instance_profile.anyscale_cluster_node_role[0].arn, "")
}

output "iam_cluster_node_instance_profile_name" {
  value = try(aws_iam_instance_profile.anyscale_cluster_node_role[0].name, "")
}

output "anyscale_iam_s3_policy_arn" {
  value = try(aws_iam_policy.anyscale_s3_access[0].arn, "")
}
