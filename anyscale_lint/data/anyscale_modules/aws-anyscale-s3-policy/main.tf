# anyscale-lint's description of aws-anyscale-s3-policy: the bucket policy that denies requests
# without TLS and grants both Anyscale roles the eight documented actions on the bucket (none
# with module_enabled = false, as the root sets it for an existing bucket).

variable "module_enabled" {
  type    = bool
  default = true
}

variable "anyscale_bucket_name" {
  type = string
}

variable "anyscale_controlplane_role_arn" {
  type = string
}

variable "anyscale_dataplane_role_arn" {
  type = string
}

resource "aws_s3_bucket_policy" "anyscale_bucket_policy" {
  count  = var.module_enabled ? 1 : 0
  bucket = var.anyscale_bucket_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowSSLRequestsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::${var.anyscale_bucket_name}", "arn:aws:s3:::${var.anyscale_bucket_name}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "AllowAnyscaleResources"
        Effect    = "Allow"
        Principal = { AWS = [var.anyscale_controlplane_role_arn, var.anyscale_dataplane_role_arn] }
        Action = [
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:ListMultipartUploadParts",
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
        ]
        Resource = ["arn:aws:s3:::${var.anyscale_bucket_name}", "arn:aws:s3:::${var.anyscale_bucket_name}/*"]
      },
    ]
  })
}

output "s3_bucket_policy_id" {
  value = try(aws_s3_bucket_policy.anyscale_bucket_policy[0].id, "")
}
