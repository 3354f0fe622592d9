variable "region" {
  type = string
}

variable "cloud_name" {
  type = string
}

variable "vpc_cidr" {
  type    = string
  default = "172.24.0.0/16"
}

variable "bucket_name" {
  type = string
}

variable "anyscale_external_id" {
  description = "External ID Anyscale presents when assuming the control-plane role."
  type        = string
}

variable "audit_account_id" {
  description = "Security tooling account that reviews the cloud's configuration."
  type        = string
}
