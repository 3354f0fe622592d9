# anyscale-lint's description of the root module of terraform-aws-anyscale-cloudfoundation-modules:
# it builds the cloud from the submodules, each called here by its official source so that each
# is read from its own description. What it decides (written from its main.tf, outputs.tf and
# variables.tf; defaults of inputs newer than that variables.tf from docs/REQUIREMENTS.md):
#
# - the VPC submodule runs unless an existing VPC is given with no subnets and no route tables;
#   an internet gateway and NAT gateways only for a new VPC;
# - the security group admits 443 (and 22 with security_group_enable_ssh_access) from
#   security_group_ingress_allow_access_from_cidr_range, only when that string is longer than
#   one character (the module then passes one empty rule, which the provider rejects; described
#   as no rule); an override map or a map of existing groups counts only with two entries or more;
# - the trust policy's external ID is "<org id>-<external id>" when anyscale_external_id is
#   given, else the cloud ID, else none;
# - the S3 bucket and its policy are skipped for existing_s3_bucket_arn (the IAM S3 policy then
#   names that bucket); EFS is on and MemoryDB off by default;
# - EFS mount targets: one per zone of the existing subnets, else one per subnet of the longer
#   of the private and public lists, in the private subnets when there are any;
# - outputs: as the module's, so anyscale_vpc_id is "" when an existing VPC is given.

locals {
  tags = merge({
    anyscale-cloud-id           = var.anyscale_cloud_id
    anyscale-org-id             = var.anyscale_org_id
    anyscale-deploy-environment = var.anyscale_deploy_env
  }, var.tags)

  common_name    = try(random_id.common_name[0].hex, null)
  create_new_s3  = var.existing_s3_bucket_arn == null
  create_new_vpc = var.existing_vpc_id == null
  run_vpc_module = local.create_new_vpc || length(var.anyscale_vpc_private_subnets) > 0 || length(var.anyscale_vpc_public_subnets) > 0 || (length(var.anyscale_gateway_vpc_endpoints) > 0 && (length(var.existing_vpc_private_route_table_ids) > 0 || length(var.existing_vpc_public_route_table_ids) > 0))

  external_id_with_org_id = var.anyscale_external_id != null && var.anyscale_org_id != null ? "${var.anyscale_org_id}-${var.anyscale_external_id}" : null
  external_ids            = var.anyscale_external_id != null ? [local.external_id_with_org_id] : (var.anyscale_cloud_id != null && var.anyscale_cloud_id != "" ? [var.anyscale_cloud_id] : [])

  ingress_from_cidr_map = concat(
    [{ rule = "https-443-tcp", cidr_blocks = var.security_group_ingress_allow_access_from_cidr_range }],
    var.security_group_enable_ssh_access ? [{ rule = "ssh-tcp", cidr_blocks = var.security_group_ingress_allow_access_from_cidr_range }] : [],
  )
  ingress_rules = length(var.security_group_override_ingress_from_cidr_map) > 1 ? var.security_group_override_ingress_from_cidr_map : (
    length(var.security_group_ingress_allow_access_from_cidr_range) > 1 ? local.ingress_from_cidr_map : []
  )

  # One existing subnet per zone, as the module groups them by their zone.
  existing_subnet_per_zone = { for id, subnet in data.aws_subnet.existing_subnets : subnet.availability_zone => id... }
  existing_subnet_ids      = [for zone, ids in local.existing_subnet_per_zone : ids[0]]
  efs_mount_target_count   = length(local.existing_subnet_ids) > 0 ? length(local.existing_subnet_ids) : max(length(var.anyscale_vpc_private_subnets), length(var.anyscale_vpc_public_subnets))
}

resource "random_id" "common_name" {
  count       = var.use_common_name ? 1 : 0
  byte_length = var.random_name_suffix_length
  prefix      = coalesce(var.common_prefix, "anyscale-")
}

data "aws_subnet" "existing_subnets" {
  for_each = toset(var.existing_vpc_subnet_ids)
  id       = each.value
}

module "aws_anyscale_s3" {
  source                 = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-s3"
  module_enabled         = local.create_new_s3
  tags                   = local.tags
  anyscale_cloud_id      = var.anyscale_cloud_id
  anyscale_bucket_name   = var.anyscale_s3_bucket_name != null ? var.anyscale_s3_bucket_name : local.common_name
  anyscale_bucket_prefix = coalesce(var.anyscale_s3_bucket_prefix, var.common_prefix, "anyscale-")
  server_side_encryption = var.anyscale_s3_server_side_encryption
}

