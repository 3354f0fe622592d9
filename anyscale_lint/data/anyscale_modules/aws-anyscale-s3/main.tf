# anyscale-lint's description of aws-anyscale-s3: the cloud's bucket, private, encrypted
# (AES256 by default), with the production CORS rule Anyscale's console needs. Nothing is
# created with module_enabled = false (the root's existing_s3_bucket_arn), and the outputs
# are then "".

variable "module_enabled" {
  type    = bool
  default = true
}

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "anyscale_bucket_name" {
  type    = string
  default = null
}

variable "anyscale_bucket_prefix" {
  type    = string
  default = "anyscale-"
}

# sse_algorithm, and kms_master_key_id for aws:kms.
variable "server_side_encryption" {
  type    = map(string)
  default = { sse_algorithm = "AES256" }
}

variable "object_versioning" {
  type    = bool
  default = false
}

variable "cors_rule" {
  type = any
  default = {
    allowed_headers = ["*"]
    allowed_methods = ["GET", "POST", "PUT", "HEAD", "DELETE"]
    allowed_origins = ["https://*.anyscale.com"]
    expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length"]
  }
}

variable "block_public_acls" {
  type    = bool
  default = true
}

variable "block_public_policy" {
  type    = bool
  default = true
}

variable "ignore_public_acls" {
  type    = bool
  default = true
}

variable "restrict_public_buckets" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_s3_bucket" "anyscale_bucket" {
  count         = var.module_enabled ? 1 : 0
  bucket        = var.anyscale_bucket_name
  bucket_prefix = var.anyscale_bucket_name == null ? var.anyscale_bucket_prefix : null
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "anyscale_bucket" {
  count  = var.module_enabled ? 1 : 0
  bucket                  = aws_s3_bucket.anyscale_bucket[0].id
  block_public_acls       = var.block_public_acls
  block_public_policy     = var.block_public_policy
  ignore_public_acls      = var.ignore_public_acls
  restrict_public_buckets = var.restrict_public_buckets
}

resource "aws_s3_bucket_server_side_encryption_configuration" "anyscale_bucket" {
  count  = var.module_enabled ? 1 : 0
  bucket = aws_s3_bucket.anyscale_bucket[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = try(var.server_side_encryption.sse_algorithm, "AES256")
      kms_master_key_id = try(var.server_side_encryption.kms_master_key_id, null)
    }
    bucket_key_enabled = try(var.server_side_encryption.kms_master_key_id, null) != null
  }
}

resource "aws_s3_bucket_versioning" "anyscale_bucket" {
  count  = var.module_enabled ? 1 : 0
  bucket = aws_s3_bucket.anyscale_bucket[0].id

  versioning_configuration {
    status = var.object_versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_cors_configuration" "anyscale_bucket" {
  count  = var.module_enabled ? 1 : 0
  bucket = aws_s3_bucket.anyscale_bucket[0].id

  cors_rule {
    allowed_headers = try(var.cors_rule.allowed_headers, null)
    allowed_methods = try(var.cors_rule.allowed_methods, null)
    allowed_origins = try(var.cors_rule.allowed_origins, null)
    expose_headers  = try(var.cors_rule.expose_headers, null)
  }
}

output "s3_bucket_id" {
  value = try(aws_s3_bucket.anyscale_bucket[0].id, "")
}

output "s3_bucket_arn" {
  value = try(aws_s3_bucket.anyscale_bucket[0].arn, "")
}

output "s3_bucket_region" {
  value = try(aws_s3_bucket.anyscale_bucket[0].region, "")
}
