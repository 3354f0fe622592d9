# anyscale-lint's description of aws-anyscale-efs: an encrypted file system, mount targets in
# the given subnets carrying the given security groups, a backup policy, and an optional
# file-system policy that (as documented) grants ClientMount and ClientWrite only.
#
# Mount targets, as the module counts them (checked against its main.tf): exactly
# mount_targets_subnet_count of them, which defaults to 0, whatever mount_targets_subnets
# holds (the count is an input because subnet IDs are not known at plan time). A call that
# gives the subnets but not their count gets a file system with no mount target.

variable "module_enabled" {
  type    = bool
  default = true
}

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
  count            = var.module_enabled ? 1 : 0
  encrypted        = var.efs_encrypted
  kms_key_id       = var.kms_key_arn
  performance_mode = var.efs_performance_mode
  throughput_mode  = var.efs_throughput_mode
  tags             = merge(var.tags, { Name = coalesce(var.anyscale_efs_name, var.anyscale_cloud_id != null ? "efs-${var.anyscale_cloud_id}" : null, "efs-anyscale") })

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
  count           = var.module_enabled && var.mount_targets_subnet_count > 0 ? var.mount_targets_subnet_count : 0
  file_system_id  = aws_efs_file_system.anyscale_efs[0].id
  subnet_id       = var.mount_targets_subnets[count.index]
  security_groups = var.associated_security_group_ids
}

resource "aws_efs_backup_policy" "anyscale_efs" {
  count          = var.module_enabled && var.create_backup_policy ? 1 : 0
  file_system_id = aws_efs_file_system.anyscale_efs[0].id

  backup_policy {
    status = var.enable_backup_policy ? "ENABLED" : "DISABLED"
  }
}

resource "aws_efs_file_system_policy" "anyscale_efs" {
  count          = var.module_enabled && var.attach_policy ? 1 : 0
  file_system_id = aws_efs_file_system.anyscale_efs[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = aws_efs_file_system.anyscale_efs[0].arn
        Condition = { Bool = { "aws:SecureTransport" = "true" } }
      },
    ]
  })
}

output "efs_id" {
  value = try(aws_efs_file_system.anyscale_efs[0].id, "")
}

output "efs_arn" {
  value = try(aws_efs_file_system.anyscale_efs[0].arn, "")
}

output "efs_dns_name" {
  value = try(aws_efs_file_system.anyscale_efs[0].dns_name, "")
}

output "efs_mount_target_ips" {
  value = aws_efs_mount_target.anyscale_efs[*].ip_address
}

output "efs_mount_target_ids" {
  value = aws_efs_mount_target.anyscale_efs[*].id
}
