# anyscale-lint's description of aws-anyscale-memorydb: a TLS cluster with two replicas per
# shard, LRU eviction, in the given subnets behind the given security groups.

variable "anyscale_memorydb_cluster_name" {
  type    = string
  default = "anyscale-memorydb"
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

variable "memorydb_acl_name" {
  type    = string
  default = "open-access"
}

variable "memorydb_parameter_group_family" {
  type    = string
  default = "memorydb_redis7"
}

variable "memorydb_parameters" {
  type    = list(map(string))
  default = [{ name = "maxmemory-policy", value = "allkeys-lru" }]
}

variable "auto_minor_version_upgrade" {
  type    = bool
  default = true
}

resource "aws_memorydb_subnet_group" "anyscale_memorydb" {
  name       = var.anyscale_memorydb_cluster_name
  subnet_ids = var.memorydb_subnet_ids
}

resource "aws_memorydb_parameter_group" "anyscale_memorydb" {
  name   = var.anyscale_memorydb_cluster_name
  family = var.memorydb_parameter_group_family

  dynamic "parameter" {
    for_each = var.memorydb_parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }
}

resource "aws_memorydb_cluster" "anyscale_memorydb" {
  name                       = var.anyscale_memorydb_cluster_name
  node_type                  = var.memorydb_node_type
  engine_version             = var.memorydb_engine_version
  acl_name                   = var.memorydb_acl_name
  num_shards                 = var.memorydb_num_shards
  num_replicas_per_shard     = var.memorydb_num_replicas_per_shard
  tls_enabled                = var.memorydb_tls_enabled
  port                       = var.memorydb_port
  subnet_group_name          = aws_memorydb_subnet_group.anyscale_memorydb.name
  parameter_group_name       = aws_memorydb_parameter_group.anyscale_memorydb.name
  security_group_ids         = var.memorydb_security_group_ids
  auto_minor_version_upgrade = var.auto_minor_version_upgrade
}

output "memorydb_cluster_name" {
  value = aws_memorydb_cluster.anyscale_memorydb.name
}

output "memorydb_cluster_arn" {
  value = aws_memorydb_cluster.anyscale_memorydb.arn
}
