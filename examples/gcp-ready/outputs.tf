output "anyscale_register_command" {
  description = "Run this after apply to register the cloud"
  value = join(" ", [
    "anyscale cloud register --provider gcp",
    "--name ${var.cloud_name}",
    "--region ${var.region}",
    "--project-id ${var.project_id}",
    "--vpc-name ${google_compute_network.anyscale.name}",
    "--subnet-names ${google_compute_subnetwork.nodes.name}",
    "--firewall-policy-names ${google_compute_network_firewall_policy.anyscale.name}",
    "--anyscale-service-account-email ${google_service_account.anyscale_access.email}",
    "--instance-service-account-email ${google_service_account.anyscale_cluster.email}",
    "--provider-name projects/${var.project_number}/locations/global/workloadIdentityPools/${google_iam_workload_identity_pool.anyscale.workload_identity_pool_id}/providers/${google_iam_workload_identity_pool_provider.anyscale.workload_identity_pool_provider_id}",
    "--cloud-storage-bucket-name ${google_storage_bucket.anyscale.name}",
    "--file-storage-id ${google_filestore_instance.anyscale.name}",
    "--filestore-location ${google_filestore_instance.anyscale.location}",
    "--memorystore-instance-name projects/${var.project_id}/locations/${var.region}/instances/${google_redis_instance.anyscale.name}",
    "--private-network",
  ])
}
