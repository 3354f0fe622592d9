# Head-node fault tolerance (`--memorydb-cluster-id`): the Ray GCS state lives in MemoryDB, so
# a head node can be replaced without losing the cluster. TLS on (Anyscale connects with
# rediss://), two replicas per shard, in the node subnets behind the cloud's security group.

resource "aws_memorydb_subnet_group" "anyscale" {
  name       = "${var.name_prefix}-memorydb"
  subnet_ids = var.subnet_ids
}

# Anyscale's GCS keys carry no TTL: evict any key, least recently used first.
resource "aws_memorydb_parameter_group" "anyscale" {
  name   = "${var.name_prefix}-redis7"
  family = "memorydb_redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }
}

resource "aws_memorydb_cluster" "anyscale" {
  name                     = "${var.name_prefix}-gcs"
  node_type                = "db.t4g.small"
  engine_version           = "7.1"
  acl_name                 = "open-access"
  num_shards               = 1
  num_replicas_per_shard   = 2
  tls_enabled              = true
  subnet_group_name        = aws_memorydb_subnet_group.anyscale.name
  parameter_group_name     = aws_memorydb_parameter_group.anyscale.name
  security_group_ids       = [var.security_group_id]
  snapshot_retention_limit = 7
}
