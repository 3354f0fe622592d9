# anyscale-lint's description of aws-anyscale-memorydb: a TLS cluster (memorydb_tls_enabled)
# with two replicas per shard and LRU eviction, in the given subnets behind the given
# security groups, using the existing `open-access` ACL.
#
# Checked against the module's main.tf, variables.tf and outputs.tf: it is off unless the call
# sets module_enabled = true (its default is false, the root passes create_memorydb_resources),
# the cluster's name is the output memorydb_cluster_id (there is no memorydb_cluster_name),
# and every output is "" when the module is off.

variable "module_enabled" {
  type    = bool
  default = false
}

variable "anyscale_memorydb_name" {
  type    = string
  default = null
}

variable "anyscale_memorydb_name_prefix" {
  type    = string
  default = null
}

variable "anyscale_memorydb_description" {
  type    = string
  default = "Anyscale managed MemoryDB for Anyscale Services"
}

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "memorydb_subnet_ids" {
  type = list(string)
}

variable "memorydb_security_group_ids" {
  type = list(string)
}

variable "memorydb_kms_key_arn" {
  type    = string
  default = null
}

variable "memorydb_node_type" {
  type    = string
  default = "db.t4g.small"
}

variable "memorydb_engine_version" {
  type    = string
  default = "7.0"
}

variable "memorydb_num_shards" {
  type    = number
  default = 1
}

variable "memorydb_num_replicas_per_shard" {
  type    = number
  default = 2
}

variable "memorydb_tls_enabled" {
  type    = bool
  default = true
}

variable "memorydb_port" {
  type    = number
  default = 6379
}

variable "enable_auto_minor_version_upgrade" {
  type    = bool
  default = true
}

variable "memorydb_snapshot_retention_limit" {
  type    = number
  default = null
}

variable "create_memorydb_parameter_group" {
  type    = bool
  default = true
}

variable "existing_memorydb_parameter_group_name" {
  type    = string
  default = null
}

variable "memorydb_parameter_group_name" {
  type    = string
  default = null
}

variable "memorydb_parameter_group_name_prefix" {
  type    = string
  default = null
}

variable "memorydb_parameter_group_description" {
  type    = string
  default = "Anyscale MemoryDB Parameter Group for Anyscale Services"
}

variable "memorydb_parameter_group_family" {
  type    = string
  default = "memorydb_redis7"
}

variable "memorydb_parameter_group_parameters" {
  type    = list(map(string))
  default = [{ name = "maxmemory-policy", value = "allkeys-lru" }]
}

# The module can create an ACL with users; by default the cluster uses the existing one.
variable "create_memorydb_acl" {
  type    = bool
  default = false
}

variable "existing_memorydb_acl_name" {
  type    = string
  default = "open-access"
}

variable "memorydb_acl_name" {
  type    = string
  default = null
}

variable "memorydb_acl_name_prefix" {
  type    = string
  default = null
}

variable "create_memorydb_subnet_group" {
  type    = bool
  default = true
}

variable "existing_memorydb_subnet_group_name" {
  type    = string
  default = null
}

variable "memorydb_subnet_group_name" {
  type    = string
  default = null
}

variable "memorydb_subnet_group_name_prefix" {
  type    = string
  default = null
}

variable "memorydb_subnet_group_description" {
  type    = string
  default = "Anyscale MemoryDB Subnet Group for Anyscale Services"
}

locals {
  name_prefix  = var.anyscale_memorydb_name != null ? null : coalesce(var.anyscale_memorydb_name_prefix, "anyscale-mdb-")
  create_pg    = var.module_enabled && var.create_memorydb_parameter_group
  create_acl   = var.module_enabled && var.create_memorydb_acl
  create_sng   = var.module_enabled && var.create_memorydb_subnet_group
  acl_name     = local.create_acl ? aws_memorydb_acl.anyscale_memorydb[0].id : var.existing_memorydb_acl_name
  parameters   = local.create_pg ? aws_memorydb_parameter_group.anyscale_memorydb[0].id : var.existing_memorydb_parameter_group_name
  subnet_group = local.create_sng ? aws_memorydb_subnet_group.anyscale_memorydb[0].id : var.existing_memorydb_subnet_group_name
}

resource "aws_memorydb_subnet_group" "anyscale_memorydb" {
  count       = local.create_sng ? 1 : 0
  name        = var.memorydb_subnet_group_name
  name_prefix = var.memorydb_subnet_group_name != null ? null : coalesce(var.memorydb_subnet_group_name_prefix, "anyscale-mdb-sg-")
  description = var.memorydb_subnet_group_description
  subnet_ids  = var.memorydb_subnet_ids
  tags        = var.tags
}

resource "aws_memorydb_parameter_group" "anyscale_memorydb" {
  count       = local.create_pg ? 1 : 0
  name        = coalesce(var.memorydb_parameter_group_name, "${coalesce(var.memorydb_parameter_group_name_prefix, "anyscale-mdb-pg-")}default")
  description = var.memorydb_parameter_group_description
  family      = var.memorydb_parameter_group_family

  dynamic "parameter" {
    for_each = var.memorydb_parameter_group_parameters
    content {
      name  = parameter.value.name
      value = tostring(parameter.value.value)
    }
  }
}

resource "aws_memorydb_acl" "anyscale_memorydb" {
  count       = local.create_acl ? 1 : 0
  name        = var.memorydb_acl_name
  name_prefix = var.memorydb_acl_name != null ? null : coalesce(var.memorydb_acl_name_prefix, "anyscale-mdb-acl-")
}

resource "aws_memorydb_cluster" "anyscale_memorydb" {
  count                      = var.module_enabled ? 1 : 0
  name                       = var.anyscale_memorydb_name
  name_prefix                = local.name_prefix
  description                = var.anyscale_memorydb_description
  node_type                  = var.memorydb_node_type
  engine_version             = var.memorydb_engine_version
  acl_name                   = local.acl_name
  num_shards                 = var.memorydb_num_shards
  num_replicas_per_shard     = var.memorydb_num_replicas_per_shard
  tls_enabled                = var.memorydb_tls_enabled
  kms_key_arn                = var.memorydb_kms_key_arn
  port                       = var.memorydb_port
  subnet_group_name          = local.subnet_group
  parameter_group_name       = local.parameters
  security_group_ids         = var.memorydb_security_group_ids
  auto_minor_version_upgrade = var.enable_auto_minor_version_upgrade
  snapshot_retention_limit   = var.memorydb_snapshot_retention_limit
  tags                       = merge({ anyscale-cloud-id = var.anyscale_cloud_id }, var.tags)
}

output "memorydb_cluster_id" {
  value = try(aws_memorydb_cluster.anyscale_memorydb[0].id, "")
}

output "memorydb_cluster_arn" {
  value = try(aws_memorydb_cluster.anyscale_memorydb[0].arn, "")
}

output "memorydb_cluster_endpoint_address" {
  value = try(aws_memorydb_cluster.anyscale_memorydb[0].cluster_endpoint[0].address, "")
}

output "memorydb_cluster_endpoint_port" {
  value = try(aws_memorydb_cluster.anyscale_memorydb[0].cluster_endpoint[0].port, "")
}

output "memorydb_parameter_group_id" {
  value = try(aws_memorydb_parameter_group.anyscale_memorydb[0].id, "")
}

output "memorydb_subnet_group_id" {
  value = try(aws_memorydb_subnet_group.anyscale_memorydb[0].id, "")
}
