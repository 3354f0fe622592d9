# The root module's outputs, as it writes them.

output "anyscale_vpc_id" {
  value = try(module.aws_anyscale_vpc.vpc_id, var.existing_vpc_id, "")
}

output "anyscale_vpc_public_subnet_ids" {
  value = try(module.aws_anyscale_vpc.public_subnet_ids, [])
}

output "anyscale_vpc_private_subnet_ids" {
  value = try(module.aws_anyscale_vpc.private_subnet_ids, [])
}

output "anyscale_vpc_public_routetable_ids" {
  value = try(module.aws_anyscale_vpc.public_route_table_ids, [])
}

output "anyscale_vpc_private_routetable_ids" {
  value = try(module.aws_anyscale_vpc.private_route_table_ids, [])
}

output "anyscale_s3_bucket_id" {
  value = try(module.aws_anyscale_s3.s3_bucket_id, "")
}

output "anyscale_security_group_id" {
  value = try(module.aws_anyscale_securitygroup_self.security_group_id, "")
}

output "anyscale_iam_role_arn" {
  value = try(module.aws_anyscale_iam.iam_anyscale_access_role_arn, "")
}

output "anyscale_iam_role_cluster_node_arn" {
  value = try(module.aws_anyscale_iam.iam_cluster_node_role_arn, "")
}

output "anyscale_iam_instance_profile_role_arn" {
  value = try(module.aws_anyscale_iam.iam_cluster_node_instance_profile_role_arn, "")
}

output "anyscale_efs_id" {
  value = try(module.aws_anyscale_efs.efs_id, "")
}

output "anyscale_efs_arn" {
  value = try(module.aws_anyscale_efs.efs_arn, "")
}

output "anyscale_efs_mount_target_ids" {
  value = try(module.aws_anyscale_efs.efs_mount_target_ids, [])
}

output "anyscale_efs_mount_target_ips" {
  value = try(module.aws_anyscale_efs.efs_mount_target_ips, [])
}

output "anyscale_memorydb_cluster_id" {
  value = try(module.aws_anyscale_memorydb.memorydb_cluster_id, "")
}

output "anyscale_memorydb_cluster_arn" {
  value = try(module.aws_anyscale_memorydb.memorydb_cluster_arn, "")
}

output "anyscale_memorydb_cluster_endpoint_address" {
  value = try(module.aws_anyscale_memorydb.memorydb_cluster_endpoint_address, "")
}

output "anyscale_memorydb_cluster_endpoint_port" {
  value = try(module.aws_anyscale_memorydb.memorydb_cluster_endpoint_port, "")
}
