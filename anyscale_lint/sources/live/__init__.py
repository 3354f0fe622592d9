"""What the live sources (AWS, GCP) share: faults, progress phases, the audit record and the
errors a read-only audit can end with. Nothing here imports a cloud SDK."""
