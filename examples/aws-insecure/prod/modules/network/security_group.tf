resource "aws_security_group" "anyscale" {
  name        = "${var.name}-anyscale"
  description = "Anyscale cluster nodes"
  vpc_id      = aws_vpc.main.id

  # Mistake (AWS-SG-002): only egress to the internet; there is no all-protocol egress to
  # the group itself, which EFA needs.
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Mistake (AWS-SG-001, AWS-SG-004): intra-cluster traffic allowed from the VPC CIDR instead of
# from the group itself. Anyscale requires a self rule (a CIDR rule does not count; AWS-SG-001
# reports the group), and this opens every port to everything else in the VPC (AWS-SG-004
# reports this rule resource, one finding of its own).
resource "aws_vpc_security_group_ingress_rule" "intra_vpc" {
  security_group_id = aws_security_group.anyscale.id
  description       = "Cluster traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = var.vpc_cidr
}

# Mistake (AWS-SG-007): HTTPS from the whole internet instead of the corporate ranges
# (reported against this rule resource, naming the group).
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.anyscale.id
  description       = "Anyscale UI"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# Mistake (AWS-SG-005, AWS-SG-004): SSH from anywhere, added "temporarily" to debug a node.
# Anyscale no longer needs port 22 at all. Both findings are this rule resource's, apart from
# the VPC CIDR rule's AWS-SG-004 finding: removing one rule closes its own findings.
resource "aws_security_group_rule" "ssh_debug" {
  type              = "ingress"
  security_group_id = aws_security_group.anyscale.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
