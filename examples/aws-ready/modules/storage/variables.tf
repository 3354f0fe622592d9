variable "bucket_name" {
  type = string
}

variable "role_arns" {
  description = "ARNs of the control-plane role and the cluster node role."
  type        = list(string)
}
