# anyscale-lint's description of aws-anyscale-vpc: a VPC with DNS on (or an existing VPC),
# public subnets (public IPs on launch) sharing one route table to an internet gateway,
# private subnets with one route table each, NAT gateways with their routes, and an S3
# gateway endpoint on every route table.
#
# NAT gateways, as the module counts them (checked against its nat-gateway.tf): one per
# availability zone the subnets use (capped by max_nat_gateway_count) when there are private
# subnets, the i-th placed in the i-th public subnet, and one default route per NAT gateway,
# the i-th on the i-th private route table (wrapping). So with fewer NAT gateways than private
# subnets (max_nat_gateway_count = 1) the later private route tables get no default route, and
# with fewer public subnets than zones Terraform rejects the NAT gateway's subnet index.

variable "anyscale_cloud_id" {
  type    = string
  default = null
}

variable "module_enabled" {
  type    = bool
  default = true
}

variable "anyscale_vpc_name" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

# Skips the VPC (not its subnets): new subnets go into this VPC.
variable "existing_vpc_id" {
  type    = string
  default = null
}

variable "cidr_block" {
  type    = string
  default = "10.0.0.0/16"
}

variable "enable_vpc_dns_hostnames" {
  type    = bool
  default = true
}

variable "enable_vpc_dns_support" {
  type    = bool
  default = true
}

variable "public_subnets" {
  type    = list(string)
  default = []
}

variable "public_subnet_tags" {
  type    = map(string)
  default = {}
}

variable "map_public_ip_on_launch" {
  type    = bool
  default = true
}

variable "existing_public_route_table_ids" {
  type    = list(string)
  default = []
}

variable "private_subnets" {
  type    = list(string)
  default = []
}

variable "private_subnet_tags" {
  type    = map(string)
  default = {}
}

variable "existing_private_route_table_ids" {
  type    = list(string)
  default = []
}

# Given with existing_vpc_id: no private subnets are created.
variable "existing_private_subnet_ids" {
  type    = list(string)
  default = []
}

variable "availability_zones" {
  type    = list(string)
  default = []
}

variable "max_az_count" {
  type    = number
  default = 0
}

variable "create_ngw" {
  type    = bool
  default = true
}

variable "max_nat_gateway_count" {
  type    = number
  default = 999
}

variable "nat_gateway_destination_cidr_block" {
  type    = string
  default = "0.0.0.0/0"
}

variable "create_igw" {
  type    = bool
  default = true
}

