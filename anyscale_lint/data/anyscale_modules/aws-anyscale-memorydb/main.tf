# anyscale-lint's description of aws-anyscale-memorydb: a TLS cluster with two replicas per
# shard, LRU eviction, in the given subnets behind the given security groups.

variable "anyscale_memorydb_name" {
  type    = string
  default = null
}

variable "anyscale_memorydb_name_prefix" {
  type    = string
  default = "anyscale-mdb-"
}

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "memorydb_subnet_ids" {
  type = list(string)
}

variable "memorydb_security_group_ids" {
  type = list(string)
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

variable "existing_memorydb_acl_name" {
  type    = string
  default = "open-access"
}

variable "memorydb_parameter_group_family" {
  type    = string
  default = "memorydb_redis7"
}

variable "memorydb_parameter_group_parameters" {
  type    = list(map(string))
  default = [{ name = "maxmemory-policy", value = "allkeys-lru" }]
}

variable "memorydb_snapshot_retention_limit" {
  type    = number
  default = null
}

variable "enable_auto_minor_version_upgrade" {
  type    = bool
  default = true
}

locals {
  name = coalesce(var.anyscale_memorydb_name, "${var.anyscale_memorydb_name_prefix}${coalesce(var.anyscale_cloud_id, "anyscale")}")
}

resource "aws_memorydb_subnet_group" "anyscale_memorydb" {
  name       = local.name
  subnet_ids = var.memorydb_subnet_ids
}

resource "aws_memorydb_parameter_group" "anyscale_memorydb" {
  name   = local.name
  family = var.memorydb_parameter_group_family

  dynamic "parameter" {
    for_each = var.memorydb_parameter_group_parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }
}

resource "aws_memorydb_cluster" "anyscale_memorydb" {
  name                       = local.name
  node_type                  = var.memorydb_node_type
  engine_version             = var.memorydb_engine_version
  acl_name                   = var.existing_memorydb_acl_name
  num_shards                 = var.memorydb_num_shards
  num_replicas_per_shard     = var.memorydb_num_replicas_per_shard
  tls_enabled                = var.memorydb_tls_enabled
  port                       = var.memorydb_port
  subnet_group_name          = aws_memorydb_subnet_group.anyscale_memorydb.name
  parameter_group_name       = aws_memorydb_parameter_group.anyscale_memorydb.name
  security_group_ids         = var.memorydb_security_group_ids
  auto_minor_version_upgrade = var.enable_auto_minor_version_upgrade
  snapshot_retention_limit   = var.memorydb_snapshot_retention_limit
}

output "memorydb_cluster_name" {
  value = aws_memorydb_cluster.anyscale_memorydb.name
}

output "memorydb_cluster_arn" {
  value = aws_memorydb_cluster.anyscale_memorydb.arn
}
