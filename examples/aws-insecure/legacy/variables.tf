variable "region" {
  type    = string
  default = "us-east-1"
}

variable "cloud_name" {
  type    = string
  default = "northwind-legacy"
}

variable "bucket_name" {
  type    = string
  default = "northwind-anyscale-legacy"
}
