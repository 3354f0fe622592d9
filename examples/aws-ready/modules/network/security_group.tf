# The cloud's security group: all traffic between cluster nodes, HTTPS from the corporate
# network for the Anyscale UI, and no SSH.

resource "aws_security_group" "anyscale" {
  name_prefix = "${var.name_prefix}-sg-"
  description = "Anyscale Security Group"
  vpc_id      = aws_vpc.anyscale.id

  ingress {
    description = "All traffic between Ray nodes of the cloud (and EFS)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
  }

  ingress {
    description = "HTTPS from corporate ranges: Anyscale UI to clusters"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = var.customer_ingress_cidr_ranges
  }

  egress {
    description = "All traffic between Ray nodes of the cloud (EFA)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
  }

  egress {
    description = "Outbound through NAT: Anyscale control plane, package mirrors, AWS APIs"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.name_prefix}-sg"
  }

  lifecycle {
    create_before_destroy = true
  }
}
