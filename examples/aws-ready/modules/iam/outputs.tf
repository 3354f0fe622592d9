output "control_plane_role_arn" {
  description = "Pass to `anyscale cloud register --anyscale-iam-role-id`."
  value       = aws_iam_role.control_plane.arn
}

output "instance_role_arn" {
  description = "Pass to `anyscale cloud register --instance-iam-role-id`."
  value       = aws_iam_role.instance.arn
}

output "instance_profile_arn" {
  value = aws_iam_instance_profile.instance.arn
}
