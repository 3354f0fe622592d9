variable "name_prefix" {
  type = string
}

variable "subnet_ids" {
  description = "The private node subnets: one EFS mount target each, and the MemoryDB subnet group."
  type        = list(string)
}

variable "security_group_id" {
  description = "The cloud's security group (its self rule lets nodes reach NFS and Redis)."
  type        = string
}
