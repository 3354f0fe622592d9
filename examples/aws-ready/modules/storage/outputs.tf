output "bucket_name" {
  description = "Pass to `anyscale cloud register --cloud-storage-bucket-name`."
  value       = aws_s3_bucket.anyscale.id
}

output "bucket_arn" {
  value = aws_s3_bucket.anyscale.arn
}
