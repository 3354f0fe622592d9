"""Terraform HCL source: parse, evaluate and build the cloud model of each root module."""
