# Mistake (AWS-S3-008): the bucket uses the default provider, so it is created in us-east-1
# while the cloud runs in us-west-2 (--region): every log, checkpoint and snapshot crosses
# regions (transfer cost, slower cluster starts). Give it `provider = aws.usw2`.
resource "aws_s3_bucket" "sandbox" {
  bucket = "northwind-anyscale-sandbox"
}

resource "aws_s3_bucket_public_access_block" "sandbox" {
  bucket = aws_s3_bucket.sandbox.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_cors_configuration" "sandbox" {
  bucket = aws_s3_bucket.sandbox.id

  cors_rule {
    allowed_origins = ["https://*.anyscale.com"]
    allowed_headers = ["*"]
    allowed_methods = ["GET", "PUT", "POST", "HEAD", "DELETE"]
    expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length"]
  }
}

resource "aws_s3_bucket_policy" "sandbox" {
  bucket = aws_s3_bucket.sandbox.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowSSLRequestsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.sandbox.arn, "${aws_s3_bucket.sandbox.arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      {
        Sid       = "AnyscaleRoles"
        Effect    = "Allow"
        Principal = { AWS = [aws_iam_role.control_plane.arn, aws_iam_role.node.arn] }
        Action = [
          "s3:PutObject",
          "s3:GetObject",
          "s3:DeleteObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:ListMultipartUploadParts",
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
        ]
        Resource = [aws_s3_bucket.sandbox.arn, "${aws_s3_bucket.sandbox.arn}/*"]
      },
    ]
  })
}
