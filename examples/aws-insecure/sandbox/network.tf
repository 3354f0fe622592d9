# Public-subnet sandbox (registered without --private-network): nodes get public IPs and reach
# the internet through the Internet gateway. No NAT gateway, to keep the sandbox cheap.

# Mistake (AWS-NET-004): a /22 (1,024 addresses) "because it is only a sandbox". Every Ray
# node takes an address, and Anyscale warns below /20; use a /16 to /20.
resource "aws_vpc" "sandbox" {
  provider = aws.usw2

  cidr_block           = "10.90.0.0/22"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "northwind-sandbox"
  }
}

resource "aws_internet_gateway" "sandbox" {
  provider = aws.usw2

  vpc_id = aws_vpc.sandbox.id
}

resource "aws_subnet" "a" {
  provider = aws.usw2

  vpc_id                  = aws_vpc.sandbox.id
  cidr_block              = "10.90.0.0/24"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = true
}

# Mistake (AWS-NET-005): a typo, /29 for /24: 8 addresses (3 usable after AWS's reserved
# five), below the /28 minimum. AWS rejects it at apply and Anyscale reports an error.
resource "aws_subnet" "b" {
  provider = aws.usw2

  vpc_id                  = aws_vpc.sandbox.id
  cidr_block              = "10.90.1.0/29"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  provider = aws.usw2

  vpc_id = aws_vpc.sandbox.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.sandbox.id
  }
}

resource "aws_route_table_association" "a" {
  provider = aws.usw2

  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "b" {
  provider = aws.usw2

  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_vpc_endpoint" "s3" {
  provider = aws.usw2

  vpc_id            = aws_vpc.sandbox.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.public.id]
}

# ---- the team's tools VPC (artifact cache), managed in the same root ----

resource "aws_vpc" "tools" {
  provider = aws.usw2

  cidr_block           = "10.91.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "northwind-tools"
  }
}

resource "aws_internet_gateway" "tools" {
  provider = aws.usw2

  vpc_id = aws_vpc.tools.id
}

resource "aws_subnet" "tools_c" {
  provider = aws.usw2

  vpc_id                  = aws_vpc.tools.id
  cidr_block              = "10.91.2.0/24"
  availability_zone       = "us-west-2c"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "tools" {
  provider = aws.usw2

  vpc_id = aws_vpc.tools.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.tools.id
  }
}

resource "aws_route_table_association" "tools_c" {
  provider = aws.usw2

  subnet_id      = aws_subnet.tools_c.id
  route_table_id = aws_route_table.tools.id
}

resource "aws_vpc_endpoint" "tools_s3" {
  provider = aws.usw2

  vpc_id            = aws_vpc.tools.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.tools.id]
}
