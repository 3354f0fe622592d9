# The root module's inputs this description covers, with the module's defaults.

variable "security_group_ingress_allow_access_from_cidr_range" {
  type = string
}

variable "security_group_enable_ssh_access" {
  type    = bool
  default = false
}

variable "security_group_override_ingress_from_cidr_map" {
  type    = list(map(string))
  default = []
}

variable "security_group_ingress_with_existing_security_groups_map" {
  type    = list(map(string))
  default = []
}

variable "security_group_name" {
  type    = string
  default = null
}

variable "security_group_name_prefix" {
  type    = string
  default = null
}

variable "anyscale_deploy_env" {
  type    = string
  default = "production"
}

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "anyscale_org_id" {
  type    = string
  default = null
}

variable "anyscale_external_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "common_prefix" {
  type    = string
  default = null
}

variable "use_common_name" {
  type    = bool
  default = false
}

variable "random_name_suffix_length" {
  type    = number
  default = 6
}

variable "existing_vpc_id" {
  type    = string
  default = null
}

variable "existing_vpc_subnet_ids" {
  type    = list(string)
  default = []
}

variable "existing_vpc_private_route_table_ids" {
  type    = list(string)
  default = []
}

variable "existing_vpc_public_route_table_ids" {
  type    = list(string)
  default = []
}

variable "anyscale_vpc_name" {
  type    = string
  default = null
}

variable "anyscale_vpc_cidr_block" {
  type    = string
  default = "10.0.0.0/16"
}

variable "anyscale_vpc_public_subnets" {
  type    = list(string)
  default = []
}

variable "anyscale_vpc_private_subnets" {
  type    = list(string)
  default = []
}

variable "anyscale_gateway_vpc_endpoints" {
  type    = any
  default = { s3 = { name = "s3", policy = null } }
}

variable "anyscale_iam_access_role_name" {
  type    = string
  default = null
}

variable "anyscale_iam_access_role_name_prefix" {
  type    = string
  default = null
}

variable "anyscale_access_role_trusted_role_arns" {
  type    = list(string)
  default = []
}

variable "anyscale_iam_cluster_node_role_name" {
  type    = string
  default = null
}

variable "anyscale_iam_cluster_node_role_name_prefix" {
  type    = string
  default = null
}

variable "anyscale_cluster_node_managed_policy_arns" {
  type    = list(string)
  default = []
}

variable "existing_s3_bucket_arn" {
  type    = string
  default = null
}

variable "anyscale_s3_bucket_name" {
  type    = string
  default = null
}

variable "anyscale_s3_bucket_prefix" {
  type    = string
  default = null
}

variable "anyscale_s3_server_side_encryption" {
  type    = map(string)
  default = { sse_algorithm = "AES256" }
}

variable "create_efs_resources" {
  type    = bool
  default = true
}

variable "anyscale_efs_name" {
  type    = string
  default = null
}

variable "efs_lifecycle_transition_to_ia" {
  type    = list(string)
  default = ["AFTER_60_DAYS"]
}

variable "efs_lifecycle_transition_to_primary_storage_class" {
  type    = list(string)
  default = ["AFTER_1_ACCESS"]
}

variable "efs_kms_key_id" {
  type    = string
  default = null
}

variable "create_memorydb_resources" {
  type    = bool
  default = false
}

variable "anyscale_memorydb_cluster_name" {
  type    = string
  default = null
}

variable "anyscale_memorydb_cluster_name_prefix" {
  type    = string
  default = null
}
