# Mistake (GCP-FS-001): created on the project's default network, not the cloud's VPC: nodes
# cannot mount it and registration aborts; the network of an instance cannot be changed.
resource "google_filestore_instance" "anyscale" {
  name     = "anyscale-filestore"
  location = "${var.region}-b"
  tier     = "STANDARD"

  file_shares {
    name        = "anyscale_vol"
    capacity_gb = 1024
  }

  networks {
    network = "default"
    modes   = ["MODE_IPV4"]
  }
}

# Mistake (GCP-MEM-001): TLS on and no read replicas, as one would set up MemoryDB on AWS:
# Anyscale requires the opposite on Memorystore (TLS off, read replicas on).
resource "google_redis_instance" "anyscale" {
  name                    = "anyscale-redis"
  region                  = var.region
  tier                    = "STANDARD_HA"
  memory_size_gb          = 5
  redis_version           = "REDIS_7_0"
  read_replicas_mode      = "READ_REPLICAS_DISABLED"
  transit_encryption_mode = "SERVER_AUTHENTICATION"
  authorized_network      = google_compute_network.anyscale.id

  redis_configs = {
    maxmemory-policy = "allkeys-lru"
  }
}
