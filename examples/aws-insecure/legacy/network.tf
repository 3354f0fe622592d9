# Public-subnet cloud from the 2022 proof of concept: nodes get public IPs (registered
# without --private-network), which is a supported mode.

# Mistake (AWS-NET-008): created with the provider defaults, so enable_dns_hostnames is false:
# instances get no public DNS names and private hosted zones and interface endpoints do not
# resolve for them. Set enable_dns_hostnames = true (and keep enable_dns_support = true).
resource "aws_vpc" "legacy" {
  cidr_block         = "10.0.0.0/16"
  enable_dns_support = true
}

resource "aws_internet_gateway" "legacy" {
  vpc_id = aws_vpc.legacy.id
}

resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.legacy.id
  cidr_block              = "10.0.0.0/20"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

# Mistake (AWS-NET-001): meant to be us-east-1b, but both subnets are in us-east-1a.
# Anyscale needs subnets in at least 2 availability zones (services need 2 for the ALB).
resource "aws_subnet" "b" {
  vpc_id                  = aws_vpc.legacy.id
  cidr_block              = "10.0.16.0/20"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

# Mistake (AWS-NET-007): no S3 gateway endpoint on this route table, so every object the nodes
# read or write goes out through the Internet gateway and back. Add an aws_vpc_endpoint for
# com.amazonaws.us-east-1.s3 (type Gateway) with route_table_ids = [this table].
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.legacy.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.legacy.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.public.id
}
