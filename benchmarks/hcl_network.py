"""HCL text of the network, security group, EFS and MemoryDB parts of a generated root."""

from __future__ import annotations

from hcl_parts import fill


def vpc(name: str, octet: int, zones: list[str], public_nodes: bool, marker: str) -> str:
    """A /16 VPC with two public utility subnets (NAT) and two private node subnets."""
    return fill(
        """
resource "aws_vpc" "@{name}" {
  cidr_block           = "10.@{octet}.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = "@{name}-vpc" }
}

resource "aws_internet_gateway" "@{name}" {
  vpc_id = aws_vpc.@{name}.id
}

resource "aws_subnet" "@{name}_public" {
  count                   = 2
  vpc_id                  = aws_vpc.@{name}.id
  cidr_block              = "10.@{octet}.${101 + count.index}.0/24"
  availability_zone       = ["@{zone_a}", "@{zone_b}"][count.index]
  map_public_ip_on_launch = true

  tags = { Tier = "public" }
}

resource "aws_route_table" "@{name}_public" {
  vpc_id = aws_vpc.@{name}.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.@{name}.id
  }
}

resource "aws_route_table_association" "@{name}_public" {
  count          = 2
  subnet_id      = aws_subnet.@{name}_public[count.index].id
  route_table_id = aws_route_table.@{name}_public.id
}

resource "aws_eip" "@{name}_nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "@{name}" {
  allocation_id = aws_eip.@{name}_nat.id
  subnet_id     = aws_subnet.@{name}_public[0].id
  depends_on    = [aws_internet_gateway.@{name}]
}

resource "aws_subnet" "@{name}_private" {
  count                   = 2
  vpc_id                  = aws_vpc.@{name}.id
  cidr_block              = "10.@{octet}.${20 + count.index}.0/24"
  availability_zone       = ["@{zone_a}", "@{zone_b}"][count.index]
  map_public_ip_on_launch = @{public}@{marker}

  tags = { Tier = "private" }
}

resource "aws_route_table" "@{name}_private" {
  vpc_id = aws_vpc.@{name}.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.@{name}.id
  }
}

resource "aws_route_table_association" "@{name}_private" {
  count          = 2
  subnet_id      = aws_subnet.@{name}_private[count.index].id
  route_table_id = aws_route_table.@{name}_private.id
}

resource "aws_vpc_endpoint" "@{name}_s3" {
  vpc_id            = aws_vpc.@{name}.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.@{name}_private.id, aws_route_table.@{name}_public.id]
}
""",
        name=name,
        octet=octet,
        zone_a=zones[0],
        zone_b=zones[1],
        public="true" if public_nodes else "false",
        marker=marker,
    )


def security_group(
    name: str, vpc: str, style: str, self_ingress: bool, ssh_world: bool, markers: dict[str, str]
) -> str:
    """The cloud's group: self traffic, HTTPS from the corporate range, optionally SSH."""
    if style == "inline":
        self_rule = (
            """
  ingress {
    description = "All traffic between Ray nodes"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
  }
"""
            if self_ingress
            else f"\n  {markers['no_self_ingress']}\n"
        )
        ssh = (
            fill(
                """
  ingress {
    description = "SSH for debugging"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]@{marker}
  }
""",
                marker=markers["ssh_world"],
            )
            if ssh_world
            else ""
        )
        return fill(
            """
resource "aws_security_group" "@{name}" {
  name_prefix = "@{name}-"
  description = "Anyscale security group"
  vpc_id      = aws_vpc.@{vpc}.id
@{self_rule}
  ingress {
    description = "HTTPS from the corporate VPN"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = var.customer_ingress_cidr_ranges
  }
@{ssh}
  egress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
""",
            name=name,
            vpc=vpc,
            self_rule=self_rule,
            ssh=ssh,
        )
    text = fill(
        """
resource "aws_security_group" "@{name}" {
  name_prefix = "@{name}-"
  description = "Anyscale security group"
  vpc_id      = aws_vpc.@{vpc}.id
}
@{no_self}
resource "aws_security_group_rule" "@{name}_https" {
  type              = "ingress"
  security_group_id = aws_security_group.@{name}.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = var.customer_ingress_cidr_ranges
}

resource "aws_security_group_rule" "@{name}_self_egress" {
  type              = "egress"
  security_group_id = aws_security_group.@{name}.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}

resource "aws_security_group_rule" "@{name}_egress" {
  type              = "egress"
  security_group_id = aws_security_group.@{name}.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
""",
        name=name,
        vpc=vpc,
        no_self="" if self_ingress else f"{markers['no_self_ingress']}\n",
    )
    if self_ingress:
        text += fill(
            """
resource "aws_security_group_rule" "@{name}_self" {
  type              = "ingress"
  security_group_id = aws_security_group.@{name}.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}
""",
            name=name,
        )
    if ssh_world:
        text += fill(
            """
resource "aws_security_group_rule" "@{name}_ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.@{name}.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]@{marker}
}
""",
            name=name,
            marker=markers["ssh_world"],
        )
    return text


def efs(name: str, network: str, group: str) -> str:
    """Encrypted, backed-up EFS with a mount target in each node subnet."""
    return fill(
        """
resource "aws_efs_file_system" "@{name}" {
  creation_token = "@{name}-efs"
  encrypted      = true
}

resource "aws_efs_backup_policy" "@{name}" {
  file_system_id = aws_efs_file_system.@{name}.id

  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_mount_target" "@{name}" {
  count           = 2
  file_system_id  = aws_efs_file_system.@{name}.id
  subnet_id       = aws_subnet.@{network}_private[count.index].id
  security_groups = [aws_security_group.@{group}.id]
}

resource "aws_efs_file_system_policy" "@{name}" {
  file_system_id = aws_efs_file_system.@{name}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnyscaleNodes"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action = [
        "elasticfilesystem:ClientRootAccess",
        "elasticfilesystem:ClientWrite",
        "elasticfilesystem:ClientMount",
      ]
      Resource  = aws_efs_file_system.@{name}.arn
      Condition = { Bool = { "elasticfilesystem:AccessedViaMountTarget" = "true" } }
    }]
  })
}
""",
        name=name,
        network=network,
        group=group,
    )


def memorydb(name: str, network: str, group: str) -> str:
    """A TLS MemoryDB cluster with two replicas per shard in the node subnets."""
    return fill(
        """
resource "aws_memorydb_subnet_group" "@{name}" {
  name       = "@{name}-subnets"
  subnet_ids = aws_subnet.@{network}_private[*].id
}

resource "aws_memorydb_parameter_group" "@{name}" {
  name   = "@{name}-redis7"
  family = "memorydb_redis7"

  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }
}

resource "aws_memorydb_cluster" "@{name}" {
  name                   = "@{name}-gcs"
  node_type              = "db.t4g.small"
  acl_name               = "open-access"
  num_shards             = 1
  num_replicas_per_shard = 2
  tls_enabled            = true
  subnet_group_name      = aws_memorydb_subnet_group.@{name}.name
  parameter_group_name   = aws_memorydb_parameter_group.@{name}.name
  security_group_ids     = [aws_security_group.@{group}.id]
}
""",
        name=name,
        network=network,
        group=group,
    )
