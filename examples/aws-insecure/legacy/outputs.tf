output "anyscale_register_command" {
  description = "How this cloud was registered (public subnets, so no --private-network)."
  value       = <<-EOT
    anyscale cloud register --provider aws \
      --name ${var.cloud_name} \
      --region ${var.region} \
      --vpc-id ${aws_vpc.legacy.id} \
      --subnet-ids ${aws_subnet.a.id},${aws_subnet.b.id} \
      --security-group-ids ${aws_security_group.legacy.id} \
      --s3-bucket-id ${aws_s3_bucket.legacy.id} \
      --anyscale-iam-role-id ${aws_iam_role.anyscale.arn} \
      --instance-iam-role-id ${aws_iam_role.node.arn}
  EOT
}
