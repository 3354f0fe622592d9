variable "name_prefix" {
  type = string
}

variable "region" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "availability_zones" {
  type = list(string)
}

variable "public_subnet_cidrs" {
  type = list(string)
}

variable "private_subnet_cidrs" {
  type = list(string)
}

variable "customer_ingress_cidr_ranges" {
  description = "Ranges allowed to reach clusters on HTTPS 443 (never 0.0.0.0/0)."
  type        = list(string)
}
