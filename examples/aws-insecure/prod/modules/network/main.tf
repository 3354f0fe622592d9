resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "${var.name}-vpc"
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

# ---- public subnets (NAT gateway and load balancers) ----

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "172.24.101.0/24"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "public_b" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "172.24.102.0/24"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public_a.id
}

# ---- node subnets (Ray head and workers) ----

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "172.24.20.0/24"
  availability_zone = "us-west-2a"
  # Mistake (AWS-NET-002): copied from the public subnet block. In private mode node
  # subnets must not hand out public IPs.
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "172.24.21.0/24"
  availability_zone = "us-west-2b"
}

resource "aws_subnet" "private_c" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "172.24.22.0/24"
  availability_zone = "us-west-2c"
}

# Mistake (AWS-NET-007): no S3 gateway endpoint on the node subnets' route tables, so all S3
# traffic (logs, checkpoints, images) pays NAT gateway processing. Add an aws_vpc_endpoint
# for com.amazonaws.us-west-2.s3 (Gateway) on the private route tables.
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

# Mistake (AWS-NET-003): the NAT gateway of us-west-2c was deleted in a cost clean-up and
# its default route went with it; nodes here cannot reach Anyscale's control plane.
resource "aws_route_table" "private_c" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

# Mistake (AWS-NET-002, AWS-NET-003, AWS-REG-004): a node subnet associated with the PUBLIC
# route table (0.0.0.0/0 -> Internet gateway): it is public, and it has no NAT egress. The
# register command still lists it in --subnet-ids, next to the NAT gateway's own subnet.
resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private_c" {
  subnet_id      = aws_subnet.private_c.id
  route_table_id = aws_route_table.private_c.id
}
