# Anyscale cloud "northwind-prod-usw2": customer-defined resources in private subnets.
# Apply, then run the command printed by `terraform output -raw anyscale_register_command`.

locals {
  name_prefix = "anyscale-${var.cloud_name}"

  # The external ID Anyscale presents when it assumes the control-plane role. It must be
  # org-prefixed and present in the trust policy before `anyscale cloud register --external-id`.
  anyscale_external_id = "${var.anyscale_org_id}-${var.external_id_suffix}"
}

module "network" {
  source = "./modules/network"

  name_prefix                  = local.name_prefix
  region                       = var.region
  vpc_cidr                     = var.vpc_cidr
  availability_zones           = var.availability_zones
  public_subnet_cidrs          = var.public_subnet_cidrs
  private_subnet_cidrs         = var.private_subnet_cidrs
  customer_ingress_cidr_ranges = var.customer_ingress_cidr_ranges
}

module "iam" {
  source = "./modules/iam"

  name_prefix          = local.name_prefix
  anyscale_external_id = local.anyscale_external_id
  bucket_name          = var.bucket_name
}

module "services" {
  source = "./modules/services"

  name_prefix       = local.name_prefix
  subnet_ids        = module.network.private_subnet_ids
  security_group_id = module.network.security_group_id
}

module "storage" {
  source = "./modules/storage"

  bucket_name = var.bucket_name
  role_arns = [
    module.iam.control_plane_role_arn,
    module.iam.instance_role_arn,
  ]
}
