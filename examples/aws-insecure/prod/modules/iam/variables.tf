variable "name" {
  type = string
}

variable "anyscale_external_id" {
  type = string
}

variable "audit_account_id" {
  type = string
}
