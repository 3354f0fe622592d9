variable "project_id" {
  description = "The project the cloud runs in (for --project-id: the ID, not the number)"
  type        = string
}

variable "project_number" {
  description = "The project's number, as workload identity resource names spell it"
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

variable "anyscale_org_id" {
  description = "Your Anyscale organization ID: Anyscale reaches GCP as the AWS role gcp_if_<org_id>"
  type        = string
}

variable "anyscale_aws_account_id" {
  description = "Anyscale's control-plane AWS account"
  type        = string
  default     = "525325868955"
}

variable "node_subnet_cidr" {
  description = "The node subnet's range: /20 or larger"
  type        = string
}

variable "proxy_subnet_cidr" {
  description = "The proxy-only subnet's range, for private Anyscale services"
  type        = string
}
