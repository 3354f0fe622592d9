variable "name_prefix" {
  type = string
}

variable "anyscale_external_id" {
  description = "Org-prefixed external ID (org_<id>-<suffix>) Anyscale presents when assuming the role."
  type        = string

  validation {
    condition     = startswith(var.anyscale_external_id, "org_")
    error_message = "anyscale cloud register --external-id only accepts org-prefixed IDs."
  }
}

variable "anyscale_account_id" {
  description = "Anyscale's production AWS account."
  type        = string
  default     = "525325868955"
}

variable "bucket_name" {
  type = string
}