variable "gateway_vpc_endpoints" {
  type    = any
  default = { s3 = { name = "s3", policy = null } }
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_region" "current" {}

locals {
  create_vpc           = var.existing_vpc_id == null && var.module_enabled
  vpc_id               = var.existing_vpc_id == null ? try(aws_vpc.anyscale_vpc[0].id, "") : var.existing_vpc_id
  public_subnet_count  = var.module_enabled ? length(var.public_subnets) : 0
  private_subnet_count = var.module_enabled && length(var.existing_private_subnet_ids) == 0 ? length(var.private_subnets) : 0

  # The zones the subnets use: the given ones, else as many of the region's as there are
  # subnets in the longer list (the region has that many, or the plan fails on the subnets'
  # zone index), unless max_az_count asks for more, which depends on the region.
  subnet_zone_count = max(length(var.public_subnets), length(var.private_subnets))
  zone_count = length(var.availability_zones) > 0 ? length(var.availability_zones) : (
    var.max_az_count > local.subnet_zone_count ? min(var.max_az_count, length(data.aws_availability_zones.available.names)) : local.subnet_zone_count
  )
  nat_gateway_count = var.module_enabled && var.create_ngw && local.private_subnet_count > 0 ? min(local.zone_count, var.max_nat_gateway_count) : 0

  public_route_table_ids  = length(var.existing_public_route_table_ids) > 0 ? var.existing_public_route_table_ids : aws_route_table.public[*].id
  private_route_table_ids = length(var.existing_private_route_table_ids) > 0 ? var.existing_private_route_table_ids : aws_route_table.private[*].id
  endpoints_enabled       = var.module_enabled && length(var.gateway_vpc_endpoints) > 0 && (local.public_subnet_count > 0 || local.private_subnet_count > 0 || length(var.existing_private_route_table_ids) > 0 || length(var.existing_public_route_table_ids) > 0)
}

resource "aws_vpc" "anyscale_vpc" {
  count                = local.create_vpc ? 1 : 0
  cidr_block           = var.cidr_block
  enable_dns_hostnames = var.enable_vpc_dns_hostnames
  enable_dns_support   = var.enable_vpc_dns_support
  tags                 = merge(var.tags, { Name = coalesce(var.anyscale_vpc_name, var.anyscale_cloud_id != null ? "vpc-${var.anyscale_cloud_id}" : null, "vpc-anyscale") })
}

resource "aws_subnet" "public" {
  count                   = local.public_subnet_count
  vpc_id                  = local.vpc_id
  cidr_block              = var.public_subnets[count.index]
  availability_zone       = length(var.availability_zones) > 0 ? var.availability_zones[count.index] : data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = var.map_public_ip_on_launch
  tags                    = merge(var.tags, var.public_subnet_tags)
}

resource "aws_internet_gateway" "anyscale_vpc" {
  count  = var.create_igw && local.public_subnet_count > 0 ? 1 : 0
  vpc_id = local.vpc_id
}

resource "aws_route_table" "public" {
  count  = local.public_subnet_count > 0 ? 1 : 0
  vpc_id = local.vpc_id
}

resource "aws_route_table_association" "public" {
  count          = local.public_subnet_count
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = element(local.public_route_table_ids, count.index)
}

resource "aws_route" "public_route_igw" {
  count                  = var.create_igw && local.public_subnet_count > 0 ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.anyscale_vpc[0].id
}

resource "aws_subnet" "private" {
  count                   = local.private_subnet_count
  vpc_id                  = local.vpc_id
  cidr_block              = var.private_subnets[count.index]
  availability_zone       = length(var.availability_zones) > 0 ? var.availability_zones[count.index] : data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, var.private_subnet_tags)
}

resource "aws_route_table" "private" {
  count  = length(var.existing_private_route_table_ids) == 0 ? local.private_subnet_count : 0
  vpc_id = local.vpc_id
}

resource "aws_route_table_association" "private" {
  count          = local.private_subnet_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = element(local.private_route_table_ids, count.index)
}

resource "aws_eip" "nat_gateway" {
  count  = local.nat_gateway_count
  domain = "vpc"
}

resource "aws_nat_gateway" "nat_gateway" {
  count         = local.nat_gateway_count
  allocation_id = aws_eip.nat_gateway[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_route" "private_route_ngw" {
  count                  = local.nat_gateway_count
  route_table_id         = element(aws_route_table.private[*].id, count.index)
  destination_cidr_block = var.nat_gateway_destination_cidr_block
  nat_gateway_id         = aws_nat_gateway.nat_gateway[count.index].id
}

resource "aws_vpc_endpoint" "gateway_endpoint" {
  for_each          = local.endpoints_enabled ? var.gateway_vpc_endpoints : {}
  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.${each.value.name}"
  vpc_endpoint_type = "Gateway"
  policy            = each.value.policy
  route_table_ids   = concat(local.private_route_table_ids, local.public_route_table_ids)
}

output "vpc_id" {
  value = try(aws_vpc.anyscale_vpc[0].id, "")
}

output "vpc_arn" {
  value = try(aws_vpc.anyscale_vpc[0].arn, "")
}

output "vpc_cidr_block" {
  value = try(aws_vpc.anyscale_vpc[0].cidr_block, "")
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "public_subnet_cidrs" {
  value = aws_subnet.public[*].cidr_block
}

output "public_route_table_ids" {
  value = aws_route_table.public[*].id
}

# As the module writes it: with no private subnets this is [], not existing_private_subnet_ids.
output "private_subnet_ids" {
  value = try(aws_subnet.private[*].id, var.existing_private_subnet_ids, [])
}

output "private_subnet_cidrs" {
  value = aws_subnet.private[*].cidr_block
}

output "private_route_table_ids" {
  value = aws_route_table.private[*].id
}

output "nat_gateway_ids" {
  value = aws_nat_gateway.nat_gateway[*].id
}
