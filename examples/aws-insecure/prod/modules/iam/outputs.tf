output "control_plane_role_arn" {
  value = aws_iam_role.control_plane.arn
}

output "instance_role_arn" {
  value = aws_iam_role.instance.arn
}
