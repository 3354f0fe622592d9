# A shared VPC: the network and its firewall live in the host project.

resource "google_compute_network" "anyscale" {
  project                 = var.host_project_id
  name                    = "anyscale-vpc"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

# Mistake (GCP-NET-003): no Private Google Access, so nodes without external IPs reach
# Cloud Storage and Artifact Registry only through NAT.
# Mistake (GCP-NET-002): the cloud is private (--private-network) but the VPC has no
# REGIONAL_MANAGED_PROXY subnet, which private Anyscale services need.
resource "google_compute_subnetwork" "nodes" {
  project                  = var.host_project_id
  name                     = "anyscale-nodes"
  network                  = google_compute_network.anyscale.id
  region                   = var.region
  ip_cidr_range            = var.node_subnet_cidr
  private_ip_google_access = false
}
