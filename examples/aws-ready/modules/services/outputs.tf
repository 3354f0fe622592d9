output "efs_file_system_id" {
  description = "Pass to `anyscale cloud register --file-storage-id`."
  value       = aws_efs_file_system.anyscale.id
}

output "memorydb_cluster_name" {
  description = "Pass to `anyscale cloud register --memorydb-cluster-id` (the cluster's name)."
  value       = aws_memorydb_cluster.anyscale.name
}
