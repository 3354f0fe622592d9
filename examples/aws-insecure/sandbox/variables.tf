variable "cloud_name" {
  type    = string
  default = "northwind-sandbox"
}

variable "anyscale_org_id" {
  type    = string
  default = "org_5m2q8rx1vt7c"
}
