# anyscale-lint's description of aws-anyscale-securitygroups: the cloud's security group.
# Documented defaults: all traffic from and to the group itself, all egress, and no ingress
# from any CIDR (`ingress_from_cidr_map = []`, so no 443 unless the caller adds it). A rule is
# a predefined `rule` or explicit from_port, to_port and protocol; a rule from existing groups
# names its group as `security_group_id` (checked against the module's main.tf).

variable "vpc_id" {
  type = string
}

variable "security_group_name" {
  type    = string
  default = null
}

variable "security_group_name_prefix" {
  type    = string
  default = "anyscale-security-group-"
}

variable "security_group_description" {
  type    = string
  default = "Anyscale Security Group"
}

# Each element: { rule = "<predefined rule>", cidr_blocks = "<comma-separated CIDRs>", description }.
variable "ingress_from_cidr_map" {
  type    = list(map(string))
  default = []
}

# CIDRs for the elements of ingress_from_cidr_map that give none.
variable "default_ingress_cidr_range" {
  type    = list(string)
  default = []
}

# Each element: { rule = "<predefined rule>", cidr_blocks = "<comma-separated CIDRs>", description }.
variable "egress_to_cidr_map" {
  type    = list(map(string))
  default = []
}

# Each element: { rule = "<predefined rule>", security_group_id = "sg-...", description }.
variable "ingress_with_existing_security_groups_map" {
  type    = list(map(string))
  default = []
}

variable "ingress_with_self" {
  type    = list(map(string))
  default = [{ rule = "all-all" }]
}

variable "egress_to_self" {
  type    = list(map(string))
  default = [{ rule = "all-all" }]
}

variable "allow_all_egress" {
  type    = bool
  default = true
}

variable "default_egress_cidr_range" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

# Rule name -> [from port, to port, protocol, description].
variable "predefined_rules" {
  type = map(list(any))
  default = {
    "all-all"       = [-1, -1, "-1", "All protocols"]
    "http-80-tcp"   = [80, 80, "tcp", "HTTP"]
    "https-443-tcp" = [443, 443, "tcp", "HTTPS"]
    "ssh-tcp"       = [22, 22, "tcp", "SSH"]
    "nfs-tcp"       = [2049, 2049, "tcp", "NFS/EFS"]
  }
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_security_group" "anyscale_security_group" {
  name        = var.security_group_name
  name_prefix = var.security_group_name == null ? var.security_group_name_prefix : null
  description = var.security_group_description
  vpc_id      = var.vpc_id
  tags        = var.tags

  dynamic "ingress" {
    for_each = var.ingress_from_cidr_map
    content {
      description = lookup(ingress.value, "description", "Ingress Rule")
      from_port   = lookup(ingress.value, "from_port", try(var.predefined_rules[ingress.value.rule][0], null))
      to_port     = lookup(ingress.value, "to_port", try(var.predefined_rules[ingress.value.rule][1], null))
      protocol    = lookup(ingress.value, "protocol", try(var.predefined_rules[ingress.value.rule][2], null))
      cidr_blocks = try(compact(split(",", ingress.value.cidr_blocks)), var.default_ingress_cidr_range)
    }
  }

  dynamic "ingress" {
    for_each = var.ingress_with_existing_security_groups_map
    content {
      description     = lookup(ingress.value, "description", "Ingress Rule")
      from_port       = lookup(ingress.value, "from_port", try(var.predefined_rules[ingress.value.rule][0], null))
      to_port         = lookup(ingress.value, "to_port", try(var.predefined_rules[ingress.value.rule][1], null))
      protocol        = lookup(ingress.value, "protocol", try(var.predefined_rules[ingress.value.rule][2], null))
      security_groups = [ingress.value.security_group_id]
    }
  }

  dynamic "ingress" {
    for_each = var.ingress_with_self
    content {
      description = lookup(ingress.value, "description", "Ingress Rule")
      from_port   = lookup(ingress.value, "from_port", try(var.predefined_rules[ingress.value.rule][0], null))
      to_port     = lookup(ingress.value, "to_port", try(var.predefined_rules[ingress.value.rule][1], null))
      protocol    = lookup(ingress.value, "protocol", try(var.predefined_rules[ingress.value.rule][2], null))
      self        = true
    }
  }

  dynamic "egress" {
    for_each = var.egress_to_self
    content {
      description = lookup(egress.value, "description", "Egress Rule")
      from_port   = lookup(egress.value, "from_port", try(var.predefined_rules[egress.value.rule][0], null))
      to_port     = lookup(egress.value, "to_port", try(var.predefined_rules[egress.value.rule][1], null))
      protocol    = lookup(egress.value, "protocol", try(var.predefined_rules[egress.value.rule][2], null))
      self        = true
    }
  }

  dynamic "egress" {
    for_each = var.egress_to_cidr_map
    content {
      description = lookup(egress.value, "description", "Egress Rule")
      from_port   = lookup(egress.value, "from_port", try(var.predefined_rules[egress.value.rule][0], null))
      to_port     = lookup(egress.value, "to_port", try(var.predefined_rules[egress.value.rule][1], null))
      protocol    = lookup(egress.value, "protocol", try(var.predefined_rules[egress.value.rule][2], null))
      cidr_blocks = try(compact(split(",", egress.value.cidr_blocks)), var.default_egress_cidr_range)
    }
  }

  dynamic "egress" {
    for_each = var.allow_all_egress ? ["all"] : []
    content {
      description = "All outbound traffic"
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = var.default_egress_cidr_range
    }
  }
}

output "security_group_id" {
  value = aws_security_group.anyscale_security_group.id
}

output "security_group_arn" {
  value = aws_security_group.anyscale_security_group.arn
}

output "security_group_name" {
  value = aws_security_group.anyscale_security_group.name
}
