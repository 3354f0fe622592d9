# Optional components, configured so that their rules are evaluated: a Filestore for shared
# storage and a Memorystore for head-node fault tolerance of Anyscale services.

resource "google_filestore_instance" "anyscale" {
  name     = "anyscale-filestore"
  location = "${var.region}-b"
  tier     = "STANDARD"

  file_shares {
    name        = "anyscale_vol"
    capacity_gb = 1024
  }

  networks {
    network = google_compute_network.anyscale.name
    modes   = ["MODE_IPV4"]
  }
}

# Anyscale connects without TLS and needs read replicas: the opposite of AWS MemoryDB.
resource "google_redis_instance" "anyscale" {
  name                    = "anyscale-redis"
  region                  = var.region
  tier                    = "STANDARD_HA"
  memory_size_gb          = 5
  redis_version           = "REDIS_7_0"
  replica_count           = 1
  read_replicas_mode      = "READ_REPLICAS_ENABLED"
  transit_encryption_mode = "DISABLED"
  authorized_network      = google_compute_network.anyscale.id

  redis_configs = {
    maxmemory-policy = "allkeys-lru"
  }
}