module "aws_anyscale_iam" {
  source                                    = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-iam"
  tags                                      = local.tags
  anyscale_access_role_name                 = var.anyscale_iam_access_role_name != null ? var.anyscale_iam_access_role_name : local.common_name != null ? "${local.common_name}-crossacct-iam-role" : null
  anyscale_access_role_name_prefix          = coalesce(var.anyscale_iam_access_role_name_prefix, var.common_prefix, "anyscale-iam-role-")
  anyscale_trusted_role_arns                = var.anyscale_access_role_trusted_role_arns
  anyscale_cluster_node_role_name           = var.anyscale_iam_cluster_node_role_name != null ? var.anyscale_iam_cluster_node_role_name : local.common_name != null ? "${local.common_name}-cluster-node-role" : null
  anyscale_cluster_node_role_name_prefix    = coalesce(var.anyscale_iam_cluster_node_role_name_prefix, var.common_prefix, "anyscale-cluster-node-")
  anyscale_cluster_node_managed_policy_arns = var.anyscale_cluster_node_managed_policy_arns
  create_iam_s3_policy                      = true
  anyscale_s3_bucket_arn                    = try(coalesce(var.existing_s3_bucket_arn, module.aws_anyscale_s3.s3_bucket_arn), null)
  anyscale_trusted_role_sts_externalid      = local.external_ids
  anyscale_cloud_id                         = var.anyscale_cloud_id
  anyscale_org_id                           = var.anyscale_org_id
  anyscale_external_id                      = local.external_id_with_org_id
}

module "aws_anyscale_s3_policy" {
  source                         = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-s3-policy"
  module_enabled                 = local.create_new_s3
  anyscale_bucket_name           = module.aws_anyscale_s3.s3_bucket_id
  anyscale_controlplane_role_arn = module.aws_anyscale_iam.iam_anyscale_access_role_arn
  anyscale_dataplane_role_arn    = module.aws_anyscale_iam.iam_cluster_node_role_arn
}

module "aws_anyscale_vpc" {
  source                           = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-vpc"
  module_enabled                   = local.run_vpc_module
  tags                             = local.tags
  anyscale_vpc_name                = coalesce(var.anyscale_vpc_name, local.common_name, "vpc-anyscale")
  cidr_block                       = var.anyscale_vpc_cidr_block
  public_subnets                   = var.anyscale_vpc_public_subnets
  private_subnets                  = var.anyscale_vpc_private_subnets
  create_igw                       = local.create_new_vpc
  create_ngw                       = local.create_new_vpc
  gateway_vpc_endpoints            = var.anyscale_gateway_vpc_endpoints
  existing_vpc_id                  = var.existing_vpc_id
  existing_private_subnet_ids      = var.existing_vpc_subnet_ids
  existing_private_route_table_ids = var.existing_vpc_private_route_table_ids
  existing_public_route_table_ids  = var.existing_vpc_public_route_table_ids
}

module "aws_anyscale_securitygroup_self" {
  source                                    = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-securitygroups"
  tags                                      = local.tags
  vpc_id                                    = coalesce(var.existing_vpc_id, module.aws_anyscale_vpc.vpc_id)
  security_group_name                       = var.security_group_name != null ? var.security_group_name : local.common_name
  security_group_name_prefix                = coalesce(var.security_group_name_prefix, var.common_prefix, "anyscale-security-group-")
  ingress_from_cidr_map                     = local.ingress_rules
  ingress_with_existing_security_groups_map = length(var.security_group_ingress_with_existing_security_groups_map) > 1 ? var.security_group_ingress_with_existing_security_groups_map : []
}

module "aws_anyscale_efs" {
  source                                               = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-efs"
  module_enabled                                       = var.create_efs_resources
  tags                                                 = local.tags
  anyscale_efs_name                                    = var.anyscale_efs_name != null ? var.anyscale_efs_name : local.common_name
  lifecycle_policy_transition_to_ia                    = var.efs_lifecycle_transition_to_ia
  lifecycle_policy_transition_to_primary_storage_class = var.efs_lifecycle_transition_to_primary_storage_class
  mount_targets_subnet_count                           = local.efs_mount_target_count
  mount_targets_subnets                                = coalescelist(local.existing_subnet_ids, module.aws_anyscale_vpc.private_subnet_ids, module.aws_anyscale_vpc.public_subnet_ids)
  associated_security_group_ids                        = [module.aws_anyscale_securitygroup_self.security_group_id]
  kms_key_arn                                          = var.efs_kms_key_id
  enable_backup_policy                                 = true
}

module "aws_anyscale_memorydb" {
  source                        = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-memorydb"
  module_enabled                = var.create_memorydb_resources
  tags                          = local.tags
  anyscale_memorydb_name        = var.anyscale_memorydb_cluster_name != null ? var.anyscale_memorydb_cluster_name : local.common_name
  anyscale_memorydb_name_prefix = coalesce(var.anyscale_memorydb_cluster_name_prefix, var.common_prefix, "anyscale-mdb-")
  memorydb_subnet_ids           = coalescelist(var.existing_vpc_subnet_ids, module.aws_anyscale_vpc.private_subnet_ids, module.aws_anyscale_vpc.public_subnet_ids)
  memorydb_security_group_ids   = [module.aws_anyscale_securitygroup_self.security_group_id]
}
