# Mistake (AWS-IAM-001): the trust policy was copied from the node role, so it trusts
# ec2.amazonaws.com instead of Anyscale's account 525325868955. Anyscale's control plane
# cannot assume this role (and there is no external ID condition to check either).
resource "aws_iam_role" "anyscale" {
  name = "anyscale-legacy-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ec2.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

# Mistake (AWS-IAM-011): full administrator access "while debugging registration".
# Mistake (AWS-IAM-009, AWS-IAM-010, AWS-IAM-012): which includes s3:* on every bucket and
# iam:PassRole on every role.
# Mistake (CORE-002): the ignore below expired long ago, so the finding is reported again.
# anyscale-lint:ignore AWS-IAM-011 reason="temporary while debugging registration (INC-4411)" expires=2024-03-31
resource "aws_iam_role_policy_attachment" "anyscale_admin" {
  role       = aws_iam_role.anyscale.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Mistake (AWS-IAM-004): Action is the one-element list ["sts:AssumeRole"], as in the custom
# trust policy of Anyscale's Terraform docs. IAM accepts it, but Anyscale's verifier compares
# Action with the string "sts:AssumeRole" and fails the instance role with an error. Write
# Action = "sts:AssumeRole".
# Mistake (AWS-IAM-008): no AmazonEC2ContainerRegistryReadOnly attachment, so nodes cannot
# pull the team's base image from its private ECR repository.
resource "aws_iam_role" "node" {
  name = "anyscale-legacy-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ec2.amazonaws.com" }
        Action    = ["sts:AssumeRole"]
      },
    ]
  })
}

# Mistake (AWS-IAM-007): the profile keeps the old Ray default name. Anyscale looks the
# instance profile up by the role's name (anyscale-legacy-node), so it does not find it.
resource "aws_iam_instance_profile" "node" {
  name = "ray-autoscaler-v1"
  role = aws_iam_role.node.name
}
