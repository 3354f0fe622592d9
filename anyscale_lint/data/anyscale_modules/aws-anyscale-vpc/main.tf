# anyscale-lint's description of aws-anyscale-vpc: a VPC with DNS on, public subnets (public
# IPs on launch) routed to an internet gateway, private subnets routed through NAT gateways
# placed in the public subnets, and an S3 gateway endpoint on every route table.
# Simplified: one NAT gateway per private subnet up to the number of public subnets.

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "anyscale_vpc_name" {
  type    = string
  default = null
}

variable "cidr_block" {
  type    = string
  default = "10.0.0.0/16"
}

variable "public_subnets" {
  type    = list(string)
  default = []
}

variable "private_subnets" {
  type    = list(string)
  default = []
}

variable "availability_zones" {
  type    = list(string)
  default = []
}

variable "map_public_ip_on_launch" {
  type    = bool
  default = true
}

variable "enable_vpc_dns_hostnames" {
  type    = bool
  default = true
}

variable "enable_vpc_dns_support" {
  type    = bool
  default = true
}

variable "create_igw" {
  type    = bool
  default = true
}

variable "create_ngw" {
  type    = bool
  default = true
}

variable "nat_gateway_destination_cidr_block" {
  type    = string
  default = "0.0.0.0/0"
}

variable "max_nat_gateway_count" {
  type    = number
  default = 999
}

variable "gateway_vpc_endpoints" {
  type    = any
  default = { s3 = { name = "s3", policy = null } }
}

variable "tags" {
  type    = map(string)
  default = {}
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_region" "current" {}

locals {
  nat_count = var.create_ngw && length(var.private_subnets) > 0 ? min(length(var.public_subnets), length(var.private_subnets), var.max_nat_gateway_count) : 0
}

resource "aws_vpc" "anyscale_vpc" {
  cidr_block           = var.cidr_block
  enable_dns_hostnames = var.enable_vpc_dns_hostnames
  enable_dns_support   = var.enable_vpc_dns_support
  tags                 = merge(var.tags, { Name = coalesce(var.anyscale_vpc_name, "vpc_${var.anyscale_cloud_id}") })
}

resource "aws_internet_gateway" "anyscale_vpc" {
  count  = var.create_igw && length(var.public_subnets) > 0 ? 1 : 0
  vpc_id = aws_vpc.anyscale_vpc.id
}

resource "aws_subnet" "public" {
  count                   = length(var.public_subnets)
  vpc_id                  = aws_vpc.anyscale_vpc.id
  cidr_block              = var.public_subnets[count.index]
  availability_zone       = length(var.availability_zones) > 0 ? element(var.availability_zones, count.index) : data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = var.map_public_ip_on_launch
}

resource "aws_route_table" "public" {
  count  = length(var.public_subnets) > 0 ? 1 : 0
  vpc_id = aws_vpc.anyscale_vpc.id

  dynamic "route" {
    for_each = aws_internet_gateway.anyscale_vpc[*].id
    content {
      cidr_block = "0.0.0.0/0"
      gateway_id = route.value
    }
  }
}

resource "aws_route_table_association" "public" {
  count          = length(var.public_subnets)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat_gateway" {
  count  = local.nat_count
  domain = "vpc"
}

resource "aws_nat_gateway" "nat_gateway" {
  count         = local.nat_count
  allocation_id = aws_eip.nat_gateway[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_subnet" "private" {
  count                   = length(var.private_subnets)
  vpc_id                  = aws_vpc.anyscale_vpc.id
  cidr_block              = var.private_subnets[count.index]
  availability_zone       = length(var.availability_zones) > 0 ? element(var.availability_zones, count.index) : data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = false
}

resource "aws_route_table" "private" {
  count  = length(var.private_subnets)
  vpc_id = aws_vpc.anyscale_vpc.id

  dynamic "route" {
    for_each = local.nat_count > 0 ? [count.index % local.nat_count] : []
    content {
      cidr_block     = var.nat_gateway_destination_cidr_block
      nat_gateway_id = aws_nat_gateway.nat_gateway[route.value].id
    }
  }
}

resource "aws_route_table_association" "private" {
  count          = length(var.private_subnets)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_vpc_endpoint" "gateway_endpoint" {
  for_each          = var.gateway_vpc_endpoints
  vpc_id            = aws_vpc.anyscale_vpc.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.${each.value.name}"
  vpc_endpoint_type = "Gateway"
  policy            = each.value.policy
  route_table_ids   = concat(aws_route_table.private[*].id, aws_route_table.public[*].id)
}

output "vpc_id" {
  value = aws_vpc.anyscale_vpc.id
}

output "vpc_cidr_block" {
  value = aws_vpc.anyscale_vpc.cidr_block
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "vpc_arn" {
  value = aws_vpc.anyscale_vpc.arn
}

output "public_subnet_cidrs" {
  value = aws_subnet.public[*].cidr_block
}

output "private_subnet_cidrs" {
  value = aws_subnet.private[*].cidr_block
}

output "nat_gateway_ids" {
  value = aws_nat_gateway.nat_gateway[*].id
}

output "public_route_table_ids" {
  value = aws_route_table.public[*].id
}

output "private_route_table_ids" {
  value = aws_route_table.private[*].id
}
