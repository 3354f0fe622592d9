# The VPC, its node subnet (the only one Anyscale uses) and the proxy-only subnet private
# Anyscale services need for their internal load balancer.

resource "google_compute_network" "anyscale" {
  name                    = "anyscale-vpc"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

resource "google_compute_subnetwork" "nodes" {
  name                     = "anyscale-nodes"
  network                  = google_compute_network.anyscale.id
  region                   = var.region
  ip_cidr_range            = var.node_subnet_cidr
  private_ip_google_access = true
}

resource "google_compute_subnetwork" "proxy" {
  name          = "anyscale-proxy"
  network       = google_compute_network.anyscale.id
  region        = var.region
  ip_cidr_range = var.proxy_subnet_cidr
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

# Nodes have no external IP: they reach Anyscale's control plane through Cloud NAT.
resource "google_compute_router" "anyscale" {
  name    = "anyscale-router"
  network = google_compute_network.anyscale.id
  region  = var.region
}

resource "google_compute_router_nat" "anyscale" {
  name                               = "anyscale-nat"
  router                             = google_compute_router.anyscale.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}
