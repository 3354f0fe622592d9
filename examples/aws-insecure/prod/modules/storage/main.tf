resource "aws_s3_bucket" "anyscale" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_public_access_block" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_cors_configuration" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id

  # Mistake (AWS-S3-004): copied from the admin guide with an empty expose_headers list; the
  # Anyscale file viewer needs Accept-Ranges, Content-Range and Content-Length exposed.
  cors_rule {
    allowed_origins = ["https://*.anyscale.com"]
    allowed_headers = ["*"]
    allowed_methods = ["GET", "PUT", "POST", "HEAD", "DELETE"]
    expose_headers  = []
  }

  # Mistake (AWS-S3-005): any web page may read the bucket through a user's browser.
  # It was added for an internal dashboard; list that dashboard's https origin instead.
  cors_rule {
    allowed_origins = ["*"]
    allowed_headers = ["*"]
    allowed_methods = ["GET", "HEAD"]
  }
}

resource "aws_s3_bucket_policy" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowSSLRequestsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.anyscale.arn, "${aws_s3_bucket.anyscale.arn}/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      # Mistake (AWS-IAM-010): s3:* lets the control plane change the bucket policy, delete
      # the bucket, and more; grant only the 8 documented actions. The node role is not
      # granted here at all (AWS-S3-001).
      {
        Sid       = "AnyscaleAccess"
        Effect    = "Allow"
        Principal = { AWS = var.control_plane_role_arn }
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.anyscale.arn, "${aws_s3_bucket.anyscale.arn}/*"]
      },
    ]
  })
}
