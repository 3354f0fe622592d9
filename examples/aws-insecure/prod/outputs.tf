output "anyscale_register_command" {
  description = "Run once after apply to register the cloud."
  value       = <<-EOT
    anyscale cloud register --provider aws \
      --name ${var.cloud_name} \
      --region ${var.region} \
      --vpc-id ${module.network.vpc_id} \
      --subnet-ids ${join(",", module.network.node_subnet_ids)} \
      --security-group-ids ${module.network.security_group_id} \
      --cloud-storage-bucket-name ${module.storage.bucket_name} \
      --anyscale-iam-role-id ${module.iam.control_plane_role_arn} \
      --instance-iam-role-id ${module.iam.instance_role_arn} \
      --file-storage-id ${aws_efs_file_system.anyscale.id} \
      --memorydb-cluster-id ${aws_memorydb_cluster.anyscale.name} \
      --private-network \
      --external-id ${var.anyscale_external_id}
  EOT
}
