# Production Anyscale cloud: private node subnets behind NAT, registered with --private-network.

module "network" {
  source = "./modules/network"

  name     = var.cloud_name
  vpc_cidr = var.vpc_cidr
}

module "iam" {
  source = "./modules/iam"

  name                 = var.cloud_name
  anyscale_external_id = var.anyscale_external_id
  audit_account_id     = var.audit_account_id
}

module "storage" {
  source = "./modules/storage"

  bucket_name            = var.bucket_name
  control_plane_role_arn = module.iam.control_plane_role_arn
}
