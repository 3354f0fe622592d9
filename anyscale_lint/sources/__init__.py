"""Sources: read inputs (Terraform, IAM JSON, live state) into the cloud model."""
