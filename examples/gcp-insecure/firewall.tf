resource "google_compute_network_firewall_policy" "anyscale" {
  project     = var.host_project_id
  name        = "anyscale-firewall-policy"
  description = "Anyscale cloud firewall policy"
}

resource "google_compute_network_firewall_policy_association" "anyscale" {
  project           = var.host_project_id
  name              = "anyscale-vpc-association"
  attachment_target = google_compute_network.anyscale.id
  firewall_policy   = google_compute_network_firewall_policy.anyscale.name
}

# Mistake (GCP-FW-001, GCP-FW-003): nodes may reach each other on TCP 1-1024 only; Ray needs
# every port, and Anyscale's verifier fails `cloud verify` on this. Its range, 10.10.0.0/20, is
# also wider than the /26 node subnet: it admits addresses that are not the cloud's nodes.
resource "google_compute_network_firewall_policy_rule" "internal" {
  project         = var.host_project_id
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "all-all"
  priority        = 100
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = ["10.10.0.0/20"]
    layer4_configs {
      ip_protocol = "tcp"
      ports       = ["1-1024"]
    }
  }
}

# Mistake (GCP-FW-004, GCP-FW-003): SSH open to the whole internet; Anyscale does not use it.
resource "google_compute_network_firewall_policy_rule" "ssh" {
  project         = var.host_project_id
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "ssh-tcp"
  priority        = 22
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = ["0.0.0.0/0"]
    layer4_configs {
      ip_protocol = "tcp"
      ports       = ["22"]
    }
  }
}

# Mistake (GCP-FW-003): the Ray dashboard open to the internet instead of through Anyscale's
# console over HTTPS.
resource "google_compute_network_firewall_policy_rule" "ray_dashboard" {
  project         = var.host_project_id
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "ray-dashboard-tcp"
  priority        = 8265
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = ["0.0.0.0/0"]
    layer4_configs {
      ip_protocol = "tcp"
      ports       = ["8265"]
    }
  }
}

# Mistake (GCP-FW-005): the VPC is shared (--host-project-id) and no rule lets Google's
# health checks (35.191.0.0/16, 130.211.0.0/22) reach TCP 8000: Anyscale services never become
# healthy.
#
# No separate HTTPS rule: the internal rule's TCP 1-1024 covers 443, which satisfies
# GCP-FW-002 (and Anyscale's verifier) even though it admits only 10.10.0.0/20.
