# The network firewall policy registration names (--firewall-policy-names): Anyscale's
# verifier reads this policy, never classic google_compute_firewall rules.

resource "google_compute_network_firewall_policy" "anyscale" {
  name        = "anyscale-firewall-policy"
  description = "Anyscale cloud ${var.cloud_name}"
}

resource "google_compute_network_firewall_policy_association" "anyscale" {
  name              = "anyscale-vpc-association"
  attachment_target = google_compute_network.anyscale.id
  firewall_policy   = google_compute_network_firewall_policy.anyscale.name
}

# Ray nodes talk to each other on every port.
resource "google_compute_network_firewall_policy_rule" "internal" {
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "internal"
  priority        = 100
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = [google_compute_subnetwork.nodes.ip_cidr_range]
    layer4_configs {
      ip_protocol = "all"
    }
  }
}

# Anyscale's console reaches Jupyter, VS Code and the Ray dashboard over HTTPS.
resource "google_compute_network_firewall_policy_rule" "https" {
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "https"
  priority        = 443
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = ["0.0.0.0/0"]
    layer4_configs {
      ip_protocol = "tcp"
      ports       = ["443"]
    }
  }
}

# Load-balancer health checks and the proxy-only subnet reach Anyscale services on 8000.
resource "google_compute_network_firewall_policy_rule" "health_checks" {
  firewall_policy = google_compute_network_firewall_policy.anyscale.name
  rule_name       = "health-checks"
  priority        = 1005
  direction       = "INGRESS"
  action          = "allow"
  match {
    src_ip_ranges = [
      google_compute_subnetwork.proxy.ip_cidr_range,
      "35.191.0.0/16",
      "130.211.0.0/22",
    ]
    layer4_configs {
      ip_protocol = "tcp"
      ports       = ["8000"]
    }
  }
}
