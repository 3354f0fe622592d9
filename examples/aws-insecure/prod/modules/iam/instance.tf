# Mistake (AWS-IAM-006): this role was cloned from our ECS task role module and still trusts
# ecs-tasks.amazonaws.com. EC2 cannot assume it, so Ray nodes fail to start.
resource "aws_iam_role" "instance" {
  name = "${var.name}-anyscale-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

# Mistake (AWS-IAM-008): no AmazonEC2ContainerRegistryReadOnly attachment; clusters using the
# team's private ECR images fail to pull them.
resource "aws_iam_instance_profile" "instance" {
  name = aws_iam_role.instance.name
  role = aws_iam_role.instance.name
}

# Mistake (AWS-IAM-009): object access on every bucket in the account ("*") instead of the
# Anyscale bucket. Mistake (AWS-S3-001): s3:ListBucket is missing, and the bucket policy
# does not grant this role either, so nodes cannot list the bucket.
resource "aws_iam_role_policy" "node_s3" {
  name   = "node-s3"
  role   = aws_iam_role.instance.id
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          "Resource": "*"
        }
      ]
    }
  EOF
}
