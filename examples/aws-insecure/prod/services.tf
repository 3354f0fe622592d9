# Shared storage (EFS, mounted at /mnt/shared_storage) and head-node fault tolerance
# (MemoryDB), both passed to `anyscale cloud register` (outputs.tf).

# Mistake (AWS-EFS-003): `encrypted` is left at its default (false): user files, datasets and
# checkpoints sit unencrypted at rest. Encryption can only be chosen at creation; set
# encrypted = true (optionally kms_key_id) and copy the data to a new file system.
# Mistake (AWS-EFS-004): no aws_efs_backup_policy, so AWS Backup never snapshots it. Add one
# with backup_policy { status = "ENABLED" }.
resource "aws_efs_file_system" "anyscale" {
  creation_token   = "${var.cloud_name}-shared-storage"
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = {
    Name = "${var.cloud_name}-shared-storage"
  }
}

# Mistake (AWS-EFS-001): mount targets in us-west-2a and us-west-2b only; nodes in the third
# node subnet (us-west-2c) mount across zones (cross-AZ data charges, latency). Add one per
# node subnet.
resource "aws_efs_mount_target" "a" {
  file_system_id  = aws_efs_file_system.anyscale.id
  subnet_id       = element(module.network.node_subnet_ids, 0)
  security_groups = [module.network.security_group_id]
}

# Mistake (AWS-EFS-002): no security_groups, so this mount target gets the VPC's default
# security group and nodes in us-west-2b may not reach NFS (TCP 2049). Give it the cloud's
# security group, like the other one.
resource "aws_efs_mount_target" "b" {
  file_system_id = aws_efs_file_system.anyscale.id
  subnet_id      = element(module.network.node_subnet_ids, 1)
}

# Mistake (AWS-EFS-005): "root squash" from a hardening guide: ClientRootAccess is not
# allowed, but Anyscale's nodes write the shared storage as root. Allow ClientRootAccess,
# ClientWrite and ClientMount.
resource "aws_efs_file_system_policy" "anyscale" {
  file_system_id = aws_efs_file_system.anyscale.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "MountAndWriteWithoutRoot"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action = [
          "elasticfilesystem:ClientMount",
          "elasticfilesystem:ClientWrite",
        ]
        Resource = aws_efs_file_system.anyscale.arn
        Condition = {
          Bool = { "elasticfilesystem:AccessedViaMountTarget" = "true" }
        }
      },
    ]
  })
}

# Mistake (AWS-MDB-004): the subnet group takes every subnet of the VPC, the public ones
# included; MemoryDB belongs in the node subnets only.
resource "aws_memorydb_subnet_group" "anyscale" {
  name       = "${var.cloud_name}-memorydb"
  subnet_ids = concat(module.network.node_subnet_ids, module.network.public_subnet_ids)
}

# Mistake (AWS-MDB-003): volatile-lru evicts only keys with a TTL; Anyscale's GCS keys have
# none, so a full cluster rejects writes. Use maxmemory-policy = allkeys-lru.
resource "aws_memorydb_parameter_group" "anyscale" {
  name   = "${var.cloud_name}-redis7"
  family = "memorydb_redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "volatile-lru"
  }
}

# Mistake (AWS-MDB-001): TLS turned off "to debug with redis-cli"; Anyscale connects with
# rediss:// and the registration fails. Keep tls_enabled = true (the default).
# Mistake (AWS-MDB-002): no replicas "to save cost": a single node per shard, so a node
# failure loses the head node's state, which is what MemoryDB is here for. Use at least 1
# replica per shard.
resource "aws_memorydb_cluster" "anyscale" {
  name                   = "${var.cloud_name}-gcs"
  node_type              = "db.t4g.small"
  acl_name               = "open-access"
  engine_version         = "7.1"
  num_shards             = 1
  num_replicas_per_shard = 0
  tls_enabled            = false
  subnet_group_name      = aws_memorydb_subnet_group.anyscale.name
  parameter_group_name   = aws_memorydb_parameter_group.anyscale.name
  security_group_ids     = [module.network.security_group_id]
}
