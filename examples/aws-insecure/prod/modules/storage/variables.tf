variable "bucket_name" {
  type = string
}

variable "control_plane_role_arn" {
  type = string
}
