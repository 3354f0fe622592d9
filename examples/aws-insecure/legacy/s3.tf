# Mistake (AWS-S3-003): no CORS configuration, so the Anyscale UI cannot show logs or files
# from this bucket.
resource "aws_s3_bucket" "legacy" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_public_access_block" "legacy" {
  bucket = aws_s3_bucket.legacy.id

  block_public_acls  = true
  ignore_public_acls = true
  # Mistake (AWS-S3-006): relaxed so that the public statement below could be applied (AWS
  # rejects a public bucket policy while block_public_policy is true). Both must be true
  # again once the public statement is gone.
  block_public_policy     = false
  restrict_public_buckets = false
}

# Mistake (AWS-S3-002): the "PublicArtifactLinks" statement lets anyone on the internet
# (Principal "*") read every object: logs, checkpoints, workspace snapshots. Share artifacts
# through presigned URLs instead.
# Mistake (AWS-S3-007): no statement denies requests made without TLS (Deny s3:* when
# aws:SecureTransport is false, on the bucket and its objects).
resource "aws_s3_bucket_policy" "legacy" {
  bucket = aws_s3_bucket.legacy.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AnyscaleRoles",
          "Effect": "Allow",
          "Principal": {
            "AWS": ["${aws_iam_role.anyscale.arn}", "${aws_iam_role.node.arn}"]
          },
          "Action": [
            "s3:PutObject",
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:ListMultipartUploadParts",
            "s3:AbortMultipartUpload",
            "s3:GetBucketLocation"
          ],
          "Resource": ["${aws_s3_bucket.legacy.arn}", "${aws_s3_bucket.legacy.arn}/*"]
        },
        {
          "Sid": "PublicArtifactLinks",
          "Effect": "Allow",
          "Principal": "*",
          "Action": "s3:GetObject",
          "Resource": "${aws_s3_bucket.legacy.arn}/*"
        }
      ]
    }
  POLICY
}
