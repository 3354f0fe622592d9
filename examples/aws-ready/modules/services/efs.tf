# Shared storage (`--file-storage-id`): mounted by every node at /mnt/shared_storage and
# /mnt/user_storage. Encrypted, backed up, reachable from every node subnet without crossing
# zones.

resource "aws_efs_file_system" "anyscale" {
  creation_token   = "${var.name_prefix}-efs"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }

  tags = {
    Name = "${var.name_prefix}-efs"
  }
}

resource "aws_efs_backup_policy" "anyscale" {
  file_system_id = aws_efs_file_system.anyscale.id

  backup_policy {
    status = "ENABLED"
  }
}

# One mount target per node subnet, each with the cloud's security group.
resource "aws_efs_mount_target" "anyscale" {
  count = length(var.subnet_ids)

  file_system_id  = aws_efs_file_system.anyscale.id
  subnet_id       = element(var.subnet_ids, count.index)
  security_groups = [var.security_group_id]
}

# Clients may mount, write and act as root, but only through a mount target and over TLS.
resource "aws_efs_file_system_policy" "anyscale" {
  file_system_id = aws_efs_file_system.anyscale.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AnyscaleNodes"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action = [
          "elasticfilesystem:ClientRootAccess",
          "elasticfilesystem:ClientWrite",
          "elasticfilesystem:ClientMount",
        ]
        Resource = aws_efs_file_system.anyscale.arn
        Condition = {
          Bool = { "elasticfilesystem:AccessedViaMountTarget" = "true" }
        }
      },
      {
        Sid       = "EnforceInTransitEncryption"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = aws_efs_file_system.anyscale.arn
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
    ]
  })
}
