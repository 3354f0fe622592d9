# Cluster node role (`--instance-iam-role-id`): the identity of Ray nodes, reached through an
# instance profile of the same name (Anyscale looks the profile up by the role's name).

resource "aws_iam_role" "instance" {
  name        = "${var.name_prefix}-cluster-node"
  description = "Instance role of Anyscale Ray nodes"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EC2AssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ec2.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_instance_profile" "instance" {
  name = aws_iam_role.instance.name
  role = aws_iam_role.instance.name
}

# Needed only to pull private images from ECR; Anyscale warns when it is missing.
resource "aws_iam_role_policy_attachment" "instance_ecr_readonly" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}
