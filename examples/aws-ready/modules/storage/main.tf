# The cloud's bucket: private, encrypted, TLS-only, readable by the Anyscale UI through CORS.

resource "aws_s3_bucket" "anyscale" {
  bucket = var.bucket_name

  tags = {
    Name = var.bucket_name
  }
}

resource "aws_s3_bucket_public_access_block" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# The Anyscale console reads logs and files straight from the bucket.
resource "aws_s3_bucket_cors_configuration" "anyscale" {
  bucket = aws_s3_bucket.anyscale.id

  cors_rule {
    id              = "AnyscaleCORSRule"
    allowed_origins = ["https://*.anyscale.com"]
    allowed_headers = ["*"]
    allowed_methods = ["GET", "PUT", "POST", "HEAD", "DELETE"]
    expose_headers  = ["Accept-Ranges", "Content-Range", "Content-Length"]
    max_age_seconds = 3600
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
        Resource = [
          aws_s3_bucket.anyscale.arn,
          "${aws_s3_bucket.anyscale.arn}/*",
        ]
        Condition = {
          Bool = { "aws:SecureTransport" = "false" }
        }
      },
      {
        Sid       = "AllowAnyscaleResources"
        Effect    = "Allow"
        Principal = { AWS = var.role_arns }
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
        Resource = [
          aws_s3_bucket.anyscale.arn,
          "${aws_s3_bucket.anyscale.arn}/*",
        ]
      },
    ]
  })

  # The policy blocks public access only after the public access block is in place.
  depends_on = [aws_s3_bucket_public_access_block.anyscale]
}
