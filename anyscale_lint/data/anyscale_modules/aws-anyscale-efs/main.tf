# anyscale-lint's description of aws-anyscale-efs: an encrypted file system with a mount target
# in each given subnet carrying the given security groups, a backup policy, and an optional
# file-system policy that (as documented) grants ClientMount and ClientWrite only.

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "anyscale_efs_name" {
  type    = string
  default = null
}

variable "mount_targets_subnets" {
  type    = list(string)
  default = []
}

# Given when the subnets are not known before apply; the subnets' count otherwise.
variable "mount_targets_subnet_count" {
  type    = number
  default = 0
}

variable "associated_security_group_ids" {
  type    = list(string)
  default = []
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "efs_encrypted" {
  type    = bool
  default = true
}

variable "efs_performance_mode" {
  type    = string
  default = "generalPurpose"
}

variable "efs_throughput_mode" {
  type    = string
  default = "bursting"
}

variable "lifecycle_policy_transition_to_ia" {
  type    = list(string)
  default = ["AFTER_60_DAYS"]
}

variable "lifecycle_policy_transition_to_primary_storage_class" {
  type    = list(string)
  default = ["AFTER_1_ACCESS"]
}

variable "create_backup_policy" {
  type    = bool
  default = true
}

variable "enable_backup_policy" {
  type    = bool
  default = true
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
  encrypted        = var.efs_encrypted
  kms_key_id       = var.kms_key_arn
  performance_mode = var.efs_performance_mode
  throughput_mode  = var.efs_throughput_mode
  tags             = merge(var.tags, { Name = coalesce(var.anyscale_efs_name, var.anyscale_cloud_id, "efs_anyscale") })

  dynamic "lifecycle_policy" {
    for_each = var.lifecycle_policy_transition_to_ia
    content {
      transition_to_ia = lifecycle_policy.value
    }
  }

  dynamic "lifecycle_policy" {
    for_each = var.lifecycle_policy_transition_to_primary_storage_class
    content {
      transition_to_primary_storage_class = lifecycle_policy.value
    }
  }
}

resource "aws_efs_mount_target" "anyscale_efs" {
  count           = var.mount_targets_subnet_count > 0 ? var.mount_targets_subnet_count : length(var.mount_targets_subnets)
  file_system_id  = aws_efs_file_system.anyscale_efs.id
  subnet_id       = var.mount_targets_subnets[count.index]
  security_groups = var.associated_security_group_ids
}

resource "aws_efs_backup_policy" "anyscale_efs" {
  count          = var.create_backup_policy ? 1 : 0
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

output "efs_mount_target_ips" {
  value = aws_efs_mount_target.anyscale_efs[*].ip_address
}

output "efs_mount_target_ids" {
  value = aws_efs_mount_target.anyscale_efs[*].id
}
