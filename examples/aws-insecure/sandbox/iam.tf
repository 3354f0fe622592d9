# Sandbox cloud for the ML platform team: both roles live in the sandbox account 210987654321.

resource "aws_iam_role" "control_plane" {
  name = "northwind-sandbox-anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AnyscaleControlPlaneAssumeRole"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::525325868955:root" }
        Action    = "sts:AssumeRole"
        # The external ID of the first registration. The register command now passes a new one
        # (AWS-REG-002, see outputs.tf), but this condition was never updated.
        Condition = {
          StringEquals = { "sts:ExternalId" = "${var.anyscale_org_id}-sandbox" }
        }
      },
    ]
  })
}

# Broad on purpose ("it is only the sandbox"): whole services rather than Anyscale's lists.
# Mistake (AWS-IAM-012): iam:PassRole on "*" lets the control plane hand ANY role of the
# account (an admin role included) to the instances it launches. Put iam:PassRole and
# iam:GetInstanceProfile in their own statement scoped to the instance role and its profile.
resource "aws_iam_role_policy" "control_plane" {
  name = "anyscale-sandbox"
  role = aws_iam_role.control_plane.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "SandboxEverything"
        Effect = "Allow"
        Action = [
          "ec2:*",
          "elasticloadbalancing:*",
          "cloudformation:*",
          "acm:*",
          "elasticfilesystem:DescribeMountTargets",
          "iam:CreateServiceLinkedRole",
          "iam:GetInstanceProfile",
          "iam:PassRole",
        ]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role" "node" {
  name = "northwind-sandbox-anyscale-node"
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

resource "aws_iam_instance_profile" "node" {
  name = aws_iam_role.node.name
  role = aws_iam_role.node.name
}

resource "aws_iam_role_policy_attachment" "node_ecr" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
}
