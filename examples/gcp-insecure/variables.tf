variable "project_id" {
  description = "The project the cloud runs in (for --project-id: the ID, not the number)"
  type        = string
}

variable "project_number" {
  description = "The project's number, as workload identity resource names spell it"
  type        = string
}

variable "host_project_id" {
  description = "The shared VPC's host project, which holds the network and its firewall"
  type        = string
}

variable "region" {
  description = "The cloud's region (for --region)"
  type        = string
}

variable "cloud_name" {
  description = "The Anyscale cloud's name (for --name)"
  type        = string
}

variable "cloud_id" {
  description = "The Anyscale cloud ID, for the anyscale-cloud-id label"
  type        = string
}

variable "anyscale_aws_account_id" {
  description = "The AWS account Anyscale's control plane signs in from"
  type        = string
}

variable "node_subnet_cidr" {
  description = "The node subnet's range"
  type        = string
}

variable "cors_origins" {
  description = "Origins allowed to read the bucket from a browser"
  type        = list(string)
}
