# anyscale-lint's description of aws-anyscale-efs: an encrypted file system with a mount target
# in each given subnet carrying the given security groups, a backup policy, and an optional
# file-system policy that (as documented) grants ClientMount and ClientWrite only.
# The backup policy's default is not documented for the module itself (the root module turns
# it on), so a call that does not set enable_backup_policy leaves it unknown.

variable "anyscale_efs_name" {
  type    = string
  default = null
}

variable "mount_targets_subnets" {
  type    = list(string)
  default = []
}

variable "associated_security_group_ids" {
  type    = list(string)
  default = []
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "performance_mode" {
  type    = string
  default = "generalPurpose"
}

variable "throughput_mode" {
  type    = string
  default = "bursting"
}

variable "transition_to_ia" {
  type    = string
  default = "AFTER_60_DAYS"
}

variable "transition_to_primary_storage_class" {
  type    = string
  default = "AFTER_1_ACCESS"
}

variable "enable_backup_policy" {
  type = bool
}

variable "attach_policy" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_efs_file_system" "anyscale_efs" {
  creation_token   = var.anyscale_efs_name
  encrypted        = true
  kms_key_id       = var.kms_key_arn
  performance_mode = var.performance_mode
  throughput_mode  = var.throughput_mode
  tags             = merge(var.tags, { Name = var.anyscale_efs_name })

  lifecycle_policy {
    transition_to_ia = var.transition_to_ia
  }

  lifecycle_policy {
    transition_to_primary_storage_class = var.transition_to_primary_storage_class
  }
}

resource "aws_efs_mount_target" "anyscale_efs" {
  count           = length(var.mount_targets_subnets)
  file_system_id  = aws_efs_file_system.anyscale_efs.id
  subnet_id       = var.mount_targets_subnets[count.index]
  security_groups = var.associated_security_group_ids
}

resource "aws_efs_backup_policy" "anyscale_efs" {
  file_system_id = aws_efs_file_system.anyscale_efs.id

  backup_policy {
    status = var.enable_backup_policy ? "ENABLED" : "DISABLED"
  }
}

resource "aws_efs_file_system_policy" "anyscale_efs" {
  count          = var.attach_policy ? 1 : 0
  file_system_id = aws_efs_file_system.anyscale_efs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = aws_efs_file_system.anyscale_efs.arn
        Condition = { Bool = { "aws:SecureTransport" = "true" } }
      },
    ]
  })
}

output "efs_id" {
  value = aws_efs_file_system.anyscale_efs.id
}

output "efs_arn" {
  value = aws_efs_file_system.anyscale_efs.arn
}

output "efs_dns_name" {
  value = aws_efs_file_system.anyscale_efs.dns_name
}

output "efs_mount_target_ids" {
  value = aws_efs_mount_target.anyscale_efs[*].id
}
