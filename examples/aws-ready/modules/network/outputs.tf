output "vpc_id" {
  value = aws_vpc.anyscale.id
}

output "private_subnet_ids" {
  description = "Node subnets, passed to `anyscale cloud register --subnet-ids`."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "security_group_id" {
  value = aws_security_group.anyscale.id
}
