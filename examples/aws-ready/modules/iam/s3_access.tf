# Access to the Anyscale bucket for both roles: the 8 documented actions, nothing wider.

resource "aws_iam_policy" "s3_bucket_access" {
  name        = "${var.name_prefix}-s3-access"
  description = "Anyscale roles: read and write the cloud's bucket"
  policy      = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "S3BucketAccess",
          "Effect": "Allow",
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
          "Resource": [
            "arn:aws:s3:::${var.bucket_name}",
            "arn:aws:s3:::${var.bucket_name}/*"
          ]
        }
      ]
    }
  POLICY
}

resource "aws_iam_role_policy_attachment" "control_plane_s3" {
  role       = aws_iam_role.control_plane.name
  policy_arn = aws_iam_policy.s3_bucket_access.arn
}

resource "aws_iam_role_policy_attachment" "instance_s3" {
  role       = aws_iam_role.instance.name
  policy_arn = aws_iam_policy.s3_bucket_access.arn
}
