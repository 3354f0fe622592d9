resource "aws_security_group" "legacy" {
  name        = "anyscale-legacy"
  description = "Anyscale legacy cloud"
  vpc_id      = aws_vpc.legacy.id

  ingress {
    description = "Cluster traffic"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
  }

  # Mistake (AWS-SG-006, AWS-SG-005, AWS-SG-004): "allow everything" from the internet, left
  # over from the proof of concept. Every port of every public node, SSH included, is open
  # to the world. The three findings are the group's, located at this block (each offending
  # inline block is its own finding). Mistake (AWS-SG-003): there is no dedicated TCP 443
  # rule, which is the only port Anyscale's UI needs; an all-traffic rule does not count.
  ingress {
    description = "PoC: open everything"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  # Mistake (AWS-SG-002): no all-protocol egress to the group itself (needed for EFA).
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
