variable "region" {
  description = "AWS region of the Anyscale cloud (bucket, VPC and nodes all live here)."
  type        = string
}

variable "cloud_name" {
  description = "Name of the Anyscale cloud, as passed to `anyscale cloud register --name`."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones for the node subnets (one private and one public subnet each)."
  type        = list(string)
}

variable "vpc_cidr" {
  description = "CIDR block of the Anyscale VPC."
  type        = string
  default     = "172.24.0.0/16"
}

variable "public_subnet_cidrs" {
  description = "One /24 per availability zone for the NAT gateways (no Ray nodes run here)."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "One /24 per availability zone for Ray head and worker nodes."
  type        = list(string)
}

variable "customer_ingress_cidr_ranges" {
  description = "Corporate ranges (VPN, office) allowed to reach clusters on HTTPS 443."
  type        = list(string)
}

variable "bucket_name" {
  description = "Name of the S3 bucket holding logs, workspace snapshots and artifacts."
  type        = string
}

variable "anyscale_org_id" {
  description = "Anyscale organization ID (Console > Organization settings), e.g. org_abc123."
  type        = string

  validation {
    condition     = startswith(var.anyscale_org_id, "org_")
    error_message = "The Anyscale organization ID starts with org_."
  }
}

variable "external_id_suffix" {
  description = "Random suffix of the external ID; the full ID is <org_id>-<suffix>."
  type        = string
}
