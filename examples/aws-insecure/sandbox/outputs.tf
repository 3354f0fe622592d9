# Copied from the staging cloud's runbook and edited by hand.
# Mistake (AWS-REG-001, AWS-REG-004): no --security-group-ids, and the root declares no
# security group: the sandbox was meant to "just use the VPC's default group".
# `anyscale cloud register` refuses to start without the flag; declare a group (self rule,
# HTTPS from the corporate range) and pass it.
# Mistake (AWS-REG-003): for the same reason the deployment's security group cannot be
# identified at all (low): the security-group rules are not evaluated for this cloud.
# Mistake (AWS-IAM-013): the role ARNs are pasted in, and the instance role's was copied from
# the staging account's console tab (123456789012) while the control-plane role is in the
# sandbox account (210987654321); both roles must be in one account. Refer to
# aws_iam_role.*.arn instead of pasting ARNs.
# Mistake (AWS-NET-006): the third subnet is the tools VPC's, added "so nodes can reach the
# artifact cache"; node subnets must all be in --vpc-id (peer the VPCs instead).
# Mistake (AWS-REG-002): the external ID was rotated here (-sandbox-v2) but not in the
# control-plane role's trust policy (iam.tf), so registration aborts with "External ID ... is
# not in the assume role policy".
output "anyscale_register_command" {
  description = "How to register the sandbox cloud (public subnets, so no --private-network)."
  value       = <<-EOT
    anyscale cloud register --provider aws \
      --name ${var.cloud_name} \
      --region us-west-2 \
      --vpc-id ${aws_vpc.sandbox.id} \
      --subnet-ids ${aws_subnet.a.id},${aws_subnet.b.id},${aws_subnet.tools_c.id} \
      --cloud-storage-bucket-name ${aws_s3_bucket.sandbox.id} \
      --anyscale-iam-role-id arn:aws:iam::210987654321:role/northwind-sandbox-anyscale-control-plane \
      --instance-iam-role-id arn:aws:iam::123456789012:role/northwind-sandbox-anyscale-node \
      --external-id ${var.anyscale_org_id}-sandbox-v2
  EOT
}
