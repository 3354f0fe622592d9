output "vpc_id" {
  value = module.network.vpc_id
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}

output "security_group_id" {
  value = module.network.security_group_id
}

output "bucket_name" {
  value = module.storage.bucket_name
}

output "anyscale_iam_role_arn" {
  value = module.iam.control_plane_role_arn
}

output "instance_iam_role_arn" {
  value = module.iam.instance_role_arn
}

output "efs_file_system_id" {
  value = module.services.efs_file_system_id
}

output "memorydb_cluster_name" {
  value = module.services.memorydb_cluster_name
}

output "anyscale_register_command" {
  description = "Run this once after `terraform apply` to register the cloud with Anyscale."
  value       = <<-EOT
    anyscale cloud register --provider aws \
      --name ${var.cloud_name} \
      --region ${var.region} \
      --vpc-id ${module.network.vpc_id} \
      --subnet-ids ${join(",", module.network.private_subnet_ids)} \
      --security-group-ids ${module.network.security_group_id} \
      --cloud-storage-bucket-name ${module.storage.bucket_name} \
      --anyscale-iam-role-id ${module.iam.control_plane_role_arn} \
      --instance-iam-role-id ${module.iam.instance_role_arn} \
      --file-storage-id ${module.services.efs_file_system_id} \
      --memorydb-cluster-id ${module.services.memorydb_cluster_name} \
      --private-network \
      --external-id ${local.anyscale_external_id}
  EOT
}

# `terraform output -raw` reads strings only: the comma-joined IDs as `--subnet-ids` takes them.
output "anyscale_subnet_ids" {
  value = join(",", module.network.private_subnet_ids)
}
